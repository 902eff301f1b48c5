// The flowmcp web page: a board of one flow's tasks (board.ts, columns by status, grouped by plan,
// filters in the address), a task page, search, briefing and snapshots (router.ts), live through the
// event stream (board-feed.ts, live.ts); a signed-out state once the session is gone (signed-out.ts).
// Plain DOM, no framework: every piece of text from the project goes in as text (dom.ts), and the page
// runs under a CSP with no inline script or style. This file wires the controls and starts the page.
import { send, startSession } from './api.js';
import { boardFilterOf } from './address.js';
import { card, createFollowsFilter, filtersToAddress, layout, tickClaims } from './board.js';
import { createTask, setStatus } from './board-actions.js';
import { expireClaims, loadBoard } from './board-feed.js';
import { Column } from './column.js';
import { clear, h } from './dom.js';
import { clearNotices, hideAlert } from './notices.js';
import { showRefusal } from './refusal.js';
import { navigatedOnce, route } from './router.js';
import { SIGNED_OUT_HERE, signedOutView } from './signed-out.js';
import { $, columns, state } from './state.js';
import { refreshTaskClaim } from './task-page.js';
import { PRIORITIES, STATUS_LABEL, STATUSES, type Status } from './types.js';

/**
 * How often claims are looked at against the clock: every second, so a claim under a minute counts down
 * by the second and never shows time left after its lease ended (only the text of the claims in view
 * is touched, and only when it changes: cheap).
 */
const CLAIM_TICK_MS = 1_000;

const move = (id: string, status: Status) => void setStatus(id, status);

function wire(): void {
  const cols = $('columns');
  clear(cols);
  for (const s of STATUSES) {
    const c = new Column(s, STATUS_LABEL[s], (t) => card(t, move));
    columns.set(s, c);
    cols.append(c.root);
    c.root.addEventListener('dragover', (e) => e.preventDefault());
    c.root.addEventListener('drop', (e) => {
      e.preventDefault();
      const id = e.dataTransfer?.getData('text/x-flowmcp-task');
      if (id) move(id, s);
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
  // A filter changed by the person: the board narrows at once and the address keeps it.
  const filterBy = (key: 'plan' | 'status' | 'text', read: () => string) => () => {
    state.unknownFilters = [];
    state.filter[key] = read();
    layout();
    filtersToAddress();
  };
  $('plan').addEventListener('change', () => {
    filterBy('plan', () => ($('plan') as HTMLSelectElement).value)();
    createFollowsFilter();
  });
  $('new-plan').addEventListener('change', () => {
    const p = state.board?.plans.find((x) => x.id === ($('new-plan') as HTMLSelectElement).value);
    state.newPlan = p && { id: p.id, title: p.title };
  });
  $('status').addEventListener('change', filterBy('status', () => ($('status') as HTMLSelectElement).value));
  $('text').addEventListener('input', filterBy('text', () => ($('text') as HTMLInputElement).value.trim()));
  $('filters').addEventListener('submit', (e) => e.preventDefault());
  ($('status') as HTMLSelectElement).append(...STATUSES.map((s) => h('option', { value: s }, STATUS_LABEL[s])));
  ($('new-priority') as HTMLSelectElement).append(...PRIORITIES.map((p) => h('option', { value: p, selected: p === 'medium' }, p)));
  $('create').addEventListener('submit', (e) => {
    e.preventDefault();
    createTask();
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
    navigatedOnce();
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
