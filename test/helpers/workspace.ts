// A real workspace on disk in a fresh temp directory, with an optional hand-driven clock.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../../src/core/kernel/clock.js';
import { afterEach } from 'vitest';
import { Workspace, type Call } from '../../src/core/kernel/workspace.js';
import { tempDir } from './temp.js';

export interface TempWorkspace {
  dir: string;
  ws: Workspace;
  call: Call;
  /** Another client session on the same workspace. */
  newCtx(agent?: string): Call;
  cleanup(): void;
}

// Folders made here are removed when the test file ends at the latest (see temp.ts).
export { tempDir } from './temp.js';

export function tempWorkspace(opts: { clock?: Clock; dir?: string } = {}): TempWorkspace {
  const dir = opts.dir ?? tempDir();
  const ws = Workspace.open(dir, { clock: opts.clock });
  return {
    dir,
    ws,
    call: { ws, session: ws.session('test-agent') },
    newCtx: (agent = 'other-agent') => ({ ws, session: ws.session(agent) }),
    cleanup: () => {
      ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Every row of every table, for "nothing changed" assertions. */
export function dumpDb(ws: Workspace): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const t of ['flows', 'plans', 'tasks', 'task_deps', 'events', 'settings', 'documents', 'document_links', 'chunks', 'embeddings', 'embedding_bits', 'vector_progress', 'context_entries', 'context_state', 'snapshots']) {
    out[t] = ws.db.prepare(`SELECT * FROM ${t} ORDER BY 1, 2`).all();
  }
  return out;
}

/** A maker of scratch directories that are removed after each test of the calling file. */
export function tempDirPerTest(prefix?: string): () => string {
  const made: string[] = [];
  afterEach(() => {
    for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = tempDir(prefix);
    made.push(d);
    return d;
  };
}

/** Writes a value as JSON into a file of that name, in a folder of its own removed after the test; answers the file's path. */
export function jsonFilePerTest(): (name: string, value: unknown) => string {
  const dir = tempDirPerTest();
  return (name, value) => {
    const f = join(dir(), name);
    writeFileSync(f, JSON.stringify(value));
    return f;
  };
}

/** Fresh workspaces for a test file's tests: each one made by the returned function is cleaned up after the test that made it. */
export function workspacePerTest(): (opts?: { clock?: Clock; dir?: string }) => TempWorkspace {
  const made: TempWorkspace[] = [];
  afterEach(() => {
    for (const w of made.splice(0)) w.cleanup();
  });
  return (opts = {}) => {
    const w = tempWorkspace(opts);
    made.push(w);
    return w;
  };
}
