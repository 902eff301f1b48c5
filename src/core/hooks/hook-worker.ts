// Who delivers post hooks (delivery.ts): every long-running process (stdio and HTTP servers, the
// shell) runs a worker in the background — a cheap poll of the event log on an unref'd timer, nudged
// after this process's own changes, one delivery pass per hook at a time, all asynchronous, so no
// MCP answer waits on a hook. A one-shot CLI command delivers what is pending within a short budget
// before it exits and leaves the rest to the next process.
import { log } from '../../log.js';
import { releaseLeasesOf } from '../../store/hooks.js';
import type { Workspace } from '../kernel/workspace.js';
import { runnableHooks, type LoadedHook } from './hook-config.js';
import { drainHook, OWNER } from './delivery.js';
import { registerWorker, workerOf } from './hook-nudge.js';

const POLL_MS = 500;

/** The background deliverer of a long-running process: polls the log (cheaply), nudged after local changes. */
export class HookWorker {
  private readonly running = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private told = '';
  /** What each hook's last pass failed with, if it failed: said once. */
  private readonly failing = new Map<string, string>();

  constructor(private readonly ws: Workspace) {}

  start(): this {
    if (this.ws.readOnly) return this;
    this.timer = setInterval(() => this.tick(), POLL_MS);
    this.timer.unref();
    this.nudge();
    return this;
  }

  nudge(): void {
    if (!this.timer) return;
    setImmediate(() => this.tick()).unref();
  }

  private tick(): void {
    if (this.abort.signal.aborted || !this.ws.db.open) return;
    let hooks: LoadedHook[];
    try {
      hooks = runnableHooks(this.ws, 'post');
    } catch (e) {
      const m = (e as Error).message;
      if (m !== this.told) log.warn(`hooks: ${m}`);
      this.told = m;
      return;
    }
    for (const h of hooks) {
      const name = h.def.name;
      if (this.running.has(name)) continue;
      // A pass that fails the same way every poll (a damaged row) is said once, not twice a second; again
      // after a pass that went through.
      const p = drainHook(this.ws, h, { signal: this.abort.signal })
        .then(
          () => {
            this.failing.delete(name);
          },
          (e: unknown) => {
            const m = (e as Error).message;
            if (this.ws.db.open && this.failing.get(name) !== m) log.warn(`hook ${name}: delivery stopped: ${m}`);
            this.failing.set(name, m);
          },
        )
        .finally(() => this.running.delete(name));
      this.running.set(name, p);
    }
  }

  /** Stops delivering: programs in flight are killed, requests dropped, this process's leases let go. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.abort.abort();
    try {
      if (this.ws.db.open && !this.ws.readOnly) this.ws.write(() => releaseLeasesOf(this.ws.db, OWNER));
    } catch {
      // the leases expire by themselves
    }
  }
}

/** Starts the background worker for a long-running process's workspace; stopped when it closes. */
export function startHookWorker(ws: Workspace): HookWorker {
  let w = workerOf<HookWorker>(ws);
  if (w) return w;
  w = new HookWorker(ws).start();
  registerWorker(ws, w);
  ws.onClose(() => w!.stop());
  return w;
}

/**
 * For one-shot commands: delivers what is pending for up to `budgetMs` (Infinity: `flowmcp hooks
 * deliver`, until nothing is pending or a hook fails, each run bounded by its timeout), then stops (a program or
 * request still in flight is stopped and delivered again by the next process that runs).
 */
export async function deliverPending(ws: Workspace, budgetMs: number): Promise<void> {
  if (ws.readOnly || workerOf(ws)) return;
  let hooks: LoadedHook[];
  try {
    hooks = runnableHooks(ws, 'post');
  } catch {
    return;
  }
  if (!hooks.length) return;
  const abort = new AbortController();
  const timer = budgetMs === Infinity ? undefined : setTimeout(() => abort.abort(), budgetMs);
  const until = budgetMs === Infinity ? undefined : Date.now() + budgetMs;
  try {
    await Promise.all(hooks.map((h) => drainHook(ws, h, { signal: abort.signal, ...(until !== undefined ? { until } : {}) }).catch((e: unknown) => log.warn(`hook ${h.def.name}: ${(e as Error).message}`))));
  } finally {
    clearTimeout(timer);
  }
}
