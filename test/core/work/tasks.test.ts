import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock();
  t = tempWorkspace({ clock });
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
});
afterEach(() => t.cleanup());

describe('task', () => {
  it('batch create is one transaction: a bad item creates none of them', () => {
    const { ok, fail } = caller(t.call);
    const before = dumpDb(t.ws);
    const e = fail('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }, { title: 'c', depends_on: ['t-nope'] }] });
    expect(e.code).toBe('not_found');
    expect(dumpDb(t.ws)).toEqual(before);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }, { title: 'c', depends_on: ['#1', '#2'] }] });
    expect(r.created).toBe(3);
    expect(r.tasks.map((x: { waiting_on_count?: number }) => x.waiting_on_count ?? 0)).toEqual([0, 1, 2]);
    // one key, one type: list rows count the open dependencies, the full row names them
    expect(r.tasks[0]).not.toHaveProperty('waiting_on');
    expect(ok('task', { action: 'get', id: r.tasks[2].id }).task.waiting_on?.slice().sort()).toEqual([r.tasks[0].id, r.tasks[1].id].sort());
    expect(fail('task', { action: 'create', tasks: [{ title: 'a', depends_on: ['#1'] }] }).message).toMatch(/only earlier items/);
  });

  it('full rows leave out empty optional fields but keep ids, status and revision', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'bare' }).task;
    for (const k of ['description', 'legacy_id', 'claim', 'started_at', 'completed_at', 'depends_on', 'waiting_on', 'dependents']) expect(task).not.toHaveProperty(k);
    expect(task).toMatchObject({ status: 'todo', priority: 'medium', revision: 1 });
    for (const k of ['id', 'flow_id', 'plan_id', 'created_at', 'updated_at', 'position']) expect(task).toHaveProperty(k);
    const plan = ok('plan', { action: 'get', id: task.plan_id }).plan;
    expect(plan).not.toHaveProperty('legacy_id');
    const flow = ok('flow', { action: 'get', id: task.flow_id }).flow;
    expect(flow).not.toHaveProperty('legacy_id');
    expect(flow).toHaveProperty('revision');
    expect(ok('task', { action: 'update', id: task.id, description: 'now said' }).task.description).toBe('now said');
  });

  it('set_status records started/completed times and accepts legacy status words', () => {
    const { ok } = caller(t.call);
    const id = ok('task', { action: 'create', title: 'x' }).task.id;
    clock.set('2026-03-01T10:00:00.000Z');
    expect(ok('task', { action: 'set_status', id, status: 'in-progress' }).task).toMatchObject({ status: 'in_progress', started_at: '2026-03-01T10:00:00.000Z' });
    clock.set('2026-03-01T12:00:00.000Z');
    expect(ok('task', { action: 'set_status', id, status: 'completed' }).task).toMatchObject({ status: 'done', started_at: '2026-03-01T10:00:00.000Z', completed_at: '2026-03-01T12:00:00.000Z' });
    const back = ok('task', { action: 'set_status', id, status: 'todo' }).task;
    expect(back.status).toBe('todo');
    expect(back).not.toHaveProperty('started_at');
    expect(back).not.toHaveProperty('completed_at');
    expect(ok('task', { action: 'set_status', id, status: 'skipped' }).task.status).toBe('cancelled');
  });

  it('two sessions editing the same task: the stale one gets a conflict with the current row', () => {
    const a = caller(t.call);
    const b = caller(t.newCtx('b'));
    const task = a.ok('task', { action: 'create', title: 'shared' }).task;
    a.ok('task', { action: 'update', id: task.id, description: 'from A', expected_revision: task.revision });
    const e = b.fail('task', { action: 'set_status', id: task.id, status: 'done', expected_revision: task.revision });
    expect(e.code).toBe('conflict');
    expect(e.details?.current).toMatchObject({ description: 'from A', status: 'todo', revision: 2 });
    expect(a.ok('task', { action: 'get', id: task.id }).task).toMatchObject({ description: 'from A', status: 'todo' });
  });

  it('list filters by status and query and pages through every task exactly once', () => {
    const { ok } = caller(t.call);
    const made = ok('task', { action: 'create', tasks: Array.from({ length: 23 }, (_, i) => ({ title: `task ${i} ${i % 2 ? 'odd' : 'even'}` })) }).tasks;
    ok('plan', { action: 'create', title: 'Q' });
    const q = ok('task', { action: 'create', tasks: [{ title: 'later odd' }] }).tasks;
    for (const x of made.slice(0, 5)) ok('task', { action: 'set_status', id: x.id, status: 'done' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { tasks: { id: string }[]; next_cursor: string | null } = ok('task', { action: 'list', limit: 4, ...(cursor ? { cursor } : {}) }) as never;
      seen.push(...page.tasks.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...made, ...q].map((x: { id: string }) => x.id));
    expect(ok('task', { action: 'list', status: 'done' }).tasks).toHaveLength(5);
    expect(ok('task', { action: 'list', status: ['todo', 'done'], limit: 200 }).tasks).toHaveLength(24);
    expect(ok('task', { action: 'list', query: 'odd', limit: 200 }).tasks).toHaveLength(12);
    expect(ok('task', { action: 'list', query: '100%' }).tasks).toHaveLength(0);
    const row = ok('task', { action: 'list', limit: 1 }).tasks[0];
    expect(Object.keys(row).sort()).toEqual(['id', 'plan_id', 'priority', 'revision', 'status', 'title']);
  });

  it('move puts a task at a position in another plan of the flow', () => {
    const { ok } = caller(t.call);
    const p1 = ok('plan', { action: 'get' }).plan.id;
    const a = ok('task', { action: 'create', title: 'a' }).task;
    const p2 = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    ok('task', { action: 'create', tasks: [{ title: 'b' }, { title: 'c' }] });
    const m = ok('task', { action: 'move', id: a.id, plan_id: p2, position: 2 });
    expect(m.task).toMatchObject({ plan_id: p2, position: 2, revision: 2 });
    expect(ok('task', { action: 'list', plan_id: p2 }).tasks.map((x: { title: string }) => x.title)).toEqual(['b', 'a', 'c']);
    expect(ok('task', { action: 'list', plan_id: p1 }).tasks).toHaveLength(0);
  });

  it('positions stay 1..n in each plan through moves and deletes', () => {
    const { ok } = caller(t.call);
    const p1 = ok('plan', { action: 'get' }).plan.id;
    const ids = ok('task', { action: 'create', tasks: ['a', 'b', 'c', 'd', 'e'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    const p2 = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    ok('task', { action: 'create', tasks: [{ title: 'x' }, { title: 'y' }] });
    ok('task', { action: 'move', id: ids[4], plan_id: p1, position: 1 }); // e a b c d
    ok('task', { action: 'delete', id: ids[1], confirm: true }); // e a c d
    ok('task', { action: 'move', id: ids[0], plan_id: p2, position: 2 }); // p1: e c d · p2: x a y
    const order = (plan: string) =>
      ok('task', { action: 'list', plan_id: plan }).tasks.map((x: { id: string }) => ok('task', { action: 'get', id: x.id }).task).map((x: { title: string; position: number }) => `${x.position}${x.title}`);
    expect(order(p1)).toEqual(['1e', '2c', '3d']);
    expect(order(p2)).toEqual(['1x', '2a', '3y']);
  });

  it('refuses moving a task with dependencies to another flow, naming what to do', () => {
    const { ok, fail } = caller(t.call);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }] });
    ok('flow', { action: 'create', name: 'G' });
    const other = ok('plan', { action: 'create', title: 'elsewhere' }).plan.id;
    const e = fail('task', { action: 'move', id: r.tasks[1].id, plan_id: other });
    expect(e.hint).toMatch(/undepend/);
  });

  it('a move into another flow\'s plan is done and said; within the flow, no warning', () => {
    const { ok } = caller(t.call);
    const [a] = ok('task', { action: 'create', tasks: [{ title: 'a' }] }).tasks;
    const from = ok('task', { action: 'get', id: a.id }).task.flow_id;
    const g = ok('flow', { action: 'create', name: 'G' }).flow.id;
    const other = ok('plan', { action: 'create', title: 'elsewhere' }).plan.id;
    const moved = ok('task', { action: 'move', id: a.id, plan_id: other });
    expect(moved.task).toMatchObject({ plan_id: other, flow_id: g });
    expect(moved.warnings).toEqual([`${a.id} moved from flow ${from} to flow ${g} (plan ${other} is in that flow).`]);
    const again = ok('plan', { action: 'create', title: 'second' }).plan.id;
    expect(ok('task', { action: 'move', id: a.id, plan_id: again }).warnings).toBeUndefined();
  });

  it('delete needs confirm and drops the links of tasks that depended on it', () => {
    const { ok, fail } = caller(t.call);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }] });
    expect(fail('task', { action: 'delete', id: r.tasks[0].id }).code).toBe('confirm_required');
    expect(ok('task', { action: 'delete', id: r.tasks[0].id, confirm: true }).deleted).toMatchObject({ kind: 'task', dependencies_dropped: 1 });
    const left = ok('task', { action: 'get', id: r.tasks[1].id }).task;
    expect(left).not.toHaveProperty('depends_on');
    expect(left).not.toHaveProperty('waiting_on');
  });

  it('rejects empty, oversized and control-character input with what to do instead', () => {
    const { fail } = caller(t.call);
    const before = dumpDb(t.ws);
    expect(fail('task', { action: 'create', title: '   ' }).message).toMatch(/title: must not be empty/);
    expect(fail('task', { action: 'create', title: 'x'.repeat(501) }).message).toMatch(/at most 500/);
    expect(fail('task', { action: 'create', title: 'a\u0000b' }).message).toMatch(/control characters/);
    expect(fail('task', { action: 'create', title: 'ok', description: 'y'.repeat(50_001) }).message).toMatch(/keep long material in a document/);
    expect(fail('task', { action: 'create', title: 'ok', priority: 'asap' }).message).toMatch(/low, medium, high, urgent/);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});
