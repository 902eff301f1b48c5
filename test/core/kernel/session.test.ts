import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Workspace } from '../../../src/core/kernel/workspace.js';
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

  it('a session with no flow yet is told how to get one', () => {
    const e = caller(t.call).fail('task', { action: 'list' });
    expect(e.code).toBe('no_current');
    expect(e.hint).toMatch(/flow create/);
  });
});
