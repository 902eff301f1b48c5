// Keeping the page current: the board read from the server, then followed through the event stream
// from the seq it was read at. Changed tasks (and those waiting on them) are read again in one request
// and only their cards redrawn; the open task page, briefing and snapshot list follow a moment later.
import { get, Refused } from './api.js';
import { boardAddress } from './address.js';
import { applyBoard, layout } from './board.js';
import { renderBriefingPage } from './briefing-page.js';
import { serverNow } from './clock.js';
import { conflictWords } from './conflict.js';
import { EVERYTHING, openStream } from './live.js';
import { say } from './notices.js';
import { showRefusal } from './refusal.js';
import { GONE, signedOutView } from './signed-out.js';
import type { SearchPage } from './search-page.js';
import type { SnapshotsPage } from './snapshots-page.js';
import { $, state } from './state.js';
import { shownTask, type ShownTask } from './task-page.js';
import { claimLive, type Board, type ChangedRows, type TaskDetail } from './types.js';

/** The snapshot list and the search on screen, if one is open (the list is drawn again when a snapshot changes; the search says it may be out of date). */
export const open: { snapshots?: SnapshotsPage; search?: SearchPage } = {};

/** Where a flow's board is read (the current flow's without one; by default the flow on screen). */
export function boardUrl(flow: string | null | undefined = state.board?.flow_id): string {
  return `/api/board${flow ? `?flow=${encodeURIComponent(flow)}` : ''}`;
}

/** Reads a flow's board (the current flow's without one), draws it and follows it live. */
export async function loadBoard(flow?: string): Promise<void> {
  let b: Board;
  try {
    b = await get<Board>(boardUrl(flow ?? null));
  } catch (e) {
    // A link naming a flow that is not there (deleted, mistyped): the page shows the current flow and
    // says so, rather than stay without a board, menus or live updates.
    if (!flow || !(e instanceof Refused && e.status === 404)) throw e;
    state.filter.flow = '';
    history.replaceState(null, '', boardAddress(state.filter)); // the address stops naming it (a reload would fail again)
    b = await get<Board>(boardUrl(null));
    say(`No flow "${flow}" (deleted, or a mistyped link): here is ${b.flow_id ? 'the current flow' : 'the project'} instead.`, 'error');
  }
  applyBoard(b);
  follow(b.seq, b.flow_id);
  document.body.dataset.ready = 'true';
}

/** The board read again (after a restore, or more changes than are worth reading one by one). */
export async function reloadBoard(): Promise<void> {
  applyBoard(await get<Board>(boardUrl()));
}

let pending = new Set<string>();
/** Who deleted a task, by id, as the stream said (the open task page names them). */
const deletedBy = new Map<string, string>();
let reloadAll = false;
let flushing: Promise<void> | undefined;

function follow(seq: number, flow: string | null): void {
  state.events?.close();
  if (state.signedOut) return;
  state.events = openStream(seq, flow, {
    onChange: (e, seq) => {
      // '*' (EVERYTHING): the stream cannot say what changed (the database was replaced, or this tab
      // fell behind the tab that holds the stream): everything is read again.
      const all = e.entity === EVERYTHING.entity;
      if (e.entity === 'task') pending.add(e.entity_id);
      if (e.entity === 'task' && e.action === 'task.delete') deletedBy.set(e.entity_id, e.agent ?? '');
      else if (all || e.entity === 'plan' || e.entity === 'flow' || e.entity === 'snapshot') reloadAll = true;
      flushing ??= Promise.resolve().then(flush);
      // The other views that show what the stream speaks of follow too, a moment after the last change.
      if (all || e.entity === 'snapshot') soon('snapshots', () => open.snapshots?.refresh());
      // Any change (a snapshot taken is none) makes a restore preview on screen out of date.
      if (e.entity !== 'snapshot') open.snapshots?.changed(seq);
      if (!$('briefing-view').hidden) soon('briefing', refreshBriefing);
      open.search?.stale();
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
        await reloadBoard();
        await followShownTask();
        continue;
      }
      const ids = [...pending];
      pending = new Set();
      const r = await get<ChangedRows>(`/api/rows?ids=${ids.map(encodeURIComponent).join(',')}`);
      for (const id of [...r.gone, ...(r.unknown ?? [])]) state.tasks.delete(id);
      // The open task page whose task is gone says so, and stops offering to save or steer it.
      const open = shownTask();
      if (open && r.gone.includes(open.id)) open.gone(deletedBy.get(open.id) || undefined);
      for (const id of r.gone) deletedBy.delete(id);
      for (const row of r.rows) {
        const { flow_id, ...compact } = row;
        // An answer read before the page's own newer write lands must not put the older version back.
        const had = state.tasks.get(row.id);
        if (flow_id === state.board?.flow_id && !(had && had.revision > row.revision)) state.tasks.set(row.id, compact);
        // The open task page follows too, unless the person has unsaved edits there (then it says so,
        // and saving would be refused as a conflict rather than overwrite the newer version).
        const page = shownTask();
        if (page?.id === row.id && row.revision > page.revision) {
          if (page.dirty()) {
            const d = await get<TaskDetail>(`/api/task?id=${encodeURIComponent(row.id)}`);
            say(`${await conflictWords(d.task, page.task)} Your unsaved edits are still in the form; a save puts them on top if they touch other fields than that change, and is refused if they touch the same ones (you would see both versions first).`, 'error');
          } else await redrawShown(page);
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

/**
 * The open task page drawn again in place: focus stays where the person has it when it is drawn (the page
 * puts it back itself, caret and all), never dropped on the body.
 */
async function redrawShown(page: ShownTask): Promise<void> {
  const view = $('task-view');
  const wasIn = view.contains(document.activeElement);
  await page.redraw();
  if (wasIn && !view.contains(document.activeElement)) document.getElementById('task-title')?.focus({ preventScroll: true });
}

/**
 * After the board was read again (plans created, renamed or deleted; a restore): the open task page
 * follows too (its plan menu lists the flow's plans), unless the person has unsaved edits there; a task
 * that is gone meanwhile is said so either way.
 */
async function followShownTask(): Promise<void> {
  const page = shownTask();
  if (!page) return;
  // Deleted (the stream said so, and who): said so, rather than read again as "no task".
  if (deletedBy.has(page.id)) return page.gone(deletedBy.get(page.id) || undefined);
  if (!page.dirty()) return redrawShown(page);
  await get<TaskDetail>(`/api/task?id=${encodeURIComponent(page.id)}`).catch((e: unknown) => {
    if (e instanceof Refused && e.error.code === 'not_found') return page.gone();
    throw e;
  });
}

export async function refreshBriefing(): Promise<void> {
  const view = $('briefing-view');
  if (view.hidden || state.signedOut) return;
  const focused = view.contains(document.activeElement);
  const y = window.scrollY;
  await renderBriefingPage(view, state.board?.flow_id ?? null);
  window.scrollTo(0, y);
  if (focused) (view.querySelector('h2') as HTMLElement | null)?.focus({ preventScroll: true });
}

/**
 * Claims that ran out since the page last looked: the task rows learn it (the card says "claim ran out")
 * and an open briefing is drawn again (it would still say "claimed by …").
 */
export function expireClaims(): void {
  const now = serverNow();
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
