// What a test started or made, put away after each test however it ended: MCP clients closed, child
// processes killed, temp folders removed. (The global child registry, helpers/children.ts, is the net
// under this: it kills marked processes too; this one also closes clients and removes folders.)
import type { ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import type { Connected } from './server.js';

export interface Leftovers {
  dirs: string[];
  children: ChildProcess[];
  servers: Connected[];
}

export function putAwayAfterEach(more: () => void = () => undefined): Leftovers {
  const l: Leftovers = { dirs: [], children: [], servers: [] };
  afterEach(async () => {
    for (const s of l.servers.splice(0)) await s.close().catch(() => undefined);
    for (const c of l.children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    l.dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
    more();
  });
  return l;
}
