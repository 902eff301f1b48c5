// Which view the address asks for: the board (its filters in the address), a task (#/task/<id>), a
// document (#/doc/<id>), search, the briefing or the snapshot timeline. Focus goes to the view's heading
// after a navigation.
import { get, Refused } from './api.js';
import { boardAddress, boardFilterOf, NO_FILTER, setBoardHref } from './address.js';
import { createFollowsFilter, focusTask, layout } from './board.js';
import { boardUrl, loadBoard, open, reloadBoard } from './board-feed.js';
import { renderBriefingPage } from './briefing-page.js';
import { clearNotices, say } from './notices.js';
import { showRefusal } from './refusal.js';
import { renderSearchPage } from './search-page.js';
import { renderSnapshotsPage } from './snapshots-page.js';
import { $, state, VIEWS } from './state.js';
import { renderDocumentPage, renderTaskPage, shownTask } from './task-page.js';
import { rowOf, STATUSES, type Board } from './types.js';

/** Whether the person has navigated since the page loaded (a hash change). */
let navigated = false;

export function navigatedOnce(): void {
  navigated = true;
}

function show(view: string): void {
  for (const v of VIEWS) $(v).hidden = v !== view;
  if (view !== 'snapshots-view') open.snapshots = undefined;
  if (view !== 'search-view') open.search = undefined;
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

export async function route(): Promise<void> {
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
    open.search = renderSearchPage($('search-view'), state.board?.flow_id ?? null, q);
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
      onRestored: () => void reloadBoard().catch(showRefusal),
      onRefused: (e) => showRefusal(e),
    });
    if (!$('snapshots-view').hidden) open.snapshots = page;
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
        // On the board only when it shows the task's flow (a task opened from search may be of another).
        if (t.flow_id === state.board?.flow_id) {
          state.tasks.set(t.id, rowOf(t));
          layout();
        }
        clearNotices();
        say(words ?? `Saved "${t.title}" (revision ${t.revision}).`);
      },
      onRefused: (e, id, before) => showRefusal(e, id, before),
      // The board's own plans and tasks when it shows the task's flow (kept current by the stream), else read.
      flowParts: async (flowId) =>
        state.board?.flow_id === flowId ? { plans: state.board.plans, tasks: [...state.tasks.values()] } : get<Board>(boardUrl(flowId)).then((b) => ({ plans: b.plans, tasks: b.tasks })),
      onSteered: (t, words) => {
        if (t.flow_id === state.board?.flow_id) state.tasks.set(t.id, rowOf(t));
        layout();
        clearNotices();
        say(words);
      },
      onSteerRefused: (e, words) => {
        // A session gone, a storage fault or a refusal no words here cover: said as the server put it.
        if (words === undefined || (e instanceof Refused && e.status === 401)) return showRefusal(e);
        say(words, 'error');
      },
    });
    focusView('task-view');
    return;
  }
  // The board: its filters come from the address (a reload, Back or a shared link keeps them).
  const f = boardFilterOf(hash) ?? { ...NO_FILTER };
  // A filter the link names that this board does not know is dropped, and the page says which.
  state.unknownFilters = [];
  if (f.status && !(STATUSES as readonly string[]).includes(f.status)) {
    state.unknownFilters.push(`The link's status "${f.status}" is not a status (${STATUSES.join(', ')}): not filtered by status.`);
    f.status = '';
  }
  const flowChanged = f.flow !== '' && f.flow !== state.board?.flow_id;
  state.filter = { ...f, flow: f.flow || state.filter.flow };
  if (flowChanged) await loadBoard(f.flow);
  else {
    ($('plan') as HTMLSelectElement).value = state.filter.plan;
    if (($('plan') as HTMLSelectElement).value !== state.filter.plan) {
      state.unknownFilters.push(`The link's plan "${state.filter.plan}" is no plan of this flow: not filtered by plan.`);
      state.filter.plan = '';
    }
    ($('status') as HTMLSelectElement).value = state.filter.status;
    const text = $('text') as HTMLInputElement;
    if (text.value.trim() !== state.filter.text) text.value = state.filter.text;
    layout();
  }
  createFollowsFilter();
  setBoardHref(boardAddress(state.filter));
  // Back from a task page: focus goes to that task's card when the board shows it (where the person was).
  const fromTask = /^#\/task\/(.+)$/.exec(previousHash);
  const fromId = fromTask ? decoded(fromTask[1]!) : undefined;
  if (navigated && fromId !== undefined && focusTask(fromId)) return;
  focusView('board-view');
}
