// How flows, plans and tasks are shown: counts and progress, what a conflict carries, dependency state on
// a full task, and claim state on list rows.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let clock: ManualClock;
let flow: string;
let plan: string;
beforeEach(() => {
  clock = new ManualClock();
  t = tempWorkspace({ clock });
  const { ok } = caller(t.call);
  flow = ok('flow', { action: 'create', name: 'F' }).flow.id;
  plan = ok('plan', { action: 'create', title: 'P' }).plan.id;
});
afterEach(() => t.cleanup());

const rowOf = (id: string) => caller(t.call).ok('task', { action: 'list', limit: 200 }).tasks.find((r: { id: string }) => r.id === id);

describe('counts', () => {
  it('count every status in the total; progress is done out of all but cancelled', () => {
    const { ok } = caller(t.call);
    const statuses = ['todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled'];
    const ids = ok('task', { action: 'create', tasks: statuses.map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    statuses.forEach((status, i) => status !== 'todo' && ok('task', { action: 'set_status', id: ids[i], status }));
    const want = { total: 6, todo: 1, in_progress: 1, blocked: 1, review: 1, done: 1, cancelled: 1, progress: 20 };
    expect(ok('plan', { action: 'get', id: plan }).plan.counts).toEqual(want);
    expect(ok('flow', { action: 'get', id: flow }).flow.counts).toEqual(want);
    expect(ok('plan', { action: 'list' }).plans[0]).toMatchObject({ tasks: 6, progress: 20 });
  });

  it('a conflict carries the flow or plan as it is now, without counts', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'update', id: flow, name: 'F2' });
    ok('plan', { action: 'update', id: plan, title: 'P2' });
    const ef = fail('flow', { action: 'update', id: flow, name: 'F3', expected_revision: 1 });
    expect(ef.details?.current).toMatchObject({ id: flow, name: 'F2', revision: 2 });
    expect(ef.details?.current).not.toHaveProperty('counts');
    const ep = fail('plan', { action: 'update', id: plan, title: 'P3', expected_revision: 1 });
    expect(ep.details?.current).toMatchObject({ id: plan, title: 'P2', revision: 2 });
    expect(ep.details?.current).not.toHaveProperty('counts');
  });
});

describe('a full task', () => {
  it('names all its dependencies, waits only on the unfinished ones, and shows at most 50 dependents', () => {
    const { ok } = caller(t.call);
    const [a, b] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b' }] }).tasks.map((x: { id: string }) => x.id);
    ok('task', { action: 'set_status', id: a, status: 'done' });
    const w = ok('task', { action: 'create', title: 'w', depends_on: [a, b] }).task;
    expect(w.depends_on).toEqual([a, b]);
    expect(w.waiting_on).toEqual([b]);
    ok('task', { action: 'create', tasks: Array.from({ length: 51 }, (_, i) => ({ title: `d${i}`, depends_on: [a] })) });
    expect(ok('task', { action: 'get', id: a }).task.dependents).toHaveLength(50);
  });
});

describe('claims on list rows', () => {
  it('a live claim names its holder and end; once it ran out on a started task the row says so', () => {
    const { ok } = caller(t.call);
    const id = ok('task', { action: 'create', title: 'x' }).task.id;
    ok('task', { action: 'claim', agent: 'alice', id, lease_seconds: 60 });
    const until = ok('task', { action: 'get', id }).task.claim.expires_at;
    expect(rowOf(id)).toMatchObject({ claimed_by: 'alice', claim_expires_at: until });
    expect(rowOf(id)).not.toHaveProperty('claim_ran_out');
    clock.advance(61_000);
    const out = rowOf(id);
    expect(out.claim_ran_out).toBe(true);
    expect(out).not.toHaveProperty('claimed_by');
  });

  it('a claim that ran out on a task no longer in progress is not mentioned', () => {
    const { ok } = caller(t.call);
    const id = ok('task', { action: 'create', title: 'x' }).task.id;
    ok('task', { action: 'claim', agent: 'alice', id, lease_seconds: 60 });
    ok('task', { action: 'set_status', id, status: 'todo' });
    clock.advance(61_000);
    expect(Object.keys(rowOf(id)).sort()).toEqual(['id', 'plan_id', 'priority', 'revision', 'status', 'title']);
  });

  it('an expiry without a holder (a database some other program wrote) is no live claim', () => {
    const { ok } = caller(t.call);
    const id = ok('task', { action: 'create', title: 'x' }).task.id;
    t.ws.db.prepare("UPDATE tasks SET status = 'in_progress', claimed_by = NULL, claim_expires_at = '2999-01-01T00:00:00.000Z' WHERE id = ?").run(id);
    const row = rowOf(id);
    expect(row).not.toHaveProperty('claimed_by');
    expect(row.claim_ran_out).toBe(true);
    expect(ok('task', { action: 'set_status', id, status: 'done' })).not.toHaveProperty('warnings');
  });
});
