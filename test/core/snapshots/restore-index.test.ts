// After a restore (and after undoing it), every document the restored state lists is found by search:
// its chunks and full-text rows match its text. Reindex notices a document whose search entries are
// missing even when its file looks untouched. A restore says, by kind, what it removes, changes and
// adds, and so does its preview.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { forgetStates } from '../../../src/core/snapshots/capture.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => {
  t.cleanup();
  forgetStates();
});

async function found(word: string): Promise<string[]> {
  const r = await asyncCaller(t.call).ok('search', { query: word, kind: 'document' });
  return (r.results as { path: string }[]).map((x) => x.path).sort();
}

function projectFiles(): void {
  mkdirSync(join(t.dir, 'docs'), { recursive: true });
  writeFileSync(join(t.dir, 'README.md'), '# Readme\n\nThe zephyrine pump needs priming before use.');
  writeFileSync(join(t.dir, 'docs', 'guide.md'), '# Guide\n\nPriming the zephyrine pump takes two minutes.');
}

describe('restore keeps the search index whole', () => {
  it('restore, then undo the restore: indexed project files are listed and found again', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'Pumps' });
    projectFiles();
    const early = (await ok('snapshot', { action: 'create', label: 'before indexing' })).snapshot.id;
    await ok('document', { action: 'index', paths: ['README.md', 'docs/*.md'] });
    await ok('document', { action: 'write', path: 'notes/pump.md', content: '# Pump notes\n\nzephyrine seals wear out.' });
    expect(await found('zephyrine')).toEqual(['README.md', 'docs/guide.md', 'notes/pump.md']);

    const r = await ok('snapshot', { action: 'restore', id: early, confirm: true });
    expect(await found('zephyrine')).toEqual([]);
    await ok('snapshot', { action: 'restore', id: r.undo_snapshot, confirm: true });

    const listed = (await ok('document', { action: 'list' })).documents.map((d: { path: string }) => d.path).sort();
    expect(listed).toEqual(['README.md', 'docs/guide.md', 'notes/pump.md']);
    expect(await found('zephyrine')).toEqual(['README.md', 'docs/guide.md', 'notes/pump.md']);
    // And reindex agrees that nothing is left to do.
    const re = (await ok('document', { action: 'reindex' })).report;
    expect(re.indexed).toEqual([]);
    expect(await found('zephyrine')).toEqual(['README.md', 'docs/guide.md', 'notes/pump.md']);
  });

  it('reindex re-indexes a document whose search entries are gone though its file is unchanged', async () => {
    const { ok } = asyncCaller(t.call);
    projectFiles();
    await ok('document', { action: 'index', paths: ['README.md', 'docs/*.md'] });
    // The state an older restore left behind: the rows are there, their chunks are not (and, for one,
    // only its full-text rows are gone).
    const chunks = () => t.ws.db.prepare("SELECT COUNT(*) FROM chunks WHERE kind = 'document'").pluck().get() as number;
    const n = chunks();
    const guide = t.ws.db.prepare("SELECT id FROM documents WHERE path = 'docs/guide.md'").pluck().get() as string;
    t.ws.db.prepare("DELETE FROM chunks WHERE kind = 'document' AND owner_id <> ?").run(guide);
    t.ws.db.prepare('DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE owner_id = ?)').run(guide);
    const re = (await ok('document', { action: 'reindex' })).report;
    expect(re.indexed.sort()).toEqual(['README.md', 'docs/guide.md']);
    expect(chunks()).toBe(n);
    expect(await found('zephyrine')).toEqual(['README.md', 'docs/guide.md']);
    // Indexing the same files again also rebuilds entries instead of calling them unchanged.
    t.ws.db.prepare("DELETE FROM chunks WHERE kind = 'document'").run();
    const again = (await ok('document', { action: 'index', paths: ['README.md'] })).report;
    expect(again.indexed).toEqual(['README.md']);
    expect(await found('zephyrine')).toContain('README.md');
  });
});

describe('restore says what it discards', () => {
  it('the result and the refusal without confirm count removals, changes and additions by kind', async () => {
    const { ok, fail } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'Afternoon' });
    await ok('plan', { action: 'create', title: 'Plan A' });
    const [a] = (await ok('task', { action: 'create', tasks: [{ title: 'Kept' }] })).tasks.map((x: { id: string }) => x.id);
    const snap = (await ok('snapshot', { action: 'create' })).snapshot.id;
    // An afternoon's work.
    await ok('task', { action: 'create', tasks: [{ title: 'New 1' }, { title: 'New 2' }, { title: 'New 3' }] });
    await ok('task', { action: 'update', id: a, title: 'Kept, renamed' });
    await ok('plan', { action: 'create', title: 'Plan B' });
    await ok('document', { action: 'write', path: 'afternoon.md', content: '# Notes\n\nthree hours of thinking' });
    await ok('context', { action: 'save', decision: { what: 'Use queues', why: 'bursty load' } });

    const refused = await fail('snapshot', { action: 'restore', id: snap });
    expect(refused.code).toBe('confirm_required');
    expect(refused.message).toMatch(/removes 3 tasks, 1 plan, 1 document, 1 context entry; changes 1 task/);
    const preview = (refused as { details?: { changes: Record<string, unknown> } }).details!.changes;
    expect(preview).toMatchObject({ tasks: { removed: 3, changed: 1, added: 0 }, plans: { removed: 1 }, documents: { removed: 1 }, context_entries: { removed: 1 } });

    const r = await ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(r.changes).toMatchObject({ tasks: { removed: 3, changed: 1, added: 0 }, plans: { removed: 1, changed: 0, added: 0 }, documents: { removed: 1 }, context_entries: { removed: 1 } });
    expect(r.changes.summary).toBe(preview.summary);
    // Undoing it says the mirror image.
    const undo = await ok('snapshot', { action: 'restore', id: r.undo_snapshot, confirm: true });
    expect(undo.changes).toMatchObject({ tasks: { added: 3, changed: 1, removed: 0 }, plans: { added: 1 }, documents: { added: 1 }, context_entries: { added: 1 } });
  });
});
