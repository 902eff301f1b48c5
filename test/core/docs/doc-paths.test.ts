// Paths are normalised and checked before anything touches the disk: whitespace and invisible
// characters cannot turn a path absolute or hidden, and a symlinked folder on the way is refused
// before any folder is created through it.
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { normalizeRelPath, safeJoin } from '../../../src/core/docs/doc-paths.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { dumpDb, tempDir, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let outside: string;
beforeEach(async () => {
  t = tempWorkspace();
  outside = tempDir('flowmcp-outside-');
  const { ok } = asyncCaller(t.call);
  await ok('flow', { action: 'create', name: 'F' });
  await ok('plan', { action: 'create', title: 'P' });
});
afterEach(() => {
  t.cleanup();
  rmSync(outside, { recursive: true, force: true });
});
const docsDir = () => join(t.dir, '.flow', 'documents');

describe('document paths', () => {
  it('whitespace, invisible characters and ~ never make a path absolute, hidden or different from what is stored', async () => {
    const { fail } = asyncCaller(t.call);
    const before = dumpDb(t.ws);
    for (const path of [' /etc/evil.md', '\t/abs.md', '\u00a0/abs.md', ' ../evil.md', ' .hidden/a.md', 'notes/ .env.md', 'notes /a.md', 'a\u202e.md', 'a\u200b/b.md', 'x\u0085.md', '~/notes.md', 'dir./a.md']) {
      const e = await fail('document', { action: 'write', path, content: 'x' });
      expect(e.code, JSON.stringify(path)).toBe('invalid_input');
    }
    expect(dumpDb(t.ws)).toEqual(before);
    expect(existsSync(docsDir()) ? readdirSync(docsDir()) : []).toEqual([]);
  });

  it('keeps ordinary paths working, trimmed and in one Unicode form', () => {
    expect(normalizeRelPath('  notes/auth.md  ')).toBe('notes/auth.md');
    expect(normalizeRelPath('./a//b/')).toBe('a/b');
    expect(normalizeRelPath('cafe\u0301.md')).toBe('caf\u00e9.md');
    expect(normalizeRelPath('회의록/결정.md')).toBe('회의록/결정.md');
  });

  it('a symlinked folder leading outside is refused before any folder is created through it', async () => {
    const { fail } = asyncCaller(t.call);
    mkdirSync(docsDir(), { recursive: true });
    symlinkSync(outside, join(docsDir(), 'escape'));
    for (const path of ['escape/deep/er/a.md', 'escape/a.md']) {
      expect((await fail('document', { action: 'write', path, content: 'x' })).code).toBe('invalid_input');
    }
    expect(readdirSync(outside)).toEqual([]);
  });

  it('safeJoin refuses non-plain paths and files posing as folders before touching the disk', () => {
    const root = join(t.dir, 'root');
    mkdirSync(root);
    writeFileSync(join(root, 'file'), 'x');
    for (const rel of ['../x.md', 'a/../../x.md', 'a//b.md', './a.md', 'file/sub/a.md']) {
      expect(() => safeJoin(root, rel, { createDirs: true }), rel).toThrow(/not touched/);
    }
    symlinkSync(join(t.dir, 'missing-target'), join(root, 'dangling'));
    expect(() => safeJoin(root, 'dangling/a.md', { createDirs: true })).toThrow(/outside/);
    expect(readdirSync(root).sort()).toEqual(['dangling', 'file']);
    expect(existsSync(join(t.dir, 'x.md'))).toBe(false);
  });
});

describe('project files reached through a symlink', () => {
  it('an indexed file swapped for a link to a hidden file (.env) is not read again: its text is never stored', async () => {
    const { ok, raw } = asyncCaller(t.call);
    writeFileSync(join(t.dir, '.env'), 'OPENAI_API_KEY=sk-never-indexed');
    mkdirSync(join(t.dir, 'docs'));
    writeFileSync(join(t.dir, 'docs', 'note.md'), '# Note\n\nA real note.');
    expect((await ok('document', { action: 'index', paths: ['docs/*.md'] })).report.indexed).toEqual(['docs/note.md']);
    rmSync(join(t.dir, 'docs', 'note.md'));
    symlinkSync(join(t.dir, '.env'), join(t.dir, 'docs', 'note.md'));
    await ok('document', { action: 'reindex' }).catch(() => undefined);
    await ok('search', { query: 'OPENAI_API_KEY' }).catch(() => undefined);
    expect(JSON.stringify((await raw('document', { action: 'read', path: 'docs/note.md' })).structured)).not.toContain('sk-never-indexed');
    expect(JSON.stringify(dumpDb(t.ws))).not.toContain('sk-never-indexed');
  });
});
