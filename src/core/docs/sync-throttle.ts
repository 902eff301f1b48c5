// Noticing files edited outside flowmcp costs a stat per indexed file; searches in a burst share one check.
import { syncFiles, type IndexReport } from './project-index.js';
import type { Workspace, Ctx } from '../kernel/workspace.js';

const INTERVAL_MS = 2000;
const last = new WeakMap<Workspace, number>();

export function syncIfStale(ctx: Ctx): IndexReport | undefined {
  const now = Date.now();
  if (now - (last.get(ctx.ws) ?? 0) < INTERVAL_MS) return undefined;
  last.set(ctx.ws, now);
  return syncFiles(ctx);
}
