// A task list page is walked plan by plan through indexes in list order (store/tasks.ts): whatever the
// positions (ties included, as an import or a hand-edited database may leave them) and whichever statuses
// are asked for, paging to the end gives every matching task exactly once, in the order the list promises:
// plan position, plan id, task position, task id.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFlow } from '../../src/store/flows.js';
import { insertPlan } from '../../src/store/plans.js';
import { insertTask, listTasks, type TaskListRow } from '../../src/store/tasks.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;
const NOW = '2026-01-01T00:00:00.000Z';

let t: TempWorkspace;
beforeAll(() => {
  t = tempWorkspace();
});
afterAll(() => t.cleanup());

interface World {
  plans: { id: string; position: number }[];
  tasks: { id: string; plan: number; position: number; status: (typeof STATUSES)[number] }[];
}

const world = fc.record({
  plans: fc.uniqueArray(fc.record({ id: fc.stringMatching(/^p-[a-e]{1,2}$/), position: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 5, selector: (p) => p.id }),
  tasks: fc.uniqueArray(
    fc.record({ id: fc.stringMatching(/^t-[a-f]{1,3}$/), plan: fc.nat(), position: fc.integer({ min: 0, max: 4 }), status: fc.constantFrom(...STATUSES) }),
    { maxLength: 40, selector: (x) => x.id },
  ),
});

function load(w: World, flow: string): void {
  t.ws.db.transaction(() => {
    insertFlow(t.ws.db, { id: flow, name: flow, description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
    for (const p of w.plans) insertPlan(t.ws.db, { id: `${flow}${p.id}`, flow_id: flow, title: p.id, objective: '', status: 'active', position: p.position, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
    for (const x of w.tasks) {
      const plan = w.plans[x.plan % w.plans.length]!;
      insertTask(t.ws.db, {
        id: `${flow}${x.id}`, plan_id: `${flow}${plan.id}`, flow_id: flow, title: x.id, description: '', status: x.status, priority: 'medium', position: x.position,
        claimed_by: null, claim_expires_at: null, started_at: null, completed_at: null, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1,
      });
    }
  })();
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

let flows = 0;
describe('task list pages', () => {
  it('page to the end with every matching task once, in plan position, plan id, task position, task id order', () => {
    fc.assert(
      fc.property(world, fc.subarray([...STATUSES]), fc.integer({ min: 1, max: 7 }), fc.boolean(), (w, statuses, limit, onePlan) => {
        const flow = `f${++flows}-`;
        load(w, flow);
        const planId = onePlan ? `${flow}${w.plans[0]!.id}` : undefined;
        const expected = w.tasks
          .map((x) => ({ ...x, p: w.plans[x.plan % w.plans.length]! }))
          .filter((x) => (!statuses.length || statuses.includes(x.status)) && (!planId || `${flow}${x.p.id}` === planId))
          .sort((a, b) => cmp(a.p.position, b.p.position) || cmp(a.p.id, b.p.id) || cmp(a.position, b.position) || cmp(a.id, b.id))
          .map((x) => `${flow}${x.id}`);
        const got: string[] = [];
        let after: { pp: number; pid: string; tp: number; id: string } | undefined;
        for (let pages = 0; pages <= expected.length + 1; pages++) {
          const rows: TaskListRow[] = listTasks(t.ws.db, { flowId: flow, planId, statuses, after, limit });
          expect(rows.length).toBeLessThanOrEqual(limit);
          got.push(...rows.map((r) => r.id));
          if (rows.length < limit) break;
          const last = rows[rows.length - 1]!;
          after = { pp: last.plan_position, pid: last.plan_id, tp: last.position, id: last.id };
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });
});
