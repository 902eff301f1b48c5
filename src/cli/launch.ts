#!/usr/bin/env node
// The `flowmcp` command as installed (dist/cli.js): loads the bundle the command needs with V8's code
// cache. Two bundles, built from the same sources: dist/flowmcp-server.cjs for the commands that serve
// MCP (`serve`, `ui`, or none when a client starts it), with the SDK, the HTTP server and the web face;
// dist/flowmcp.cjs for every other command, without them (less than half the size: reading and
// deserialising it was a measurable part of every command's start). Node 20 compiles a script afresh
// at every start (its own compile cache came with Node 22), so the compiled code is kept beside each
// bundle (<bundle>.cache, made by the build, remade when V8 refuses it: another Node version). The
// cache is only ever an optimisation: V8 checks it against the source and its own version and flags,
// and anything wrong with it (missing, refused, unwritable) means compiling as before.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import { servesMcp } from './command-word.js';

const bundle = join(dirname(fileURLToPath(import.meta.url)), servesMcp(process.argv.slice(2), () => (createRequire(import.meta.url)('node:tty') as typeof import('node:tty')).isatty(0)) ? 'flowmcp-server.cjs' : 'flowmcp.cjs');
const cacheFile = `${bundle}.cache`;

function readCache(): Buffer | undefined {
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cached = readCache();
// The bundle is CommonJS, run as Node runs a CommonJS file: wrapped in the module function.
const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
const script = new Script(Module.wrap(source), { filename: bundle, cachedData: cached });
if (cached === undefined || script.cachedDataRejected) {
  // Written as the process ends, so the cache holds the code this command compiled on the way; beside
  // the bundle through a temporary name (several processes may write it at once; a reader sees a whole
  // file or none).
  process.once('exit', () => {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, cacheFile);
    } catch {
      rmSync(tmp, { force: true }); // a read-only install: every start compiles, as without a cache
    }
  });
}
const run = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
const mod = new Module(bundle);
mod.filename = bundle;
run.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, dirname(bundle));
