// What `npm pack` ships: what users run (dist/cli.js, the word vectors in data/), not the
// development source map, the sources or the tests. --ignore-scripts: `prepare` would rebuild dist/
// while other test files run the built server (npm test builds first).
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

it('npm pack ships dist/cli.js and its bundle, the web page in dist/web/ and data/, and no source map, code cache, src/ or test/', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, maxBuffer: 16 << 20 });
  const [pack] = JSON.parse(stdout) as { files: { path: string }[]; unpackedSize: number }[];
  const paths = pack!.files.map((f) => f.path);
  expect(paths).toContain('dist/cli.js');
  expect(paths).toContain('dist/flowmcp.cjs');
  // dist/cli.js is CommonJS in an ES-module package: without this file beside it, the installed
  // command would stop at its first line ("require is not defined").
  expect(paths).toContain('dist/package.json');
  // The code cache is V8's for the Node that built it: each install makes its own.
  expect(paths.filter((p) => p.endsWith('.cache'))).toEqual([]);
  // The web page, built: nothing of it is fetched at run time.
  for (const f of ['index.html', 'app.js', 'app.css', 'favicon.svg']) expect(paths).toContain(`dist/web/${f}`);
  expect(paths).toContain('package.json');
  expect(paths.some((p) => p.startsWith('data/vectors/') && p.endsWith('.bin')), paths.join('\n')).toBe(true);
  expect(paths.filter((p) => p.endsWith('.map'))).toEqual([]);
  expect(paths.filter((p) => /^(src|test|bench|scripts|tools)\//.test(p))).toEqual([]);
  // The shipped word vectors and the bundle are most of it; a map or a stray folder would show here.
  expect(pack!.unpackedSize).toBeLessThan(8 << 20);
});
