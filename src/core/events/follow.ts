// Following the event log from a position: every event after `since`, in order, each exactly once,
// written by this process or any other. A follower keeps only its position: events wait in the log, not
// in memory, and the next page is read only once the consumer has taken the last one (the SSE stream
// waits for its socket to drain), so a slow consumer costs one page, however far behind it falls.
import type { Workspace } from '../kernel/workspace.js';
import { eventsSince, newestSeq, pageEnd, type EventFilter, type StreamEvent } from '../kernel/event-log.js';
import { watchEvents } from './watch.js';
import { immediateTurn } from '../../background-turns.js';

/** Events read at a time. */
export const PAGE = 200;
/** And at most this much of their text, unless one event alone is more. */
export const PAGE_BYTES = 256 * 1024;

export interface Follower {
  /** The seq of the last event handed over (or skipped by the filter). */
  position(): number;
  stop(): void;
}

export interface FollowOptions {
  /** Start after this seq. */
  since: number;
  filter?: EventFilter;
  /** A fault reading the log or in the consumer: the follower stops. */
  onError(e: unknown): void;
}

/** Hands `deliver` every event after `since`, a page at a time; waits when it returns a promise. */
export function followEvents(ws: Workspace, opts: FollowOptions, deliver: (events: StreamEvent[]) => void | Promise<void>): Follower {
  let cursor = opts.since;
  let running = false;
  // Stryker disable next-line BooleanLiteral: read only after a round, and every round starts by setting it false
  let again = false;
  let stopped = false;

  const pump = async (): Promise<void> => {
    if (running) {
      again = true; // the round under way reads on after it is done
      return;
    }
    running = true;
    try {
      do {
        again = false;
        const upTo = newestSeq(ws.db);
        while (!stopped) {
          const end = pageEnd(ws.db, cursor, upTo, PAGE, PAGE_BYTES);
          const page = eventsSince(ws.db, cursor, end, PAGE, opts.filter);
          if (page.length) {
            const waiting = deliver(page);
            if (waiting) await waiting;
          }
          if (page.length < PAGE) {
            // Everything up to end is seen, matched or not.
            cursor = Math.max(cursor, end);
            if (end >= upTo) break;
          } else cursor = page[page.length - 1]!.seq;
          // A long backlog is read a page per turn of the event loop: others' requests go in between.
          await immediateTurn();
        }
      } while (again && !stopped);
    } catch (e) {
      stop();
      opts.onError(e);
    } finally {
      running = false;
    }
  };

  const unwatch = watchEvents(ws, () => void pump());
  const stop = () => {
    stopped = true;
    unwatch();
  };
  void pump(); // catch up with what is already in the log
  return { position: () => cursor, stop };
}
