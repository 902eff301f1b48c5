// Noticing edited files with one lstat per file must keep every guarantee of the careful path walk:
// a folder on the way swapped for a link leading outside drops its files from the index (nothing outside
// is read), a file that is itself a link inside the project is followed, and an edit is noticed.
import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileStamps } from '../../../src/core/docs/file-stamps.js';
import { insertDocument } from '../../../src/store/documents.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { dumpDb, tempDirPerTest, workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
const scratch = tempDirPerTest();

describe('reindex after files changed on disk', () => {
  it('drops the files of a folder swapped for a link leading outside, and reads nothing there', async () => {
    const t = workspace();
    const { ok } = asyncCaller(t.call);
    mkdirSync(join(t.dir, 'docs'));
    writeFileSync(join(t.dir, 'docs', 'a.md'), '# A\n\nInside text.');
    await ok('document', { action: 'index', paths: ['docs/*.md'] });
    // The folder moves outside the project and a link takes its place; the file outside then changes.
    const outside = scratch();
    renameSync(join(t.dir, 'docs'), join(outside, 'docs'));
    symlinkSync(join(outside, 'docs'), join(t.dir, 'docs'));
    writeFileSync(join(outside, 'docs', 'a.md'), '# A\n\nsecret-outside-text');
    const r = await ok('document', { action: 'reindex' });
    expect(r.report.removed).toEqual(['docs/a.md']);
    expect(JSON.stringify(dumpDb(t.ws))).not.toContain('secret-outside-text');
  });

  it('follows a file swapped for a link staying inside the project, settles, and notices its target edited', async () => {
    const t = workspace();
    const { ok } = asyncCaller(t.call);
    mkdirSync(join(t.dir, 'docs', 'real'), { recursive: true });
    writeFileSync(join(t.dir, 'docs', 'note.md'), '# Note\n\nfirst words');
    await ok('document', { action: 'index', paths: ['docs/note.md'] });
    writeFileSync(join(t.dir, 'docs', 'real', 'target.md'), '# Target\n\nsecond words, longer');
    rmSync(join(t.dir, 'docs', 'note.md'));
    symlinkSync(join(t.dir, 'docs', 'real', 'target.md'), join(t.dir, 'docs', 'note.md'));
    expect((await ok('document', { action: 'reindex' })).report.indexed).toEqual(['docs/note.md']);
    // Settled: the link's own lstat differs from its target's, and must not count as an edit every pass.
    expect((await ok('document', { action: 'reindex' })).report).toMatchObject({ indexed: [], unchanged: 1 });
    writeFileSync(join(t.dir, 'docs', 'real', 'target.md'), '# Target\n\nthird words, longer still');
    utimesSync(join(t.dir, 'docs', 'real', 'target.md'), new Date(), new Date(Date.now() + 5000));
    expect((await ok('document', { action: 'reindex' })).report.indexed).toEqual(['docs/note.md']);
    const hits = (await ok('search', { query: 'third words longer still', kind: 'document' })).results;
    expect(hits.map((h: { path: string }) => h.path)).toEqual(['docs/note.md']);
  });
});

describe('a database a cloned repository wrote', () => {
  it('a planted document row naming a hidden file (.env, .git/config) is dropped by the next sync, never read', async () => {
    const t = workspace();
    writeFileSync(join(t.dir, '.env'), 'OPENAI_API_KEY=sk-planted-secret');
    mkdirSync(join(t.dir, 'docs', '.git'), { recursive: true });
    writeFileSync(join(t.dir, 'docs', '.git', 'config.md'), 'token = sk-planted-secret');
    mkdirSync(join(t.dir, '.flow', 'documents'), { recursive: true });
    writeFileSync(join(t.dir, '.flow', 'documents', '.hidden.md'), 'sk-planted-secret');
    const now = new Date().toISOString();
    const rows = [
      ['project', '.env'],
      ['project', 'docs/.git/config.md'],
      ['flow', '.hidden.md'],
    ] as const;
    rows.forEach(([source, path], i) =>
      insertDocument(t.ws.db, { id: `d-planted${i}`, source, path, title: path, size: 0, mtime_ms: 0, sha256: '', orphaned_at: null, created_at: now, updated_at: now, revision: 1 }),
    );
    const r = await asyncCaller(t.call).ok('document', { action: 'reindex' });
    expect(r.report.removed.sort()).toEqual(['.env', '.hidden.md', 'docs/.git/config.md']);
    expect(JSON.stringify(dumpDb(t.ws))).not.toContain('sk-planted-secret');
  });
});

describe('FileStamps', () => {
  it('gives no stamp for paths that are not plain (from a planted database), a missing file, or a file under a file', () => {
    const root = scratch();
    writeFileSync(join(root, 'a.md'), 'x');
    const s = new FileStamps(root);
    expect(s.of('a.md')).toMatchObject({ size: 1 });
    writeFileSync(join(root, '.env'), 'x');
    for (const bad of ['..', 'x/..', 'x/.', 'sub/', 'a\\b.md', 'nul\u0000.md', 'missing.md', 'a.md/b.md', '.env', '.git/config']) expect(s.of(bad), bad).toBeUndefined();
  });
});

describe('FileStamps.of on paths from the database', () => {
  it('stamps a file at the root however its neighbours look, and no path that begins with /', () => {
    const root = scratch();
    const outside = scratch();
    writeFileSync(join(root, 'a.md'), '# A\n');
    // A neighbour whose name is the file's minus its last letter, leading outside: not on the file's way.
    symlinkSync(outside, join(root, 'a.m'));
    const stamps = new FileStamps(root);
    expect(stamps.of('a.md')).toMatchObject({ size: 4 });
    expect(stamps.of('/a.md')).toBeUndefined();
  });
});
