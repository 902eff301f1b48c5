// Whether a long-running face (a server, the shell) has this workspace open, rather than a one-shot
// command. Slow upkeep — checking indexed files, indexing rows an import left for later, loading the
// vector screen — then runs beside the calls instead of before the answer that needs it, and a first
// search in a big project answers at once. One flag for every such decision, set once when the face
// opens the project.
import type { Workspace } from './workspace.js';

const longRunning = new WeakSet<Workspace>();

export function markLongRunning(ws: Workspace): void {
  longRunning.add(ws);
}

export function isLongRunning(ws: Workspace): boolean {
  return longRunning.has(ws);
}
