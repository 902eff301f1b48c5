import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { dumpDb, tempDir, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let ids: { flow: string; plan: string; task: string };
beforeEach(async () => {
  t = tempWorkspace();
  const { ok } = asyncCaller(t.call);
  ids = {
    flow: (await ok('flow', { action: 'create', name: 'F' })).flow.id,
    plan: (await ok('plan', { action: 'create', title: 'P' })).plan.id,
    task: (await ok('task', { action: 'create', title: 'T' })).task.id,
  };
});
afterEach(() => t.cleanup());

const docsDir = () => join(t.dir, '.flow', 'documents');

describe('document', () => {
  it('write stores the file under .flow/documents, links it to the current plan, and read returns it', async () => {
    const { ok } = asyncCaller(t.call);
    const w = await ok('document', { action: 'write', path: 'design/auth.md', content: '# Auth design\n\nTokens expire after an hour.' });
    expect(w.created).toBe(true);
    expect(w.document).toMatchObject({ path: 'design/auth.md', source: 'flow', title: 'Auth design', links: [{ target_kind: 'plan', target_id: ids.plan }] });
    expect(readFileSync(join(docsDir(), 'design', 'auth.md'), 'utf8')).toBe('# Auth design\n\nTokens expire after an hour.');
    expect(readdirSync(join(docsDir(), 'design'))).toEqual(['auth.md']); // no temp files left behind
    const r = await ok('document', { action: 'read', path: './design//auth.md' });
    expect(r.content).toContain('expire after an hour');
    const again = await ok('document', { action: 'write', path: 'design/auth.md', content: '# Auth design\n\nTokens expire after a day.', task_id: ids.task });
    expect(again.created).toBe(false);
    expect(again.document.revision).toBe(2);
    expect(again.document.links).toEqual([
      { target_kind: 'plan', target_id: ids.plan },
      { target_kind: 'task', target_id: ids.task },
    ]);
  });

  it('refuses paths that leave .flow/documents, and writes nothing', async () => {
    const { fail } = asyncCaller(t.call);
    const outside = tempDir();
    mkdirSync(docsDir(), { recursive: true });
    symlinkSync(outside, join(docsDir(), 'escape'));
    const before = dumpDb(t.ws);
    for (const path of ['../evil.md', '/etc/passwd.md', 'a/../../b.md', 'a\\b.md', 'x\u0000.md', '.hidden/a.md', 'escape/a.md', 'notes']) {
      const e = await fail('document', { action: 'write', path, content: 'x' });
      expect(e.code, path).toBe('invalid_input');
    }
    expect(readdirSync(outside)).toEqual([]);
    expect(existsSync(join(t.dir, 'evil.md'))).toBe(false);
    expect(dumpDb(t.ws)).toEqual(before);
    rmSync(outside, { recursive: true, force: true });
  });

  it('unlinking the last link makes an orphan (kept, not deleted); linking again adopts it', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('document', { action: 'write', path: 'n.md', content: 'note', flow_id: ids.flow });
    const u = await ok('document', { action: 'unlink', path: 'n.md', flow_id: ids.flow });
    expect(u.document.links).toEqual([]);
    expect(u.document.orphaned_at).toBeTruthy();
    expect(existsSync(join(docsDir(), 'n.md'))).toBe(true);
    const l = await ok('document', { action: 'link', path: 'n.md', task_id: ids.task });
    expect(l.document.orphaned_at).toBeNull();
    // Deleting the task drops the link, and the document is an orphan again.
    await ok('task', { action: 'delete', id: ids.task, confirm: true });
    expect((await ok('document', { action: 'read', path: 'n.md' })).document.orphaned_at).toBeTruthy();
  });

  it('delete needs confirm and removes the file; list pages through documents', async () => {
    const { ok, fail } = asyncCaller(t.call);
    for (let i = 0; i < 5; i++) await ok('document', { action: 'write', path: `d${i}.md`, content: `doc ${i}` });
    expect((await fail('document', { action: 'delete', path: 'd1.md' })).code).toBe('confirm_required');
    expect(existsSync(join(docsDir(), 'd1.md'))).toBe(true);
    await ok('document', { action: 'delete', path: 'd1.md', confirm: true });
    expect(existsSync(join(docsDir(), 'd1.md'))).toBe(false);
    const p1 = await ok('document', { action: 'list', limit: 3 });
    const p2 = await ok('document', { action: 'list', limit: 3, cursor: p1.next_cursor });
    expect([...p1.documents, ...p2.documents].map((d: { path: string }) => d.path)).toEqual(['d0.md', 'd2.md', 'd3.md', 'd4.md']);
    expect(p2.next_cursor).toBeNull();
  });

  it('index adds project files read-only, skips binary and oversized ones with a reason, and never goes outside', async () => {
    const { ok, fail } = asyncCaller(t.call);
    mkdirSync(join(t.dir, 'docs', 'api'), { recursive: true });
    writeFileSync(join(t.dir, 'README.md'), '# Project\n\nHow to build.');
    writeFileSync(join(t.dir, 'docs', 'api', 'retry.md'), '# Retry policy\n\nBack off exponentially.');
    writeFileSync(join(t.dir, 'docs', 'logo.md'), Buffer.from([0x23, 0x00, 0x01, 0x02]));
    writeFileSync(join(t.dir, 'docs', 'big.md'), 'x'.repeat(1_100_000));
    const r = await ok('document', { action: 'index', paths: ['README.md', 'docs/**/*.md'] });
    expect(r.report.indexed).toEqual(['README.md', 'docs/api/retry.md']);
    expect(r.report.skipped).toEqual([
      { path: 'docs/big.md', reason: 'larger than 1000000 bytes' },
      { path: 'docs/logo.md', reason: 'binary content' },
    ]);
    expect((await ok('document', { action: 'read', path: 'docs/api/retry.md' })).document.source).toBe('project');
    expect((await fail('document', { action: 'index', paths: ['../*'] })).code).toBe('invalid_input');
    expect((await fail('document', { action: 'index', paths: ['nothing/*.md'] })).code).toBe('not_found');
    // Indexing again changes nothing.
    const again = await ok('document', { action: 'index', paths: ['README.md', 'docs/**/*.md'] });
    expect(again.report).toMatchObject({ indexed: [], unchanged: 2 });
  });

  it('files edited or deleted outside flowmcp are noticed by reindex; new files in .flow/documents join', async () => {
    const { ok } = asyncCaller(t.call);
    writeFileSync(join(t.dir, 'README.md'), '# One');
    await ok('document', { action: 'index', paths: ['README.md'] });
    await ok('document', { action: 'write', path: 'mine.md', content: '# Mine' });
    writeFileSync(join(t.dir, 'README.md'), '# One, edited by hand');
    utimesSync(join(t.dir, 'README.md'), new Date(), new Date(Date.now() + 5000));
    unlinkSync(join(docsDir(), 'mine.md'));
    writeFileSync(join(docsDir(), 'dropped-in.md'), '# Dropped in by hand');
    const r = await ok('document', { action: 'reindex' });
    expect(r.report.indexed.sort()).toEqual(['README.md', 'dropped-in.md']);
    expect(r.report.removed).toEqual(['mine.md']);
    expect((await ok('document', { action: 'read', path: 'README.md' })).document.title).toBe('One, edited by hand');
  });
});

