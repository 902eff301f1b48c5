// Importing a flowmcp export (core/transfer/import-flowmcp.ts): every row is checked before anything is
// written, and a refusal places each problem; a dry run reports and writes nothing; the import takes a
// snapshot, records an undoable event, keeps the project's default flow, writes the context file of a
// flow that has a context, and a second import of the same file creates nothing.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportState } from '../../../src/core/transfer/export.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { contextFilePath } from '../../../src/core/memory/context-file.js';
import { defaultFlow, setDefaultFlow } from '../../../src/core/kernel/session.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempDir, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const ws = workspacePerTest();
type Doc = { current_flow_id: string | null; flows: Record<string, any> };
type Report = { layout: string; dry_run: boolean; created: Record<string, number>; already_imported: { flows: number }; snapshot?: string };

/** A project with two flows: "One" (a plan of two tasks, the second depending on the first, and a saved context) and "Two" (a plan of one task); "Two" is the default. */
function source(): { t: TempWorkspace; one: string; two: string } {
  const t = ws();
  const c = caller(t.call);
  const one = c.ok('flow', { action: 'create', name: 'One' }).flow.id;
  c.ok('plan', { action: 'create', title: 'Plan one' });
  c.ok('task', { action: 'create', tasks: [{ title: 'first' }, { title: 'second', depends_on: ['#1'] }] });
  c.ok('context', { action: 'save', summary: 'Where we are', question: 'Anything left?' });
  const two = c.ok('flow', { action: 'create', name: 'Two' }).flow.id;
  c.ok('plan', { action: 'create', title: 'Plan two' });
  c.ok('task', { action: 'create', tasks: [{ title: 'only' }] });
  t.ws.write(() => setDefaultFlow(t.ws.db, two));
  return { t, one, two };
}

const write = (doc: unknown) => {
  const f = join(tempDir(), 'export.json');
  writeFileSync(f, JSON.stringify(doc));
  return f;
};
function refusal(fn: () => unknown): { code: string; message: string; details: { problems: { at: string; field?: string; problem: string }[] } } {
  try {
    fn();
  } catch (e) {
    return e as never;
  }
  throw new Error('the import was not refused');
}

