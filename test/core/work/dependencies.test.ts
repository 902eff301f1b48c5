import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let ids: string[];
beforeEach(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
  ids = ok('task', { action: 'create', tasks: ['A', 'B', 'C', 'D'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
});
afterEach(() => t.cleanup());

describe('task depend / undepend', () => {
  it('refuses a cycle and names every task on it; nothing changes', () => {
    const { ok, fail } = caller(t.call);
    const [a, b, c] = ids as [string, string, string];
    ok('task', { action: 'depend', id: b, depends_on: a }); // B needs A
    ok('task', { action: 'depend', id: c, depends_on: [b] }); // C needs B
    const before = dumpDb(t.ws);
    const e = fail('task', { action: 'depend', id: a, depends_on: [c] }); // A needs C: A → C → B → A
    expect(e.code).toBe('cycle');
    expect(e.message).toContain(`${a} "A" → ${c} "C" → ${b} "B" → ${a} "A"`);
    expect(e.details?.cycle).toEqual([a, c, b, a]);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('refuses a task depending on itself', () => {
    const { fail } = caller(t.call);
    expect(fail('task', { action: 'depend', id: ids[0], depends_on: [ids[0]] }).code).toBe('cycle');
  });

  it('depending twice is harmless; undepend of a link that does not exist is an error naming the real ones', () => {
    const { ok, fail } = caller(t.call);
    expect(ok('task', { action: 'depend', id: ids[1], depends_on: [ids[0]] }).added).toEqual([ids[0]]);
    expect(ok('task', { action: 'depend', id: ids[1], depends_on: [ids[0]] }).added).toEqual([]);
    const e = fail('task', { action: 'undepend', id: ids[1], depends_on: [ids[2]] });
    expect(e.hint).toContain(ids[0]);
    expect(ok('task', { action: 'undepend', id: ids[1], depends_on: [ids[0]] }).removed).toEqual([ids[0]]);
  });

  it('a dependency on a task of another flow is refused', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'create', name: 'G' });
    ok('plan', { action: 'create', title: 'Q' });
    const other = ok('task', { action: 'create', title: 'elsewhere' }).task.id;
    expect(fail('task', { action: 'depend', id: other, depends_on: [ids[0]] }).message).toMatch(/another flow/);
  });

  it('a task depending on itself is told so in those words, with a fix', () => {
    const { fail } = caller(t.call);
    const e = fail('task', { action: 'depend', id: ids[0], depends_on: [ids[0]] });
    expect(e.message).toBe(`Task ${ids[0]} cannot depend on itself. Nothing was changed.`);
    expect(e.hint).toBe('Name a different task in depends_on.');
  });

  it('a cycle says how to break it; a foreign-flow dependency says what links are for', () => {
    const { ok, fail } = caller(t.call);
    ok('task', { action: 'depend', id: ids[1], depends_on: [ids[0]] });
    expect(fail('task', { action: 'depend', id: ids[0], depends_on: [ids[1]] }).hint).toBe(`Remove one link of the cycle first (task undepend), or drop ${ids[1]} from depends_on.`);
    ok('flow', { action: 'create', name: 'G' });
    ok('plan', { action: 'create', title: 'Q' });
    const other = ok('task', { action: 'create', title: 'elsewhere' }).task.id;
    expect(fail('task', { action: 'depend', id: other, depends_on: [ids[0]] }).hint).toBe('Dependencies link tasks of the same flow.');
  });

  it('depend and undepend bump the revision and log an event only when a link really changed', () => {
    const { ok, fail } = caller(t.call);
    const rev = () => ok('task', { action: 'get', id: ids[1] }).task.revision as number;
    const events = () => t.ws.db.prepare("SELECT action, summary, changes FROM events WHERE action IN ('task.depend', 'task.undepend') ORDER BY seq").all() as Record<string, string>[];
    expect(rev()).toBe(1);
    ok('task', { action: 'depend', id: ids[1], depends_on: [ids[0], ids[2]] });
    expect(rev()).toBe(2);
    ok('task', { action: 'depend', id: ids[1], depends_on: [ids[0]] }); // already there
    expect(rev()).toBe(2);
    ok('task', { action: 'undepend', id: ids[1], depends_on: [ids[0]] });
    expect(rev()).toBe(3);
    expect(fail('task', { action: 'undepend', id: ids[1], depends_on: [ids[0]] }).message).toBe(`Task ${ids[1]} does not depend on ${ids[0]}. Nothing was changed.`);
    expect(rev()).toBe(3);
    expect(events().map((e) => ({ ...e, changes: JSON.parse(e.changes!) }))).toEqual([
      { action: 'task.depend', summary: `task ${ids[1]} now depends on ${ids[0]}, ${ids[2]}`, changes: { depends_on: [null, [ids[0], ids[2]]] } },
      { action: 'task.undepend', summary: `task ${ids[1]} no longer depends on ${ids[0]}`, changes: { depends_on: [[ids[0]], null] } },
    ]);
    ok('task', { action: 'depend', id: ids[1], depends_on: [ids[3]] });
    ok('task', { action: 'undepend', id: ids[1], depends_on: [ids[2], ids[3]] });
    expect(events().at(-1)!.summary).toBe(`task ${ids[1]} no longer depends on ${ids[2]}, ${ids[3]}`);
    expect(fail('task', { action: 'undepend', id: ids[1], depends_on: [ids[2]] }).hint).toBe('Its dependencies are: none.');
  });
});
