// Undo and restore previews say what they would throw away, by kind, before anyone confirms:
// `/flow undo restore` without --confirm, and `/flow snapshot restore <id> --dry-run`.
import { describe, expect, it } from 'vitest';
import { asyncCaller } from '../helpers/call-async.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

describe('restore previews through /flow', () => {
  it('undo restore and a restore dry run count the tasks they would remove', async () => {
    t = workspace();
    const c = asyncCaller(t.call);
    await c.ok('flow', { action: 'create', name: 'Shop' });
    await c.ok('plan', { action: 'create', title: 'Build' });
    await c.ok('task', { action: 'create', title: 'Cart' });
    const before = (await c.ok('snapshot', { action: 'create', label: 'one task' })).snapshot.id as string;
    await c.ok('task', { action: 'create', tasks: [{ title: 'Checkout' }, { title: 'Refunds' }] });

    const dry = await c.ok('command', { text: `/flow snapshot restore ${before} --dry-run` });
    expect(dry.changes.tasks.removed).toBe(2);
    expect(dry.changes.summary).toMatch(/removes 2 tasks/);

    // Restore (which snapshots "before restore"), then add more work: undoing the restore discards it.
    await c.ok('command', { text: `/flow snapshot restore ${before} --confirm` });
    await c.ok('task', { action: 'create', title: 'Shipping' });
    const undo = await c.ok('command', { text: '/flow undo restore' });
    expect(undo.needs_confirmation).toBe(true);
    expect(undo.changed).toBe(false);
    expect(undo.changes.tasks).toMatchObject({ removed: 1, added: 2 });
    const list = await c.ok('task', { action: 'list' });
    expect(list.tasks.map((x: { title: string }) => x.title).sort()).toEqual(['Cart', 'Shipping']);
  });
});
