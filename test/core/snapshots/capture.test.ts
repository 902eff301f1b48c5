// Taking a snapshot's state and reading one back, on a real database and real payload files: what a
// snapshot keeps of a document it cannot read (and says so on stderr), which documents' text it keeps
// at all, and how a snapshot whose catalog row or payload is not as flowmcp wrote it is refused, by
// name, instead of looping, reading forever or restoring something else.
import { mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { canonicalJson, captureState, forgetStates, loadState, stateHash } from '../../../src/core/snapshots/capture.js';
import { workspaceSnapshot } from '../../../src/core/snapshots/catalog.js';
import { getSnapshot, insertSnapshot, type SnapshotRow } from '../../../src/store/snapshots.js';
import { readPayload, writePayload, type Payload } from '../../../src/store/snapshot-files.js';
import type { SnapshotState } from '../../../src/store/snapshot-state.js';
import type { PatchOp } from '../../../src/store/json-patch.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => {
  forgetStates();
  vi.restoreAllMocks();
});

function project() {
  const t = workspace();
  const c = caller(t.call);
  c.ok('flow', { action: 'create', name: 'Checkout' });
  c.ok('plan', { action: 'create', title: 'Build' });
  c.ok('task', { action: 'create', title: 'API' });
  return { t, ...c };
}
type Project = ReturnType<typeof project>;

const docsDir = (p: Project) => join(p.t.dir, '.flow', 'documents');

function saidWhile(fn: () => void): string {
  const said: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (said.push(String(chunk)), true));
  try {
    fn();
  } finally {
    vi.restoreAllMocks();
  }
  return said.join('');
}

describe('what a snapshot keeps of a document', () => {
  it('a document whose file is a folder, or too large to read, keeps its metadata and says so on stderr', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A' });
    p.ok('document', { action: 'write', path: 'notes/b.md', content: '# B' });
    rmSync(join(docsDir(p), 'notes', 'a.md'));
    mkdirSync(join(docsDir(p), 'notes', 'a.md'));
    // Sparse: 256 MB + 1 byte long, nothing on disk; the snapshot must not read it.
    truncateSync(join(docsDir(p), 'notes', 'b.md'), 256 * 1024 * 1024 + 1);
    let id = '';
    const said = saidWhile(() => (id = p.ok('snapshot', { action: 'create' }).snapshot.id));
    expect(said).toContain('document notes/a.md is not a regular file: this snapshot keeps its metadata, not its text');
    expect(said).toContain(`document notes/b.md is larger than ${256 * 1024 * 1024} bytes: this snapshot keeps its metadata, not its text`);
    expect(p.ok('snapshot', { action: 'show', id }).snapshot.counts.documents).toBe(2);
  });

  it('a project file keeps no text, even when a file of the same path lies in .flow/documents/', async () => {
    const p = project();
    mkdirSync(join(p.t.dir, 'docs'));
    writeFileSync(join(p.t.dir, 'docs', 'guide.md'), '# Guide\n\nThe project\'s own file.');
    await asyncCaller(p.t.call).ok('document', { action: 'index', paths: ['docs/guide.md'] });
    mkdirSync(join(docsDir(p), 'docs'), { recursive: true });
    writeFileSync(join(docsDir(p), 'docs', 'guide.md'), 'a stray file, no document of flowmcp\'s');
    const [doc] = Object.values(captureState(p.t.call, { kind: 'workspace' }).documents);
    expect(doc).toMatchObject({ source: 'project', path: 'docs/guide.md', blob: null });
    // What a user sees: the stray file changing is no change to the project file's entry.
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    writeFileSync(join(docsDir(p), 'docs', 'guide.md'), 'the stray file, edited');
    const e = p.fail('snapshot', { action: 'restore', id: snap });
    expect((e.details as { changes: { summary: string } }).changes.summary).toBe('changes nothing');
  });

  it('a snapshot holding a project file reads back from its payload file, as a new process reads it', async () => {
    const p = project();
    mkdirSync(join(p.t.dir, 'docs'));
    writeFileSync(join(p.t.dir, 'docs', 'guide.md'), '# Guide');
    await asyncCaller(p.t.call).ok('document', { action: 'index', paths: ['docs/guide.md'] });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('task', { action: 'create', title: 'Later' });
    forgetStates();
    expect(p.ok('snapshot', { action: 'restore', id: snap, confirm: true }).changes.summary).toBe('removes 1 task');
  });

  it('once forgotten (as after a failed restore), a snapshot is read from its payload again: a damaged one is noticed', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    writeFileSync(join(p.t.dir, '.flow', 'snapshots', getSnapshot(p.t.ws.db, snap)!.file), 'not gzip');
    expect(p.ok('snapshot', { action: 'diff', from: snap }).text).toBe('no changes'); // remembered
    forgetStates();
    expect(p.fail('snapshot', { action: 'diff', from: snap }).code).toBe('damaged');
  });
});

