// An argument an action does not take is refused with what was likely meant, so the caller's next call
// is the right one: the nearest argument the action takes, else the action of the tool that takes it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caller } from '../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'Backend' });
  ok('task', { action: 'create', title: 'Login page' });
});
afterEach(() => t.cleanup());

describe('an unknown argument', () => {
  it('names the nearest argument the action takes, or the action that takes it; nothing changes', () => {
    const { fail } = caller(t.call);
    const before = dumpDb(t.ws);
    // A model's usual slips: a status through update, a plan by a shorter name, a camelCase name.
    expect(fail('task', { action: 'update', id: 'Login page', status: 'done' }).message).toBe(
      'task update: unknown argument status (task set_status takes it). Nothing was changed.',
    );
    expect(fail('task', { action: 'create', title: 'y', plan: 'Backend' }).message).toBe(
      'task create: unknown argument plan (did you mean plan_id?). Nothing was changed.',
    );
    expect(fail('task', { action: 'create', title: 'y', dependsOn: ['Login page'] }).message).toBe(
      'task create: unknown argument dependsOn (did you mean depends_on?). Nothing was changed.',
    );
    // Another word for it, too far apart to be near: a flow's name is a plan's title, search counts with k.
    expect(fail('flow', { action: 'create', title: 'X' }).message).toBe('flow create: name is required; unknown argument title (did you mean name?). Nothing was changed.');
    expect(fail('plan', { action: 'create', name: 'X' }).message).toBe('plan create: title is required; unknown argument name (did you mean title?). Nothing was changed.');
    expect(fail('search', { query: 'tokens', limit: 3 }).message).toBe('search: unknown argument limit (did you mean k?). Nothing was changed.');
    expect(fail('search', { query: 'tokens', type: 'document' }).message).toBe('search: unknown argument type (did you mean kind?). Nothing was changed.');
    // Names an object has by inheritance are no synonyms.
    expect(fail('task', { action: 'get', id: 'Login page', constructor: 1, toString: 2 }).message).toBe('task get: unknown arguments constructor, toString. Nothing was changed.');
    // Nothing near and no other action takes it: named alone, as before.
    expect(fail('task', { action: 'get', id: 'Login page', colour: 'red' }).message).toBe('task get: unknown argument colour. Nothing was changed.');
    // Inside an item of a batch: said where, not matched against the action's own arguments.
    expect(fail('task', { action: 'create', tasks: [{ title: 'z', plan_id: 'Backend' }] }).message).toBe(
      'task create: tasks.0: unknown argument plan_id. Nothing was changed.',
    );
    expect(dumpDb(t.ws)).toEqual(before);
  });
});
