// The flowmcp web page: a board of one flow's tasks (columns by status, grouped by plan, filters in the
// address), a task page (#/task/<id>), search, briefing and snapshots, live through the event stream
// (live.ts); a signed-out state once the session is gone. Plain DOM, no framework: every piece of text
// from the project goes in as text (dom.ts), and the page runs under a CSP with no inline script or style.
import { get, Refused, send, startSession } from './api.js';
import { boardAddress, boardFilterOf, NO_FILTER, setBoardHref, type BoardFilter } from './address.js';
import { Column, type Row } from './column.js';
import { clear, h, visibleText } from './dom.js';
import { refreshTaskClaim, renderDocumentPage, renderTaskPage, shownTask } from './task-page.js';
import { renderSearchPage } from './search-page.js';
import { renderBriefingPage } from './briefing-page.js';
import { renderSnapshotsPage, type SnapshotsPage } from './snapshots-page.js';
import { statusControl } from './status-control.js';
import { conflictWords } from './conflict.js';
import { openStream, type LiveStream } from './live.js';
import { claimLive, leaseLeft, PRIORITIES, rowOf, STATUS_LABEL, STATUSES, type Board, type ChangedRows, type Status, type Task, type TaskDetail, type TaskRow } from './types.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

const state = {
  board: undefined as Board | undefined,
  tasks: new Map<string, TaskRow>(),
  filter: { ...NO_FILTER } as BoardFilter,
  events: undefined as LiveStream | undefined,
  /** Set once the session is gone (signed out here, or the server no longer knows it): nothing else runs. */
  signedOut: false,
  /** The person pressed Sign out: a stream or call refused meanwhile (401) is that, not a lost session. */
  signingOut: false,
};
const columns = new Map<string, Column>();
/** A status chosen with the keyboard on a card but not committed yet, by task id (kept across redraws). */
const pendingStatus = new Map<string, Status>();

/** Says something to the person: a banner (role=alert for refusals, status for news). */
function say(text: string, kind: 'error' | 'info' = 'info'): void {
  if (state.signedOut) return;
  // A refusal makes earlier news stale ("Saved …" beside "Not changed …" would say both).
  if (kind === 'error') $('notice').hidden = true;
  $(kind === 'error' ? 'alert' : 'notice').textContent = visibleText(text);
  $(kind === 'error' ? 'alert-box' : 'notice').hidden = false;
}

function hideAlert(): void {
  $('alert-box').hidden = true;
  $('alert').textContent = '';
}

/** Both banners gone: after a success (an old refusal is no longer true) and on navigation (news of another view). */
function clearNotices(): void {
  hideAlert();
  $('notice').hidden = true;
  $('notice').textContent = '';
}

function planTitle(id: string): string {
  return state.board?.plans.find((p) => p.id === id)?.title ?? id;
}

/** A claim on its own line of the card (it wraps there, never cut off); none once the lease ran out. */
function claimBadge(agent: string, until: string | undefined, status: Status): HTMLElement | null {
  if (!claimLive(until)) return status === 'in_progress' ? ranOut() : null;
  return h('div', { class: 'claim', title: `held by ${agent} until ${until!.replace('T', ' ').slice(0, 19)} UTC`, 'data-agent': agent, 'data-until': until }, claimText(agent, until!));
}

const claimText = (agent: string, until: string) => `held by ${agent} · ${leaseLeft(until)}`;

/** An in-progress task whose claim's lease ran out: nobody holds it, and the card says so. */
const ranOut = () => h('div', { class: 'claim ran-out', title: 'its claim ran out: nobody holds it' }, 'claim ran out — free to take');

/**
 * The claims on the cards in view, counted down in place (no redraw: a status menu open or a card being
 * dragged is not disturbed); one whose lease ran out goes (the task is free again).
 */