// The catalog rows and payloads are in .flow/, which a cloned repository may have written.
describe('a snapshot whose catalog row or payload flowmcp did not write', () => {
  /** A checkpoint `base` and, on it, catalog rows of `n` patches (each changing nothing) named p0..p(n-1). */
  function chainOf(p: Project, n: number): { base: SnapshotRow; ids: string[] } {
    const base = getSnapshot(p.t.ws.db, p.ok('snapshot', { action: 'create' }).snapshot.id)!;
    const patch = plant(p, 's-emptypatch', 'patch', []);
    const ids = Array.from({ length: n }, (_, i) => `s-p${i}`);
    p.t.ws.db.transaction(() => {
      ids.forEach((id, i) => insertSnapshot(p.t.ws.db, { ...base, id, kind: 'patch', base_id: i ? ids[i - 1]! : base.id, depth: i + 1, file: patch }));
    })();
    return { base, ids };
  }

  /** A payload file as flowmcp writes them, with the given body. */
  function plant(p: Project, id: string, kind: 'full' | 'patch', body: SnapshotState | PatchOp[]): string {
    const payload: Payload = {
      format: 'flowmcp-snapshot', version: 1, id, label: '', scope: 'workspace', flow_id: null, reason: 'manual', pinned: false,
      created_at: p.t.ws.now(), state_hash: '', counts: {}, blobs: [], kind, base_id: null, depth: 0,
      ...(kind === 'full' ? { state: body as SnapshotState } : { patch: body as PatchOp[] }),
    };
    return writePayload(p.t.ws.flowDir, payload).file;
  }

  const refusal = (p: Project, id: string) => p.fail('snapshot', { action: 'diff', from: id });
  const CATALOG_HINT = 'Restore from another snapshot (snapshot list), or rebuild the catalog from the payload files with flowmcp recover.';

  it('a patch whose base is missing from the catalog', () => {
    const p = project();
    const { ids } = chainOf(p, 1);
    p.t.ws.db.prepare('UPDATE snapshots SET base_id = ? WHERE id = ?').run('s-gone', ids[0]);
    expect(refusal(p, ids[0]!)).toMatchObject({
      code: 'damaged',
      message: `Snapshot ${ids[0]} depends on s-gone, which is missing.`,
      hint: 'Restore from another snapshot (snapshot list).',
    });
  });

  it('patches whose bases loop back on themselves', () => {
    const p = project();
    const { ids } = chainOf(p, 2);
    p.t.ws.db.prepare('UPDATE snapshots SET base_id = ? WHERE id = ?').run(ids[1], ids[0]);
    expect(refusal(p, ids[1]!)).toMatchObject({
      code: 'damaged',
      message: `Snapshot ${ids[1]} depends on a chain of snapshots that loops back on itself; flowmcp never writes one, so the catalog in .flow/flow.db is damaged or not its own. Nothing was changed.`,
      hint: CATALOG_HINT,
    });
  });

  it('a chain of 1000 patches reads back; one of 1001 is longer than any flowmcp writes', () => {
    const p = project();
    const { ids } = chainOf(p, 1001);
    expect(p.ok('snapshot', { action: 'diff', from: ids[999] }).text).toBe('no changes');
    expect(refusal(p, ids[1000]!)).toMatchObject({
      code: 'damaged',
      message: `Snapshot ${ids[1000]} depends on a chain of snapshots that is longer than 1000; flowmcp never writes one, so the catalog in .flow/flow.db is damaged or not its own. Nothing was changed.`,
      hint: CATALOG_HINT,
    });
  });

  const PAYLOAD_HINT = 'Restore from another snapshot (snapshot list).';

  it('a patch that does not fit its base, or leaves no state, or a payload whose text is not the one hashed', () => {
    const p = project();
    const { ids } = chainOf(p, 1);
    const setFile = (file: string) => p.t.ws.db.prepare('UPDATE snapshots SET file = ? WHERE id = ?').run(file, ids[0]);
    setFile(plant(p, 's-nofit', 'patch', [{ op: 'remove', path: '/tasks/t-none' }]));
    expect(refusal(p, ids[0]!)).toMatchObject({
      code: 'damaged',
      message: `Snapshot ${ids[0]} does not read back as it was written (its payload s-nofit.patch.json.gz does not apply: patch path /tasks/t-none does not exist). Nothing was changed.`,
      hint: PAYLOAD_HINT,
    });
    for (const [id, value] of [['s-null', null], ['s-number', 5]] as const) {
      setFile(plant(p, id, 'patch', [{ op: 'replace', path: '', value }]));
      expect(refusal(p, ids[0]!).message, id).toBe(
        `Snapshot ${ids[0]} does not read back as it was written (its payload ${id}.patch.json.gz does not apply: ${id}.patch.json.gz holds no state). Nothing was changed.`,
      );
    }
    setFile(plant(p, 's-emptypatch', 'patch', []));
    p.t.ws.db.prepare('UPDATE snapshots SET state_hash = ? WHERE id = ?').run('0'.repeat(64), ids[0]);
    expect(refusal(p, ids[0]!)).toMatchObject({
      code: 'damaged',
      message: `Snapshot ${ids[0]} does not read back as it was written (its payload is damaged). Nothing was changed.`,
      hint: PAYLOAD_HINT,
    });
  });

  it('a patch flowmcp wrote is checked by its own text, and its checkpoint by its state: either rewritten is refused', () => {
    const p = project();
    const base = p.ok('snapshot', { action: 'create' }).snapshot.id as string;
    p.ok('task', { action: 'create', title: 'Docs' });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id as string;
    const row = getSnapshot(p.t.ws.db, snap)!;
    expect(row).toMatchObject({ kind: 'patch', base_id: base });
    expect(row.state_hash).toMatch(/^p1:[0-9a-f]{64}$/);
    forgetStates();
    expect(p.ok('snapshot', { action: 'diff', from: snap }).text).toBe('no changes');
    // The same patch with another task title: valid gzip, valid JSON, a patch that applies.
    const payload = readPayload(p.t.ws.flowDir, row.file);
    const edited = JSON.parse(JSON.stringify(payload.patch).replace('"Docs"', '"Docz"')) as PatchOp[];
    writePayload(p.t.ws.flowDir, { ...payload, patch: edited });
    forgetStates();
    expect(refusal(p, snap)).toMatchObject({ code: 'damaged', message: `Snapshot ${snap} does not read back as it was written (its payload ${row.file} is damaged). Nothing was changed.` });
    writePayload(p.t.ws.flowDir, payload);
    // The checkpoint under it, rewritten with one title changed.
    const baseRow = getSnapshot(p.t.ws.db, base)!;
    const full = readPayload(p.t.ws.flowDir, baseRow.file);
    const task = Object.keys(full.state!.tasks)[0]!;
    writePayload(p.t.ws.flowDir, { ...full, state: { ...full.state!, tasks: { ...full.state!.tasks, [task]: { ...full.state!.tasks[task], title: 'other' } } } });
    forgetStates();
    expect(refusal(p, snap)).toMatchObject({ code: 'damaged', message: `Snapshot ${snap} does not read back as it was written (its checkpoint ${baseRow.file} is damaged). Nothing was changed.` });
    writePayload(p.t.ws.flowDir, full);
    // What the patches rebuild must have the rows the catalog says the snapshot was written with.
    p.t.ws.db.prepare('UPDATE snapshots SET counts = ? WHERE id = ?').run(JSON.stringify({ ...JSON.parse(row.counts), tasks: 9 }), snap);
    forgetStates();
    expect(refusal(p, snap).message).toBe(`Snapshot ${snap} does not read back as it was written (its patches do not rebuild the rows it was written with). Nothing was changed.`);
  });

  it('a checkpoint written in another key order reads back as written: its hash is of that text', () => {
    const p = project();
    const row = getSnapshot(p.t.ws.db, p.ok('snapshot', { action: 'create' }).snapshot.id)!;
    const state = captureState(p.t.call, { kind: 'workspace' });
    const reversed = Object.fromEntries(Object.entries(state).reverse()) as unknown as SnapshotState;
    expect(canonicalJson(reversed)).toBe(canonicalJson(state));
    const file = plant(p, 's-reversed', 'full', reversed);
    insertSnapshot(p.t.ws.db, { ...row, id: 's-reversed', file, state_hash: stateHash(reversed) });
    expect(p.ok('snapshot', { action: 'diff', from: 's-reversed' }).text).toBe('no changes');
  });
});

