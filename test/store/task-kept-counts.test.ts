// Counts the database keeps by triggers, in the same transaction as every change: task_counts and
// flow_counts (tasks per plan / per flow and status: plan list, flow get and flow list read them),
// plan_counts (plans per flow and status: flow get reads it) and
// tasks.open_deps (a task's dependencies not done yet: `next` walks the ready index built on it).
// Whatever a user does — create, change status, add or drop a dependency, finish or reopen one, move a
// task (within its flow or to another), archive or reopen a plan, delete a task, a plan or a flow,
// restore a snapshot (of the flow or the workspace) or undo the restore, import — the kept counts equal
// the counts from the rows, and `next` offers exactly what a plain reading of "ready" says: open,
// unclaimed, every dependency done, best priority first.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { exportToFile } from '../../src/core/transfer/export-file.js';
import { importFile } from '../../src/core/transfer/import-file.js';
import { countPlans } from '../../src/store/plans.js';
import { taskCountsByFlow, taskCountsByPlan } from '../../src/store/tasks.js';
import { caller } from '../helpers/call.js';
import { flowSequence, pick } from '../helpers/flow-sequence.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;
const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;

let t: TempWorkspace | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

type Op =
  | { op: 'create'; plan: number; n: number; priority: (typeof PRIORITIES)[number] }
  | { op: 'depend'; task: number; on: number }
  | { op: 'undepend'; task: number; on: number }
  | { op: 'status'; task: number; status: (typeof STATUSES)[number] }
  | { op: 'move'; task: number; plan: number }
  | { op: 'moveOut'; task: number }
  | { op: 'dropOther' }
  | { op: 'deleteTask'; task: number }
  | { op: 'newPlan' }
  | { op: 'deletePlan'; plan: number }
  | { op: 'planStatus'; plan: number; status: 'archived' | 'active' }
  | { op: 'snapshot'; workspace: boolean }
  | { op: 'restore' }
  | { op: 'undo' };

const ops = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('create' as const), plan: fc.nat(), n: fc.integer({ min: 1, max: 3 }), priority: fc.constantFrom(...PRIORITIES) }),
    fc.record({ op: fc.constant('depend' as const), task: fc.nat(), on: fc.nat() }),
    fc.record({ op: fc.constant('depend' as const), task: fc.nat(), on: fc.nat() }),
    fc.record({ op: fc.constant('undepend' as const), task: fc.nat(), on: fc.nat() }),
    fc.record({ op: fc.constant('status' as const), task: fc.nat(), status: fc.constantFrom(...STATUSES) }),
    fc.record({ op: fc.constant('status' as const), task: fc.nat(), status: fc.constantFrom('done' as const, 'todo' as const) }),
    fc.record({ op: fc.constant('move' as const), task: fc.nat(), plan: fc.nat() }),
    fc.record({ op: fc.constant('moveOut' as const), task: fc.nat() }),
    fc.constant({ op: 'dropOther' as const }),
    fc.record({ op: fc.constant('deleteTask' as const), task: fc.nat() }),
    fc.constant({ op: 'newPlan' as const }),
    fc.record({ op: fc.constant('deletePlan' as const), plan: fc.nat() }),
    fc.record({ op: fc.constant('planStatus' as const), plan: fc.nat(), status: fc.constantFrom('archived' as const, 'active' as const) }),
    fc.record({ op: fc.constant('snapshot' as const), workspace: fc.boolean() }),
    fc.constant({ op: 'restore' as const }),
    fc.constant({ op: 'undo' as const }),
  ),
  { maxLength: 30 },
);

/** Every kind of change, once, before the random ones: each run exercises them all. */
const PREFIX: Op[] = [
  { op: 'newPlan' },
  { op: 'create', plan: 0, n: 3, priority: 'high' },
  { op: 'create', plan: 1, n: 2, priority: 'urgent' },
  { op: 'depend', task: 3, on: 0 },
  { op: 'depend', task: 3, on: 1 },
  { op: 'depend', task: 4, on: 3 },
  { op: 'snapshot', workspace: false },
  { op: 'status', task: 0, status: 'done' },
  { op: 'depend', task: 1, on: 2 },
  { op: 'restore' },
  { op: 'undo' },
  { op: 'status', task: 0, status: 'todo' },
  { op: 'undepend', task: 1, on: 2 },
  { op: 'undepend', task: 3, on: 0 }, // one of two open dependencies gone: still waiting on the other
  { op: 'move', task: 3, plan: 0 },
  { op: 'moveOut', task: 2 }, // into the other flow (a task without dependencies: one with some is refused)
  { op: 'move', task: 2, plan: 0 }, // and back
  { op: 'moveOut', task: 2 },
  { op: 'dropOther' }, // the other flow deleted with the task in it
  { op: 'deleteTask', task: 0 },
  { op: 'planStatus', plan: 1, status: 'archived' },
  { op: 'deletePlan', plan: 1 },
  { op: 'snapshot', workspace: true },
  { op: 'create', plan: 0, n: 2, priority: 'low' },
  { op: 'restore' },
];

