// Installs the official MCP conformance suite and the Node 22 it needs into tools/conformance, from
// that folder's own lockfile, when it is missing or out of date. Kept apart from the main package so
// `node` in npm scripts stays the project's Node 20 (the `node` package would shadow it).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'tools', 'conformance');
const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8'));
const want = lock.packages['node_modules/@modelcontextprotocol/conformance']?.version;
const installed = join(dir, 'node_modules', '@modelcontextprotocol', 'conformance', 'package.json');
const node22 = join(dir, 'node_modules', '.bin', 'node');
const current = existsSync(installed) ? JSON.parse(readFileSync(installed, 'utf8')).version : undefined;
if (current !== want || !existsSync(node22)) {
  process.stderr.write(`installing the MCP conformance suite ${want} and Node 22 into tools/conformance\n`);
  const npm = process.env.npm_execpath ? [process.execPath, [process.env.npm_execpath]] : ['npm', []];
  execFileSync(npm[0], [...npm[1], 'ci', '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 2, 2] });
}
