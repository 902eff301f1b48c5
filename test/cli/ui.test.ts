// `flowmcp ui`: a loopback server for the project, and a one-time sign-in link on stdout (no browser is
// opened unless --open is given); the link signs in once, and the page it leads to is served.
import { rmSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { spawnTracked } from '../helpers/children.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';
import { seed, until } from '../helpers/web.js';
import type { ChildProcess } from 'node:child_process';

let dir: string;
let child: ChildProcess | undefined;
afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
  rmSync(dir, { recursive: true, force: true });
});

it('prints a one-time link on 127.0.0.1 that signs in once and leads to the board', async () => {
  assertBuilt();
  dir = tempDir();
  seed(dir, { Release: [{ title: 'Write the notes' }] });
  const env = { ...(process.env as Record<string, string>) };
  delete env.FLOW_TOKEN;
  child = spawnTracked(process.execPath, [CLI, 'ui', '--dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const link = await until('the link on stdout', () => /^Open (http:\/\/127\.0\.0\.1:\d+\/ui\/login\?once=[\w-]+)$/m.exec(out)?.[1]);
  const first = await fetch(link, { redirect: 'manual' });
  expect(first.status).toBe(303);
  const cookie = first.headers.get('set-cookie')!.split(';')[0]!;
  const { csrf } = (await (await fetch(new URL('/api/session', link), { headers: { cookie } })).json()) as { csrf: string };
  const board = await fetch(new URL('/api/board', link), { headers: { cookie, 'x-flowmcp-csrf': csrf } });
  expect(board.status).toBe(200);
  expect(((await board.json()) as { tasks: { title: string }[] }).tasks.map((t) => t.title)).toEqual(['Write the notes']);
  expect((await fetch(link, { redirect: 'manual' })).status).toBe(403);
});
