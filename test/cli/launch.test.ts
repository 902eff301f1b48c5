// The installed command (dist/cli.js) starts the bundle with V8's code cache beside it: a cache that is
// missing, damaged or cannot be written never stops a command, and a missing or refused one is made
// again. Run on a copy of the built package, so the suite's other processes keep theirs.
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { assertBuilt, connect } from '../helpers/server.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const tmp = tempDirPerTest('flowmcp-launch-');

function copyPackage(): string {
  assertBuilt();
  const pkg = tmp();
  mkdirSync(join(pkg, 'dist'));
  for (const f of ['cli.js', 'flowmcp.cjs', 'flowmcp-server.cjs', 'package.json']) copyFileSync(join(ROOT, 'dist', f), join(pkg, 'dist', f));
  copyFileSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  symlinkSync(join(ROOT, 'data'), join(pkg, 'data'));
  return pkg;
}

const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const flowmcp = (pkg: string, ...args: string[]) => run(process.execPath, [join(pkg, 'dist', 'cli.js'), ...args], { cwd: pkg });

it('makes its code cache when there is none, and uses it after', async () => {
  const pkg = copyPackage();
  const cache = join(pkg, 'dist', 'flowmcp.cjs.cache');
  expect((await flowmcp(pkg, '--version')).stdout.trim()).toBe(version);
  expect(statSync(cache).size).toBeGreaterThan(100_000);
  const made = readFileSync(cache);
  // Accepted the next time: not made again.
  expect((await flowmcp(pkg, '--version')).stdout.trim()).toBe(version);
  expect(readFileSync(cache).equals(made)).toBe(true);
  expect(readdirSync(join(pkg, 'dist')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

it('a damaged cache is refused by V8 and made again; the command answers all the same', async () => {
  const pkg = copyPackage();
  const cache = join(pkg, 'dist', 'flowmcp.cjs.cache');
  writeFileSync(cache, Buffer.alloc(200_000, 7));
  const r = await flowmcp(pkg, 'task', 'get', 'nope').catch((e: { code: number; stderr: string }) => e);
  expect(r).toMatchObject({ code: 1 });
  expect((r as { stderr: string }).stderr).toContain('There is no flowmcp project in'); // the command's own answer
  expect(readFileSync(cache).equals(Buffer.alloc(200_000, 7))).toBe(false);
});

it('a cache it cannot write (its name taken by a folder) changes nothing: the command runs, nothing is left behind', async () => {
  const pkg = copyPackage();
  mkdirSync(join(pkg, 'dist', 'flowmcp.cjs.cache'));
  writeFileSync(join(pkg, 'dist', 'flowmcp.cjs.cache', 'keep'), 'x');
  expect((await flowmcp(pkg, '--version')).stdout.trim()).toBe(version);
  expect(existsSync(join(pkg, 'dist', 'flowmcp.cjs.cache', 'keep'))).toBe(true);
  expect(readdirSync(join(pkg, 'dist')).sort()).toEqual(['cli.js', 'flowmcp-server.cjs', 'flowmcp.cjs', 'flowmcp.cjs.cache', 'package.json']);
});

// Each command loads only the bundle it needs: the server (its SDK, HTTP server and web face) is
// in dist/flowmcp-server.cjs, read only by the commands that serve; every other command reads the
// smaller dist/flowmcp.cjs. Shown by taking the other one away.
it('a command runs without the server bundle, and a server without the command bundle', async () => {
  const pkg = copyPackage();
  const project = tmp();
  rmSync(join(pkg, 'dist', 'flowmcp-server.cjs'));
  expect((await flowmcp(pkg, '--version')).stdout.trim()).toBe(version);
  expect((await flowmcp(pkg, 'flow', 'create', 'Lean', '--dir', project)).stdout).toContain('Lean');
  const served = await flowmcp(pkg, 'serve', '--dir', project).catch((e: { code: number; stderr: string }) => e);
  expect(served).toMatchObject({ code: 1 });
  expect((served as { stderr: string }).stderr).toContain('flowmcp-server.cjs');

  copyFileSync(join(ROOT, 'dist', 'flowmcp-server.cjs'), join(pkg, 'dist', 'flowmcp-server.cjs'));
  rmSync(join(pkg, 'dist', 'flowmcp.cjs'));
  rmSync(join(pkg, 'dist', 'flowmcp.cjs.cache'), { force: true });
  const s = await connect({ entry: join(pkg, 'dist', 'cli.js'), dir: project });
  try {
    const r = await s.call('flow', { action: 'list' });
    expect(JSON.stringify(r.structuredContent)).toContain('Lean');
  } finally {
    await s.close();
  }
});
