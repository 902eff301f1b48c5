// Three processes import the same legacy file into one project at the same moment (two assistant
// windows told to "import the old flows", a CLI run beside them): each looks up what is already there
// and writes the rest under one write lock, so together they make exactly one copy, and none of them
// fails. Before, a process that looked before another's commit inserted a row that was there by then:
// 'flowmcp hit a bug: an unexpected SqliteError (SQLITE_CONSTRAINT_UNIQUE)'. Whether the race is met
// depends on the machine; what each process answers and what the project holds does not.
import Database from 'better-sqlite3';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTracked } from '../helpers/children.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const dir = tempDir();
const other = tempDir();
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  rmSync(other, { recursive: true, force: true });
});

describe('the same legacy file imported by three processes at once', () => {
  it('ends with one copy of every flow, plan and task, and every process succeeds', async () => {
    assertBuilt();
    const flows = Array.from({ length: 3 }, (_, f) => ({
      id: `f${f}`,
      name: `Flow ${f}`,
      plans: Array.from({ length: 10 }, (_, p) => ({ id: `p${f}_${p}`, name: `Plan ${p}`, tasks: Array.from({ length: 100 }, (_, t) => ({ id: `t${f}_${p}_${t}`, name: `Task ${t}` })) })),
    }));
    writeFileSync(join(dir, 'flows.json'), JSON.stringify({ flows }));
    const cli = (...args: string[]) => runTracked(process.execPath, [CLI, ...args, '--dir', dir, '--json']);
    mkdirSync(join(dir, '.flow')); // a project (a list in a folder without one makes none)
    expect((await cli('flow', 'list')).code).toBe(0); // the project exists before the race
    const runs = await Promise.all([1, 2, 3].map(() => cli('import', join(dir, 'flows.json'))));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const reports = runs.map((r) => JSON.parse(r.stdout) as { created: { tasks: number }; already_imported: { tasks: number } });
    expect(reports.reduce((n, r) => n + r.created.tasks, 0)).toBe(3000);
    for (const r of reports) expect(r.created.tasks + r.already_imported.tasks).toBe(3000);
    const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM flows').get()).toEqual({ n: 3 });
      expect(db.prepare('SELECT COUNT(*) AS n FROM plans').get()).toEqual({ n: 30 });
      expect(db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT legacy_id) AS d FROM tasks').get()).toEqual({ n: 3000, d: 3000 });
    } finally {
      db.close();
    }
  }, 120_000);

  it('a flowmcp export imported by three processes at once: one creates it, the others find it already imported', async () => {
    const cli = (project: string, ...args: string[]) => runTracked(process.execPath, [CLI, ...args, '--dir', project, '--json']);
    const file = join(dir, 'export.json');
    expect((await cli(dir, 'export', '--out', file)).code).toBe(0);
    mkdirSync(join(other, '.flow'));
    expect((await cli(other, 'flow', 'list')).code).toBe(0);
    const runs = await Promise.all([1, 2, 3].map(() => cli(other, 'import', file)));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const reports = runs.map((r) => JSON.parse(r.stdout) as { created: { flows: number }; already_imported: { flows: number } });
    expect(reports.map((r) => [r.created.flows, r.already_imported.flows]).sort()).toEqual([[0, 3], [0, 3], [3, 0]]);
    const db = new Database(join(other, '.flow', 'flow.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 3000 });
      expect(db.prepare("SELECT COUNT(*) AS n FROM events WHERE action = 'import'").get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  }, 120_000);
});
