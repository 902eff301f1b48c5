// The built CLI (dist/cli.js, sqlite-vec left outside the bundle) finds and loads the installed
// sqlite-vec: a search's vector half says it answered by sqlite-vec's exact scan; switched off (the
// tests' FLOWMCP_NO_SQLITE_VEC=1), the JS scan answers the same search.
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir = '';
const run = (env: Record<string, string>, ...args: string[]) =>
  spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', input: '', env: { ...process.env, FLOW_AGENT: 'vec-test', ...env } });

beforeAll(() => {
  assertBuilt();
  dir = tempDir();
  mkdirSync(join(dir, 'docs'));
  writeFileSync(join(dir, 'docs', 'uploads.md'), '# Uploads\n\nFailed uploads are retried three times with exponential backoff.');
  writeFileSync(join(dir, 'docs', 'auth.md'), '# Auth\n\nWe chose short-lived tokens with refresh rotation.');
  expect(run({}, 'document', 'index', 'docs/*.md').status).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dist/cli.js search and sqlite-vec', () => {
  it('answers the vector half with sqlite-vec', () => {
    const r = run({}, 'search', 'retry failed uploads', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.vectors.scan).toBe('sqlite-vec exact');
    expect(out.results[0].path).toBe('docs/uploads.md');
    expect(r.stderr).not.toMatch(/sqlite-vec could not be loaded/);
  });

  it('falls back to the JS scan when sqlite-vec is off', () => {
    const r = run({ FLOWMCP_NO_SQLITE_VEC: '1' }, 'search', 'retry failed uploads', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.vectors.scan).toBe('js exact (sqlite-vec not loaded)');
    expect(out.results[0].path).toBe('docs/uploads.md');
  });
});