function tickClaims(): void {
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
function card(t: TaskRow): HTMLElement {
  const link = h('a', { href: `#/task/${encodeURIComponent(t.id)}`, class: 'title', 'data-id': t.id, 'aria-keyshortcuts': '[ ] ArrowRight' }, t.title);
  const select = statusControl({
    current: t.status,
    label: `Status of ${t.title}`,
    attrs: { 'data-id': `${t.id}-status`, tabindex: '-1' },
    pending: pendingStatus.get(t.id),
    onPending: (s) => (s ? pendingStatus.set(t.id, s) : pendingStatus.delete(t.id)),
    commit: (s) => void setStatus(t.id, s),
    onEscape: () => focusTask(t.id),
  });
  const meta = h(
    'div',
    { class: 'meta' },
    select,
    h('span', { class: `prio prio-${t.priority}` }, t.priority),
    t.waiting_on_count ? h('span', { class: 'waiting', title: 'dependencies not done yet' }, `waiting on ${t.waiting_on_count}`) : null,
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
    const i = STATUSES.indexOf(t.status) + (e.key === ']' ? 1 : -1);
    const next = STATUSES[i];
    if (next) void setStatus(t.id, next);
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

/** Filters from the address that named nothing this board knows (a stale or mistyped link), said above the board. */
let unknownFilters: string[] = [];

/** Says why the board is empty or narrower than asked: a filter the link gave that is unknown, or filters matching no task. */
function filterNote(matched: number): void {
  const note = $('filter-note');
  const f = state.filter;
  const active = [f.plan && `plan "${planTitle(f.plan)}"`, f.status && `status ${STATUS_LABEL[f.status as Status] ?? f.status}`, f.text && `text "${f.text}"`].filter(Boolean);
  const words = [
    ...unknownFilters,
    ...(active.length && matched === 0 && state.tasks.size > 0 ? [`No task matches ${active.join(', ')}.`] : []),
  ];
  clear(note);
  note.hidden = words.length === 0;
  if (words.length) note.append(words.join(' '), ' ', h('a', { href: '#/', id: 'clear-filters' }, 'Clear filters'));
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
  filterNote([...byStatus.values()].reduce((n, l) => n + l.length, 0));
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
    showRefusal(e, id, t);
  }
}

/**
 * A refusal shown to the person. A revision conflict says which fields changed (and by whom), and the
 * page shows the task as it is now: never overwritten, and the person's own unsaved edit text is kept
 * by the task page. A 401 means the session is gone (signed out, or the server restarted).
 */
function showRefusal(e: unknown, id?: string, before?: TaskRow & Partial<Task>): void {
  if (e instanceof Refused && e.status === 401) return signedOutView(GONE);
  if (e instanceof Refused && e.status === 409 && e.error.code === 'conflict') {
    const current = e.error.details?.current as Task | undefined;
    if (!current) return say(`${e.error.message} Look again and retry.`, 'error');
    const was = before ?? (id ? state.tasks.get(id) : undefined);
    if (id && current.flow_id === state.board?.flow_id) {
      state.tasks.set(id, rowOf(current));
      layout();
    }
    void conflictWords(current, was).then((w) => say(`Not changed: someone else changed the task meanwhile. ${w} The page shows it as it is now; retry if you still want your change.`, 'error'));
    return;
  }
  say(e instanceof Refused ? e.error.message : `Something went wrong: ${(e as Error).message}`, 'error');
}

/**
 * How often claims are looked at against the clock: every second, so a claim under a minute counts down
 * by the second and never shows time left after its lease ended (only the text of the claims in view
 * is touched, and only when it changes: cheap).
 */
const CLAIM_TICK_MS = 1_000;

/**
 * Claims that ran out since the page last looked: the task rows learn it (the card says "claim ran out")
 * and an open briefing is drawn again (it would still say "claimed by …").
 */
function expireClaims(): void {
  const now = Date.now();
  let any = false;
  for (const t of state.tasks.values()) {
    if (t.claimed_by && !claimLive(t.claim_expires_at, now)) {
      delete t.claimed_by;
      delete t.claim_expires_at;
      if (t.status === 'in_progress') t.claim_ran_out = true;
      any = true;
    }
  }
  if (any && !$('briefing-view').hidden) soon('briefing', refreshBriefing);
}

const GONE = 'This page is no longer signed in: the server restarted, or the session ended.';

/** The session is gone: say so and how to get back in; the event stream is closed and the views stop. */
const SIGNED_OUT_HERE = 'You signed out of this page.';

function signedOutView(why: string): void {
  if (state.signedOut) return;
  if (state.signingOut) why = SIGNED_OUT_HERE;
  state.signedOut = true;
  state.events?.close();
  // Unsaved edits on the open task page are shown here to copy (the form is hidden), and kept in this
  // browser: they come back into the form after signing in again.
  const open = shownTask(); // read before the views are hidden
  const edits = open?.edits() ?? {};
  const kept = $('signed-out-edits');
  clear(kept);
  if (open && Object.keys(edits).length) {
    kept.append(
      h('h3', {}, `Your unsaved edits to "${open.task.title}"`),
      h('p', {}, 'They are kept in this browser and come back into the form after you sign in again; here they are to copy.'),
      ...Object.entries(edits).map(([field, text]) => h('label', {}, field, h('textarea', { readonly: true, rows: field === 'description' ? '6' : '1', 'data-field': field }, text))),
    );
  }
  $('live').textContent = 'Signed out';
  for (const id of ['nav', 'flow-choice', 'sign-out', 'alert-box', 'notice', ...VIEWS]) $(id).hidden = true;
  $('signed-out-why').textContent = why;
  $('signed-out').hidden = false;
  $('signed-out-title').focus();
  document.body.dataset.signedOut = 'true';
}

async function loadBoard(flow?: string): Promise<void> {
  const b = await get<Board>(`/api/board${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`);
  applyBoard(b);
  follow(b.seq, b.flow_id);
  document.body.dataset.ready = 'true';
}

function boardUrl(): string {
  const flow = state.board?.flow_id;
  return `/api/board${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`;
}

function applyBoard(b: Board): void {
  state.board = b;
  state.tasks = new Map(b.tasks.map((t) => [t.id, t]));
  if (b.flow_id && state.filter.flow && state.filter.flow !== b.flow_id) state.filter.flow = b.flow_id;
  if (!b.plans.some((p) => p.id === state.filter.plan)) state.filter.plan = '';
  const flows = $('flow') as HTMLSelectElement;
  flows.replaceChildren(...b.flows.map((f) => h('option', { value: f.id, selected: f.id === b.flow_id }, f.name)));
  const plans = $('plan') as HTMLSelectElement;
  plans.replaceChildren(h('option', { value: '' }, 'All plans'), ...b.plans.map((p) => h('option', { value: p.id, selected: p.id === state.filter.plan }, p.title)));
  const createPlan = $('new-plan') as HTMLSelectElement;
  createPlan.replaceChildren(...b.plans.map((p) => h('option', { value: p.id }, p.title)));
  $('empty').hidden = b.flow_id !== null;
  if (b.truncated) say(`This flow has more tasks than the board shows (${b.tasks.length}); filter by plan to see the rest.`, 'error');
  ($('status') as HTMLSelectElement).value = state.filter.status;
  // The text box is the person's: touched only when it says something else (never mid-word).
  const text = $('text') as HTMLInputElement;
  if (text.value.trim() !== state.filter.text) text.value = state.filter.text;
  layout();
}

/** The board's filters into the address (replacing it: a reload, Back or a shared link keeps them). */
function filtersToAddress(): void {
  const href = boardAddress(state.filter);
  setBoardHref(href);
  if (!$('board-view').hidden && location.hash !== href && !(href === '#/' && (location.hash === '' || location.hash === '#'))) history.replaceState(null, '', href);
}

// ——— live: the event stream, from the seq the board was read at ———

let pending = new Set<string>();
let reloadAll = false;
let flushing: Promise<void> | undefined;

function follow(seq: number, flow: string | null): void {
  state.events?.close();
  if (state.signedOut) return;
  state.events = openStream(seq, flow, {
    onChange: (e) => {
      if (e.entity === 'task') pending.add(e.entity_id);
      else if (e.entity === 'plan' || e.entity === 'flow' || e.entity === 'snapshot') reloadAll = true;
      flushing ??= Promise.resolve().then(flush);
      // The other views that show what the stream speaks of follow too, a moment after the last change.
      if (e.entity === 'snapshot') soon('snapshots', () => snapshotsPage?.refresh());
      if (!$('briefing-view').hidden) soon('briefing', refreshBriefing);
    },
    onState: (text, es) => {
      if (state.events === es && !state.signedOut) $('live').textContent = text;
    },
    onSignedOut: () => signedOutView(GONE),
  });
}

const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** Runs `f` once changes have been quiet for a moment (a burst of events is one redraw). */
function soon(key: string, f: () => unknown): void {
  clearTimeout(timers.get(key));
  timers.set(
    key,
    setTimeout(() => {
      timers.delete(key);
      void Promise.resolve()
        .then(f)
        .catch((e: unknown) => showRefusal(e));
    }, 300),
  );
}

/** Applies what the stream said changed: the changed tasks (and those waiting on them) are read again in one request, and their cards alone redrawn. */
async function flush(): Promise<void> {
  try {
    while ((pending.size || reloadAll) && !state.signedOut) {
      if (reloadAll || pending.size > 100) {
        reloadAll = false;
        pending = new Set();
        applyBoard(await get<Board>(boardUrl()));
        continue;
      }
      const ids = [...pending];
      pending = new Set();
      const r = await get<ChangedRows>(`/api/rows?ids=${ids.map(encodeURIComponent).join(',')}`);
      for (const id of [...r.gone, ...(r.unknown ?? [])]) state.tasks.delete(id);
      for (const row of r.rows) {
        const { flow_id, ...compact } = row;
        // An answer read before the page's own newer write lands must not put the older version back.
        const had = state.tasks.get(row.id);
        if (flow_id === state.board?.flow_id && !(had && had.revision > row.revision)) state.tasks.set(row.id, compact);
        // The open task page follows too, unless the person has unsaved edits there (then it says so,
        // and saving would be refused as a conflict rather than overwrite the newer version).
        const open = shownTask();
        if (open?.id === row.id && row.revision > open.revision) {
          if (open.dirty()) {
            const d = await get<TaskDetail>(`/api/task?id=${encodeURIComponent(row.id)}`);
            say(`${await conflictWords(d.task, open.task)} Your unsaved edits are still in the form; a save puts them on top if they touch other fields than that change, and is refused if they touch the same ones (you would see both versions first).`, 'error');
          } else {
            // Drawn again in place: focus stays where the person had it (by id), never dropped on the body.
            const view = $('task-view');
            const had = view.contains(document.activeElement) ? (document.activeElement as HTMLElement).id || 'task-title' : undefined;
            await open.redraw();
            if (had) (document.getElementById(had) ?? $('task-title')).focus({ preventScroll: true });
          }
        }
      }
      if (r.reload) reloadAll = true;
      layout();
    }
    document.body.dataset.seen = String(Date.now());
  } catch (e) {
    showRefusal(e);
  } finally {
    flushing = undefined;
  }
}

let snapshotsPage: SnapshotsPage | undefined;

async function refreshBriefing(): Promise<void> {
  const view = $('briefing-view');
  if (view.hidden || state.signedOut) return;
  const focused = view.contains(document.activeElement);
  const y = window.scrollY;
  await renderBriefingPage(view, state.board?.flow_id ?? null);
  window.scrollTo(0, y);
  if (focused) (view.querySelector('h2') as HTMLElement | null)?.focus({ preventScroll: true });
}

// ——— routes: the board, or one task ———

/** Whether the person has navigated since the page loaded (a hash change). */
let navigated = false;

const VIEWS = ['board-view', 'task-view', 'search-view', 'briefing-view', 'snapshots-view'];

function show(view: string): void {
  for (const v of VIEWS) $(v).hidden = v !== view;
  if (view !== 'snapshots-view') snapshotsPage = undefined;
}

/** After a navigation, focus goes to the view's heading (or the main region): never left on the body. */
function focusView(view: string): void {
  // On first load the browser starts at the top (Tab reaches the skip link first): only navigations move focus.
  if (!navigated) return;
  const heading = $(view).querySelector('h2[tabindex="-1"]') as HTMLElement | null;
  (heading ?? $('app-main')).focus({ preventScroll: false });
}

/** A part of the address decoded, or undefined when it is malformed ("%" alone): then the board is shown. */
function decoded(part: string): string | undefined {
  try {
    return decodeURIComponent(part);
  } catch {
    return undefined;
  }
}

/** The address before the current one (a document opened from a task goes back to that task). */
let previousHash = '';
let currentHash = location.hash;

async function route(): Promise<void> {
  if (state.signedOut) return;
  const hash = location.hash;
  if (hash !== currentHash) {
    previousHash = currentHash;
    currentHash = hash;
  }
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
    focusView('briefing-view');
    return;
  }
  const doc = /^#\/doc\/(.+)$/.exec(hash);
  const docId = doc ? decoded(doc[1]!) : undefined;
  if (docId !== undefined) {
    // Opened from a task page: its back link goes back there (the task it came from, by title).
    const fromTask = /^#\/task\/(.+)$/.exec(previousHash);
    const fromId = fromTask ? decoded(fromTask[1]!) : undefined;
    const fromTitle = fromId !== undefined ? (shownTask()?.id === fromId ? shownTask()!.task.title : state.tasks.get(fromId)?.title) : undefined;
    show('task-view');
    await renderDocumentPage($('task-view'), docId, fromTitle !== undefined ? { hash: previousHash, title: fromTitle } : undefined);
    focusView('task-view');
    return;
  }
  if (hash === '#/snapshots') {
    show('snapshots-view');
    const page = await renderSnapshotsPage($('snapshots-view'), state.board?.flow_id ?? null, {
      onRestored: () => void get<Board>(boardUrl()).then(applyBoard, showRefusal),
      onRefused: (e) => showRefusal(e),
    });
    if (!$('snapshots-view').hidden) snapshotsPage = page;
    focusView('snapshots-view');
    return;
  }
  const m = /^#\/task\/(.+)$/.exec(hash);
  const taskId = m ? decoded(m[1]!) : undefined;
  if ((search && q === undefined) || (doc && docId === undefined) || (m && taskId === undefined)) say('That address is malformed (a stray "%"?): here is the board.', 'error');
  show(taskId !== undefined ? 'task-view' : 'board-view');
  if (taskId !== undefined) {
    await renderTaskPage($('task-view'), taskId, {
      onSaved: (t, words) => {
        state.tasks.set(t.id, rowOf(t));
        layout();
        clearNotices();
        say(words ?? `Saved "${t.title}" (revision ${t.revision}).`);
      },
      onRefused: (e, id, before) => showRefusal(e, id, before),
    });
    focusView('task-view');
    return;
  }
  // The board: its filters come from the address (a reload, Back or a shared link keeps them).
  const f = boardFilterOf(hash) ?? { ...NO_FILTER };
  // A filter the link names that this board does not know is dropped, and the page says which.
  unknownFilters = [];
  if (f.status && !(STATUSES as readonly string[]).includes(f.status)) {
    unknownFilters.push(`The link's status "${f.status}" is not a status (${STATUSES.join(', ')}): not filtered by status.`);
    f.status = '';
  }
  const flowChanged = f.flow !== '' && f.flow !== state.board?.flow_id;
  state.filter = { ...f, flow: f.flow || state.filter.flow };
  if (flowChanged) await loadBoard(f.flow);
  else {
    ($('plan') as HTMLSelectElement).value = state.filter.plan;
    if (($('plan') as HTMLSelectElement).value !== state.filter.plan) {
      unknownFilters.push(`The link's plan "${state.filter.plan}" is no plan of this flow: not filtered by plan.`);
      state.filter.plan = '';
    }
    ($('status') as HTMLSelectElement).value = state.filter.status;
    const text = $('text') as HTMLInputElement;
    if (text.value.trim() !== state.filter.text) text.value = state.filter.text;
    layout();
  }
  setBoardHref(boardAddress(state.filter));
  focusView('board-view');
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
  $('skip').addEventListener('click', (e) => {
    // The skip link's target is the main region; following "#app-main" would be read as a route.
    e.preventDefault();
    $('app-main').focus();
  });
  $('flow').addEventListener('change', () => {
    state.filter.plan = '';
    state.filter.flow = ($('flow') as HTMLSelectElement).value;
    void loadBoard(state.filter.flow)
      .then(() => {
        filtersToAddress();
        // The other views show the flow chosen: draw the one open again.
        if ($('board-view').hidden) return route();
      })
      .catch(showRefusal);
  });
  $('plan').addEventListener('change', () => {
    unknownFilters = [];
    state.filter.plan = ($('plan') as HTMLSelectElement).value;
    layout();
    filtersToAddress();
  });
  $('status').addEventListener('change', () => {
    unknownFilters = [];
    state.filter.status = ($('status') as HTMLSelectElement).value;
    layout();
    filtersToAddress();
  });
  $('text').addEventListener('input', () => {
    unknownFilters = [];
    state.filter.text = ($('text') as HTMLInputElement).value.trim();
    layout();
    filtersToAddress();
  });
  $('filters').addEventListener('submit', (e) => e.preventDefault());
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
    state.signingOut = true;
    void send('POST', '/ui/logout', {})
      .then(() => signedOutView(SIGNED_OUT_HERE))
      .catch((e: unknown) => {
        state.signingOut = false;
        showRefusal(e);
      });
  });
  window.addEventListener('hashchange', () => {
    navigated = true;
    clearNotices();
    void route().catch(showRefusal);
  });
  window.addEventListener('resize', () => columns.forEach((c) => c.render()));
  // Lease times count down, and a claim whose lease ran out goes (the task is free again): the claims on
  // the cards in view and on the open task page are updated against the clock. No request: the rows
  // know when each lease ends.
  setInterval(() => {
    if (state.signedOut) return;
    if (!$('board-view').hidden) tickClaims();
    expireClaims();
    refreshTaskClaim();
  }, CLAIM_TICK_MS);
}

async function main(): Promise<void> {
  wire();
  try {
    await startSession();
    const f = boardFilterOf(location.hash);
    if (f) state.filter = f;
    await loadBoard(f?.flow || undefined);
    await route();
  } catch (e) {
    showRefusal(e);
  }
}

void main();