describe('a snapshot whose catalog row was rolled back', () => {
  it('is not taken for another snapshot that gets its id later: that one is read from its own payload', () => {
    const p = project();
    let gone = '';
    // An import's snapshot is written inside the import's transaction; here the transaction fails.
    expect(() =>
      p.t.ws.db.transaction(() => {
        gone = workspaceSnapshot(p.t.call, 'before an import that fails');
        throw new Error('the import failed');
      })(),
    ).toThrow('the import failed');
    expect(getSnapshot(p.t.ws.db, gone)).toBeUndefined();
    // Another process's snapshot, of other work, happens to get the same id.
    p.ok('task', { action: 'update', id: p.ok('task', { action: 'list' }).tasks[0].id, title: 'later work' });
    const other = captureState(p.t.call, { kind: 'workspace' }, { storeBlobs: false });
    const file = writePayload(p.t.ws.flowDir, {
      format: 'flowmcp-snapshot', version: 1, id: gone, label: '', scope: 'workspace', flow_id: null, reason: 'manual', pinned: false,
      created_at: p.t.ws.now(), state_hash: stateHash(other), counts: {}, blobs: [], kind: 'full', base_id: null, depth: 0, state: other,
    });
    insertSnapshot(p.t.ws.db, {
      id: gone, label: '', scope: 'workspace', flow_id: null, reason: 'manual', pinned: 0, kind: 'full', base_id: null, depth: 0,
      file: file.file, bytes: file.bytes, counts: '{}', blobs: '[]', state_hash: stateHash(other), created_at: p.t.ws.now(),
    });
    expect(Object.values(loadState(p.t.call, getSnapshot(p.t.ws.db, gone)!).tasks).map((t) => t.title)).toEqual(['later work']);
  });
});

describe('canonicalJson', () => {
  it('sorts object keys at every level, and leaves arrays in their order', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ y: 1, x: 2 }, 3], c: null } })).toBe('{"a":{"c":null,"d":[{"x":2,"y":1},3]},"b":1}');
  });
});

