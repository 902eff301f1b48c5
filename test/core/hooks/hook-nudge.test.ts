// A change made through dispatchAsync nudges this process's post-hook worker of that workspace (the
// one registered for it), and no other workspace's; a read (no event recorded) does not nudge it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerWorker, workerOf } from '../../../src/core/hooks/hook-nudge.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let a: TempWorkspace;
let b: TempWorkspace;
beforeEach(() => {
  a = tempWorkspace();
  b = tempWorkspace();
});
afterEach(() => {
  a.cleanup();
  b.cleanup();
});

describe('nudging the post-hook worker', () => {
  it("a change nudges the worker registered for its workspace, not another workspace's", async () => {
    const nudged = { a: 0, b: 0 };
    const wa = { nudge: () => void nudged.a++ };
    registerWorker(a.ws, wa);
    registerWorker(b.ws, { nudge: () => void nudged.b++ });
    expect(workerOf(a.ws)).toBe(wa);
    await asyncCaller(a.call).ok('flow', { action: 'create', name: 'F' });
    expect(nudged).toEqual({ a: 1, b: 0 });
  });

  it('a read does not nudge the worker; each change after it does', async () => {
    let nudged = 0;
    registerWorker(a.ws, { nudge: () => void nudged++ });
    const { ok, raw } = asyncCaller(a.call);
    const flow = (await ok('flow', { action: 'create', name: 'F' })).flow.id as string;
    expect(nudged).toBe(1);
    await ok('flow', { action: 'get', id: flow });
    await ok('flow', { action: 'list' });
    expect(nudged).toBe(1);
    await ok('flow', { action: 'update', id: flow, description: 'changed' });
    expect(nudged).toBe(2);
    // A refused change records nothing: no nudge either.
    await raw('flow', { action: 'update', id: 'f-none', description: 'x' });
    expect(nudged).toBe(2);
  });
});
