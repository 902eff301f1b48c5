// One set of rules for a row, whichever door it comes in by: an import is checked by the same limits,
// vocabularies and cycle rule as the tools, before anything is written. One bad row refuses the whole
// import (nothing half-imported, not even a snapshot), and the refusal says where each problem is and
// which rule it breaks, without quoting the file.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportState } from '../../../src/core/transfer/export.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempDir, workspacePerTest } from '../../helpers/workspace.js';

const ws = workspacePerTest();
const file = (name: string, value: unknown) => {
  const f = join(tempDir(), name);
  writeFileSync(f, typeof value === 'string' ? value : JSON.stringify(value));
  return f;
};
function refusal(fn: () => unknown): { code: string; message: string; details: { problems: { at: string; field?: string; problem: string }[]; problem_count: number } } {
  try {
    fn();
  } catch (e) {
    return e as never;
  }
  throw new Error('the import was not refused');
}
const LONG = 'x'.repeat(501);
const task = (id: string, extra: Record<string, unknown> = {}) => ({ id, name: `Task ${id}`, status: 'todo', ...extra });

describe('a legacy flows.json', () => {
  it('with rows the tools would refuse is refused whole, every problem placed, nothing written', () => {
    const t = ws();
    const f = file('flows.json', {
      flows: [
        { id: 'ok', name: 'Fine flow', plans: [{ id: 'p0', name: 'Plan', tasks: [task('a')] }] },
        {
          id: 'bad',
          name: 'two\nlines',
          plans: [
            { id: 'p1', name: 'Plan', tasks: [task('t1', { name: LONG }), task('t2', { dependencies: ['t3'] }), task('t3', { dependencies: ['t2'] }), task('t4', { dependencies: ['t4'] })] },
          ],
        },
      ],
    });
    const before = dumpDb(t.ws);
    for (const dry_run of [true, false]) {
      const e = refusal(() => importFile(t.call, f, { dry_run }));
      expect(e.code).toBe('invalid_input');
      expect(e.message).toMatch(/Nothing was imported/);
      expect(e.message).not.toContain(LONG);
      expect(e.details.problems).toEqual([
        { at: 'flows[1]', field: 'name', problem: 'must be one line without control characters' },
        { at: 'flows[1].plans[0].tasks[0]', field: 'title', problem: 'must be at most 500 characters' },
        { at: 'flows[1]', field: 'depends_on', problem: expect.stringMatching(/dependency cycle \(2 tasks\): flows\[1\]\.plans\[0\]\.tasks\[1\] → flows\[1\]\.plans\[0\]\.tasks\[2\] → flows\[1\]\.plans\[0\]\.tasks\[1\]/) },
      ]);
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a self-dependency is refused as the tools refuse it', () => {
    const t = ws();
    const f = file('flows.json', { flows: [{ id: 'f', name: 'F', plans: [{ id: 'p', name: 'P', tasks: [task('t4', { dependencies: ['t4'] })] }] }] });
    expect(refusal(() => importFile(t.call, f, {})).details.problems[0]).toMatchObject({ field: 'depends_on', problem: expect.stringMatching(/depends on itself/) });
  });

  it('a bad row after the first committed batch still leaves nothing imported', () => {
    const t = ws();
    const flows = Array.from({ length: 2_500 }, (_, i) => ({ id: `f${i}`, name: `Flow ${i}`, plans: [] as unknown[] }));
    flows[2_499]!.name = ' ';
    const before = dumpDb(t.ws);
    expect(refusal(() => importFile(t.call, file('flows.json', { flows }), {})).details.problems).toEqual([{ at: 'flows[2499]', field: 'name', problem: 'must not be empty' }]);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});

describe('a flowmcp export', () => {
  function exported() {
    const a = ws();
    const c = caller(a.call);
    c.ok('flow', { action: 'create', name: 'F' });
    c.ok('plan', { action: 'create', title: 'P' });
    c.ok('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two', depends_on: ['#1'] }] });
    return { a, doc: JSON.parse(exportState(a.call)) };
  }

  it('with an invalid status, an oversized title or a dependency cycle is refused whole', () => {
    const { doc } = exported();
    const flow = Object.values(doc.flows)[0] as { plans: { tasks: { id: string; status: string; title: string; depends_on: { id: string; created_at: string }[] }[] }[] };
    const [one, two] = flow.plans[0]!.tasks;
    const b = ws();
    const before = dumpDb(b.ws);
    const bad = structuredClone(doc);
    const tasks = (Object.values(bad.flows)[0] as typeof flow).plans[0]!.tasks;
    tasks[0]!.status = 'bogus';
    tasks[1]!.title = LONG;
    const e = refusal(() => importFile(b.call, file('export.json', bad), {}));
    expect(e.details.problems.map((p) => `${p.at}.${p.field}`)).toEqual(['flows[0].plans[0].tasks[0].status', 'flows[0].plans[0].tasks[1].title']);
    one!.depends_on = [{ id: two!.id, created_at: '2026-01-01T00:00:00.000Z' }]; // two already depends on one
    const cyc = refusal(() => importFile(b.call, file('export.json', doc), {}));
    expect(cyc.details.problems).toEqual([{ at: 'flows[0]', field: 'depends_on', problem: expect.stringMatching(/^dependency cycle \(2 tasks\): flows\[0\]\.plans\[0\]\.tasks\[0\] → flows\[0\]\.plans\[0\]\.tasks\[1\] → flows\[0\]\.plans\[0\]\.tasks\[0\]$/) }]);
    expect(dumpDb(b.ws)).toEqual(before);
  });

  it('cannot take over another flow\'s tasks by naming their ids', () => {
    const { a, doc } = exported();
    const [fid] = Object.keys(doc.flows);
    doc.flows['f-stranger'] = { ...doc.flows[fid!], id: 'f-stranger', name: 'Stranger' };
    delete doc.flows[fid!];
    const before = dumpDb(a.ws);
    const e = refusal(() => importFile(a.call, file('export.json', doc), {}));
    expect(e.details.problems).toContainEqual({ at: 'tasks', field: 'id', problem: '2 ids are already used by another flow in this project' });
    expect(dumpDb(a.ws)).toEqual(before);
  });
});

describe('a legacy context.json', () => {
  it('with an entry longer than context save allows is refused, nothing added', () => {
    const t = ws();
    caller(t.call).ok('flow', { action: 'create', name: 'F' });
    const f = file('context.json', { memory: { recent_decisions: [{ decision: 'fine' }, { decision: 'y'.repeat(4001) }] } });
    const before = dumpDb(t.ws);
    const e = refusal(() => importFile(t.call, f, {}));
    expect(e.details.problems).toEqual([{ at: 'decision entries[1]', field: 'text', problem: expect.stringMatching(/at most 4,000 characters/) }]);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});
