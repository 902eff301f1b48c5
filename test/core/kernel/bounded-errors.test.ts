// Errors stay a few lines whatever the caller sent or the project holds: long dependency cycles, many
// unfinished dependencies, many unknown arguments, long names. Each names a handful and counts the rest.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addDependency } from '../../../src/store/deps.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let ids: string[];
const N = 3_000;
beforeEach(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
  ids = [];
  for (let i = 0; i < N; i += 500) {
    const batch = Array.from({ length: 500 }, (_, j) => ({ title: `Task number ${i + j} with a fairly long title ${'x'.repeat(400)}` }));
    ids.push(...ok('task', { action: 'create', tasks: batch }).tasks.map((x: { id: string }) => x.id));
  }
});
afterEach(() => t.cleanup());

/** Serialized size of an error as a client receives it. */
const size = (e: unknown) => JSON.stringify(e).length;

describe('bounded errors', () => {
  it('a dependency cycle through thousands of tasks is named by its ends and its length', () => {
    // ids[i+1] depends on ids[i]: a chain of N tasks.
    t.ws.write(() => ids.slice(1).forEach((id, i) => addDependency(t.ws.db, id, ids[i]!, t.ws.now())));
    const before = dumpDb(t.ws);
    const e = caller(t.call).fail('task', { action: 'depend', id: ids[0], depends_on: [ids[N - 1]] });
    expect(e.code).toBe('cycle');
    expect(e.message).toContain(`cycle (${N} tasks)`);
    expect(e.message).toContain(ids[0]);
    expect(e.message).toContain(`… ${N + 1 - 5} more …`);
    expect(size(e)).toBeLessThan(2_000);
    expect(e.details).toMatchObject({ cycle: ids.slice(0, 1).concat([ids[N - 1]!, ids[N - 2]!, ids[N - 3]!, ids[N - 4]!]), cycle_tasks: N });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('claiming a task that waits on thousands of unfinished ones names a few and counts the rest', () => {
    const last = ids[N - 1]!;
    t.ws.write(() => ids.slice(0, -1).forEach((id) => addDependency(t.ws.db, last, id, t.ws.now())));
    const e = caller(t.call).fail('task', { action: 'claim', agent: 'a', id: last });
    expect(e.code).toBe('not_ready');
    expect(e.message).toContain(`and ${N - 1 - 5} more`);
    expect(size(e)).toBeLessThan(2_000);
    const u = caller(t.call).fail('task', { action: 'undepend', id: last, depends_on: [last] });
    expect(size(u)).toBeLessThan(2_000);
  });

  it('thousands of unknown arguments, or a huge action name, give a short error', () => {
    const args = Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`unknown_argument_${i}`, 1]));
    const e = caller(t.call).fail('flow', { action: 'list', ...args });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/unknown arguments .* and 4995 more/);
    expect(size(e)).toBeLessThan(2_000);
    expect(size(caller(t.call).fail('flow', { action: 'x'.repeat(100_000) }))).toBeLessThan(2_000);
  });
});
