// Every legacy sample imports with exactly the flows, plans, tasks and statuses it holds. The numbers
// below were counted from the files (test/fixtures/legacy-samples), not taken from the importer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { findTask } from '../../../src/core/kernel/names.js';
import { utcTimestamp } from '../../../src/core/kernel/clock.js';
import { importLegacyContext } from '../../../src/core/transfer/legacy-context.js';
import { dumpDb, tempDir, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const SAMPLES = fileURLToPath(new URL('../../fixtures/legacy-samples/', import.meta.url));
const sample = (f: string) => join(SAMPLES, f);

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

function counts(ws: TempWorkspace['ws']) {
  const n = (sql: string) => (ws.db.prepare(sql).get() as { n: number }).n;
  const statuses = Object.fromEntries(
    (ws.db.prepare('SELECT status, COUNT(*) AS n FROM tasks GROUP BY status ORDER BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  const planStatuses = Object.fromEntries(
    (ws.db.prepare('SELECT status, COUNT(*) AS n FROM plans GROUP BY status ORDER BY status').all() as { status: string; n: number }[]).map((r) => [r.status, r.n]),
  );
  return { flows: n('SELECT COUNT(*) AS n FROM flows'), plans: n('SELECT COUNT(*) AS n FROM plans'), tasks: n('SELECT COUNT(*) AS n FROM tasks'), statuses, planStatuses };
}

const EXPECTED: Record<string, ReturnType<typeof counts>> = {
  'flows.91670e6.json': { flows: 2, plans: 2, tasks: 4, statuses: { todo: 4 }, planStatuses: { active: 2 } },
  'flows.63121d7.json': { flows: 13, plans: 15, tasks: 39, statuses: { done: 4, review: 1, todo: 34 }, planStatuses: { active: 15 } },
  'flows.9cf6892.json': { flows: 19, plans: 23, tasks: 61, statuses: { done: 11, review: 9, todo: 41 }, planStatuses: { active: 23 } },
  'flows.b98cd53.json': { flows: 3, plans: 13, tasks: 5, statuses: { done: 1, in_progress: 1, todo: 3 }, planStatuses: { active: 13 } },
  'flows.1097d37.json': { flows: 17, plans: 2, tasks: 9, statuses: { done: 9 }, planStatuses: { active: 1, done: 1 } },
  'flows.9a71a64.json': { flows: 1, plans: 0, tasks: 0, statuses: {}, planStatuses: {} },
  'workflow.f0ab8f7.json': { flows: 1, plans: 1, tasks: 11, statuses: { done: 4, in_progress: 2, todo: 5 }, planStatuses: { active: 1 } },
  'workflow.ac14a31.json': { flows: 1, plans: 1, tasks: 16, statuses: { done: 4, in_progress: 2, todo: 10 }, planStatuses: { active: 1 } },
  'workflow.b860d25.json': { flows: 1, plans: 15, tasks: 41, statuses: { done: 9, in_progress: 5, todo: 27 }, planStatuses: { active: 14, archived: 1 } },
};

describe('importing every legacy sample', () => {
  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${expected.flows} flows, ${expected.plans} plans, ${expected.tasks} tasks`, () => {
      t = workspace();
      const report = importFile(t.call, sample(file), {});
      expect(counts(t.ws)).toEqual(expected);
      expect(report).toMatchObject({ dry_run: false });
      // A second import of the same file creates nothing.
      const before = dumpDb(t.ws);
      const again = importFile(t.call, sample(file), {}) as { created: Record<string, number> };
      expect(again.created).toEqual({ flows: 0, plans: 0, tasks: 0, dependencies: 0 });
      expect(dumpDb(t.ws)).toEqual(before);
    });
  }

  it('duplicate ids: the first keeps its id, later ones are renamed and reported; legacy ids still resolve; timestamps kept', () => {
    t = workspace();
    const r = importFile(t.call, sample('flows.91670e6.json'), {}) as { renamed: { kind: string; from: string; to: string }[] };
    expect(r.renamed).toEqual([
      { kind: 'flow', from: 'flow_20250721_124613', to: 'flow_20250721_124613~2' },
      { kind: 'task', from: 'task_20250721_124657_001', to: 'task_20250721_124657_001~2' },
    ]);
    const first = findTask(t.call, 'task_20250721_124657_001');
    const second = findTask(t.call, 'task_20250721_124657_001~2');
    expect([first.title, second.title]).toEqual(['버그 수정', '배포 준비']);
    expect(first.created_at).toBe(new Date(2025, 6, 21, 12, 46, 57, 1).toISOString()); // no zone in the file: local time, stored as UTC
    const names = t.ws.db.prepare('SELECT name, legacy_id FROM flows ORDER BY legacy_id').all();
    expect(names).toEqual([
      { name: 'default', legacy_id: 'flow_20250721_124613' },
      { name: 'Test Project', legacy_id: 'flow_20250721_124613~2' },
    ]);
  });

  it('a flat task list becomes a plan named "Legacy"; statuses are mapped and reported', () => {
    t = workspace();
    const r = importFile(t.call, sample('workflow.f0ab8f7.json'), {}) as { statuses_mapped: Record<string, number> };
    expect(t.ws.db.prepare('SELECT title FROM plans').pluck().all()).toEqual(['Legacy']);
    expect(t.ws.db.prepare('SELECT name FROM flows').pluck().all()).toEqual(['ai-coding-brain-mcp']);
    expect(r.statuses_mapped).toEqual({ 'completed → done': 1 });
    // The later version of the same workflow adds only what is new.
    const later = importFile(t.call, sample('workflow.ac14a31.json'), {}) as { created: Record<string, number>; already_imported: Record<string, number> };
    expect(later.created.tasks).toBe(5);
    expect(later.already_imported.tasks).toBe(11);
    // Importing the same file again writes nothing, so it maps no status either (it counted every task).
    const again = importFile(t.call, sample('workflow.f0ab8f7.json'), {}) as { statuses_mapped: Record<string, number>; created: Record<string, number> };
    expect(again.created.tasks).toBe(0);
    expect(again.statuses_mapped).toEqual({});
  });

  it('a dry run reports and writes nothing; the import takes a snapshot first', () => {
    t = workspace();
    const before = dumpDb(t.ws);
    const dry = importFile(t.call, sample('flows.63121d7.json'), { dry_run: true }) as { created: Record<string, number>; snapshot?: string };
    expect(dry.created).toMatchObject({ flows: 13, plans: 15, tasks: 39 });
    expect(dry.snapshot).toBeUndefined();
    expect(dumpDb(t.ws)).toEqual(before);
    const real = importFile(t.call, sample('flows.63121d7.json'), {}) as { snapshot: string; created: Record<string, number>; dependencies_unknown: number };
    expect(real.snapshot).toMatch(/^s-/);
    // The dry run's numbers are the import's, dependencies included.
    expect(dry.created).toEqual(real.created);
    expect((dry as unknown as { dependencies_unknown: number }).dependencies_unknown).toBe(real.dependencies_unknown);
  });

  it('a dry run counts the dependencies the import will make, and the ones it cannot', () => {
    t = workspace();
    const dir = tempDir();
    const file = join(dir, 'flows.json');
    const task = (id: string, deps: string[]) => ({ id, name: `Task ${id}`, status: 'pending', dependencies: deps });
    writeFileSync(file, JSON.stringify({ flows: [{ id: 'f1', name: 'Deps', plans: [{ id: 'p1', name: 'P', tasks: [task('a', []), task('b', ['a', 'a']), task('c', ['a', 'b', 'gone'])] }] }] }));
    const dry = importFile(t.call, file, { dry_run: true }) as { created: Record<string, number>; dependencies_unknown: number };
    const real = importFile(t.call, file, {}) as { created: Record<string, number>; dependencies_unknown: number };
    expect(real.created.dependencies).toBe(3);
    expect(real.dependencies_unknown).toBe(1);
    expect(dry.created).toEqual(real.created);
    expect(dry.dependencies_unknown).toBe(real.dependencies_unknown);
  });

  it('truncated and corrupt files are refused with line and column, left exactly as they were, nothing imported', () => {
    t = workspace();
    const dir = tempDir();
    const text = readFileSync(sample('flows.9cf6892.json'), 'utf8');
    const truncated = join(dir, 'flows.json');
    writeFileSync(truncated, text.slice(0, 5000));
    const before = dumpDb(t.ws);
    expect(() => importFile(t!.call, truncated, {})).toThrow(/not valid JSON \(line \d+, column \d+/);
    expect(readFileSync(truncated, 'utf8')).toBe(text.slice(0, 5000));
    const corrupt = join(dir, 'workflow.json');
    writeFileSync(corrupt, '{"tasks": [{"id": "t1", "name": "x"},, ]}');
    expect(() => importFile(t!.call, corrupt, {})).toThrow(/line 1, column 38: unexpected character\)/);
    const foreign = join(dir, 'other.json');
    writeFileSync(foreign, '{"hello": 1}');
    expect(() => importFile(t!.call, foreign, {})).toThrow(/not a layout flowmcp knows/);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('an old id another project already uses is renamed for the new flow, and found again on a second import', () => {
    t = workspace();
    importFile(t.call, sample('workflow.f0ab8f7.json'), {});
    const other = join(tempDir(), 'workflow.json');
    writeFileSync(other, JSON.stringify({ version: '3.0', project_name: 'another project', tasks: [{ id: 'task_001', name: 'Someone else\'s first task', status: 'todo' }] }));
    const r = importFile(t.call, other, {}) as { renamed: { kind: string; from: string; to: string }[]; created: { tasks: number } };
    expect(r.created.tasks).toBe(1);
    expect(r.renamed).toEqual([{ kind: 'task', from: 'task_001', to: 'task_001~2' }]);
    expect(findTask(t.call, 'task_001').title).toBe('워크플로우 시스템 리팩토링 완료');
    expect(findTask(t.call, 'task_001~2').title).toBe("Someone else's first task");
    expect((importFile(t.call, other, {}) as { created: { tasks: number } }).created.tasks).toBe(0);
  });
});

describe('imported timestamps are stored in one format', () => {
  const UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

  it('utcTimestamp reads offsets, zone-less local times and microseconds; refuses what is not a time', () => {
    expect(utcTimestamp('2025-07-24T07:42:25.136138+00:00')).toBe('2025-07-24T07:42:25.136Z');
    expect(utcTimestamp('2025-07-24T16:42:25+09:00')).toBe('2025-07-24T07:42:25.000Z');
    expect(utcTimestamp('2025-07-24T02:42:25.5-0500')).toBe('2025-07-24T07:42:25.500Z');
    expect(utcTimestamp('2025-07-24T07:42:25.136Z')).toBe('2025-07-24T07:42:25.136Z');
    expect(utcTimestamp('2025-07-21T12:46:13.358518')).toBe(new Date(2025, 6, 21, 12, 46, 13, 358).toISOString());
    expect(utcTimestamp('2025-07-21 12:46')).toBe(new Date(2025, 6, 21, 12, 46).toISOString());
    for (const bad of ['', 'yesterday', '2025-02-30T00:00:00Z', '2025-07-21T25:00:00', '2025-07-21T12:00:00+24:00', '...']) expect(utcTimestamp(bad)).toBeUndefined();
  });

  it('every timestamp of every imported sample is ISO 8601 UTC with Z', () => {
    t = workspace();
    for (const file of Object.keys(EXPECTED)) importFile(t.call, sample(file), {});
    importLegacyContext(t.call, { text: readFileSync(sample('context.b860d25.json'), 'utf8'), source: 'context.b860d25.json' });
    const stamps = [
      ...t.ws.db.prepare('SELECT created_at AS a, updated_at AS b, NULL AS c, NULL AS d FROM flows').all(),
      ...t.ws.db.prepare('SELECT created_at AS a, updated_at AS b, NULL AS c, NULL AS d FROM plans').all(),
      ...t.ws.db.prepare('SELECT created_at AS a, updated_at AS b, started_at AS c, completed_at AS d FROM tasks').all(),
      ...t.ws.db.prepare('SELECT created_at AS a, NULL AS b, NULL AS c, NULL AS d FROM context_entries').all(),
    ].flatMap((r) => Object.values(r as Record<string, string | null>)).filter((v): v is string => v !== null);
    expect(stamps.length).toBeGreaterThan(500);
    expect(stamps.filter((s) => !UTC.test(s))).toEqual([]);
  });
});
