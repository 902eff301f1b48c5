// Bundles src/cli/index.ts and its dependencies (except the native better-sqlite3 and sqlite-vec, and
// the OpenAI client) into two CommonJS files, started by a small launcher (dist/cli.js) that picks the
// one a command needs and keeps V8's code cache: dist/flowmcp-server.cjs (everything, for `serve` and
// `ui`) and dist/flowmcp.cjs (every other command: no MCP server, SDK, HTTP server or web face).
// Why: loading ~400 small modules dominated start-up; one file starts about 100 ms sooner
// (measure with `npm run bench cold`); and a command's start grows with the size of the file it reads
// and deserialises: 1.9 MB for every command was ~15–20 ms more than the 0.8 MB one without the server,
// the OpenAI client and zod's other languages (`npm run bench -- cli`). Type checking is tsc's job, run before this.
// Measured and not kept (issue 17): esbuild code splitting (ES module chunks): 229 vs 230–256 ms a
// command on a busy machine, as ES modules lose the code cache the launcher keeps.
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

// zod's `z.locales` (its messages in ~50 languages, ~300 KB of the bundle) is reached only by a
// program that asks for a language with z.config(z.locales.xx()); flowmcp words its own messages and
// never does, and zod registers English by itself. Only English is bundled.
const englishZodOnly = {
  name: 'english-zod-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (a) => (a.importer.includes('/node_modules/zod/') ? { path: 'zod-locales', namespace: 'english-zod-only' } : undefined));
    b.onLoad({ filter: /.*/, namespace: 'english-zod-only' }, () => ({ contents: `export { default as en } from ${JSON.stringify(resolve('node_modules/zod/v4/locales/en.js'))};`, resolveDir: resolve('.') }));
  },
};
// The bundle for every command but the serving ones has no server: those modules (already loaded
// only by `await import` in serve.ts and ui.ts) are replaced by a refusal, which the launcher never
// lets a command reach (it starts dist/flowmcp-server.cjs for serve and ui).
const withoutServer = {
  name: 'without-server',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(server\/(stdio|http)|web-face)\.js$/ }, (a) => ({ path: a.path, namespace: 'without-server' }));
    b.onLoad({ filter: /.*/, namespace: 'without-server' }, (a) => ({ contents: `throw new Error(${JSON.stringify(`flowmcp: this bundle has no server (${a.path}): start flowmcp through dist/cli.js`)});`, loader: 'js' }));
  },
};
// string-width makes an Intl.Segmenter as it loads (ICU's break rules: ~10 ms of every start), yet
// a command needs it only to measure text beyond printable ASCII (src/cli/render.ts). Imported
// through this stand-in, it is loaded at its first call: a bundled module that is require()d is
// initialised when first required, not with the bundle.
const deferStringWidth = {
  name: 'defer-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (a) => (a.namespace === 'defer-string-width' ? undefined : { path: 'string-width', namespace: 'defer-string-width' }));
    b.onLoad({ filter: /.*/, namespace: 'defer-string-width' }, () => ({
      contents: 'let width; export default function stringWidth(s, o) { return (width ??= require("string-width").default)(s, o); }',
      resolveDir: resolve('.'),
    }));
  },
};
const bundleOptions = {
  entryPoints: ['src/cli/index.ts'],
  bundle: true,
  platform: 'node',
  // CommonJS, so the launcher (dist/cli.js, src/cli/launch.ts) can compile it with V8's code cache:
  // Node 20 has no compile cache of its own, and compiling the bundle was ~40 ms of every start.
  format: 'cjs',
  target: 'node20',
  // sqlite-vec finds its vec0 library relative to its own package (installed beside flowmcp, being a
  // dependency): bundled, it would look relative to dist/ and never find it. The OpenAI client is
  // loaded only when an OpenAI-compatible embedder or translator is configured (by `await import`):
  // from node_modules then, where it is installed as a dependency, rather than in every start's bundle.
  external: ['better-sqlite3', 'sqlite-vec', 'openai'],
  // `await import('openai')` as a require: the launcher compiles the bundle as a vm.Script, in which
  // a real import() has no loader to call and fails.
  supported: { 'dynamic-import': false },
  // The map (~6 MB) is for development and is not packed (package.json `files` leaves out dist/**/*.map):
  // identifiers are not minified, so a user's stack trace still names every function, and the map for
  // a release can be rebuilt from its commit.
  sourcemap: true,
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'linked',
  logLevel: 'warning',
  // The sources are ES modules that find files beside themselves with import.meta.url (the page's
  // assets, package.json): in the CommonJS bundle that is the bundle's own file URL (both bundles are
  // in dist/, so the same relative paths hold).
  define: { 'import.meta.url': '__flowmcpUrl' },
  banner: { js: "const __flowmcpUrl = require('node:url').pathToFileURL(__filename).href;" },
};
await build({ ...bundleOptions, outfile: 'dist/flowmcp-server.cjs', plugins: [englishZodOnly, deferStringWidth] });
await build({ ...bundleOptions, outfile: 'dist/flowmcp.cjs', plugins: [englishZodOnly, deferStringWidth, withoutServer] });
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
// The code caches, made once here by commands that compile the common paths: a task list in an empty
// project (opening its database, the task tool, the refusal it gives), and a stdio server that starts
// and ends at once (its standard input is empty).
const project = mkdtempSync(join(tmpdir(), 'flowmcp-build-'));
try {
  for (const args of [['task', 'list'], ['serve']]) {
    try {
      execFileSync(process.execPath, [resolve('dist/cli.js'), ...args], { cwd: project, stdio: 'ignore', timeout: 60_000 });
    } catch {
      // Refused (no flow yet), as expected: the cache is written as the process ends, whatever its exit code.
    }
  }
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
