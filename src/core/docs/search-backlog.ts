// Catching search up with rows written without their entries (a big import writes the record first
// and leaves the search index to this pass, so a million imported tasks are queryable in seconds).
// Slices of SLICE rows, each one write transaction (entries + watermark together): a pass killed at
// any point resumes from its last commit, and other writers get the lock between slices. A server runs
// the pass beside its calls and its searches say they are catching up; a one-shot command that needs
// the index (search, import) finishes it first.
import { addChunks } from '../../store/chunks.js';
import { advanceBacklog, backlogRows, backlogSize, type BacklogKind } from '../../store/search-backlog.js';
import { recordChunk } from '../../search/prepare.js';
import { log } from '../../log.js';
import { nextTurn } from '../../background-turns.js';
import { isFlowError } from '../../model/errors.js';
import { testPause } from '../kernel/test-pause.js';
import { isLongRunning } from '../kernel/long-running.js';
import type { Call, Workspace } from '../kernel/workspace.js';

/** Rows per transaction: ~20 ms of the write lock at most here (measured ~7 µs a task). */
const SLICE = 2000;

interface State {
  running?: Promise<void>;
  /** This process was refused a write (.flow/ read-only for it, however it was opened): it stops trying. */
  cannotWrite?: boolean;
}
const states = new WeakMap<Workspace, State>();
function stateOf(ws: Workspace): State {
  let s = states.get(ws);
  if (!s) states.set(ws, (s = {}));
  return s;
}

/** Indexes one slice; returns how many rows it looked at (0: nothing left). */
export function indexBacklogSlice(call: Call, limit = SLICE): number {
  return call.ws.write(() => {
    let seen = 0;
    for (const kind of ['plan', 'task'] as BacklogKind[]) {
      const rows = backlogRows(call.ws.db, kind, limit - seen);
      for (const r of rows) if (!r.indexed) addChunks(call.ws.db, kind, r.id, recordChunk(r.title, r.text));
      // Fewer than asked: this kind is done (rows written meanwhile moved the watermark back themselves).
      advanceBacklog(call.ws.db, kind, rows.length < limit - seen ? undefined : rows[rows.length - 1]!.rowid);
      seen += rows.length;
      if (seen >= limit) break;
    }
    return seen;
  });
}

/** Rows still waiting for their search entries (an upper bound: some may have them already). */
export function searchBacklog(call: Call): number {
  const s = backlogSize(call.ws.db);
  return s.task + s.plan;
}

/** The whole pass, now (a one-shot command that needs the index), with progress for whoever watches. */
export function catchUpSearch(call: Call): number {
  const total = searchBacklog(call);
  // Stryker disable next-line ConditionalExpression: with nothing waiting the loop below ends at its first slice, which finds nothing
  if (!total) return 0;
  let done = 0;
  for (;;) {
    const n = indexBacklogSlice(call);
    if (!n) break;
    done += n;
    call.progress?.(Math.min(done, total), total, 'indexing for search');
    // Stryker disable next-line StringLiteral: the name of a test-only pause point, used by tests that run flowmcp as a process
    testPause('search-backlog-slice');
  }
  if (done < total) call.progress?.(total, total, 'indexing for search');
  return done;
}

/** Starts the pass beside the calls if there is a backlog and none runs; slices yield to other work between them. */
export function catchUpInBackground(call: Call): void {
  const st = stateOf(call.ws);
  if (st.running || !call.ws.db.open || call.ws.readOnly || st.cannotWrite || !searchBacklog(call)) return;
  const run = (async () => {
    while (call.ws.db.open && indexBacklogSlice(call) > 0) {
      // Stryker disable next-line StringLiteral: the name of a test-only pause point, used by tests that run flowmcp as a process
      testPause('search-backlog-slice');
      await nextTurn();
    }
  })();
  st.running = run
    .catch((e: unknown) => {
      if (isFlowError(e) && e.code === 'read_only') st.cannotWrite = true;
      else if (call.ws.db.open) log.warn(`indexing imported rows for search stopped: ${(e as Error).message}; the next search resumes it`);
    })
    .finally(() => (st.running = undefined));
}

/**
 * Before a search: a one-shot command finishes the pass so its answer is whole; a server answers from
 * the index as it is, keeps the pass going, and says so in a note.
 */
export function searchBacklogNote(call: Call): string | undefined {
  const st = stateOf(call.ws);
  if (!call.ws.readOnly && !st.cannotWrite && !isLongRunning(call.ws)) {
    try {
      catchUpSearch(call);
      return undefined;
    } catch (e) {
      // SQLite may open a file it cannot write without a word, and refuse only the first write.
      if (!(isFlowError(e) && e.code === 'read_only')) throw e;
      st.cannotWrite = true;
    }
  }
  if (call.ws.readOnly || st.cannotWrite) {
    // This process cannot write the entries: the search answers from the index as it is, and says so.
    const left = searchBacklog(call);
    return left
      ? `${left} imported task(s) and plan(s) are not in the search index yet, and this process cannot add them (.flow/ is read-only for it); any flowmcp process that can write .flow/ (a search, a server) indexes them`
      : undefined;
  }
  const left = searchBacklog(call);
  if (!left) return undefined;
  catchUpInBackground(call);
  return `search is still indexing ${left} imported task(s) and plan(s) in the background; they may be missing from these results until it finishes`;
}

/**
 * After an import: a small backlog (one slice) is indexed at once, whoever imported; a bigger one is
 * caught up beside a server's calls, or left to the one-shot command that imported (which shows
 * progress) and to the next search.
 */
export function catchUpAfterImport(call: Call): void {
  const left = searchBacklog(call);
  // Stryker disable next-line ConditionalExpression: with nothing left catchUpSearch returns at once
  if (!left) return;
  if (left <= SLICE) catchUpSearch(call);
  else if (isLongRunning(call.ws)) catchUpInBackground(call);
}
