import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setDefaultFlow } from '../../../src/core/kernel/session.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { setSetting } from '../../../src/store/settings.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => (t = tempWorkspace()));
afterEach(() => t.cleanup());

describe('current flow/plan per session', () => {
  it('one session switching flows does not move another; a new session starts at the last one used', () => {
    const a = caller(t.call);
    const f1 = a.ok('flow', { action: 'create', name: 'one' }).flow.id;
    const b = caller(t.newCtx('b'));
    expect(b.ok('flow', { action: 'get' }).flow.id).toBe(f1);
    const f2 = a.ok('flow', { action: 'create', name: 'two' }).flow.id;
    expect(a.ok('flow', { action: 'get' }).flow.id).toBe(f2);
    expect(b.ok('flow', { action: 'get' }).flow.id).toBe(f1); // b stays where it was
    // A new process (new Workspace on the same directory) starts from the last flow used: two.
    const other = Workspace.open(t.dir);
    try {
      expect(caller({ ws: other, session: other.session('c') }).ok('flow', { action: 'get' }).flow.id).toBe(f2);
    } finally {
      other.close();
    }
  });

  it('an import that names the current flow never leaves another flow\'s plan current', () => {
    const legacy = join(t.dir, 'flows.json');
    writeFileSync(legacy, JSON.stringify({ flows: [{ id: 'old', name: 'Imported', plans: [{ id: 'p', name: 'Old plan', tasks: [] }] }] }));
    importFile(t.call, legacy, {});
    const a = caller(t.call);
    a.ok('flow', { action: 'create', name: 'Mine' });
    const work = a.ok('plan', { action: 'create', title: 'Work' }).plan.id;
    const cur = join(t.dir, 'current_flow.txt');
    writeFileSync(cur, 'old\n');
    importFile(t.call, cur, {});
    // A new session (the next CLI command) starts in the imported flow, with no plan of "Mine" current.
    const b = caller(t.newCtx('b'));
    const flow = b.ok('flow', { action: 'get' });
    expect(flow.flow.name).toBe('Imported');
    expect(flow.current.plan_id).not.toBe(work);
    expect(b.ok('task', { action: 'list' }).scope).not.toMatch(/Work/);
  });

  it('a saved plan of another flow than the saved flow (an older database) is no current plan', () => {
    const a = caller(t.call);
    a.ok('flow', { action: 'create', name: 'One' });
    const planOfOne = a.ok('plan', { action: 'create', title: 'Plan of one' }).plan.id;
    const two = a.ok('flow', { action: 'create', name: 'Two' }).flow.id;
    t.ws.write(() => {
      setSetting(t.ws.db, 'last_flow_id', two);
      setSetting(t.ws.db, 'last_plan_id', planOfOne);
    });
    const b = caller(t.newCtx('b'));
    const got = b.ok('flow', { action: 'get' });
    expect(got.flow.id).toBe(two);
    expect(got.current).toEqual({ flow_id: two, plan_id: null });
  });

  it('a session with no flow yet is told how to get one', () => {
    const e = caller(t.call).fail('task', { action: 'list' });
    expect(e.code).toBe('no_current');
    expect(e.hint).toMatch(/flow create/);
  });
});

describe('what new sessions start from', () => {
  const fresh = () => t.newCtx('fresh').session.current();

  it('a deleted flow or plan is forgotten, here and as the default; other deletions leave both', () => {
    const a = caller(t.call);
    const flow = a.ok('flow', { action: 'create', name: 'One' }).flow.id;
    const plan = a.ok('plan', { action: 'create', title: 'P' }).plan.id;
    t.ws.write(() => t.call.session.forget(new Set(['t-zzzz'])));
    expect(t.call.session.current()).toEqual({ flowId: flow, planId: plan });
    expect(fresh()).toEqual({ flowId: flow, planId: plan });
    t.ws.write(() => t.call.session.forget(new Set([plan])));
    expect(t.call.session.current()).toEqual({ flowId: flow, planId: null });
    expect(fresh()).toEqual({ flowId: flow, planId: null });
    t.ws.write(() => t.call.session.forget(new Set([flow])));
    expect(t.call.session.current()).toEqual({ flowId: null, planId: null });
    expect(fresh()).toEqual({ flowId: null, planId: null });
  });

  it('a flow made the default keeps the saved plan only if it is one of its own', () => {
    const a = caller(t.call);
    const one = a.ok('flow', { action: 'create', name: 'One' }).flow.id;
    const plan = a.ok('plan', { action: 'create', title: 'P' }).plan.id;
    const two = a.ok('flow', { action: 'create', name: 'Two' }).flow.id;
    a.ok('flow', { action: 'switch', id: one });
    a.ok('plan', { action: 'use', id: plan });
    t.ws.write(() => setDefaultFlow(t.ws.db, one));
    expect(fresh()).toEqual({ flowId: one, planId: plan });
    t.ws.write(() => setDefaultFlow(t.ws.db, two));
    expect(fresh()).toEqual({ flowId: two, planId: null });
    t.ws.write(() => setDefaultFlow(t.ws.db, one));
    expect(fresh()).toEqual({ flowId: one, planId: null });
  });
});
