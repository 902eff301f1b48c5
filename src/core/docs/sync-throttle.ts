// Noticing files edited outside flowmcp, without putting the check on a search's path in a big project.
// The check costs an lstat per indexed file (file-stamps.ts), so it runs at most every INTERVAL_MS and
// reads at most SEARCH_BUDGET new or changed files per pass (a cloned repository may have planted
// thousands in .flow/documents/); what is left is picked up by the next passes, each search saying so.
// - Up to INLINE_FILES indexed files a due check runs before the search answers: a few milliseconds,
//   and the answer reflects an edit made just before it.
// - Above, a due check runs beside the searches (cooperatively: it yields every few ms) and searches
//   answer from the index as it is; a long-running server starts the first check when it opens the project.
// - A one-shot CLI search has no earlier check to lean on: its first check always runs before it answers.
import { countDocuments } from '../../store/documents.js';
import { syncFiles, type IndexReport } from './project-index.js';
import { isLongRunning } from '../kernel/long-running.js';
import type { Workspace, Call } from '../kernel/workspace.js';
import { log } from '../../log.js';
import { nextTurn } from '../../background-turns.js';

const INTERVAL_MS = 2000;
/** Most files one pass reads and (re)indexes. */
export const SEARCH_BUDGET = 50;
/** Up to this many indexed files, a search waits for a due check (measured: ~7 ms per 1,000 files). */
export const INLINE_FILES = 1000;

interface State {
  last: number;
  /** Files the last pass left for later (0: the index was up to date when it ended). */
  pending: number;
  /** Indexed files, as of the last pass (counted once before the first). */
  files: number;
  /** A check has been started in this process. */
  started: boolean;
  running?: Promise<IndexReport>;
}
const states = new WeakMap<Workspace, State>();

export interface SyncNote {
  /** Set when the index is still catching up with the files: said in the search result. */
  note?: string;
}

function stateOf(ws: Workspace): State {
  let st = states.get(ws);
  if (!st) states.set(ws, (st = { last: 0, pending: 0, files: countDocuments(ws.db), started: false }));
  return st;
}

function catchingUp(st: State): SyncNote {
  return st.pending
    ? { note: `indexing is catching up: ${st.pending} new or changed file(s) not indexed yet; later searches (or document reindex) index them` }
    : {};
}

/**
 * `after`: the pass begins once that has settled (the search that started it has answered: a search
 * awaits its reads, and a pass stepping between them made a first search at 100k sections ~70 ms
 * slower) and the turn of the event loop that settled it is over; without it, at once.
 */
function startCheck(call: Call, st: State, after?: PromiseLike<unknown>): Promise<IndexReport> {
  st.last = call.ws.clock.now().getTime();
  st.started = true;
  const begin = after ? Promise.resolve(after).then(nextTurn, nextTurn) : Promise.resolve();
  // Beside the calls (started after a search's answer, or by a server opening the project), its slices
  // give way to them too (a small project's search that finds it running waits that much longer, ≤ 2 ms
  // a slice); one a search starts and awaits takes its slices at once.
  const run = begin.then(() => syncFiles(call, { budget: SEARCH_BUDGET, ...(after ? { turn: nextTurn } : {}) })).then(
    (report) => {
      st.pending = report.pending ?? 0;
      st.files = report.unchanged + report.indexed.length + st.pending;
      return report;
    },
  );
  st.running = run;
  // Cleared in both outcomes, so a failed pass is retried by a later search.
  run.then(
    () => (st.running = undefined),
    () => (st.running = undefined),
  );
  return run;
}

function inBackground(call: Call, run: Promise<unknown>): void {
  run.catch((e: unknown) => {
    // A server or CLI closing the project mid-pass is not a failure worth saying.
    if (call.ws.db.open) log.warn(`checking indexed files for changes failed: ${(e as Error).message}; the next search tries again`);
  });
}

/**
 * Brings the index up to date with the files if the last check is older than INTERVAL_MS (or left work
 * behind), within SEARCH_BUDGET files: before the search answers in a small project, beside it in a
 * big one, from when `answered` settles (the search's answer). A search arriving while a check runs
 * never starts a second one.
 */
export async function syncIfStale(call: Call, answered: PromiseLike<unknown> = Promise.resolve()): Promise<SyncNote> {
  const st = stateOf(call.ws);
  // A server's first search in a big project does not wait either: the check goes beside it (or its warm-up's runs).
  const wait = st.files <= INLINE_FILES || !(st.started || isLongRunning(call.ws));
  if (st.running) {
    if (wait) await st.running.catch(() => undefined);
    return catchingUp(st);
  }
  if (st.pending === 0 && call.ws.clock.now().getTime() - st.last < INTERVAL_MS) return {};
  if (!wait) {
    // Stryker disable next-line BooleanLiteral: starting the pass this turn or the next only moves when it begins; it yields every few ms either way
    inBackground(call, startCheck(call, st, answered));
    return catchingUp(st);
  }
  await startCheck(call, st);
  return catchingUp(st);
}

/** A long-running face starts a first check soon after it opens the project, so no search pays for it. */
export function checkFilesInBackground(call: Call): void {
  const st = stateOf(call.ws);
  if (!st.running) inBackground(call, startCheck(call, st, Promise.resolve()));
}
