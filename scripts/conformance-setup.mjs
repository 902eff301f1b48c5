// Installs the official MCP conformance suite and the Node 22 it needs into tools/conformance, from
// that folder's own lockfile, when it is missing or out of date. Kept apart from the main package so
// `node` in npm scripts stays the project's Node 20 (the `node` package would shadow it).
//
// It downloads from the npm registry (Node 22 comes as the `node` package). When the registry cannot
// be reached, that is said in one line and the script exits 0: `npm test` goes on and the conformance
// test skips, saying why. Any other failure (a broken lockfile, a full disk, …) fails loudly.
// FLOWMCP_CONFORMANCE_DIR points it at another folder (its tests use that).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.FLOWMCP_CONFORMANCE_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'conformance');
const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
const want = lock.packages['node_modules/@modelcontextprotocol/conformance']?.version;
if (!want) throw new Error(`${join(dir, 'package-lock.json')} does not lock @modelcontextprotocol/conformance`);
const installed = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'package.json');
const node22 = join(dir, 'node_modules', '.bin', 'node');
const current = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).version : undefined;
if (current !== want || !existsSync(node22)) {
  process.stderr.write(`installing the MCP conformance suite ${want} and Node 22 into tools/conformance (from the npm registry)\n`);
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  const r = spawnSync(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8' });
  process.stderr.write(r.stderr ?? '');
  if (r.error) throw r.error;
  if (r.status !== 0) {
    // npm's own codes for "could not reach the registry" (DNS, refused, reset, timed out, no route, offline cache miss).
    const offline = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ESOCKETTIMEDOUT|ENETUNREACH|EHOSTUNREACH|ENETDOWN|ENOTCACHED)\b/.exec(r.stderr ?? '');
    if (offline) {
      process.stderr.write(`conformance setup: the npm registry could not be reached (${offline[1]}); the conformance test will be skipped. Run node scripts/conformance-setup.mjs when online.\n`);
      process.exit(0);
    }
    process.stderr.write(`conformance setup: npm ci in ${dir} failed (exit ${r.status}), and not for want of a network; see above\n`);
    process.exit(r.status ?? 1);
  }
}
