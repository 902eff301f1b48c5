// Noticing new events, whichever process wrote them: one poller per open workspace in this process,
// shared by every follower (CLI --follow, SSE streams, the resource-subscription notifier). Another
// process's commit reaches this connection only through the database file, so it is polled: the newest
// seq, one lookup at the end of the events b-tree, every POLL_MS while anyone listens. The timer is
// unref'd (it never keeps a process alive) and stops when the last listener leaves.
import type { Workspace } from '../kernel/workspace.js';
import { newestSeq } from '../kernel/event-log.js';
import { log } from '../../log.js';

/** How often the newest seq is read while anyone follows: well under a person's notice, microseconds of work. */
export const POLL_MS = 150;

type Listener = (newest: number) => void;

interface Poller {
  listeners: Set<Listener>;
  timer?: NodeJS.Timeout;
  newest: number;
  failing: boolean;
}

const pollers = new WeakMap<Workspace, Poller>();

function tick(ws: Workspace, p: Poller): void {
  if (!ws.db.open) return stop(p);
  let newest: number;
  try {
    newest = newestSeq(ws.db);
  } catch (e) {
    // A storage fault (a busy or damaged file) is said once and retried; followers keep their place.
    if (!p.failing) log.warn(`event stream: cannot read the event log (${(e as Error).message}); retrying`);
    p.failing = true;
    return;
  }
  p.failing = false;
  if (newest === p.newest) return;
  p.newest = newest;
  for (const l of [...p.listeners]) {
    try {
      l(newest);
    } catch (e) {
      log.error(`event stream: a follower failed: ${(e as Error).stack ?? String(e)}`);
    }
  }
}

function stop(p: Poller): void {
  clearInterval(p.timer);
  p.timer = undefined;
}

/**
 * Calls `listener` with the newest seq whenever it grows (or changes at all: a log that went back means
 * the database was replaced, which followers must hear about too). Returns the function that stops it.
 */
export function watchEvents(ws: Workspace, listener: Listener): () => void {
  let p = pollers.get(ws);
  if (!p) {
    // Stryker disable next-line UnaryOperator: a new poller has no timer yet, so newest is set again below before any poll reads it
    p = { listeners: new Set(), newest: -1, failing: false };
    pollers.set(ws, p);
  }
  const poller = p;
  poller.listeners.add(listener);
  if (!poller.timer) {
    poller.newest = -1; // the first tick tells the newcomer where the log stands
    poller.timer = setInterval(() => tick(ws, poller), POLL_MS);
    poller.timer.unref();
  }
  return () => {
    poller.listeners.delete(listener);
    if (poller.listeners.size === 0) stop(poller);
  };
}
