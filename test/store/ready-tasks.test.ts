// "Ready" (task next) walks priorities, then active plans in order, then each plan's open tasks through an
// index (store/tasks.ts readyTasks). Against a plain reference over random flows: a task is offered when
// it is todo (or in_progress with an expired claim), nobody holds a live claim, every dependency is done
// and its plan is active; best first by priority, plan position, plan id, task position; never more than asked.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertFlow } from '../../src/store/flows.js';
import { insertPlan } from '../../src/store/plans.js';
import { insertTask, readyTasks } from '../../src/store/tasks.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const STATUSES = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'] as const;
const PRIORITIES = ['urgent', 'high', 'medium', 'low'] as const;
const NOW = '2026-01-01T12:00:00.000Z';
const PAST = '2026-01-01T11:00:00.000Z';
const LATER = '2026-01-01T13:00:00.000Z';

let t: TempWorkspace;
beforeAll(() => {
  t = tempWorkspace();
});
afterAll(() => t.cleanup());

const world = fc.record({
  plans: fc.uniqueArray(fc.record({ id: fc.stringMatching(/^p-[a-e]{1,2}$/), position: fc.integer({ min: 0, max: 3 }), active: fc.boolean() }), { minLength: 1, maxLength: 4, selector: (p) => p.id }),
  tasks: fc.array(
    fc.record({
      plan: fc.nat(),
      status: fc.constantFrom(...STATUSES),
      priority: fc.constantFrom(...PRIORITIES),
      claim: fc.constantFrom('none', 'live', 'expired'),
      deps: fc.array(fc.nat(), { maxLength: 2 }),
    }),
    { maxLength: 30 },
  ),
  limit: fc.integer({ min: 1, max: 8 }),
  onePlan: fc.boolean(),
});

let flows = 0;
describe('ready tasks', () => {
  it('match a plain reference, best first, for random flows', () => {
    fc.assert(
      fc.property(world, (w) => {
        const flow = `f${++flows}-`;
        const db = t.ws.db;
        const tasks = w.tasks.map((x, i) => ({ ...x, id: `${flow}t${String(i).padStart(3, '0')}`, p: w.plans[x.plan % w.plans.length]!, position: i }));
        db.transaction(() => {
          insertFlow(db, { id: flow, name: flow, description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
          for (const p of w.plans) insertPlan(db, { id: `${flow}${p.id}`, flow_id: flow, title: p.id, objective: '', status: p.active ? 'active' : 'done', position: p.position, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
          for (const x of tasks) {
            insertTask(db, {
              id: x.id, plan_id: `${flow}${x.p.id}`, flow_id: flow, title: x.id, description: '', status: x.status, priority: x.priority, position: x.position,
              claimed_by: x.claim === 'none' ? null : 'someone', claim_expires_at: x.claim === 'live' ? LATER : x.claim === 'expired' ? PAST : null,
              started_at: null, completed_at: null, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1,
            });
          }
          for (const [i, x] of tasks.entries()) for (const d of new Set(x.deps.map((n) => n % tasks.length))) if (d < i) db.prepare('INSERT INTO task_deps (task_id, depends_on, created_at) VALUES (?, ?, ?)').run(x.id, tasks[d]!.id, NOW);
        })();
        const planId = w.onePlan ? `${flow}${w.plans[0]!.id}` : undefined;
        const depsDone = (x: (typeof tasks)[number], i: number) => [...new Set(x.deps.map((n) => n % tasks.length))].filter((d) => d < i).every((d) => tasks[d]!.status === 'done');
        const expected = tasks
          .filter((x, i) =>
            x.p.active && (!planId || `${flow}${x.p.id}` === planId) && depsDone(x, i) && x.claim !== 'live' &&
            (x.status === 'todo' || (x.status === 'in_progress' && x.claim === 'expired')),
          )
          .sort((a, b) => PRIORITIES.indexOf(a.priority) - PRIORITIES.indexOf(b.priority) || a.p.position - b.p.position || (a.p.id < b.p.id ? -1 : a.p.id > b.p.id ? 1 : 0) || a.position - b.position)
          .slice(0, w.limit)
          .map((x) => x.id);
        expect(readyTasks(db, { flowId: flow, planId, now: NOW, limit: w.limit }).map((r) => r.id)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
