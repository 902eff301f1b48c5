// scripts/conformance-setup.mjs: a registry that cannot be reached must not fail npm test (one line
// says why, exit 0); anything else still fails it.
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDirPerTest } from '../helpers/workspace.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCRIPT = join(ROOT, 'scripts', 'conformance-setup.mjs');
const scratch = tempDirPerTest('flowmcp-conformance-setup-');

function setup(edit?: (dir: string) => void) {
  const dir = scratch();
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(ROOT, 'tools', 'conformance', f), join(dir, f));
  edit?.(dir);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    FLOWMCP_CONFORMANCE_DIR: dir,
    // Nothing listens on port 9 here: every fetch is refused at once. An empty cache so nothing is found offline.
    npm_config_registry: 'http://127.0.0.1:9/',
    npm_config_cache: join(dir, 'cache'),
    npm_config_fetch_retries: '0',
    npm_config_update_notifier: 'false',
  };
  return spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8', timeout: 120_000 });
}

it('exits 0 with one clear line when the registry cannot be reached', () => {
  const r = setup();
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toMatch(/conformance setup: the npm registry could not be reached \(E[A-Z]+\); the conformance test will be skipped/);
});

it('still fails loudly on anything else (a package.json npm cannot parse)', () => {
  const r = setup((dir) => writeFileSync(join(dir, 'package.json'), '{ "name": "x", '));
  expect(r.status, r.stderr).not.toBe(0);
  expect(r.stderr).toMatch(/npm ci in .* failed/);
});

it('fails on a lockfile that does not lock the suite', () => {
  const r = setup((dir) => writeFileSync(join(dir, 'package-lock.json'), JSON.stringify({ lockfileVersion: 3, packages: {} })));
  expect(r.status).not.toBe(0);
  expect(r.stderr).toMatch(/does not lock @modelcontextprotocol\/conformance/);
});