/** The count from the rows themselves, for every task whose stored count differs (none, if kept right). */
function wrongCounts(w: TempWorkspace): unknown[] {
  return w.ws.db
    .prepare(
      `SELECT t.id, t.open_deps AS stored,
              (SELECT COUNT(*) FROM task_deps d JOIN tasks u ON u.id = d.depends_on WHERE d.task_id = t.id AND u.status != 'done') AS real
         FROM tasks t WHERE stored != real`,
    )
    .all();
}

/** "Ready" read plainly from the rows: the id `next` must offer (or null). */
function plainNext(w: TempWorkspace, flow: string): string | null {
  const row = w.ws.db
    .prepare(
      `SELECT t.id FROM tasks t JOIN plans p ON p.id = t.plan_id
        WHERE t.flow_id = ? AND p.status = 'active' AND t.status = 'todo' AND t.claim_expires_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM task_deps d JOIN tasks u ON u.id = d.depends_on WHERE d.task_id = t.id AND u.status != 'done')
        ORDER BY CASE t.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, p.position, p.id, t.position
        LIMIT 1`,
    )
    .pluck()
    .get(flow) as string | undefined;
  return row ?? null;
}

/** Flows whose kept plan count (all, or not archived) differs from counting their plans (none, if kept right). */
function wrongPlanCounts(w: TempWorkspace): unknown[] {
  const rows = w.ws.db
    .prepare("SELECT f.id, (SELECT COUNT(*) FROM plans p WHERE p.flow_id = f.id) AS n, (SELECT COUNT(*) FROM plans p WHERE p.flow_id = f.id AND p.status != 'archived') AS open FROM flows f")
    .all() as { id: string; n: number; open: number }[];
  return rows
    .map((r) => ({ ...r, kept: countPlans(w.ws.db, r.id), keptOpen: countPlans(w.ws.db, r.id, { open: true }) }))
    .filter((r) => r.kept !== r.n || r.keptOpen !== r.open);
}

function truth(w: TempWorkspace, where: string, id: string): Record<string, number> {
  const rows = w.ws.db.prepare(`SELECT status, COUNT(*) AS n FROM tasks WHERE ${where} = ? GROUP BY status`).all(id) as { status: string; n: number }[];
  return Object.fromEntries(STATUSES.map((s) => [s, rows.find((r) => r.status === s)?.n ?? 0]));
}

const changed = new Set<string>();

