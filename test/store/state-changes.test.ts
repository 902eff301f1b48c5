// The change log's mark (state-changes.ts): where a database stands, which the next incremental
// snapshot reads changes after. A database from someone else's repository sets its own numbers.
import { afterEach, describe, expect, it } from 'vitest';
import { forgetStates } from '../../src/core/snapshots/capture.js';
import { caller } from '../helpers/call.js';
import { workspacePerTest } from '../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

describe('the change-log mark', () => {
  it('of a log whose sequence was planted past 2^53 misses no change: an edit is in the next snapshot, and restoring it keeps the edit', () => {
    const t = workspace();
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Checkout' });
    c.ok('plan', { action: 'create', title: 'Build' });
    const id = c.ok('task', { action: 'create', tasks: [{ title: 'API' }] }).tasks[0].id as string;
    // 2^60 + 200: a double reads it as 2^60 + 256, past the next changes' numbers.
    t.ws.db.prepare("DELETE FROM sqlite_sequence WHERE name = 'state_changes'").run();
    t.ws.db.prepare("INSERT INTO sqlite_sequence (name, seq) VALUES ('state_changes', 1152921504606847176)").run();
    c.ok('snapshot', { action: 'create' }); // the read the next one starts from
    c.ok('task', { action: 'update', id, title: 'API v2' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot.id as string;
    c.ok('task', { action: 'update', id, title: 'API v3' });
    c.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(t.ws.db.prepare('SELECT title FROM tasks').all()).toEqual([{ title: 'API v2' }]);
  });
});
