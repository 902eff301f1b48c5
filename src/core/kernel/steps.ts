// Long work written once, as a generator that yields where it may pause (after a committed part, never
// inside a transaction), and run two ways: straight through (a one-shot command, a test) or in turns
// with everything else on the event loop (a server, where one caller must never stall the others).
import { testPauseTurn } from './test-pause.js';
import { immediateTurn } from '../../background-turns.js';

/** Work that may pause at each `yield`, which names the kind of pause; its result is the generator's return value. */
export type Steps<T> = Generator<string, T, void>;

/** Runs the work to its end without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * Runs the work, handing the event loop on at every pause (after pending I/O, so other callers'
 * requests are read and answered in between). Tests can hold it at `<point>.<pause>` (test-pause.ts).
 */
export async function runStepsInTurns<T>(steps: Steps<T>, point: string): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await immediateTurn();
    await testPauseTurn(`${point}.${r.value}`);
  }
}
