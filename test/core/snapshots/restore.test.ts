// Restoring a snapshot brings the scope's rows back to exactly the snapshot's: rows added since go,
// whatever their ids are (an import keeps the ids its file gives, "constructor" or "__proto__" too).
import { afterEach, describe, expect, it } from 'vitest';
import { forgetStates } from '../../../src/core/snapshots/capture.js';
import { exportState } from '../../../src/core/transfer/export.js';
import { importExport } from '../../../src/core/transfer/import-flowmcp.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

describe('a restore', () => {
  it.each(['__proto__', 'constructor', 'toString'])('removes a task imported since with the id %j, and its preview says so', (name) => {
    const t = workspace();
    const c = caller(t.call);
    const flowId = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Build' });
    const taskId = c.ok('task', { action: 'create', tasks: [{ title: 'API' }] }).tasks[0].id as string;
    // An export whose task was renamed, as a hand-edited file may be.
    const file = exportState(t.call).replaceAll(JSON.stringify(taskId), JSON.stringify(name));
    c.ok('task', { action: 'delete', id: taskId, confirm: true });
    const before = c.ok('snapshot', { action: 'create', flow_id: flowId }).snapshot.id as string;
    c.ok('flow', { action: 'delete', id: flowId, confirm: true });
    importExport(t.call, JSON.parse(file) as Record<string, unknown>, { source: 'export.json' });
    expect(t.ws.db.prepare('SELECT id FROM tasks').pluck().all()).toEqual([name]);
    const preview = c.fail('snapshot', { action: 'restore', id: before }).details!.changes as { tasks: unknown; summary: string };
    expect(preview.tasks).toEqual({ removed: 1, changed: 0, added: 0 });
    const done = c.ok('snapshot', { action: 'restore', id: before, confirm: true });
    expect(done.changes.summary).toBe(preview.summary);
    expect(t.ws.db.prepare('SELECT id FROM tasks').all()).toEqual([]);
  });
});
