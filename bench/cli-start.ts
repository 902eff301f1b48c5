// CLI start: a flowmcp command from spawn to exit, beside a bare `node -e ''` and a node that only opens
// the same database with better-sqlite3 (the floor: node plus the database open), all
// interleaved in one run. Also the same command without the code cache (dist/flowmcp.cjs compiled
// afresh, as before src/cli/launch.ts kept V8's cache), to show what the cache is worth here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLI } from './client.js';
import { seedProject } from './seed.js';
import { median, ms, printTable } from './stats.js';

const RUNS = 30;
const ROOT = fileURLToPath(new URL('../', import.meta.url));

export function cliStartBench(): void {
  const { dir } = seedProject(1_000);
  // A copy of the package whose cache is removed before every run: compiled afresh each time.
  const nocache = join(dir, 'pkg');
  mkdirSync(join(nocache, 'dist'), { recursive: true });
  for (const f of ['cli.js', 'flowmcp.cjs', 'package.json']) copyFileSync(join(ROOT, 'dist', f), join(nocache, 'dist', f));
  copyFileSync(join(ROOT, 'package.json'), join(nocache, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(nocache, 'node_modules'));
  symlinkSync(join(ROOT, 'data'), join(nocache, 'data'));
  const openOnly = join(dir, 'open-db.cjs');
  writeFileSync(openOnly, `const D = require(${JSON.stringify(join(ROOT, 'node_modules', 'better-sqlite3'))}); const db = new D(${JSON.stringify(join(dir, '.flow', 'flow.db'))}); db.prepare('SELECT 1').get(); db.close();`);
  const cases: [string, string[], () => void][] = [
    ["node -e ''", ['-e', ''], () => {}],
    ['node + open the database (floor)', [openOnly], () => {}],
    ['flowmcp --version', [CLI, '--version'], () => {}],
    ['flowmcp task list', [CLI, 'task', 'list'], () => {}],
    ['flowmcp task list, no code cache', [join(nocache, 'dist', 'cli.js'), 'task', 'list'], () => rmSync(join(nocache, 'dist', 'flowmcp.cjs.cache'), { force: true })],
  ];
  const times = new Map<string, number[]>(cases.map(([name]) => [name, []]));
  try {
    for (let i = 0; i < RUNS + 2; i++) {
      for (const [name, args, before] of cases) {
        before();
        const t0 = performance.now();
        const r = spawnSync(process.execPath, args, { cwd: dir, stdio: 'ignore' });
        const t = performance.now() - t0;
        if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
        if (i >= 2) times.get(name)!.push(t); // two warm-up rounds (file cache)
      }
    }
    const floor = median(times.get('node + open the database (floor)')!);
    printTable(`CLI start, spawn to exit (median of ${RUNS}, interleaved; target (issue 17): ≤ 1.5× node + the database open)`, ['command', 'ms', '× floor'], [
      ...cases.map(([name]) => [name, ms(median(times.get(name)!)), (median(times.get(name)!) / floor).toFixed(2)]),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
