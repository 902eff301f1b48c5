// Which snapshots a rebuild restores: the newest workspace snapshot and each flow's newest after it,
// with the ones recover took itself in this run and flowmcp's own safety snapshots of an empty database
// left out, so neither can stand in front of the snapshots that hold the work. Which files it leaves
// alone: those on disk before it started, whatever the snapshots say.
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rebuildSources } from '../../../src/core/transfer/recover-sources.js';
import { recover } from '../../../src/core/transfer/recover.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import type { SnapshotRow } from '../../../src/store/snapshots.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

const EMPTY = { flows: 0, plans: 0, tasks: 0, documents: 0, context: 0 };
const HOLDS = { flows: 1, plans: 1, tasks: 3, documents: 0, context: 0 };

let seq = 0;
function row(id: string, scope: 'workspace' | 'flow', reason: string, counts: object | string, flow_id: string | null = null): SnapshotRow {
  seq++;
  return {
    id, label: '', scope, flow_id, reason, pinned: 0, kind: 'full', base_id: null, depth: 0, file: `${id}.full.json.gz`, bytes: 1,
    counts: typeof counts === 'string' ? counts : JSON.stringify(counts), blobs: '[]', state_hash: '', created_at: `2026-01-01T00:00:${String(seq).padStart(2, '0')}.000Z`, seq,
  };
}
const ids = (rows: SnapshotRow[]) => rows.map((r) => r.id);

describe('rebuildSources', () => {
  it('takes the newest workspace snapshot, then the newest snapshot of each flow taken after it', () => {
    const rows = [row('s-old', 'workspace', 'manual', HOLDS), row('s-fa1', 'flow', 'before delete of t-1', HOLDS, 'f-a'), row('s-ws', 'workspace', 'manual', HOLDS),
      row('s-fa2', 'flow', 'manual', HOLDS, 'f-a'), row('s-fb', 'flow', 'manual', HOLDS, 'f-b'), row('s-fa3', 'flow', 'before delete of t-2', HOLDS, 'f-a')];
    expect(ids(rebuildSources(rows, new Set()))).toEqual(['s-ws', 's-fa3', 's-fb']);
  });

  it('never takes a snapshot this run took, nor a safety snapshot of an empty database, over older ones holding work', () => {
    const rows = [row('s-work', 'workspace', 'manual', HOLDS), row('s-f', 'flow', 'manual', HOLDS, 'f-a'),
      row('s-e1', 'workspace', 'before recover --force', EMPTY), row('s-e2', 'workspace', 'before restore of s-work', EMPTY), row('s-own', 'workspace', 'before recover --force', HOLDS)];
    expect(ids(rebuildSources(rows, new Set(['s-own'])))).toEqual(['s-work', 's-f']);
    // Not this run's, and holding work: the newest source.
    expect(ids(rebuildSources(rows, new Set()))).toEqual(['s-own']);
  });

  it('an empty snapshot a person took is theirs to rebuild from; counts it cannot read leave a snapshot in', () => {
    expect(ids(rebuildSources([row('s-work', 'workspace', 'manual', HOLDS), row('s-blank', 'workspace', 'manual', EMPTY)], new Set()))).toEqual(['s-blank']);
    expect(ids(rebuildSources([row('s-work', 'workspace', 'manual', HOLDS), row('s-odd', 'workspace', 'before prune', '{not json')], new Set()))).toEqual(['s-odd']);
    expect(ids(rebuildSources([row('s-work', 'workspace', 'manual', HOLDS), row('s-some', 'workspace', 'before prune', { ...EMPTY, documents: 2 })], new Set()))).toEqual(['s-some']);
  });

  it('with no workspace snapshot, each flow\'s newest', () => {
    const rows = [row('s-a1', 'flow', 'manual', HOLDS, 'f-a'), row('s-a2', 'flow', 'manual', HOLDS, 'f-a'), row('s-b', 'flow', 'manual', HOLDS, 'f-b')];
    expect(ids(rebuildSources(rows, new Set()))).toEqual(['s-a2', 's-b']);
    expect(rebuildSources([], new Set())).toEqual([]);
  });
});

/** A project through the tools; `then` works on it before it is closed; then flow.db is lost. */
function lostAfter(then: (c: ReturnType<typeof caller>) => void): string {
  const dir = scratch();
  const ws = Workspace.open(dir);
  try {
    const c = caller({ ws, session: ws.session('a') });
    c.ok('flow', { action: 'create', name: 'Shop' });
    c.ok('plan', { action: 'create', title: 'Build' });
    then(c);
  } finally {
    ws.close();
  }
  for (const f of ['flow.db', 'flow.db-wal', 'flow.db-shm']) rmSync(join(dir, '.flow', f), { force: true });
  return dir;
}

describe('the files recover leaves alone', () => {
  it('are the ones on disk before it starts: a file missing then gets the newest snapshot\'s text, not the first restored', () => {
    const dir = lostAfter((c) => {
      c.ok('document', { action: 'write', path: 'a.md', content: '# v1' });
      c.ok('snapshot', { action: 'create' });
      c.ok('document', { action: 'write', path: 'a.md', content: '# v2' });
      const flow = c.ok('flow', { action: 'list' }).flows[0].id as string;
      c.ok('snapshot', { action: 'create', flow_id: flow });
      c.ok('document', { action: 'write', path: 'a.md', content: '# v3' });
    });
    rmSync(join(dir, '.flow', 'documents', 'a.md'));
    const report = recover(dir);
    expect(report.restored_from.map((r) => r.scope)).toEqual(['workspace', 'flow']);
    expect(readFileSync(join(dir, '.flow', 'documents', 'a.md'), 'utf8')).toBe('# v2');
    expect(report).toMatchObject({ documents_from_snapshot: ['a.md'], documents_from_disk: [] });
  });

  it('a file grown past the size a document may have is left as it is, never written over with older text', () => {
    const dir = lostAfter((c) => {
      c.ok('document', { action: 'write', path: 'big.md', content: '# small then' });
      c.ok('snapshot', { action: 'create' });
    });
    const file = join(dir, '.flow', 'documents', 'big.md');
    writeFileSync(file, '# grown\n' + 'x'.repeat(7 * 1024 * 1024));
    const size = statSync(file).size;
    const report = recover(dir);
    expect(statSync(file).size).toBe(size);
    expect(readFileSync(file, 'utf8').startsWith('# grown')).toBe(true);
    expect(report).toMatchObject({ documents_from_disk: ['big.md'], documents_from_snapshot: [] });
  });
});
