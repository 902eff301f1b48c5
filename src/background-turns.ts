// When a server's background work (the search warm-up, file checks, cache files read and written in
// slices) takes its next slice: after the calls. A slice holds the event loop for up to a few ms, and a
// request that arrives meanwhile waits for it to end. A client calling back to back sends its next request
// a fraction of a millisecond after an answer, so with slices run one after another it waited most of a
// slice on every call (measured at 100k tasks on a first start: `task get` p50 ~0.3 → ~0.8 ms for the
// ~2.5 s the text index took to build). So a slice does not start within QUIET_MS of a call's answer,
// unless it has waited MAX_WAIT_MS: under a stream of calls the work still goes on, a slice in a while.
// Measured (100k tasks, first start, a client calling `task get` back to back, two interleaved pairs):
// p50 during the warm-up 0.75–0.88 → 0.27–0.31 ms (0.26–0.29 once it is done), p95 1.4–1.7 → 1.0–1.3 ms;
// the price: under calls that never pause the text index took 11–12 s to build instead of 3.3–3.9 s
// (searches meanwhile are answered by FTS5). Calls that come with pauses between them cost it nothing.

/** What background work does between two slices: hand the event loop on (to the calls first). */
export type Turn = () => Promise<void>;

/** How long after a call was answered the next request is likely still on its way (stdio or loopback HTTP). */
const QUIET_MS = 2;
/** The longest a slice waits for calls to pause: the work's share when they never do. */
const MAX_WAIT_MS = 2;

let lastAnswer = -Infinity;

/** A call was answered (every face's calls go through tools/dispatch.ts, which says so). */
export function callAnswered(): void {
  lastAnswer = performance.now();
}

/** Whether a slice asked for at `asked` may start at `now`, the last call having been answered at `lastAnswer`. */
export function turnDue(now: number, asked: number, last = lastAnswer): boolean {
  return now - last >= QUIET_MS || now - asked >= MAX_WAIT_MS;
}

/** A turn of background work: pending I/O and other callers' work run before this resolves, and calls just answered get a pause. */
export const nextTurn: Turn = () =>
  new Promise<void>((resolve) => {
    const asked = performance.now();
    const go = () => {
      const now = performance.now();
      if (turnDue(now, asked)) resolve();
      // Referenced: a one-shot command that awaits this must not exit before it resolves (2 ms at most).
      else setTimeout(go, Math.max(1, Math.ceil(Math.min(QUIET_MS - (now - lastAnswer), MAX_WAIT_MS - (now - asked)))));
    };
    setImmediate(go);
  });

/**
 * A turn with no pause for calls, only pending I/O and other callers' work first: a caller's own work in
 * slices (a search's reads, an import, indexing it asked for), and loops that keep their own pace.
 */
export const immediateTurn: Turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** For tests: the waits this module keeps to. */
export const TURN_WAITS = { QUIET_MS, MAX_WAIT_MS };
