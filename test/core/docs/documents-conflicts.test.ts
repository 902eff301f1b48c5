// Two writers on one document, and a flow document beside a project file of the same path: a stale write
// is refused with the current row (expected_revision, as tasks/plans/flows take it), a blind write says
// the revision it replaced, a flow document never shadows a project file, and where both exist anyway
// read/unlink/delete refuse to guess from the path and take the document's id instead.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller, flowWithPlan } from '../../helpers/call-async.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(async () => {
  t = tempWorkspace();
  await flowWithPlan(t.call);
});
afterEach(() => t.cleanup());

const flowFile = (p: string) => join(t.dir, '.flow', 'documents', p);
type Err = { code: string; message: string; hint?: string; details?: Record<string, unknown> };

describe('document write: expected_revision', () => {
  it('refuses a stale write with the current row and changes nothing; a matching one goes through', async () => {
    const { ok, fail } = asyncCaller(t.call);
    const first = await ok('document', { action: 'write', path: 'notes/retry.md', content: '# Retry\n\nAgent A: back off 1 s, 2 s, 4 s.' });
    expect(first.created).toBe(true);
    expect(first.replaced_revision).toBeUndefined();
    const b = await ok('document', { action: 'write', path: 'notes/retry.md', content: '# Retry\n\nAgent B: back off 2 s.', expected_revision: 1 });
    expect(b).toMatchObject({ created: false, replaced_revision: 1, document: { revision: 2 } });

    const before = dumpDb(t.ws);
    const e = (await fail('document', { action: 'write', path: 'notes/retry.md', content: 'Agent A again, from revision 1', expected_revision: 1 })) as Err;
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/document notes\/retry\.md is at revision 2, not 1/);
    expect(e.hint).toMatch(/expected_revision 2/);
    expect(e.details?.current).toMatchObject({ path: 'notes/retry.md', source: 'flow', revision: 2, id: first.document.id });
    expect(readFileSync(flowFile('notes/retry.md'), 'utf8')).toBe('# Retry\n\nAgent B: back off 2 s.');
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('without expected_revision the last writer wins, and the answer says which revision it replaced', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('document', { action: 'write', path: 'n.md', content: 'one' });
    await ok('document', { action: 'write', path: 'n.md', content: 'two' });
    const w = await ok('document', { action: 'write', path: 'n.md', content: 'three' });
    expect(w).toMatchObject({ created: false, replaced_revision: 2, document: { revision: 3 } });
  });

  it('expected_revision 0 only creates: refused when the document exists; a revision for a missing one is refused too', async () => {
    const { ok, fail } = asyncCaller(t.call);
    expect((await ok('document', { action: 'write', path: 'new.md', content: 'mine', expected_revision: 0 })).created).toBe(true);
    const taken = (await fail('document', { action: 'write', path: 'new.md', content: 'theirs', expected_revision: 0 })) as Err;
    expect(taken.code).toBe('conflict');
    expect(taken.message).toMatch(/already exists at revision 1/);
    expect(taken.details?.current).toMatchObject({ path: 'new.md', revision: 1 });
    expect(readFileSync(flowFile('new.md'), 'utf8')).toBe('mine');

    const gone = (await fail('document', { action: 'write', path: 'gone.md', content: 'x', expected_revision: 3 })) as Err;
    expect(gone.code).toBe('conflict');
    expect(gone.message).toMatch(/no document gone\.md/i);
    expect(gone.details).toEqual({ current: null });
    expect(existsSync(flowFile('gone.md'))).toBe(false);
  });
});

