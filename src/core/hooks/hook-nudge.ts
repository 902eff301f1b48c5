// The post-hook worker of a long-running process, as far as the rest of the code needs it: something
// to nudge after a change. Apart from hook-worker.ts so that every tool call can nudge without loading
// the hook machinery (a one-shot command has no worker and usually no hooks).
import type { Workspace } from '../kernel/workspace.js';

const workers = new WeakMap<Workspace, { nudge(): void }>();

/** Called by hook-worker.ts when it starts a workspace's worker. */
export function registerWorker(ws: Workspace, worker: { nudge(): void }): void {
  workers.set(ws, worker);
}

/** The worker started for this workspace, if any. */
export function workerOf<W extends { nudge(): void }>(ws: Workspace): W | undefined {
  return workers.get(ws) as W | undefined;
}

/** How many events the workspace had recorded when its worker was last nudged. */
const nudgedAt = new WeakMap<Workspace, number>();

/** Tells this process's worker (if it has one) that something changed: only if an event was recorded since the last nudge. */
export function nudgeHooks(ws: Workspace): void {
  const worker = workers.get(ws);
  if (!worker || nudgedAt.get(ws) === ws.eventsRecorded) return;
  nudgedAt.set(ws, ws.eventsRecorded);
  worker.nudge();
}
