// The board: one flow's tasks in columns by status, grouped by plan (in plan order), narrowed by the
// filters; each card with its priority, what it waits on and who holds it. Only the cards in view exist
// (column.ts); claims count down in place.
import { boardAddress, setBoardHref } from './address.js';
import type { Row } from './column.js';
import { clear, h, visibleText } from './dom.js';
import { say } from './notices.js';
import { $, askedStatus, columns, pendingStatus, state } from './state.js';
import { statusControl } from './status-control.js';
import { claimLive, leaseLeft, STATUS_LABEL, STATUSES, type Board, type Status, type TaskRow } from './types.js';

/** Moves a task to another status (the board's one write from a card). */
export type Move = (id: string, status: Status) => void;

export function planTitle(id: string): string {
  return state.board?.plans.find((p) => p.id === id)?.title ?? id;
}

/** A claim on its own line of the card (it wraps there, never cut off); none once the lease ran out. */
function claimBadge(agent: string, until: string | undefined, status: Status): HTMLElement | null {
  if (!claimLive(until)) return status === 'in_progress' ? ranOut() : null;
  return h('div', { class: 'claim', title: visibleText(`held by ${agent} until ${until!.replace('T', ' ').slice(0, 19)} UTC`), 'data-agent': agent, 'data-until': until }, claimText(agent, until!));
}

const claimText = (agent: string, until: string) => `held by ${agent} · ${leaseLeft(until)}`;

/** An in-progress task whose claim's lease ran out: nobody holds it, and the card says so. */
const ranOut = () => h('div', { class: 'claim ran-out', title: 'its claim ran out: nobody holds it' }, 'claim ran out — free to take');

/**
 * The claims on the cards in view, counted down in place (no redraw: a status menu open or a card being
 * dragged is not disturbed); one whose lease ran out goes (the task is free again).
 */
export function tickClaims(): void {
  for (const el of document.querySelectorAll<HTMLElement>('#columns .claim[data-until]')) {
    const until = el.dataset.until!;
    if (claimLive(until)) {
      const text = visibleText(claimText(el.dataset.agent ?? '', until));
      if (el.textContent !== text) el.textContent = text;
    }
    else if (el.closest('[data-status="in_progress"]')) el.replaceWith(ranOut());
    else el.remove();
  }
}

/**
 * One card, one tab stop: its title link. From the link, [ and ] move the task one status left or right,
 * ArrowRight goes to its status menu (Escape comes back), Enter opens it.
 */
export function card(t: TaskRow, move: Move): HTMLElement {
  const link = h('a', { href: `#/task/${encodeURIComponent(t.id)}`, class: 'title', 'data-id': t.id, 'aria-keyshortcuts': '[ ] ArrowRight' }, t.title);
  const select = statusControl({
    current: t.status,
    // An attribute is read aloud and shown as it is: its invisible characters are made visible as the text's are.
    label: visibleText(`Status of ${t.title}`),
    attrs: { 'data-id': `${t.id}-status`, tabindex: '-1' },
    pending: pendingStatus.get(t.id),
    onPending: (s) => (s ? pendingStatus.set(t.id, s) : pendingStatus.delete(t.id)),
    commit: (s) => move(t.id, s),
    onEscape: () => focusTask(t.id),
  });
  const meta = h(
    'div',
    { class: 'meta' },
    select,
    h('span', { class: `prio prio-${t.priority}` }, t.priority),
    // A finished task waits on nothing (a dependency reopened after it was done is the task page's to show).
    t.waiting_on_count && t.status !== 'done' && t.status !== 'cancelled' ? h('span', { class: 'waiting', title: 'dependencies not done yet' }, `waiting on ${t.waiting_on_count}`) : null,
  );
  link.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight') {
      e.preventDefault();
      select.focus();
      return;
    }
    // [ and ] move the task one status left or right: the keyboard's drag.
    if (e.key !== '[' && e.key !== ']') return;
    e.preventDefault();
    // Counted from the status last asked for (a move may be on its way): three quick presses are three steps.
    const i = STATUSES.indexOf(askedStatus.get(t.id) ?? t.status) + (e.key === ']' ? 1 : -1);
    const next = STATUSES[i];
    if (next) move(t.id, next);
  });
  const el = h('div', { class: 'card', role: 'listitem', draggable: 'true', 'data-task': t.id }, link, meta, t.claimed_by ? claimBadge(t.claimed_by, t.claim_expires_at, t.status) : t.claim_ran_out ? ranOut() : null);
  el.addEventListener('dragstart', (e) => e.dataTransfer?.setData('text/x-flowmcp-task', t.id));
  return el;
}

function matches(t: TaskRow): boolean {
  const f = state.filter;
  if (f.plan && t.plan_id !== f.plan) return false;
  if (f.status && t.status !== f.status) return false;
  if (f.text && !t.title.toLowerCase().includes(f.text.toLowerCase()) && t.id !== f.text) return false;
  return true;
}

