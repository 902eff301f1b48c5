import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';
import { scopeText } from '../../../src/core/work/next.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
  caller(t.call).ok('flow', { action: 'create', name: 'F' });
});
afterEach(() => t.cleanup());

describe('task next', () => {
  it('orders ready tasks by priority, then plan order, then task order', () => {
    const { ok } = caller(t.call);
    ok('plan', { action: 'create', title: 'first' });
    const a = ok('task', { action: 'create', tasks: [{ title: 'a-low', priority: 'low' }, { title: 'a-med' }, { title: 'a-high', priority: 'high' }] }).tasks;
    ok('plan', { action: 'create', title: 'second' });
    const b = ok('task', { action: 'create', tasks: [{ title: 'b-high', priority: 'high' }, { title: 'b-urgent', priority: 'urgent' }] }).tasks;
    const n = ok('task', { action: 'next' });
    expect(n.task.title).toBe('b-urgent');
    expect(n.also_ready.map((x: { title: string }) => x.title)).toEqual(['a-high', 'b-high', 'a-med', 'a-low']);
    expect(a.length + b.length).toBe(5);
  });

  it('a task is ready only when every dependency is done', () => {
    const { ok } = caller(t.call);
    ok('plan', { action: 'create', title: 'P' });
    const [x, y, z] = ok('task', {
      action: 'create',
      tasks: [{ title: 'x' }, { title: 'y' }, { title: 'z', depends_on: ['#1', '#2'], priority: 'urgent' }],
    }).tasks.map((r: { id: string }) => r.id);
    expect(ok('task', { action: 'next' }).task.id).toBe(x);
    ok('task', { action: 'set_status', id: x, status: 'done' });
    expect(ok('task', { action: 'next' }).task.id).toBe(y);
    const done = ok('task', { action: 'set_status', id: y, status: 'done' });
    expect(done.unblocked).toEqual([z]);
    expect(ok('task', { action: 'next' }).task.id).toBe(z);
  });

  it('says why nothing is ready instead of returning an empty answer', () => {
    const { ok } = caller(t.call);
    ok('plan', { action: 'create', title: 'P' });
    const [a] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }, { title: 'c' }] }).tasks.map((r: { id: string }) => r.id);
    const c = ok('task', { action: 'list', query: 'c' }).tasks[0].id;
    ok('task', { action: 'set_status', id: a, status: 'in_progress' });
    ok('task', { action: 'set_status', id: c, status: 'blocked' });
    const n = ok('task', { action: 'next' });
    expect(n.task).toBeNull();
    expect(n.reason).toMatch(/1 in progress.*1 waiting on unfinished dependencies.*1 blocked/);
  });

  it('can be scoped to one plan, and skips plans that are done or archived', () => {
    const { ok } = caller(t.call);
    const p1 = ok('plan', { action: 'create', title: 'P1' }).plan.id;
    ok('task', { action: 'create', title: 'in p1', priority: 'urgent' });
    const p2 = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    ok('task', { action: 'create', title: 'in p2' });
    expect(ok('task', { action: 'next', plan_id: p2 }).task.title).toBe('in p2');
    expect(ok('task', { action: 'next' }).task.title).toBe('in p1');
    ok('plan', { action: 'update', id: p1, status: 'archived' });
    expect(ok('task', { action: 'next' }).task.title).toBe('in p2');
  });

  it('says what it looked at: the whole flow (all plans) or one plan, by id and name; plan_id only for a plan', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'list' }).flows[0].id;
    const p = ok('plan', { action: 'create', title: 'P' }).plan.id;
    ok('task', { action: 'create', title: 'x' });
    const whole = ok('task', { action: 'next' });
    expect(whole).toMatchObject({ scope: `flow ${f} "F" (all plans)`, flow_id: f });
    expect(whole).not.toHaveProperty('plan_id');
    expect(ok('task', { action: 'next', plan_id: p })).toMatchObject({ scope: `plan ${p} "P" in flow ${f} "F"`, flow_id: f, plan_id: p });
    // A flow or plan gone since is still named by its id.
    expect(scopeText(t.call, { flowId: 'f-gone' })).toBe('flow f-gone (all plans)');
    expect(scopeText(t.call, { flowId: f, planId: 'p-gone' })).toBe(`plan p-gone in flow ${f} "F"`);
  });

  it('the reason names every state that keeps tasks out, and the scope it looked in', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'list' }).flows[0].id;
    // No plan yet: task create would be refused too, so the plan comes first.
    expect(ok('task', { action: 'next' }).reason).toBe(`Nothing is ready in flow ${f}: it has no plans yet. Create one with plan create, then add tasks with task create.`);
    const p = ok('plan', { action: 'create', title: 'P' }).plan.id;
    expect(ok('task', { action: 'next' }).reason).toBe(`Nothing is ready in flow ${f}: no open tasks. Add some with task create.`);
    expect(ok('task', { action: 'next', plan_id: p }).reason).toBe(`Nothing is ready in plan ${p}: no open tasks. Add some with task create.`);
    const [a, b, c] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b' }, { title: 'c' }] }).tasks.map((r: { id: string }) => r.id);
    ok('task', { action: 'set_status', id: a, status: 'review' });
    ok('task', { action: 'set_status', id: b, status: 'in_progress' });
    ok('task', { action: 'set_status', id: c, status: 'done' });
    expect(ok('task', { action: 'next' }).reason).toBe(
      `Nothing is ready in flow ${f}: 1 in progress, 1 in review. Finish or unblock those (task list with status shows them).`,
    );
    const closed = ok('plan', { action: 'create', title: 'Closed' }).plan.id;
    ok('task', { action: 'create', title: 'parked' });
    ok('plan', { action: 'update', id: closed, status: 'archived' });
    expect(ok('task', { action: 'next' }).reason).toBe(
      `Nothing is ready in flow ${f}: 1 in progress, 1 in review, 1 todo in plans that are not active. Finish or unblock those (task list with status shows them).`,
    );
  });
});
