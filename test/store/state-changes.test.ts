// The change log's mark (state-changes.ts): where a database stands, which the next incremental
// snapshot reads changes after. A database from someone else's repository sets its own numbers, and a
// snapshot payload's mark is untrusted (a cloned .flow/ may have written it): it is taken only when every
// field is what flowmcp writes; anything else is as if there were none (the snapshot is then read whole).
import { afterEach, describe, expect, it } from 'vitest';
import { forgetStates } from '../../src/core/snapshots/capture.js';
import { markFromHeader } from '../../src/store/state-changes.js';
import { caller } from '../helpers/call.js';
import { workspacePerTest } from '../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

/** A project with flow "Checkout" and its plan "Build" (the plan's id returned). */
function checkout() {
  const t = workspace();
  const c = caller(t.call);
  c.ok('flow', { action: 'create', name: 'Checkout' });
  const build = c.ok('plan', { action: 'create', title: 'Build' }).plan.id as string;
  return { t, c, build };
}

describe('the change-log mark', () => {
  it('of a log with a change planted past 2^53 misses no change: an edit is in the next snapshot, and restoring it keeps the edit', () => {
    const { t, c } = checkout();
    const id = c.ok('task', { action: 'create', tasks: [{ title: 'API' }] }).tasks[0].id as string;
    // 2^60 + 200: a double reads it as 2^60 + 256, past the next changes' numbers (each 1 + the highest).
    t.ws.db.prepare("INSERT INTO state_changes (seq, tbl, a) VALUES (1152921504606847176, 'flows', 'f-planted')").run();
    c.ok('snapshot', { action: 'create' }); // the read the next one starts from
    c.ok('task', { action: 'update', id, title: 'API v2' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot.id as string;
    c.ok('task', { action: 'update', id, title: 'API v3' });
    c.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(t.ws.db.prepare('SELECT title FROM tasks').all()).toEqual([{ title: 'API v2' }]);
  });
});

describe('a task created after the newest one was deleted', () => {
  it('is in the next snapshot when an older gap sits below it: restoring that snapshot keeps the task', () => {
    const { t, c } = checkout();
    const ids = (c.ok('task', { action: 'create', tasks: ['A', 'B', 'C', 'D'].map((title) => ({ title })) }).tasks as { id: string }[]).map((x) => x.id);
    // D's row is the newest; C's goes first, leaving a gap just below it.
    c.ok('task', { action: 'delete', id: ids[2]!, confirm: true });
    c.ok('snapshot', { action: 'create' }); // the read the next one starts from
    c.ok('task', { action: 'delete', id: ids[3]!, confirm: true });
    // SQLite hands the new row 1 + the highest rowid: C's, freed before that read.
    c.ok('task', { action: 'create', title: 'E' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot;
    expect(snap.counts.tasks).toBe(3);
    forgetStates(); // restored by another process (the CLI), which reads everything afresh
    c.ok('snapshot', { action: 'restore', id: snap.id, confirm: true });
    expect((t.ws.db.prepare('SELECT title FROM tasks ORDER BY title').all() as { title: string }[]).map((r) => r.title)).toEqual(['A', 'B', 'E']);
  });

  it('is in the next snapshot also when more of the newest rows went than a mark keeps track of', () => {
    const { t, c, build } = checkout();
    const a = (c.ok('task', { action: 'create', tasks: [{ title: 'A' }, { title: 'B' }] }).tasks as { id: string }[]).map((x) => x.id);
    const doomed = c.ok('plan', { action: 'create', title: 'Later' }).plan.id as string;
    c.ok('task', { action: 'create', plan_id: doomed, tasks: Array.from({ length: 80 }, (_, i) => ({ title: `later ${i}` })) });
    c.ok('task', { action: 'delete', id: a[1]!, confirm: true }); // a gap below the newest rows
    c.ok('snapshot', { action: 'create' }); // the read the next one starts from
    c.ok('plan', { action: 'delete', id: doomed, confirm: true });
    c.ok('task', { action: 'create', plan_id: build, title: 'E' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot;
    expect(snap.counts.tasks).toBe(2);
    forgetStates();
    c.ok('snapshot', { action: 'restore', id: snap.id, confirm: true });
    expect((t.ws.db.prepare('SELECT title FROM tasks ORDER BY title').all() as { title: string }[]).map((r) => r.title)).toEqual(['A', 'E']);
  });
});

const good = { format: 1, db: 'abc', seq: 5, schema: 40, rowids: { flows: [1], plans: [9, 2], tasks: [3], context_entries: [], context_state: [] } };

describe('a mark in a payload header', () => {
  it("is taken as written when every field is a whole count and each table's rowids are its highest, highest first, with only the tables it names", () => {
    expect(markFromHeader(good)).toEqual(good);
    expect(markFromHeader({ ...good, extra: 1, rowids: { ...good.rowids, other: 9 } })).toEqual(good);
  });

  it('is left out when any field is missing, of another type, negative, fractional, past the rowids SQLite hands out in order, or rowids out of order or too many', () => {
    for (const bad of [
      undefined,
      null,
      'mark',
      { ...good, format: 2 },
      { ...good, format: undefined },
      { ...good, db: '' },
      { ...good, db: 7 },
      { ...good, seq: -1 },
      { ...good, seq: 1.5 },
      { ...good, seq: '5' },
      { ...good, schema: null },
      { ...good, rowids: null },
      { ...good, rowids: { ...good.rowids, tasks: undefined } },
      { ...good, rowids: { ...good.rowids, tasks: 3 } },
      { ...good, rowids: { ...good.rowids, tasks: [2 ** 53] } },
      { ...good, rowids: { ...good.rowids, plans: [Number.NaN] } },
      { ...good, rowids: { ...good.rowids, plans: [2, 9] } },
      { ...good, rowids: { ...good.rowids, plans: [9, 9] } },
      { ...good, rowids: { ...good.rowids, plans: Array.from({ length: 65 }, (_, i) => 100 - i) } },
    ]) {
      expect(markFromHeader(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