/** Says why the board is empty or narrower than asked: a filter the link gave that is unknown, or filters matching no task. */
function filterNote(matched: number): void {
  const note = $('filter-note');
  const f = state.filter;
  const active = [f.plan && `plan "${planTitle(f.plan)}"`, f.status && `status ${STATUS_LABEL[f.status as Status] ?? f.status}`, f.text && `text "${f.text}"`].filter(Boolean);
  const words = [
    ...state.unknownFilters,
    ...(active.length && matched === 0 && state.tasks.size > 0 ? [`No task matches ${active.join(', ')}.`] : []),
  ];
  clear(note);
  note.hidden = words.length === 0;
  if (words.length) note.append(words.join(' '), ' ', h('a', { href: '#/', id: 'clear-filters' }, 'Clear filters'));
}

/** Lays the tasks out in their columns (grouped by plan, in plan order); only visible rows are built. */
export function layout(): void {
  const order = new Map((state.board?.plans ?? []).map((p, i) => [p.id, i]));
  const byStatus = new Map<string, TaskRow[]>(STATUSES.map((s) => [s, []]));
  for (const t of state.tasks.values()) if (matches(t)) byStatus.get(t.status)?.push(t);
  for (const [status, list] of byStatus) {
    list.sort((a, b) => (order.get(a.plan_id) ?? 1e9) - (order.get(b.plan_id) ?? 1e9));
    const rows: Row[] = [];
    let plan: string | undefined;
    for (const t of list) {
      if (t.plan_id !== plan) {
        plan = t.plan_id;
        rows.push({ kind: 'plan', id: plan, title: planTitle(plan), count: list.filter((x) => x.plan_id === plan).length });
      }
      rows.push({ kind: 'task', task: t });
    }
    columns.get(status)!.set(rows);
  }
  filterNote([...byStatus.values()].reduce((n, l) => n + l.length, 0));
}

/** Focus on a task's card (scrolled into view); false when the board does not show it (filtered out, or gone). */
export function focusTask(id: string): boolean {
  const t = state.tasks.get(id);
  if (!t) return false;
  const col = columns.get(t.status);
  col?.reveal(id);
  const link = col?.root.querySelector(`a[data-id="${CSS.escape(id)}"]`) as HTMLElement | null;
  link?.focus();
  return !!link && document.activeElement === link;
}

/** A board read from the server, drawn: flows, plans and filters follow it. */
export function applyBoard(b: Board): void {
  // Another flow: the create form's plan choice was of the old one.
  if (state.board && state.board.flow_id !== b.flow_id) state.newPlan = undefined;
  state.board = b;
  state.tasks = new Map(b.tasks.map((t) => [t.id, t]));
  if (b.flow_id && state.filter.flow && state.filter.flow !== b.flow_id) state.filter.flow = b.flow_id;
  if (!b.plans.some((p) => p.id === state.filter.plan)) state.filter.plan = '';
  const flows = $('flow') as HTMLSelectElement;
  flows.replaceChildren(...b.flows.map((f) => h('option', { value: f.id, selected: f.id === b.flow_id }, f.name)));
  const plans = $('plan') as HTMLSelectElement;
  plans.replaceChildren(h('option', { value: '' }, 'All plans'), ...b.plans.map((p) => h('option', { value: p.id, selected: p.id === state.filter.plan }, p.title)));
  drawCreatePlans();
  $('empty').hidden = b.flow_id !== null;
  if (b.truncated) say(`This flow has more tasks than the board shows (${b.tasks.length}); filter by plan to see the rest.`, 'error');
  ($('status') as HTMLSelectElement).value = state.filter.status;
  // The text box is the person's: touched only when it says something else (never mid-word).
  const text = $('text') as HTMLInputElement;
  if (text.value.trim() !== state.filter.text) text.value = state.filter.text;
  layout();
}

/**
 * The create form's plan menu: the flow's plans, the person's choice kept (or the Plan filter's, when one
 * is set). A chosen plan deleted meanwhile stays chosen, marked deleted: the form refuses it (creating
 * the task in another plan without a word would put it where the person did not ask).
 */
export function drawCreatePlans(): void {
  const plans = state.board?.plans ?? [];
  const chosen = state.newPlan;
  const gone = chosen && !plans.some((p) => p.id === chosen.id);
  const options = plans.map((p) => h('option', { value: p.id, selected: p.id === chosen?.id }, p.title));
  if (gone) options.push(h('option', { value: chosen.id, selected: true }, `${chosen.title} (deleted)`));
  ($('new-plan') as HTMLSelectElement).replaceChildren(...options);
}

/** The Plan filter set by the person (or the address): the create form follows it. */
export function createFollowsFilter(): void {
  const p = state.board?.plans.find((x) => x.id === state.filter.plan);
  if (!p) return;
  state.newPlan = { id: p.id, title: p.title };
  drawCreatePlans();
}

/** The board's filters into the address (replacing it: a reload, Back or a shared link keeps them). */
export function filtersToAddress(): void {
  const href = boardAddress(state.filter);
  setBoardHref(href);
  if (!$('board-view').hidden && location.hash !== href && !(href === '#/' && (location.hash === '' || location.hash === '#'))) history.replaceState(null, '', href);
}
