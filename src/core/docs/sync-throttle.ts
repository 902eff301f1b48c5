// Noticing files edited outside flowmcp costs a stat per indexed file; searches in a burst share one
// check. A search never does unbounded indexing work: it reads at most SEARCH_BUDGET new or changed files
// (a cloned repository may have planted thousands in .flow/documents/), the check yields to other
// callers as it goes, and what is left is picked up by the next searches — each saying so in its notes.
import { syncFiles, type IndexReport } from './project-index.js';
import type { Workspace, Call } from '../kernel/workspace.js';

const INTERVAL_MS = 2000;
/** Most files one search reads and (re)indexes before answering. */
export const SEARCH_BUDGET = 50;

interface State {
  last: number;
  /** Files the last pass left for later (0: the index was up to date when it ended). */
  pending: number;
  running?: Promise<IndexReport>;
}
const states = new WeakMap<Workspace, State>();

export interface SyncNote {
  report?: IndexReport;
  /** Set when the index is still catching up with the files: said in the search result. */
  note?: string;
}

function catchingUp(pending: number): string {
  return `indexing is catching up: ${pending} new or changed file(s) not indexed yet; later searches (or document reindex) index them`;
}

/**
 * Brings the index up to date with the files if the last check is older than INTERVAL_MS (or left work
 * behind), within SEARCH_BUDGET files. A search arriving while another one's check runs does not wait
 * for it, nor start a second one: it answers with the index as it is, and says so.
 */
export async function syncIfStale(call: Call): Promise<SyncNote> {
  let st = states.get(call.ws);
  if (!st) states.set(call.ws, (st = { last: 0, pending: 0 }));
  if (st.running) return st.pending ? { note: catchingUp(st.pending) } : {};
  const now = Date.now();
  if (st.pending === 0 && now - st.last < INTERVAL_MS) return {};
  st.last = now;
  const state = st;
  const run = syncFiles(call, { budget: SEARCH_BUDGET });
  state.running = run;
  try {
    const report = await run;
    state.pending = report.pending ?? 0;
    return state.pending ? { report, note: catchingUp(state.pending) } : { report };
  } finally {
    state.running = undefined;
  }
}
