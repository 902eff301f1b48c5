// Bundles src/cli/index.ts and its dependencies (except the native better-sqlite3 and sqlite-vec) into one
// CommonJS file (dist/flowmcp.cjs), started by a small launcher (dist/cli.js) that keeps V8's code cache.
// Why: loading ~400 small modules dominated start-up; one file starts about 100 ms sooner
// (measure with `npm run bench cold`). Type checking is tsc's job, run before this.
// Measured and not kept (issue 17): esbuild code splitting, so `flowmcp task list` does not load the MCP
// server, its SDK and the OpenAI client (already behind dynamic imports): 229 vs 230–256 ms a command on a
// busy machine (node -e '' ~60 ms, + opening the database ~74 ms). What a command pays is compiling and
// running zod and flowmcp's own schemas and core (~0.9 MB of the 1.8 MB), which every command uses.
// Tried and dropped (2026-11-30): a user-land startup snapshot (`node --build-snapshot`, run with
// `--snapshot-blob`), which would skip running that module code at every start. Node 20's snapshot
// builder refuses the bundle: it has no SharedArrayBuffer (test-pause.ts makes one at load) and cannot
// load node:http itself (TypeError inside Node's http module); the bin would also have to be a shell
// script to pass the flag. Worth another look on Node 22, whose snapshot builder and compile cache are whole.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/index.ts'],
  outfile: 'dist/flowmcp.cjs',
  bundle: true,
  platform: 'node',
  // CommonJS, so the launcher (dist/cli.js, src/cli/launch.ts) can compile it with V8's code cache:
  // Node 20 has no compile cache of its own, and compiling the bundle was ~40 ms of every start.
  format: 'cjs',
  target: 'node20',
  // sqlite-vec finds its vec0 library relative to its own package (installed beside flowmcp, being a
  // dependency): bundled, it would look relative to dist/ and never find it.
  external: ['better-sqlite3', 'sqlite-vec'],
  // The map (~6 MB) is for development and is not packed (package.json `files` leaves out dist/**/*.map):
  // identifiers are not minified, so a user's stack trace still names every function, and the map for
  // a release can be rebuilt from its commit.
  sourcemap: true,
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // The sources are ES modules that find files beside themselves with import.meta.url (the page's
  // assets, package.json): in the CommonJS bundle that is the bundle's own file URL.
  define: { 'import.meta.url': '__flowmcpUrl' },
  banner: { js: "const __flowmcpUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The launcher is CommonJS too, and dist/package.json says so: run as an ES module (the package's
// own type), every start paid for Node's ES module loader, ~6–10 ms of a command measured by
// `npm run bench -- cli`. The path stays dist/cli.js, which clients' configurations name.
await build({
  entryPoints: ['src/cli/launch.ts'],
  outfile: 'dist/cli.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  logLevel: 'warning',
  define: { 'import.meta.url': '__launchUrl' },
  banner: { js: "const __launchUrl = require('node:url').pathToFileURL(__filename).href;" },
});
writeFileSync('dist/package.json', '{ "type": "commonjs" }\n');
chmodSync('dist/cli.js', 0o755);
// The code cache, made once here by a command that compiles the common path: a task list in an empty
// project (opening its database, the task tool, the refusal it gives).
const project = mkdtempSync(join(tmpdir(), 'flowmcp-build-'));
try {
  execFileSync(process.execPath, [resolve('dist/cli.js'), 'task', 'list'], { cwd: project, stdio: 'ignore' });
} catch {
  // Refused (no flow yet), as expected: the cache is written as the process ends, whatever its exit code.
} finally {
  rmSync(project, { recursive: true, force: true });
}

// The web page (src/web/page/): one script for the browser, no framework, nothing fetched at run time;
// its HTML, CSS and icon copied beside it. dist/web/ ships in the package (package.json `files`).
await build({
  entryPoints: ['src/web/page/app.ts'],
  outfile: 'dist/web/app.js',
  bundle: true,
  platform: 'browser',
  format: 'esm',
  target: 'chrome110',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
});
mkdirSync('dist/web', { recursive: true });
for (const f of ['index.html', 'app.css', 'favicon.svg']) copyFileSync(`src/web/page/${f}`, `dist/web/${f}`);