describe('counts kept by triggers, and next', () => {
  it('equal the rows after any sequence of changes, restores and undos', () => {
    fc.assert(
      fc.property(ops, (seq) => {
        t?.cleanup();
        const { w, ok, raw, flow, plans, tasks } = flowSequence('Deps');
        t = w;
        // A second flow with one plan: tasks move into it (and back), and it is deleted and made again.
        const otherFlow = () => {
          const id = ok('flow', { action: 'create', name: 'Other' }).flow.id as string;
          const plan = ok('plan', { action: 'create', flow_id: id, title: 'Elsewhere' }).plan.id as string;
          ok('flow', { action: 'switch', id: flow });
          return { id, plan };
        };
        let other = otherFlow();
        const flows = () => w.ws.db.prepare('SELECT id FROM flows').pluck().all() as string[];
        const state = () => JSON.stringify(w.ws.db.prepare('SELECT t.id, t.plan_id, t.status, t.open_deps, (SELECT group_concat(depends_on) FROM task_deps WHERE task_id = t.id) AS deps FROM tasks t ORDER BY id').all()) +
          JSON.stringify(w.ws.db.prepare('SELECT id, flow_id, status FROM plans ORDER BY id').all());
        let snapshot: string | undefined;
        let undo: string | undefined;
        for (const o of [...PREFIX, ...seq]) {
          const before = state();
          const ts = tasks();
          const ps = plans();
          const a = pick(ts, o.op === 'depend' || o.op === 'undepend' || o.op === 'status' || o.op === 'move' || o.op === 'deleteTask' ? o.task : 0);
          if (o.op === 'create' && pick(ps, o.plan)) {
            ok('task', { action: 'create', plan_id: pick(ps, o.plan), tasks: Array.from({ length: o.n }, (_, i) => ({ title: `t${i}`, priority: o.priority })) });
          }
          if ((o.op === 'depend' || o.op === 'undepend') && a && pick(ts, o.on)) raw('task', { action: o.op, id: a, depends_on: [pick(ts, o.on)] });
          if (o.op === 'status' && a) raw('task', { action: 'set_status', id: a, status: o.status });
          if (o.op === 'move' && a && pick(ps, o.plan)) raw('task', { action: 'move', id: a, plan_id: pick(ps, o.plan), position: 1 });
          if (o.op === 'moveOut' && a) raw('task', { action: 'move', id: a, plan_id: other.plan });
          if (o.op === 'dropOther') {
            raw('flow', { action: 'delete', id: other.id, confirm: true });
            other = otherFlow();
          }
          if (o.op === 'deleteTask' && a) raw('task', { action: 'delete', id: a, confirm: true });
          if (o.op === 'newPlan') ok('plan', { action: 'create', flow_id: flow, title: `P${ps.length}` });
          if (o.op === 'deletePlan' && pick(ps, o.plan)) raw('plan', { action: 'delete', id: pick(ps, o.plan), confirm: true });
          if (o.op === 'planStatus' && pick(ps, o.plan)) raw('plan', { action: 'update', id: pick(ps, o.plan), status: o.status });
          if (o.op === 'snapshot') snapshot = ok('snapshot', { action: 'create', label: 's', ...(o.workspace ? {} : { flow_id: flow }) }).snapshot.id;
          if (o.op === 'restore' && snapshot) {
            const r = raw('snapshot', { action: 'restore', id: snapshot, confirm: true });
            if (!r.isError) undo = r.structured.undo_snapshot as string;
          }
          if (o.op === 'undo' && undo) raw('snapshot', { action: 'restore', id: undo, confirm: true });
          if (state() !== before) changed.add(o.op);
          expect(wrongCounts(w), `after ${JSON.stringify(o)}`).toEqual([]);
          for (const p of plans()) expect(taskCountsByPlan(w.ws.db, p), `plan ${p} after ${JSON.stringify(o)}`).toEqual(truth(w, 'plan_id', p));
          for (const f of flows()) expect(taskCountsByFlow(w.ws.db, f), `flow ${f} after ${JSON.stringify(o)}`).toEqual(truth(w, 'flow_id', f));
          expect(w.ws.db.prepare('SELECT flow_id FROM flow_counts WHERE flow_id NOT IN (SELECT id FROM flows)').all(), 'counts of deleted flows').toEqual([]);
          expect(wrongPlanCounts(w), `plan counts after ${JSON.stringify(o)}`).toEqual([]);
          expect(w.ws.db.prepare('SELECT flow_id FROM plan_counts WHERE flow_id NOT IN (SELECT id FROM flows)').all(), 'plan counts of deleted flows').toEqual([]);
          const next = raw('task', { action: 'next', flow_id: flow });
          const offered = next.isError ? null : ((next.structured.task as { id: string } | null)?.id ?? null);
          expect(offered, `next after ${JSON.stringify(o)}`).toBe(plainNext(w, flow));
        }
      }),
      { numRuns: 40 },
    );
    // Every kind of change really changed something in some run (a refused call would test nothing).
    expect([...changed].sort()).toEqual(['create', 'deletePlan', 'deleteTask', 'depend', 'dropOther', 'move', 'moveOut', 'newPlan', 'planStatus', 'restore', 'status', 'undepend', 'undo']);
  });

  it('match the rows after a flowmcp export is imported into another project', () => {
    t = tempWorkspace();
    const w = t;
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'Exported' });
    ok('plan', { action: 'create', title: 'P' });
    const ids = (ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }] }).tasks as { id: string }[]).map((x) => x.id);
    ok('task', { action: 'depend', id: ids[1], depends_on: [ids[0]] });
    ok('task', { action: 'depend', id: ids[2], depends_on: [ids[0], ids[3]] });
    ok('task', { action: 'set_status', id: ids[3], status: 'done' });
    expect(wrongCounts(w)).toEqual([]);
    const file = join(w.dir, 'export.json');
    exportToFile(w.call, file);
    const b = tempWorkspace();
    try {
      importFile(b.call, file, {});
      const counts = b.ws.db.prepare('SELECT id, open_deps FROM tasks ORDER BY id').all();
      expect(counts).toEqual(w.ws.db.prepare('SELECT id, open_deps FROM tasks ORDER BY id').all());
      expect(wrongCounts(b)).toEqual([]);
      // b and c wait on a: the first ready task is a, then d is done, so only a.
      expect(caller(b.call).ok('task', { action: 'next' }).task.id).toBe(ids[0]);
    } finally {
      b.cleanup();
    }
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
    expect(wrongPlanCounts(w)).toEqual([]);
    // And a flowmcp export of it, imported into another project (rows written without insertTask).
    const file = join(w.dir, 'export.json');
    exportToFile(w.call, file);
    expect(wrongCounts(w)).toEqual([]);
    const b = tempWorkspace();
    try {
      importFile(b.call, file, {});
      const bPlans = (b.ws.db.prepare('SELECT id FROM plans').all() as { id: string }[]).map((r) => r.id);
      expect(bPlans.length).toBe(plans.length);
  for (const p of bPlans) expect(taskCountsByPlan(b.ws.db, p), `imported plan ${p}`).toEqual(truth(b, 'plan_id', p));
      for (const f of b.ws.db.prepare('SELECT id FROM flows').pluck().all() as string[]) expect(taskCountsByFlow(b.ws.db, f), `imported flow ${f}`).toEqual(truth(b, 'flow_id', f));
      expect(wrongCounts(b)).toEqual([]);
      expect(wrongPlanCounts(b)).toEqual([]);
    } finally {
      b.cleanup();
    }
  });
});