describe('importing a flowmcp export', () => {
  it('writes a snapshot and an undoable event first, keeps the default flow, writes the context file only of a flow with a context; twice creates nothing', () => {
    const { t: a, one, two } = source();
    const file = write(JSON.parse(exportState(a.call)));

    const b = ws();
    const mine = caller(b.call).ok('flow', { action: 'create', name: 'Mine' }).flow.id;
    b.ws.write(() => setDefaultFlow(b.ws.db, mine));
    const r = importFile(b.call, file, {}) as Report;
    expect(r).toMatchObject({ layout: 'flowmcp-export', dry_run: false, created: { flows: 2, plans: 2, tasks: 3, dependencies: 1, context_entries: 2 }, already_imported: { flows: 0 } });
    expect(defaultFlow(b.ws.db)).toBe(mine); // the file's current flow does not take over this project's
    const db = dumpDb(b.ws);
    expect((db.snapshots as { id: string; reason: string }[]).find((s) => s.id === r.snapshot)?.reason).toBe(`before importing ${file}`);
    expect((db.events as { action: string; summary: string }[]).filter((e) => e.action === 'import').map((e) => e.summary)).toEqual([
      `imported ${file} (flowmcp export): 2 flows, 3 tasks; undo: snapshot restore ${r.snapshot}`,
    ]);
    expect(existsSync(contextFilePath(b.call, one))).toBe(true);
    expect(existsSync(contextFilePath(b.call, two))).toBe(false);

    const again = importFile(b.call, file, {}) as Report;
    expect(again).toMatchObject({ created: { flows: 0, plans: 0, tasks: 0 }, already_imported: { flows: 2 } });
    expect(again.snapshot).toBeUndefined();
  });

  it("in a project with no default flow, the file's current flow becomes it", () => {
    const { t: a, two } = source();
    const b = ws();
    importFile(b.call, write(JSON.parse(exportState(a.call))), {});
    expect(defaultFlow(b.ws.db)).toBe(two);
  });

  it('a dry run reports what it would create and writes nothing', () => {
    const { t: a } = source();
    const file = write(JSON.parse(exportState(a.call)));
    const b = ws();
    const before = dumpDb(b.ws);
    const r = importFile(b.call, file, { dry_run: true }) as Report;
    expect(r).toMatchObject({ dry_run: true, created: { flows: 2, plans: 2, tasks: 3, dependencies: 1, context_entries: 2 } });
    expect(r.snapshot).toBeUndefined();
    expect(dumpDb(b.ws)).toEqual(before);
  });

  it('a flow without plans, a plan without tasks and a context without entries are imported as empty', () => {
    const { t: a, one, two } = source();
    const doc = JSON.parse(exportState(a.call)) as Doc;
    delete doc.flows[two].plans;
    delete doc.flows[one].plans[0].tasks;
    delete doc.flows[one].context.entries;
    const b = ws();
    const r = importFile(b.call, write(doc), {}) as Report;
    expect(r.created).toEqual({ flows: 2, plans: 1, tasks: 0, dependencies: 0, context_entries: 0 });
    const out = JSON.parse(exportState(b.call)) as Doc;
    expect(out.flows[two].plans).toEqual([]);
    expect(out.flows[one].plans.map((p: { title: string; tasks: unknown[] }) => [p.title, p.tasks])).toEqual([['Plan one', []]]);
    expect(out.flows[one].context.entries).toEqual([]);
  });

  it('is refused whole, each problem placed, when ids repeat in the file, a dependency leaves its flow or a context entry is bad', () => {
    const { t: a, one, two } = source();
    const doc = JSON.parse(exportState(a.call)) as Doc;
    const [i1, i2] = [one, two].map((id) => Object.keys(doc.flows).indexOf(id)) as [number, number];
    doc.flows[two].plans[0].id = doc.flows[one].plans[0].id;
    doc.flows[one].plans[0].tasks[0].depends_on = [{ id: doc.flows[two].plans[0].tasks[0].id, created_at: '2026-01-01T00:00:00.000Z' }];
    doc.flows[one].context.entries[0].kind = 'rumour';
    const file = write(doc);
    const b = ws();
    const before = dumpDb(b.ws);
    for (const dry_run of [false, true]) {
      const e = refusal(() => importFile(b.call, file, { dry_run }));
      expect(e.code).toBe('invalid_input');
      // The plan id seen second (in file order) is the one reported.
      const twice = i1 < i2 ? `flows[${i2}].plans[0]` : `flows[${i1}].plans[0]`;
      expect(e.details.problems).toEqual(
        expect.arrayContaining([
          { at: `flows[${i1}].plans[0].tasks[0]`, field: 'depends_on', problem: 'names a task that is not in this flow of the file' },
          { at: `flows[${i1}].context.entries[0]`, field: 'kind', problem: expect.any(String) },
          { at: twice, field: 'id', problem: 'is used twice in the file' },
        ]),
      );
      expect(e.details.problems).toHaveLength(3);
    }
    expect(dumpDb(b.ws)).toEqual(before);
  });

  it("is refused when a new flow's plans or tasks would take over ids another flow here uses, saying how many", () => {
    const { t: a, one } = source();
    const doc = JSON.parse(exportState(a.call)) as Doc;
    // The same flow under a new id: its plan and task ids belong to flow "One" already here.
    const copy = { ...doc.flows[one], id: 'flow-copy', context: { entries: [], state: null } };
    const before = dumpDb(a.ws);
    const e = refusal(() => importFile(a.call, write({ ...doc, flows: { 'flow-copy': copy } }), {}));
    expect(e.details.problems).toEqual([
      { at: 'plans', field: 'id', problem: '1 id is already used by another flow in this project' },
      { at: 'tasks', field: 'id', problem: '2 ids are already used by another flow in this project' },
    ]);
    expect(dumpDb(a.ws)).toEqual(before);
  });

  it('a file missing a field the project cannot do without is refused whole, each one placed; nothing is written, not even a snapshot', () => {
    const { t: a, one, two } = source();
    const doc = JSON.parse(exportState(a.call)) as Doc;
    const [i1, i2] = [one, two].map((id) => Object.keys(doc.flows).indexOf(id)) as [number, number];
    const f = doc.flows[one];
    delete doc.flows[two].revision;
    delete f.plans[0].tasks[1].position;
    f.plans[0].tasks[0].description = null;
    delete f.plans[0].tasks[1].depends_on[0].created_at;
    delete f.context.entries[0].created_at;
    delete f.context.state.files;
    const b = ws();
    const before = dumpDb(b.ws);
    const e = refusal(() => importFile(b.call, write(doc), {}));
    expect(e.code).toBe('invalid_input');
    expect(e.details.problems.map((p) => `${p.at} ${p.field}`).sort()).toEqual(
      [
        `flows[${i2}] revision`,
        `flows[${i1}].plans[0].tasks[1] position`,
        `flows[${i1}].plans[0].tasks[0] description`,
        `flows[${i1}].plans[0].tasks[1] depends_on.0.created_at`,
        `flows[${i1}].context.entries[0] created_at`,
        `flows[${i1}].context.state files`,
      ].sort(),
    );
    expect(dumpDb(b.ws)).toEqual(before);
  });
});