describe('a flow document and a project file at the same path', () => {
  function projectFile(path: string, text: string): void {
    mkdirSync(join(t.dir, path, '..'), { recursive: true });
    writeFileSync(join(t.dir, path), text);
  }

  it('writing a flow document over an indexed project file is refused with another path to use; nothing changes', async () => {
    const { ok, fail } = asyncCaller(t.call);
    projectFile('docs/deploy.md', '# Deploy\n\nThe real runbook.');
    await ok('document', { action: 'index', paths: ['docs/*.md'] });
    const before = dumpDb(t.ws);
    const e = (await fail('document', { action: 'write', path: 'docs/deploy.md', content: 'hijack' })) as Err;
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/docs\/deploy\.md is a project file indexed for search/);
    expect(e.hint).toMatch(/notes\/deploy\.md/);
    expect(existsSync(flowFile('docs/deploy.md'))).toBe(false);
    expect(dumpDb(t.ws)).toEqual(before);
    const r = await ok('document', { action: 'read', path: 'docs/deploy.md' });
    expect(r).toMatchObject({ content: '# Deploy\n\nThe real runbook.', document: { source: 'project' } });
    expect((await ok('document', { action: 'list' })).documents.map((d: { path: string }) => d.path)).toEqual(['docs/deploy.md']);
  });

  it('so is one over a file the project has but has not indexed (indexing it later would clash)', async () => {
    const { fail } = asyncCaller(t.call);
    projectFile('README.md', '# Readme');
    const e = (await fail('document', { action: 'write', path: 'README.md', content: 'my note' })) as Err;
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/^The project has a file README\.md/);
    expect(e.hint).toMatch(/notes\/README\.md/);
    expect(existsSync(flowFile('README.md'))).toBe(false);
  });

  it('past a linked folder nothing clashes, and whether a file exists out there is not told', async () => {
    // docs/outdir links to a folder outside the project: the index never enters it, so a note at
    // docs/outdir/<name> clashes with nothing, and the answer is the same whether <name> exists there.
    const { ok } = asyncCaller(t.call);
    const outside = mkdtempSync(join(tmpdir(), 'flowmcp-outside-'));
    try {
      writeFileSync(join(outside, 'secret.md'), 'outside');
      mkdirSync(join(t.dir, 'docs'), { recursive: true });
      symlinkSync(outside, join(t.dir, 'docs', 'outdir'));
      for (const name of ['secret.md', 'nothere.md']) {
        const r = await ok('document', { action: 'write', path: `docs/outdir/${name}`, content: 'my note' });
        expect(r.created, name).toBe(true);
        expect(readFileSync(flowFile(`docs/outdir/${name}`), 'utf8')).toBe('my note');
      }
      expect(readFileSync(join(outside, 'secret.md'), 'utf8')).toBe('outside');
      expect(existsSync(join(outside, 'nothere.md'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('the path it suggests is free: not notes/<name> when the project has that one too', async () => {
    const { ok, fail } = asyncCaller(t.call);
    projectFile('docs/deploy.md', '# Deploy');
    projectFile('notes/deploy.md', '# The project keeps notes too');
    await ok('document', { action: 'index', paths: ['docs/*.md'] });
    const e = (await fail('document', { action: 'write', path: 'docs/deploy.md', content: 'hijack' })) as Err;
    expect(e.hint).toMatch(/e\.g\. flow-notes\/docs\/deploy\.md /);
    expect((await ok('document', { action: 'write', path: 'flow-notes/docs/deploy.md', content: 'my note' })).created).toBe(true);
  });

  it('where both exist (the file indexed after the note was written), read, unlink and delete refuse the bare path and take an id', async () => {
    const { ok, fail } = asyncCaller(t.call);
    const note = (await ok('document', { action: 'write', path: 'docs/setup.md', content: '# My notes on setup' })).document;
    projectFile('docs/setup.md', '# Setup\n\nThe project file.');
    await ok('document', { action: 'index', paths: ['docs/setup.md'] });
    const listed = (await ok('document', { action: 'list' })).documents as { id: string; path: string; source: string }[];
    expect(listed.map((d) => `${d.source}:${d.path}`)).toEqual(['flow:docs/setup.md', 'project:docs/setup.md']);
    const file = listed.find((d) => d.source === 'project')!;

    const before = dumpDb(t.ws);
    for (const args of [{ action: 'read' }, { action: 'delete', confirm: true }, { action: 'unlink', flow_id: note.links[0].target_id }]) {
      const e = (await fail('document', { ...args, path: 'docs/setup.md' })) as Err;
      expect(e.code, args.action).toBe('invalid_input');
      expect(e.message).toMatch(/docs\/setup\.md is both a flow document .* and a project file/);
      expect(e.hint).toBe(`Name the one you mean by its id instead of the path: ${note.id} (the flow document) or ${file.id} (the project file).`);
      expect(e.details?.candidates).toEqual([
        expect.objectContaining({ source: 'flow', id: note.id }),
        expect.objectContaining({ source: 'project', id: file.id }),
      ]);
    }
    expect(dumpDb(t.ws)).toEqual(before);
    expect(existsSync(flowFile('docs/setup.md'))).toBe(true);

    expect(await ok('document', { action: 'read', path: file.id })).toMatchObject({ content: '# Setup\n\nThe project file.', document: { source: 'project' } });
    expect(await ok('document', { action: 'read', path: note.id })).toMatchObject({ content: '# My notes on setup', document: { source: 'flow' } });
    // The note that was there first can still be written; a new one at that path could not.
    expect((await ok('document', { action: 'write', path: 'docs/setup.md', content: '# My notes, updated', expected_revision: 1 })).document.revision).toBe(2);

    const d = await ok('document', { action: 'delete', path: file.id, confirm: true });
    expect(d.deleted).toMatchObject({ id: file.id, source: 'project', file_removed: false, title: 'docs/setup.md' });
    expect(readFileSync(join(t.dir, 'docs', 'setup.md'), 'utf8')).toBe('# Setup\n\nThe project file.');
    // One left: the path names it again, and the answer still says which one it was.
    const last = await ok('document', { action: 'delete', path: 'docs/setup.md', confirm: true });
    expect(last.deleted).toMatchObject({ source: 'flow', id: note.id, file_removed: true });
    expect(existsSync(flowFile('docs/setup.md'))).toBe(false);
  });

  it('an id that is no document is not found, like a path', async () => {
    const { fail } = asyncCaller(t.call);
    expect(((await fail('document', { action: 'read', path: 'd-zzzz' })) as Err).code).toBe('not_found');
  });
});
