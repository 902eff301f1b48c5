// Which tasks differ, as a person sees them: a task's dependencies are a set, whatever order a state's
// dependency rows come in (a checkpoint is read as written, and one from elsewhere may list them in
// another order than flowmcp's own).
import { afterEach, describe, expect, it } from 'vitest';
import { captureState, forgetStates } from '../../../src/core/snapshots/capture.js';
import { diffStates } from '../../../src/core/snapshots/diff.js';
import { restoreEffect } from '../../../src/core/snapshots/restore-effect.js';
import type { SnapshotState } from '../../../src/store/snapshot-state.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

it('dependencies listed in another order are no change, in the diff and in the restore preview alike', () => {
  const t = workspace();
  const c = caller(t.call);
  c.ok('flow', { action: 'create', name: 'Checkout' });
  c.ok('plan', { action: 'create', title: 'Build' });
  c.ok('task', { action: 'create', tasks: [{ title: 'API' }, { title: 'Form' }, { title: 'Tests', depends_on: ['#1', '#2'] }] });
  const now = captureState(t.call, { kind: 'workspace' });
  const reordered: SnapshotState = { ...structuredClone(now), deps: Object.fromEntries(Object.entries(now.deps).reverse()) };
  expect(Object.keys(reordered.deps)).toHaveLength(2);
  expect(diffStates(reordered, now).tasks.totals).toEqual({ added: 0, removed: 0, changed: 0 });
  expect(restoreEffect(now, reordered, t.ws.now()).summary).toBe('changes nothing');
});

describe('a place changed, as a person sees it', () => {
  function plan(n: number) {
    const t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Checkout' });
    const plans = ['Build', 'Ship', 'Later'].map((title) => c.ok('plan', { action: 'create', title }).plan.id as string);
    const tasks = (c.ok('task', { action: 'create', plan_id: plans[0], tasks: Array.from({ length: n }, (_, i) => ({ title: `task ${i + 1}` })) }).tasks as { id: string }[]).map((x) => x.id);
    const snap = () => c.ok('snapshot', { action: 'create' }).snapshot.id as string;
    const diff = (from: string) => c.ok('snapshot', { action: 'diff', from });
    return { t, c, plans, tasks, snap, diff };
  }
  const changedTitles = (d: Record<string, any>) => (d.tasks.changed as { title: string; fields: Record<string, unknown> }[]).map((x) => `${x.title}: ${Object.keys(x.fields).join(',')}`);

  it('a delete renumbers the rest of the plan, but only the deleted task differs: in the diff and in undoing it', () => {
    const p = plan(8);
    const before = p.snap();
    const undo = p.c.ok('task', { action: 'delete', id: p.tasks[1], confirm: true }).snapshot as string;
    p.c.ok('task', { action: 'update', id: p.tasks[7], title: 'task 8, renamed' });
    const d = p.diff(before);
    expect(d.tasks.totals).toEqual({ added: 0, removed: 1, changed: 1 });
    expect(changedTitles(d)).toEqual(['task 8, renamed: title']);
    expect(p.c.fail('snapshot', { action: 'restore', id: undo }).message).toContain('changes 1 task; adds 1 task;');
  });

  it('a task moved up is the one that changed place, not the ones it passed', () => {
    const p = plan(6);
    const before = p.snap();
    p.c.ok('task', { action: 'move', id: p.tasks[4], plan_id: p.plans[0], position: 1 });
    expect(changedTitles(p.diff(before))).toEqual(['task 5: position']);
  });

  it('a task moved to another plan changed plan; the tasks of either plan did not', () => {
    const p = plan(5);
    p.c.ok('task', { action: 'create', plan_id: p.plans[1], tasks: [{ title: 'ship 1' }, { title: 'ship 2' }] });
    const before = p.snap();
    p.c.ok('task', { action: 'move', id: p.tasks[0], plan_id: p.plans[1], position: 1 });
    expect(changedTitles(p.diff(before))).toEqual(['task 1: plan_id']);
  });

  it('a plan deleted renumbers the later plans, which did not change', () => {
    const p = plan(1);
    const before = p.snap();
    p.c.ok('plan', { action: 'delete', id: p.plans[1], confirm: true });
    const d = p.diff(before);
    expect(d.plans.totals).toEqual({ added: 0, removed: 1, changed: 0 });
    expect(p.c.fail('snapshot', { action: 'restore', id: before }).message).toContain('adds 1 plan;');
    expect(p.c.fail('snapshot', { action: 'restore', id: before }).message).not.toContain('changes 1 plan');
  });
});
