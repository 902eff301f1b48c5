// No committed change without its event: a run through every kind of change (tools, hand edits of
// files indexed from disk, prune, restore, import) checks after each step that when the project's
// records changed, the event log grew in step. The records are read whole and compared, so a change
// written by some path that forgets its event is caught whichever table it touched.
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { newestSeq } from '../../../src/core/kernel/event-log.js';

/** What the project holds (not caches, indexes or bookkeeping stamps: chunks, embeddings, settings). */
const TABLES = ['flows', 'plans', 'tasks', 'task_deps', 'documents', 'document_links', 'context_entries', 'context_state', 'snapshots'];
/** Columns that record where a file stood when last read, not what the project holds. */
const STAMPS = new Set(['file_hash', 'mtime_ms', 'mtime', 'size', 'indexed_at', 'checked_at', 'file_size', 'file_mtime_ms']);

const SAMPLES = fileURLToPath(new URL('../../fixtures/legacy-samples/', import.meta.url));

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

function records(t: TempWorkspace): string {
  return JSON.stringify(
    TABLES.map((name) =>
      (t.ws.db.prepare(`SELECT * FROM ${name}`).all() as Record<string, unknown>[])
        .map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !STAMPS.has(k)))))
        .sort(),
    ),
  );
}

describe('every committed change writes its event', () => {
  it('through tools, files changed on disk, prune, restore and import', async () => {
    t = workspace();
    const c = asyncCaller(t.call);
    const steps: [string, () => Promise<unknown>][] = [];
    const step = (name: string, fn: () => Promise<unknown> | unknown) => steps.push([name, async () => fn()]);
    let flow = '';
    let plan = '';
    let a = '';
    let b = '';
    let snap = '';
    step('flow create', async () => (flow = (await c.ok('flow', { action: 'create', name: 'Audit' })).flow.id));
    step('flow update', () => c.ok('flow', { action: 'update', id: flow, description: 'd' }));
    step('plan create', async () => (plan = (await c.ok('plan', { action: 'create', title: 'P' })).plan.id));
    step('plan update', () => c.ok('plan', { action: 'update', id: plan, objective: 'o' }));
    step('task create', async () => {
      const r = await c.ok('task', { action: 'create', tasks: [{ title: 'A' }, { title: 'B' }] });
      [a, b] = r.tasks.map((x: { id: string }) => x.id);
    });
    step('task update', () => c.ok('task', { action: 'update', id: a, priority: 'high' }));
    step('task depend', () => c.ok('task', { action: 'depend', id: b, depends_on: a }));
    step('task set_status', () => c.ok('task', { action: 'set_status', id: a, status: 'in_progress' }));
    step('task claim', () => c.ok('task', { action: 'claim', agent: 'x', id: a }));
    step('task release', () => c.ok('task', { action: 'release', agent: 'x', id: a }));
    step('task undepend', () => c.ok('task', { action: 'undepend', id: b, depends_on: a }));
    step('context save', () => c.ok('context', { action: 'save', summary: 'S', decision: { what: 'w', why: 'y' } }));
    step('document write', () => c.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\ntext', task_id: a }));
    step('snapshot create', async () => (snap = (await c.ok('snapshot', { action: 'create', label: 'one' })).snapshot.id));
    step('snapshot pin', () => c.ok('snapshot', { action: 'pin', id: snap }));
    step('project file indexed', () => {
      mkdirSync(join(t!.dir, 'docs'), { recursive: true });
      writeFileSync(join(t!.dir, 'docs', 'guide.md'), '# Guide\n\nhello');
      return c.ok('document', { action: 'index', paths: ['docs/**'] });
    });
    step('project file edited, then searched (search re-reads it)', () => {
      writeFileSync(join(t!.dir, 'docs', 'guide.md'), '# Guide\n\nhello again, changed');
      return c.ok('search', { query: 'hello' });
    });
    step('project file deleted, then reindexed', () => {
      rmSync(join(t!.dir, 'docs', 'guide.md'));
      return c.ok('document', { action: 'reindex' });
    });
    step('flow document edited by hand, then reindexed', () => {
      writeFileSync(join(t!.dir, '.flow', 'documents', 'notes', 'a.md'), '# A\n\nedited by hand');
      return c.ok('document', { action: 'reindex' });
    });
    step('plan reorder', () => c.ok('plan', { action: 'reorder', id: plan, position: 1 }));
    step('task move', async () => {
      const p2 = (await c.ok('plan', { action: 'create', title: 'Q' })).plan.id;
      return c.ok('task', { action: 'move', id: b, plan_id: p2 });
    });
    step('task delete', () => c.ok('task', { action: 'delete', id: b, confirm: true }));
    step('snapshot restore', () => c.ok('snapshot', { action: 'restore', id: snap, confirm: true }));
    step('document delete', () => c.ok('document', { action: 'delete', path: 'notes/a.md', confirm: true }));
    step('snapshot unpin', () => c.ok('snapshot', { action: 'unpin', id: snap }));
    step('snapshot prune', () => c.ok('snapshot', { action: 'prune' }));
    step('plan delete', () => c.ok('plan', { action: 'delete', id: plan, confirm: true }));
    step('flow archive', () => c.ok('flow', { action: 'archive', id: flow }));
    step('flow delete', () => c.ok('flow', { action: 'delete', id: flow, confirm: true }));
    step('legacy import', () => {
      copyFileSync(join(SAMPLES, 'flows.91670e6.json'), join(t!.dir, 'old-flows.json'));
      return c.ok('command', { text: '/flow import old-flows.json' });
    });
    step('flow create, legacy context import', async () => {
      copyFileSync(join(SAMPLES, 'context.b860d25.json'), join(t!.dir, 'old-context.json'));
      const into = (await c.ok('flow', { action: 'create', name: 'Context home' })).flow.id;
      return c.ok('command', { text: `/flow import old-context.json --flow ${into}` });
    });

    const silent: string[] = [];
    let changes = 0;
    for (const [name, run] of steps) {
      const before = { records: records(t), seq: newestSeq(t.ws.db) };
      await run();
      const changed = records(t) !== before.records;
      if (changed) changes++;
      if (changed && newestSeq(t.ws.db) === before.seq) silent.push(name);
    }
    expect(silent, 'steps that changed the project without an event').toEqual([]);
    expect(changes).toBeGreaterThan(steps.length - 3); // the steps do change things (all but bookkeeping ones)
  });
});
