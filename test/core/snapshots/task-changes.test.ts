// Which tasks differ, as a person sees them: a task's dependencies are a set, whatever order a state's
// dependency rows come in (a checkpoint is read as written, and one from elsewhere may list them in
// another order than flowmcp's own).
import { afterEach, expect, it } from 'vitest';
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
