// A file indexed while small and grown afterwards is never read, indexed or returned whole: document
// read refuses it with its size, reindex skips it with a reason (its index left as it was), and the
// reader itself never reads more than limit + 1 bytes.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_DOCUMENT_BYTES, MAX_PROJECT_FILE_BYTES } from '../../../src/core/docs/doc-limits.js';
import { readFileBounded } from '../../../src/store/bounded-file.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

const filler = (bytes: number) => '# Filler\n\n' + 'lorem ipsum dolor '.repeat(Math.ceil(bytes / 18));

describe('files that grew after they were indexed', () => {
  it('a project file: read refuses it, reindex skips it and keeps the old entries', async () => {
    const { ok, fail } = asyncCaller(t.call);
    mkdirSync(join(t.dir, 'docs'));
    const file = join(t.dir, 'docs', 'log.md');
    writeFileSync(file, '# Log\n\nsmall and quokka-friendly');
    await ok('document', { action: 'index', paths: ['docs/*.md'] });
    expect((await ok('document', { action: 'read', path: 'docs/log.md' })).content).toContain('quokka');
    appendFileSync(file, filler(MAX_PROJECT_FILE_BYTES * 3));

    const e = await fail('document', { action: 'read', path: 'docs/log.md' });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/larger than 1000000 bytes/);
    expect(e.message.length).toBeLessThan(1000);
    const re = (await ok('document', { action: 'reindex' })).report;
    expect(re.indexed).toEqual([]);
    expect(re.skipped).toEqual([{ path: 'docs/log.md', reason: expect.stringMatching(/larger than 1000000 bytes/) }]);
    const chunks = t.ws.db.prepare("SELECT SUM(LENGTH(body)) FROM chunks WHERE kind = 'document'").pluck().get() as number;
    expect(chunks).toBeLessThan(1000); // the old entries, not three megabytes of filler
  });

  it('a flowmcp document edited by hand past the limit: read refuses, reindex skips', async () => {
    const { ok, fail } = asyncCaller(t.call);
    await ok('document', { action: 'write', path: 'big.md', content: '# Big\n\nstarts small' });
    appendFileSync(join(t.dir, '.flow', 'documents', 'big.md'), filler(MAX_DOCUMENT_BYTES + 10));
    const e = await fail('document', { action: 'read', path: 'big.md' });
    expect(e.message).toMatch(/larger than 6000000 bytes/);
    const re = (await ok('document', { action: 'reindex' })).report;
    expect(re.skipped.map((s: { path: string }) => s.path)).toEqual(['big.md']);
  });
});

describe('readFileBounded', () => {
  it('reads a file within the limit whole, and stops one byte past the limit otherwise', () => {
    const f = join(t.dir, 'x.txt');
    writeFileSync(f, 'a'.repeat(100));
    const ok = readFileBounded(f, 100);
    expect(ok.ok && ok.bytes.length).toBe(100);
    const over = readFileBounded(f, 99);
    expect(over).toEqual({ ok: false, reason: 'too_large', size: 100 });
  });
});
