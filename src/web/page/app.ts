// The flowmcp web page: a board of one flow's tasks (columns by status, grouped by plan), a task page
// (#/task/<id>), live through the event stream. Plain DOM, no framework: every piece of text from the
// project goes in as text (dom.ts), and the page runs under a CSP with no inline script or style.
import { get, Refused, send, startSession } from './api.js';
import { Column, type Row } from './column.js';
import { clear, h } from './dom.js';
import { renderDocumentPage, renderTaskPage, shownTask } from './task-page.js';
import { renderSearchPage } from './search-page.js';
import { renderBriefingPage } from './briefing-page.js';
import { renderSnapshotsPage } from './snapshots-page.js';
import { leaseLeft, PRIORITIES, rowOf, STATUS_LABEL, STATUSES, type Board, type Status, type Task, type TaskRow } from './types.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  board: undefined as Board | undefined,
  tasks: new Map<string, TaskRow>(),
  filter: { plan: '', status: '', text: '' },
  events: undefined as EventSource | undefined,
};
const columns = new Map<string, Column>();

/** Says something to the person: a banner (role=alert for refusals, status for news). */
function say(text: string, kind: 'error' | 'info' = 'info'): void {
  $(kind === 'error' ? 'alert' : 'notice').textContent = text;
  $(kind === 'error' ? 'alert-box' : 'notice').hidden = false;
}

function hideAlert(): void {
  $('alert-box').hidden = true;
  $('alert').textContent = '';
}

function planTitle(id: string): string {
  return state.board?.plans.find((p) => p.id === id)?.title ?? id;
}

function claimBadge(agent: string, until: string | undefined): HTMLElement {
  const text = `held by ${agent}${until ? ` · ${leaseLeft(until)}` : ''}`;
  return h('span', { class: 'claim', title: text }, text);
}