describe('an entry planted in the database with a path outside the project', () => {
  it('is never read, and delete takes the entry alone (with confirm), touching no file', async () => {
    const outside = join(t.dir, '..', `outside-${Date.now()}.md`);
    writeFileSync(outside, 'secret');
    try {
      const now = new Date().toISOString();
      t.ws.db
        .prepare("INSERT INTO documents (id, source, path, size, mtime_ms, sha256, created_at, updated_at) VALUES ('d-evil1', 'flow', ?, 6, 0, 'x', ?, ?)")
        .run(`../${outside.split('/').pop()}`, now, now);
      const { raw, ok } = asyncCaller(t.call);
      expect((await raw('document', { action: 'read', path: 'd-evil1' })).isError).toBe(true);
      const unconfirmed = await raw('document', { action: 'delete', path: 'd-evil1' });
      expect((unconfirmed.structured.error as { message: string }).message).toMatch(/^Deleting the index entry d-evil1 \(its path ".*" is not one inside the project; no file is touched\) needs confirm: true/);
      const r = await ok('document', { action: 'delete', path: 'd-evil1', confirm: true });
      expect(r.deleted).toMatchObject({ id: 'd-evil1', file_removed: false });
      expect(readFileSync(outside, 'utf8')).toBe('secret');
      expect((await ok('document', { action: 'list' })).documents).toEqual([]);
    } finally {
      rmSync(outside, { force: true });
    }
  });
});
