// What the document actions answer, in the words a user acts on: which links a write made and why, what
// read says when a file is gone or has grown past its limit, how list pages end, and what delete asks
// for, keeps in a snapshot and removes from disk — for flowmcp's own documents and project files alike.
import { closeSync, existsSync, ftruncateSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { encodeCursor } from '../../../src/core/kernel/cursor.js';
import { listEvents } from '../../../src/store/events.js';
import { MAX_DOCUMENT_BYTES, MAX_PROJECT_FILE_BYTES } from '../../../src/core/docs/doc-limits.js';
import { writeDocument } from '../../../src/core/docs/documents.js';
import { FlowError } from '../../../src/model/errors.js';
import type { Call } from '../../../src/core/kernel/workspace.js';

const workspace = workspacePerTest();

async function setUp(opts: { plan?: boolean } = {}) {
  const t = workspace();
  const c = asyncCaller(t.call);
  const flow = (await c.ok('flow', { action: 'create', name: 'F' })).flow.id as string;
  const plan = opts.plan === false ? undefined : ((await c.ok('plan', { action: 'create', title: 'P' })).plan.id as string);
  return { t, c, flow, plan };
}

function grow(file: string, size: number): void {
  const fd = openSync(file, 'r+');
  ftruncateSync(fd, size); // sparse: the size on paper, nothing on disk
  closeSync(fd);
}

function projectFile(t: TempWorkspace, rel: string, text = `# ${rel}\n\nproject words\n`): void {
  const file = join(t.dir, ...rel.split('/'));
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

describe('document write says what it linked', () => {
  it('names a target it was given plainly, and the current plan with why it was chosen', async () => {
    const { c, flow, plan } = await setUp();
    const named = await c.ok('document', { action: 'write', path: 'a.md', content: '# A', flow_id: flow });
    expect(named.linked_to).toEqual([`flow ${flow}`]);
    const current = await c.ok('document', { action: 'write', path: 'b.md', content: '# B' });
    expect(current.linked_to).toHaveLength(1);
    expect(current.linked_to[0]).toMatch(new RegExp(`^plan ${plan} \\(the current plan: no flow_id, plan_id or task_id was given\\)$`));
    // Written again with the link already there: nothing newly linked, nothing said.
    const again = await c.ok('document', { action: 'write', path: 'b.md', content: '# B2' });
    expect(again.linked_to).toBeUndefined();
  });

  it('files a document under the current flow when there is no current plan', async () => {
    const { c, flow } = await setUp({ plan: false });
    const w = await c.ok('document', { action: 'write', path: 'a.md', content: '# A' });
    expect(w.document.links).toEqual([{ target_kind: 'flow', target_id: flow }]);
    expect(w.linked_to).toEqual([expect.stringMatching(new RegExp(`^flow ${flow} \\(the current flow`))]);
  });
});

describe('document read of a project file not indexed yet', () => {
  it('says it is a file here and how to index it; a missing file or one outside the project gets no such hint', async () => {
    const { t, c } = await setUp();
    writeFileSync(join(t.dir, 'README.md'), '# Readme\n\nHello.');
    const e = await c.fail('document', { action: 'read', path: 'README.md' });
    expect(e.code).toBe('not_found');
    expect(e.hint).toBe('README.md is a file in the project that is not indexed: document index README.md adds it (read-only), then read and search see it.');
    await c.ok('document', { action: 'index', paths: ['README.md'] });
    expect((await c.ok('document', { action: 'read', path: 'README.md' })).content).toContain('Hello.');
    expect((await c.fail('document', { action: 'read', path: 'nothere.md' })).hint).not.toMatch(/document index/);
    expect((await c.fail('document', { action: 'read', path: '../outside.md' })).hint ?? '').not.toMatch(/document index/);
  });
});

describe('document read of a file that changed since it was indexed', () => {
  it('says a deleted file is gone and how to drop it from the index', async () => {
    const { t, c } = await setUp();
    await c.ok('document', { action: 'write', path: 'a.md', content: '# A' });
    rmSync(join(t.dir, '.flow', 'documents', 'a.md'));
    const e = await c.fail('document', { action: 'read', path: 'a.md' });
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/a\.md is in the index but its file is gone/);
    expect(e.hint).toMatch(/document reindex/);
  });

  it('refuses a flow document grown past its limit, advising to split it', async () => {
    const { t, c } = await setUp();
    await c.ok('document', { action: 'write', path: 'a.md', content: '# A' });
    grow(join(t.dir, '.flow', 'documents', 'a.md'), MAX_DOCUMENT_BYTES + 1);
    const o = await c.raw('document', { action: 'read', path: 'a.md' });
    const e = o.structured.error as { code: string; message: string; hint: string; details: Record<string, unknown> };
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/larger than/);
    expect(e.hint).toMatch(/Split it into smaller documents/);
    expect(e.details).toMatchObject({ size: MAX_DOCUMENT_BYTES + 1, limit: MAX_DOCUMENT_BYTES });
  });

  it('refuses a project file grown past its limit, advising to open it directly', async () => {
    const { t, c } = await setUp();
    projectFile(t, 'docs/p.md');
    await c.ok('document', { action: 'index', paths: ['docs/p.md'] });
    grow(join(t.dir, 'docs', 'p.md'), MAX_PROJECT_FILE_BYTES + 1);
    const o = await c.raw('document', { action: 'read', path: 'docs/p.md' });
    const e = o.structured.error as { hint: string; details: Record<string, unknown> };
    expect(e.hint).toMatch(/Open the file directly/);
    expect(e.details).toMatchObject({ size: MAX_PROJECT_FILE_BYTES + 1, limit: MAX_PROJECT_FILE_BYTES });
  });

  it('says a path that names no document is not found, pointing to document list and to a same-named one', async () => {
    const { c } = await setUp();
    await c.ok('document', { action: 'write', path: 'design/authentication-notes.md', content: '# Auth' });
    const e = await c.fail('document', { action: 'read', path: 'archive/old/authentication-notes.txt' });
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/document/i);
    expect(e.message).toContain('design/authentication-notes.md');
    expect(e.hint).toMatch(/document list/);
  });
});