function card(t: TaskRow): HTMLElement {
  const select = h('select', { 'aria-label': `Status of ${t.title}`, 'data-id': `${t.id}-status` });
  for (const s of STATUSES) select.append(h('option', { value: s, selected: s === t.status }, STATUS_LABEL[s]));
  select.addEventListener('change', () => void setStatus(t.id, select.value as Status));
  const meta = h(
    'div',
    { class: 'meta' },
    h('span', { class: `prio prio-${t.priority}` }, t.priority),
    t.waiting_on_count ? h('span', { class: 'waiting', title: 'dependencies not done yet' }, `waiting on ${t.waiting_on_count}`) : null,
    t.claimed_by ? claimBadge(t.claimed_by, t.lease_until) : null,
  );
  const link = h('a', { href: `#/task/${encodeURIComponent(t.id)}`, class: 'title', 'data-id': t.id, 'aria-keyshortcuts': '[ ]' }, t.title);
  link.addEventListener('keydown', (e) => {
    // [ and ] move the task one status left or right: the keyboard's drag.
    if (e.key !== '[' && e.key !== ']') return;
    e.preventDefault();
    const i = STATUSES.indexOf(t.status) + (e.key === ']' ? 1 : -1);
    const next = STATUSES[i];
    if (next) void setStatus(t.id, next);
  });
  const el = h('div', { class: 'card', role: 'listitem', draggable: 'true', 'data-task': t.id }, link, meta, select);
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

/** Lays the tasks out in their columns (grouped by plan, in plan order); only visible rows are built. */
function layout(): void {
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
}

function focusTask(id: string): void {
  const t = state.tasks.get(id);
  if (!t) return;
  const col = columns.get(t.status);
  col?.reveal(id);
  (col?.root.querySelector(`a[data-id="${CSS.escape(id)}"]`) as HTMLElement | null)?.focus();
}

async function setStatus(id: string, status: Status): Promise<void> {
  const t = state.tasks.get(id);
  if (!t || t.status === status) return;
  hideAlert();
  try {
    const r = await send<{ task: Task }>('POST', '/api/task/status', { id, status, expected_revision: t.revision });
    state.tasks.set(id, rowOf(r.task));
    layout();
    focusTask(id);
    say(`"${r.task.title}" is now ${STATUS_LABEL[r.task.status]}.`);
  } catch (e) {
    showRefusal(e, id);
  }
}

/** A refusal shown to the person; a revision conflict shows the task as it is now, never overwritten. */
function showRefusal(e: unknown, id?: string): void {
  if (e instanceof Refused && e.status === 409 && e.error.code === 'conflict') {
    const current = e.error.details?.current as Task | undefined;
    if (current && id) {
      state.tasks.set(id, rowOf(current));
      layout();
    }
    say(`Not changed: someone else changed "${current?.title ?? id}" meanwhile (it is now ${current ? STATUS_LABEL[current.status] : 'different'}, revision ${current?.revision ?? '?'}). Look again and retry.`, 'error');
    return;
  }
  say(e instanceof Refused ? e.error.message : `Something went wrong: ${(e as Error).message}`, 'error');
}

async function loadBoard(flow?: string): Promise<void> {
  const b = await get<Board>(`/api/board${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`);
  applyBoard(b);
  follow(b.seq, b.flow_id);
  document.body.dataset.ready = 'true';
}

function applyBoard(b: Board): void {
  state.board = b;
  state.tasks = new Map(b.tasks.map((t) => [t.id, b.leases[t.id] ? { ...t, lease_until: b.leases[t.id] } : t]));
  const flows = $('flow') as HTMLSelectElement;
  flows.replaceChildren(...b.flows.map((f) => h('option', { value: f.id, selected: f.id === b.flow_id }, f.name)));
  const plans = $('plan') as HTMLSelectElement;
  plans.replaceChildren(h('option', { value: '' }, 'All plans'), ...b.plans.map((p) => h('option', { value: p.id, selected: p.id === state.filter.plan }, p.title)));
  const createPlan = $('new-plan') as HTMLSelectElement;
  createPlan.replaceChildren(...b.plans.map((p) => h('option', { value: p.id }, p.title)));
  $('empty').hidden = b.flow_id !== null;
  if (b.truncated) say(`This flow has more tasks than the board shows (${b.tasks.length}); filter by plan to see the rest.`, 'error');
  layout();
}

// ——— live: the event stream, from the seq the board was read at ———

let pending = new Set<string>();
let reloadAll = false;
let flushing: Promise<void> | undefined;

function follow(seq: number, flow: string | null): void {
  state.events?.close();
  const es = new EventSource(`/events?since=${seq}${flow ? `&flow=${encodeURIComponent(flow)}` : ''}`);
  state.events = es;
  es.addEventListener('change', (m) => {
    const e = JSON.parse((m as MessageEvent<string>).data) as { entity: string; entity_id: string };
    if (e.entity === 'task') pending.add(e.entity_id);
    else if (e.entity === 'plan' || e.entity === 'flow' || e.entity === 'snapshot') reloadAll = true;
    flushing ??= Promise.resolve().then(flush);
  });
  es.addEventListener('open', () => ($('live').textContent = 'Live'));
  es.addEventListener('error', () => {
    // The browser retries by itself (resuming with Last-Event-ID); a refusal (signed out, the server
    // restarted) closes the stream for good.
    $('live').textContent = es.readyState === EventSource.CLOSED ? 'Not live: reload the page (or open a new sign-in link)' : 'Reconnecting…';
  });
}

/** Applies what the stream said changed: each changed task is read again and its card alone redrawn. */
async function flush(): Promise<void> {
  try {
    while (pending.size || reloadAll) {
      if (reloadAll || pending.size > 100) {
        reloadAll = false;
        pending = new Set();
        const flow = state.board?.flow_id;
        applyBoard(await get<Board>(`/api/board${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`));
        continue;
      }
      const ids = [...pending];
      pending = new Set();
      for (const id of ids) {
        try {
          const d = await get<{ task: Task }>(`/api/task?id=${encodeURIComponent(id)}`);
          if (d.task.flow_id === state.board?.flow_id) state.tasks.set(id, rowOf(d.task));
          // The open task page follows too, unless the person has unsaved edits there (then it says so,
          // and saving would be refused as a conflict rather than overwrite the newer version).
          const open = shownTask();
          if (open?.id === id && d.task.revision > open.revision) {
            if (open.dirty()) say(`"${d.task.title}" was changed meanwhile (now revision ${d.task.revision}); saving your edits would be refused. Copy them, then open the task again.`, 'error');
            else await open.redraw();
          }
        } catch (e) {
          if (e instanceof Refused && e.status === 404) state.tasks.delete(id);
          else throw e;
        }
      }
      layout();
    }
    document.body.dataset.seen = String(Date.now());
  } catch (e) {
    showRefusal(e);
  } finally {
    flushing = undefined;
  }
}

// ——— routes: the board, or one task ———

const VIEWS = ['board-view', 'task-view', 'search-view', 'briefing-view', 'snapshots-view'];

function show(view: string): void {
  for (const v of VIEWS) $(v).hidden = v !== view;
}

/** A part of the address decoded, or undefined when it is malformed ("%" alone): then the board is shown. */
function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

async function route(): Promise<void> {
  const hash = location.hash;
  const search = /^#\/search(?:\?q=(.*))?$/.exec(hash);
  const q = search ? decoded(search[1] ?? '') : undefined;
  if (search && q !== undefined) {
    show('search-view');
    // The address only fills the box: the search runs when the person presses Enter. Another page
    // (another port of this machine is the same site, so the cookie goes along) can open this page at
    // any address; it must not be able to make the page run searches of its choosing.
    renderSearchPage($('search-view'), state.board?.flow_id ?? null, q);
    ($('search-q') as HTMLElement).focus();
    return;
  }
  if (hash === '#/briefing') {
    show('briefing-view');
    await renderBriefingPage($('briefing-view'), state.board?.flow_id ?? null);
    ($('briefing-view').querySelector('h2') as HTMLElement | null)?.focus();
    return;
  }
  const doc = /^#\/doc\/(.+)$/.exec(hash);
  const docId = doc ? decoded(doc[1]!) : undefined;
  if (docId !== undefined) {
    show('task-view');
    await renderDocumentPage($('task-view'), docId);
    ($('task-view').querySelector('h2') as HTMLElement | null)?.focus();
    return;
  }
  if (hash === '#/snapshots') {
    show('snapshots-view');
    await renderSnapshotsPage($('snapshots-view'), state.board?.flow_id ?? null, {
      onRestored: () => {
        const flow = state.board?.flow_id;
        void get<Board>(`/api/board${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`).then(applyBoard, showRefusal);
      },
      onRefused: (e) => showRefusal(e),
    });
    ($('snapshots-view').querySelector('h2') as HTMLElement | null)?.focus();
    return;
  }
  const m = /^#\/task\/(.+)$/.exec(hash);
  const taskId = m ? decoded(m[1]!) : undefined;
  if ((search && q === undefined) || (doc && docId === undefined) || (m && taskId === undefined)) say('That address is malformed (a stray "%"?): here is the board.', 'error');
  show(taskId !== undefined ? 'task-view' : 'board-view');
  if (taskId !== undefined) {
    await renderTaskPage($('task-view'), taskId, {
      onSaved: (t) => {
        state.tasks.set(t.id, rowOf(t));
        layout();
      },
      onRefused: (e, id) => showRefusal(e, id),
    });
    ($('task-view').querySelector('h2') as HTMLElement | null)?.focus();
  } else layout();
}

function wire(): void {
  const cols = $('columns');
  clear(cols);
  for (const s of STATUSES) {
    const c = new Column(s, STATUS_LABEL[s], card);
    columns.set(s, c);
    cols.append(c.root);
    c.root.addEventListener('dragover', (e) => e.preventDefault());
    c.root.addEventListener('drop', (e) => {
      e.preventDefault();
      const id = e.dataTransfer?.getData('text/x-flowmcp-task');
      if (id) void setStatus(id, s);
    });
  }
  $('flow').addEventListener('change', () => {
    state.filter.plan = '';
    void loadBoard(($('flow') as HTMLSelectElement).value).catch(showRefusal);
  });
  $('plan').addEventListener('change', () => {
    state.filter.plan = ($('plan') as HTMLSelectElement).value;
    layout();
  });
  $('status').addEventListener('change', () => {
    state.filter.status = ($('status') as HTMLSelectElement).value;
    layout();
  });
  $('text').addEventListener('input', () => {
    state.filter.text = ($('text') as HTMLInputElement).value.trim();
    layout();
  });
  const statusFilter = $('status') as HTMLSelectElement;
  statusFilter.append(...STATUSES.map((s) => h('option', { value: s }, STATUS_LABEL[s])));
  const prio = $('new-priority') as HTMLSelectElement;
  prio.append(...PRIORITIES.map((p) => h('option', { value: p, selected: p === 'medium' }, p)));
  $('create').addEventListener('submit', (e) => {
    e.preventDefault();
    const title = ($('new-title') as HTMLInputElement).value.trim();
    if (!title) return;
    if (!($('new-plan') as HTMLSelectElement).value) return say('This flow has no plan yet: create one with an assistant or `flowmcp plan create`, then add tasks here.', 'error');
    void send<{ task: Task }>('POST', '/api/task', { title, priority: prio.value, plan_id: ($('new-plan') as HTMLSelectElement).value })
      .then((r) => {
        state.tasks.set(r.task.id, rowOf(r.task));
        ($('new-title') as HTMLInputElement).value = '';
        layout();
        say(`Created "${r.task.title}".`);
      })
      .catch((err: unknown) => showRefusal(err));
  });
  $('dismiss').addEventListener('click', hideAlert);
  $('sign-out').addEventListener('click', () => {
    void send('POST', '/ui/logout', {})
      .then(() => {
        state.events?.close();
        document.body.replaceChildren(h('main', {}, h('h1', {}, 'flowmcp'), h('p', {}, 'Signed out. Open a new sign-in link to come back.')));
      })
      .catch(showRefusal);
  });
  window.addEventListener('hashchange', () => void route().catch(showRefusal));
  window.addEventListener('resize', () => columns.forEach((c) => c.render()));
}

async function main(): Promise<void> {
  wire();
  try {
    await startSession();
    await loadBoard();
    await route();
  } catch (e) {
    showRefusal(e);
  }
}

void main();
