// What the event log says a change was: only the fields that really changed, each "field before → after",
// a missing value as ∅, a value with spaces quoted, a long one cut at 37 characters.
import { describe, expect, it } from 'vitest';
import { readLog } from '../../../src/core/kernel/event-log.js';
import { describeChanges, diffFields } from '../../../src/core/kernel/events.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const fresh = workspacePerTest();

describe('the changes an event records', () => {
  it('only fields given and different', () => {
    expect(diffFields({ a: 1, b: 2, c: 3 }, { a: 1, b: 5, c: undefined })).toEqual({ b: [2, 5] });
  });

  it('said as "field before → after", joined by commas; nothing as ∅; spaces quoted; long values cut', () => {
    expect(describeChanges({ status: ['todo', 'done'], priority: [null, 2], owner: ['ann', undefined], flag: [false, 0] })).toBe(
      'status todo → done, priority ∅ → 2, owner ann → ∅, flag false → 0',
    );
    expect(describeChanges({ title: ['Fix login', 'x'] })).toBe('title "Fix login" → x');
    const forty = 'y'.repeat(40);
    expect(describeChanges({ d: [forty, `${forty}z`] })).toBe(`d ${forty} → "${'y'.repeat(37)}…"`);
    expect(describeChanges({})).toBe('');
  });

  it('a task update is logged with its summary of what changed', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'F' });
    ok('plan', { action: 'create', title: 'P' });
    const id = ok('task', { action: 'create', title: 'Fix login' }).task.id;
    ok('task', { action: 'update', id, title: 'Fix login', priority: 'high' });
    const [last] = readLog(w.call, { limit: 1 }).events;
    expect(last).toMatchObject({ action: 'task.update', summary: 'updated task: priority medium → high', changes: { priority: ['medium', 'high'] } });
  });
});
