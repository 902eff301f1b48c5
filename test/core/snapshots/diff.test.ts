// What snapshot diff shows, on a real database and real files: lists capped at 50 with how many more,
// a document's text as sizes (grown, shrunk, same size but other text), empty values as ∅, long
// values cut, and that comparing against now stores nothing.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { captureState, forgetStates } from '../../../src/core/snapshots/capture.js';
import { diffStates, diffText } from '../../../src/core/snapshots/diff.js';
import { exportState } from '../../../src/core/transfer/export.js';
import { importExport } from '../../../src/core/transfer/import-flowmcp.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

function project() {
  const t = workspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
  c.ok('plan', { action: 'create', title: 'Build' });
  return { t, ...c, flow };
}
type Project = ReturnType<typeof project>;

const snapshot = (p: Project) => p.ok('snapshot', { action: 'create' }).snapshot.id as string;
const newTasks = (p: Project, titles: string[]) => p.ok('task', { action: 'create', tasks: titles.map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id) as string[];

describe('snapshot diff', () => {
  it('shows at most 50 of each list, counts them all, and says how many more there are', () => {
    const p = project();
    const old = newTasks(p, ['Gone 1', 'Gone 2', 'Kept 1', 'Kept 2', 'Kept 3']);
    const a = snapshot(p);
    p.ok('task', { action: 'delete', id: old[0], confirm: true });
    p.ok('task', { action: 'delete', id: old[1], confirm: true });
    for (const id of old.slice(2)) p.ok('task', { action: 'update', id, title: 'Renamed' });
    newTasks(p, Array.from({ length: 51 }, (_, i) => `New ${i + 1}`));
    const d = p.ok('snapshot', { action: 'diff', from: a });
    expect(d.tasks.totals).toEqual({ added: 51, removed: 2, changed: 3 });
    expect([d.tasks.added.length, d.tasks.removed.length, d.tasks.changed.length]).toEqual([50, 2, 3]);
    const lines = (d.text as string).split('\n');
    expect(lines[0]).toBe('tasks: 51 added, 2 removed, 3 changed');
    // 50 + 2 + 3 shown, one more not: said once, for tasks only.
    expect(lines.filter((l) => l.startsWith('  … and'))).toEqual(['  … and 1 more task change']);
    expect(lines).toHaveLength(1 + 55 + 1);

    // The other way round, and each list on its own.
    const b = snapshot(p);
    const back = p.ok('snapshot', { action: 'diff', from: b, to: a });
    expect(back.tasks.totals).toEqual({ added: 2, removed: 51, changed: 3 });
    expect(back.tasks.removed).toHaveLength(50);
    const all = p.ok('task', { action: 'list', limit: 100 }).tasks.map((x: { id: string }) => x.id) as string[];
    for (const id of all) p.ok('task', { action: 'set_status', id, status: 'done' });
    const changed = p.ok('snapshot', { action: 'diff', from: b });
    expect(changed.tasks.totals).toEqual({ added: 0, removed: 0, changed: 54 });
    expect(changed.tasks.changed).toHaveLength(50);
    expect(changed.text).toContain('\n  … and 4 more task changes');
  });

  it('a title is cut at 80 characters; a value past 40 is cut to 37 and …, one of 40 is shown whole', () => {
    const p = project();
    const forty = 'x'.repeat(40);
    const [id] = newTasks(p, [forty]);
    const a = snapshot(p);
    const long = 'y'.repeat(100);
    p.ok('task', { action: 'update', id, title: long });
    const d = p.ok('snapshot', { action: 'diff', from: a });
    expect(d.tasks.changed[0]).toMatchObject({ id, title: 'y'.repeat(80), fields: { title: [forty, long] } });
    expect(d.text).toContain(`~ task ${id} "${'y'.repeat(80)}": title: "${forty}" → "${'y'.repeat(37)}…"`);
  });

  it('a task added or removed whose id is "constructor" reads as added or removed (an import keeps its file\'s ids)', () => {
    const p = project();
    const id = newTasks(p, ['API'])[0]!;
    const file = exportState(p.t.call).replaceAll(JSON.stringify(id), JSON.stringify('constructor'));
    p.ok('task', { action: 'delete', id, confirm: true });
    const before = snapshot(p);
    p.ok('flow', { action: 'delete', id: p.flow, confirm: true });
    importExport(p.t.call, JSON.parse(file) as Record<string, unknown>, { source: 'export.json' });
    const after = snapshot(p);
    const forward = p.ok('snapshot', { action: 'diff', from: before, to: after }).tasks;
    expect(forward.added).toEqual([{ id: 'constructor', title: 'API' }]);
    expect(forward.changed).toEqual([]);
    const back = p.ok('snapshot', { action: 'diff', from: after, to: before }).tasks;
    expect(back.removed).toEqual([{ id: 'constructor', title: 'API' }]);
    expect(back.changed).toEqual([]);
  });

  it('an empty value reads ∅', () => {
    const p = project();
    const [id] = newTasks(p, ['API']);
    const a = snapshot(p);
    p.ok('task', { action: 'claim', agent: 'agent-1', id });
    const d = p.ok('snapshot', { action: 'diff', from: a });
    expect(d.text).toMatch(new RegExp(`~ task ${id} "API": .*claimed_by: ∅ → "agent-1"`));
  });

  it('a dependency added reads as the list before and after, not as quoted text', () => {
    const p = project();
    const [a, b] = newTasks(p, ['API', 'UI']);
    const s = snapshot(p);
    p.ok('task', { action: 'depend', id: b, depends_on: [a] });
    const d = p.ok('snapshot', { action: 'diff', from: s });
    expect(d.text).toContain(`~ task ${b} "UI": depends_on: [] → ["${a}"]`);
  });

  it('a document\'s text reads as sizes: grown (+), shrunk (−), or the same size with other text', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nCards.' });
    const a = snapshot(p);
    const content = (from: string) => p.ok('snapshot', { action: 'diff', from }).documents.changed[0]?.fields.content;
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nCards and wallets.' });
    expect(content(a)).toEqual(['11 bytes', '23 bytes (+12)']);
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nWards.' });
    expect(content(a)).toEqual(['11 bytes', '11 bytes, text changed']);
    // Edited by hand since, not yet indexed: its row still says the old text, its file does not.
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nCards.' });
    writeFileSync(join(p.t.dir, '.flow', 'documents', 'notes', 'a.md'), '# A\n\nCords.');
    const d = p.ok('snapshot', { action: 'diff', from: a });
    expect(d.documents.changed).toHaveLength(1);
    expect(d.documents.changed[0].fields).toEqual({ content: ['11 bytes', '11 bytes, text changed'] });
  });

  it('a document whose text did not change shows only what did', () => {
    const p = project();
    const [id] = newTasks(p, ['API']);
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A', task_id: id });
    const a = snapshot(p);
    p.ok('task', { action: 'delete', id, confirm: true }); // its document is left without an owner
    const doc = p.ok('snapshot', { action: 'diff', from: a }).documents.changed[0];
    expect(Object.keys(doc.fields)).toEqual(['orphaned_at']);
    expect(doc.fields.orphaned_at[0]).toBeNull();
  });

  it('a snapshot\'s document row without a size (no file) reads "no file"', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A' });
    const before = structuredClone(captureState(p.t.call, { kind: 'workspace' }));
    const doc = Object.values(before.documents)[0]!;
    doc.size = null;
    doc.blob = null;
    const d = diffStates(before, captureState(p.t.call, { kind: 'workspace' }, { storeBlobs: false }));
    expect(d.documents.changed[0]!.fields.content).toEqual(['no file', '3 bytes, text changed']);
    expect(diffText(d)).toContain('content: "no file" → "3 bytes, text changed"');
  });

  it('against now, it stores no copy of the text as it is now', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nCards.' });
    const a = snapshot(p);
    const blobs = () => readdirSync(join(p.t.dir, '.flow', 'snapshots', 'blobs')).sort();
    const before = blobs();
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nWallets.' });
    expect(p.ok('snapshot', { action: 'diff', from: a }).documents.totals.changed).toBe(1);
    expect(blobs()).toEqual(before);
  });
});
