// Task counts (flow get, flow list, plan list) are read from task_counts, kept by triggers in the same
// transaction as every change. Whatever a user does — create, change status, move between plans, delete a
// task, a plan or a flow, restore a snapshot — the counts shown equal the tasks that are there.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exportToFile } from '../../src/core/transfer/export-file.js';
import { importFile } from '../../src/core/transfer/import-file.js';
import { taskCountsByFlow, taskCountsByPlan } from '../../src/store/tasks.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;

let t: TempWorkspace | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

type Op =
  | { op: 'create'; plan: number; n: number }
  | { op: 'status'; task: number; status: (typeof STATUSES)[number] }
  | { op: 'move'; task: number; plan: number }
  | { op: 'deleteTask'; task: number }
  | { op: 'newPlan' }
  | { op: 'deletePlan'; plan: number }
  | { op: 'snapshot' }
  | { op: 'restore' };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('create' as const), plan: fc.nat(), n: fc.integer({ min: 1, max: 4 }) }),
    fc.record({ op: fc.constant('status' as const), task: fc.nat(), status: fc.constantFrom(...STATUSES) }),
    fc.record({ op: fc.constant('move' as const), task: fc.nat(), plan: fc.nat() }),
    fc.record({ op: fc.constant('deleteTask' as const), task: fc.nat() }),
    fc.constant({ op: 'newPlan' as const }),
    fc.record({ op: fc.constant('deletePlan' as const), plan: fc.nat() }),
    fc.constant({ op: 'snapshot' as const }),
    fc.constant({ op: 'restore' as const }),
  ),
  { maxLength: 25 },
);

/** Every kind of change, once, before the random ones: each run exercises them all. */
const PREFIX: Op[] = [
  { op: 'newPlan' },
  { op: 'create', plan: 0, n: 3 },
  { op: 'create', plan: 1, n: 2 },
  { op: 'snapshot' },
  { op: 'move', task: 0, plan: 1 },
  { op: 'status', task: 1, status: 'in_progress' },
  { op: 'deleteTask', task: 2 },
  { op: 'restore' },
  { op: 'deletePlan', plan: 1 },
];

function truth(w: TempWorkspace, where: string, id: string): Record<string, number> {
  const rows = w.ws.db.prepare(`SELECT status, COUNT(*) AS n FROM tasks WHERE ${where} = ? GROUP BY status`).all(id) as { status: string; n: number }[];
  return Object.fromEntries(STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0]));
}

const succeeded = new Set<string>();

describe('task counts', () => {
  it('equal the tasks there are after any sequence of changes', () => {
    fc.assert(
      fc.property(ops, (seq) => {
        t?.cleanup();
        t = tempWorkspace();
        const w = t;
        const { ok, raw } = caller(w.call);
        const flow = ok('flow', { action: 'create', name: 'Counts' }).flow.id as string;
        ok('plan', { action: 'create', title: 'First' });
        const plans = () => (w.ws.db.prepare('SELECT id FROM plans WHERE flow_id = ? ORDER BY position').all(flow) as { id: string }[]).map((r) => r.id);
        const tasks = () => (w.ws.db.prepare('SELECT id FROM tasks ORDER BY id').all() as { id: string }[]).map((r) => r.id);
        const pick = <T>(xs: T[], i: number) => (xs.length ? xs[i % xs.length] : undefined);
        let snapshot: string | undefined;
        for (const o of [...PREFIX, ...seq]) {
          const before = JSON.stringify(w.ws.db.prepare('SELECT id, plan_id, status, position FROM tasks ORDER BY id').all());
          const ts = tasks();
          const ps = plans();
          if (o.op === 'create' && pick(ps, o.plan)) ok('task', { action: 'create', plan_id: pick(ps, o.plan), tasks: Array.from({ length: o.n }, (_, i) => ({ title: `t${i}` })) });
          if (o.op === 'status' && pick(ts, o.task)) raw('task', { action: 'set_status', id: pick(ts, o.task), status: o.status });
          if (o.op === 'move' && pick(ts, o.task) && pick(ps, o.plan)) raw('task', { action: 'move', id: pick(ts, o.task), plan_id: pick(ps, o.plan), position: 1 });
          if (o.op === 'deleteTask' && pick(ts, o.task)) raw('task', { action: 'delete', id: pick(ts, o.task), confirm: true });
          if (o.op === 'newPlan') ok('plan', { action: 'create', flow_id: flow, title: `P${ps.length}` });
          if (o.op === 'deletePlan' && pick(ps, o.plan)) raw('plan', { action: 'delete', id: pick(ps, o.plan), confirm: true });
          if (o.op === 'snapshot') snapshot = ok('snapshot', { action: 'create', label: 's' }).snapshot.id;
          if (o.op === 'restore' && snapshot) raw('snapshot', { action: 'restore', id: snapshot, confirm: true });
          if (JSON.stringify(w.ws.db.prepare('SELECT id, plan_id, status, position FROM tasks ORDER BY id').all()) !== before) succeeded.add(o.op);
          for (const p of plans()) expect(taskCountsByPlan(w.ws.db, p), `plan ${p} after ${o.op}`).toEqual(truth(w, 'plan_id', p));
          expect(taskCountsByFlow(w.ws.db, flow), `flow after ${o.op}`).toEqual(truth(w, 'flow_id', flow));
        }
      }),
      { numRuns: 40 },
    );
    // Every kind of change really changed tasks in some run (a refused call would test nothing).
    expect([...succeeded].sort()).toEqual(['create', 'deletePlan', 'deleteTask', 'move', 'restore', 'status']);
  });

  it('equal the tasks there are after importing every legacy sample (counted in bulk, not per row) twice, and its export elsewhere', () => {
    const samples = fileURLToPath(new URL('../fixtures/legacy-samples/', import.meta.url));
    t = tempWorkspace();
    const w = t;
    const files = readdirSync(samples).filter((f) => f.endsWith('.json') && f.startsWith('flows.'));
    expect(files.length).toBeGreaterThan(3);
    for (const f of files) importFile(w.call, join(samples, f), {});
    for (const f of files) importFile(w.call, join(samples, f), {}); // already imported: nothing doubles
    const plans = (w.ws.db.prepare('SELECT id FROM plans').all() as { id: string }[]).map((r) => r.id);
    const flows = (w.ws.db.prepare('SELECT id FROM flows').all() as { id: string }[]).map((r) => r.id);
    expect(plans.length).toBeGreaterThan(10);
    for (const p of plans) expect(taskCountsByPlan(w.ws.db, p), `plan ${p}`).toEqual(truth(w, 'plan_id', p));
    for (const f of flows) expect(taskCountsByFlow(w.ws.db, f), `flow ${f}`).toEqual(truth(w, 'flow_id', f));
    // And a flowmcp export of it, imported into another project (rows written without insertTask).
    const file = join(w.dir, 'export.json');
    exportToFile(w.call, file);
    const b = tempWorkspace();
    try {
      importFile(b.call, file, {});
      const bPlans = (b.ws.db.prepare('SELECT id FROM plans').all() as { id: string }[]).map((r) => r.id);
      expect(bPlans.length).toBe(plans.length);
      for (const p of bPlans) expect(taskCountsByPlan(b.ws.db, p), `imported plan ${p}`).toEqual(truth(b, 'plan_id', p));
    } finally {
      b.cleanup();
    }
  });
});