describe('document list pages', () => {
  it('gives at most the limit, and no next page when the last page is exactly full', async () => {
    const { c } = await setUp();
    for (const n of ['a', 'b', 'c', 'd']) await c.ok('document', { action: 'write', path: `${n}.md`, content: `# ${n}` });
    const p1 = await c.ok('document', { action: 'list', limit: 2 });
    expect(p1.documents.map((d: { path: string }) => d.path)).toEqual(['a.md', 'b.md']);
    expect(p1.next_cursor).toEqual(expect.any(String));
    const p2 = await c.ok('document', { action: 'list', limit: 2, cursor: p1.next_cursor });
    expect(p2.documents.map((d: { path: string }) => d.path)).toEqual(['c.md', 'd.md']);
    expect(p2.next_cursor).toBeNull();
  });

  it('refuses a cursor whose position is not a document path', async () => {
    const { c } = await setUp();
    await c.ok('document', { action: 'write', path: 'a.md', content: '# A' });
    const e = await c.fail('document', { action: 'list', cursor: encodeCursor('document', 42) });
    expect(e.code).toBe('invalid_input');
  });
});

describe('document delete', () => {
  it('of a flow document asks for confirm saying a snapshot keeps its text, then snapshots and removes the file', async () => {
    const { t, c, flow } = await setUp();
    await c.ok('document', { action: 'write', path: 'notes/a.md', content: '# A', flow_id: flow });
    const ask = await c.fail('document', { action: 'delete', path: 'notes/a.md' });
    expect(ask.code).toBe('confirm_required');
    expect(ask.message).toMatch(/^Deleting document notes\/a\.md needs confirm: true \(its text is kept in a snapshot first/);
    const d = await c.ok('document', { action: 'delete', path: 'notes/a.md', confirm: true });
    expect(d.deleted).toMatchObject({ kind: 'document', title: 'notes/a.md', source: 'flow', file_removed: true });
    expect(existsSync(join(t.dir, '.flow', 'documents', 'notes', 'a.md'))).toBe(false);
    const snaps = (await c.ok('snapshot', { action: 'list', flow_id: flow })).snapshots;
    expect(snaps.find((s: { id: string }) => s.id === d.snapshot)).toMatchObject({ scope: 'flow', reason: expect.stringContaining('before deleting document notes/a.md') });
    const ev = listEvents(t.ws.db, { limit: 5 }).find((e) => e.action === 'document.delete');
    expect(ev?.summary).toBe('deleted document notes/a.md');
  });

  it('of an orphaned flow document snapshots the workspace first', async () => {
    const { c, flow } = await setUp();
    await c.ok('document', { action: 'write', path: 'o.md', content: '# O', flow_id: flow });
    await c.ok('document', { action: 'unlink', path: 'o.md', flow_id: flow });
    const d = await c.ok('document', { action: 'delete', path: 'o.md', confirm: true });
    expect(d.snapshot).toEqual(expect.any(String));
    const snaps = (await c.ok('snapshot', { action: 'list' })).snapshots;
    expect(snaps.find((s: { id: string }) => s.id === d.snapshot)).toMatchObject({ scope: 'workspace', reason: expect.stringContaining('before deleting document o.md') });
  });

  it('of a project file asks for confirm saying the file is kept, takes no snapshot, and keeps every file', async () => {
    const { t, c } = await setUp();
    projectFile(t, 'notes/p.md');
    await c.ok('document', { action: 'index', paths: ['notes/p.md'] });
    // A file at the same path in .flow/documents/ that is not a document (yet) is not touched either.
    mkdirSync(join(t.dir, '.flow', 'documents', 'notes'), { recursive: true });
    writeFileSync(join(t.dir, '.flow', 'documents', 'notes', 'p.md'), '# stray\n');
    const before = (await c.ok('snapshot', { action: 'list' })).snapshots.length;
    const ask = await c.fail('document', { action: 'delete', path: 'notes/p.md' });
    expect(ask.message).toMatch(/^Deleting project file notes\/p\.md from the search index \(the file itself is kept\) needs confirm: true\. Nothing/);
    const d = await c.ok('document', { action: 'delete', path: 'notes/p.md', confirm: true });
    expect(d.deleted).toMatchObject({ source: 'project', file_removed: false });
    expect(d.snapshot).toBeUndefined();
    expect((await c.ok('snapshot', { action: 'list' })).snapshots).toHaveLength(before);
    expect(existsSync(join(t.dir, 'notes', 'p.md'))).toBe(true);
    expect(existsSync(join(t.dir, '.flow', 'documents', 'notes', 'p.md'))).toBe(true);
  });
});

/** The workspace as a process sees it when the database refuses to commit (disk full): the work runs, then the commit fails. */
function refusingCommits(t: TempWorkspace): Call {
  const ws = new Proxy(t.ws, {
    get(target, key) {
      if (key === 'write')
        return (fn: () => unknown) =>
          target.write(() => {
            fn();
            throw new FlowError('disk_full', 'The disk is full (test).');
          });
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { ...t.call, ws };
}

describe('document write the database refuses', () => {
  it('leaves no new file behind, and puts an old one back as it was', async () => {
    const { t, c } = await setUp();
    await c.ok('document', { action: 'write', path: 'kept.md', content: '# Kept\n\nthe old text\n' });
    const call = refusingCommits(t);
    expect(() => writeDocument(call, { path: 'new.md', content: '# New' })).toThrow(/disk is full/);
    expect(existsSync(join(t.dir, '.flow', 'documents', 'new.md'))).toBe(false);
    expect(() => writeDocument(call, { path: 'kept.md', content: '# Kept\n\nthe new text\n' })).toThrow(/disk is full/);
    expect(readFileSync(join(t.dir, '.flow', 'documents', 'kept.md'), 'utf8')).toBe('# Kept\n\nthe old text\n');
  });
});
