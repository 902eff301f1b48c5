// A state patched from the rows the change log names (snapshot-state-patch.ts) holds every row a state
// read whole holds, whatever the rows' ids are: an import keeps the ids its file gives.
import { afterEach, describe, expect, it } from 'vitest';
import { forgetStates } from '../../src/core/snapshots/capture.js';
import { exportState } from '../../src/core/transfer/export.js';
import { importExport } from '../../src/core/transfer/import-flowmcp.js';
import { caller } from '../helpers/call.js';
import { workspacePerTest } from '../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

describe('a state patched from changed rows', () => {
  it('keeps a task imported with the id "__proto__": restoring the snapshot taken after the import leaves it in place', () => {
    const t = workspace();
    const c = caller(t.call);
    const flowId = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Build' });
    const taskId = c.ok('task', { action: 'create', tasks: [{ title: 'API' }] }).tasks[0].id as string;
    // An export whose task is renamed "__proto__", as a hand-edited file may be.
    const text = exportState(t.call).replaceAll(JSON.stringify(taskId), JSON.stringify('__proto__'));
    c.ok('flow', { action: 'delete', id: flowId, confirm: true });
    // This read of the workspace is the one the next snapshot is patched from.
    c.ok('snapshot', { action: 'create' });
    importExport(t.call, JSON.parse(text) as Record<string, unknown>, { source: 'export.json' });
    const snap = c.ok('snapshot', { action: 'create' }).snapshot;
    expect(snap.counts.tasks).toBe(1);
    forgetStates(); // restored by another process (the CLI), which reads everything afresh
    c.ok('snapshot', { action: 'restore', id: snap.id, confirm: true });
    expect(t.ws.db.prepare('SELECT id, title FROM tasks').all()).toEqual([{ id: '__proto__', title: 'API' }]);
  });
});
