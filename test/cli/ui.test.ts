// `flowmcp ui`: a loopback server for the project, and a one-time sign-in link on stdout (no browser is
// opened unless --open is given); the link signs in once, and the page it leads to is served. --open
// hands the link to the xdg-open found on PATH: the test puts a small script of its own first on PATH
// (in its temporary folder, never in the project) that writes down what it was given.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { spawnTracked } from '../helpers/children.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { browserOpener } from '../../src/cli/ui.js';
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

async function startUi(path: string): Promise<{ out: () => string; err: () => string }> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), PATH: path };
  delete env.FLOW_TOKEN;
  child = spawnTracked(process.execPath, [CLI, 'ui', '--open', '--dir', dir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return { out: () => out, err: () => err };
}

it('--open hands the printed link, unused, to xdg-open, and says so when there is no xdg-open', async () => {
  assertBuilt();
  dir = tempDir();
  seed(dir, { Release: [{ title: 'Write the notes' }] });
  const bin = join(dir, 'fake-bin');
  const seen = join(dir, 'opened.txt');
  mkdirSync(bin);
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const ui = await startUi(`${bin}:${process.env.PATH ?? ''}`);
  const link = await until('the link on stdout', () => /^Open (http:\/\/127\.0\.0\.1:\d+\/ui\/login\?once=[\w-]+)$/m.exec(ui.out())?.[1]);
  const opened = await until('the opener called', () => existsSync(seen) && readFileSync(seen, 'utf8').trim());
  expect(opened).toBe(link);
  // The browser would be the first to use it.
  expect((await fetch(link, { redirect: 'manual' })).status).toBe(303);
  child!.kill('SIGKILL');

  // No xdg-open anywhere on PATH: the link is still printed, and the person is told to open it.
  const empty = join(dir, 'empty-bin');
  mkdirSync(empty);
  const bare = await startUi(empty);
  await until('the link on stdout', () => /^Open http/m.test(bare.out()));
  await until('the word about xdg-open', () => /--open: xdg-open is not available; open the link yourself/.test(bare.err()));
  child!.kill('SIGKILL');

  // An xdg-open that finds no browser (exit 3, as on a machine without a desktop): said too.
  const failing = join(dir, 'failing-bin');
  mkdirSync(failing);
  writeFileSync(join(failing, 'xdg-open'), '#!/bin/sh\nexit 3\n');
  chmodSync(join(failing, 'xdg-open'), 0o755);
  const noBrowser = await startUi(`${failing}:${process.env.PATH ?? ''}`);
  await until('the link on stdout', () => /^Open http/m.test(noBrowser.out()));
  await until('the word about the failed opener', () => /--open: xdg-open could not open a browser \(exit 3\); open the link yourself/.test(noBrowser.err()));
});

it('--open uses each desktop\'s own opener, with the link as one argument', () => {
  const link = 'http://127.0.0.1:8765/ui/login?once=a&b=c';
  expect(browserOpener('linux', link)).toEqual(['xdg-open', [link]]);
  expect(browserOpener('darwin', link)).toEqual(['open', [link]]);
  expect(browserOpener('win32', link)).toEqual(['rundll32', ['url.dll,FileProtocolHandler', link]]);
});
