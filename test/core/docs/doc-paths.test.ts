// Paths are normalised and checked before anything touches the disk: whitespace and invisible
// characters cannot turn a path absolute or hidden, and a symlinked folder on the way is refused
// before any folder is created through it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

describe('a path that is itself a symlink', () => {
  it('a document file that is a symlink to a file outside is refused for write; the outside file is untouched', async () => {
    const { fail } = asyncCaller(t.call);
    mkdirSync(join(docsDir(), 'notes'), { recursive: true });
    const target = join(outside, 'victim.md');
    writeFileSync(target, 'outside text');
    symlinkSync(target, join(docsDir(), 'notes', 'link.md'));
    const e = await fail('document', { action: 'write', path: 'notes/link.md', content: 'overwritten' });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('outside text');
    expect(() => safeJoin(docsDir(), 'notes/link.md')).toThrow(/leads outside/);
  });

  it('safeJoin: a final symlink staying inside the root is allowed; one into a hidden file or dangling is refused', () => {
    const root = join(t.dir, 'root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'real.md'), 'x');
    writeFileSync(join(root, '.secret'), 'x');
    symlinkSync(join(root, 'sub', 'real.md'), join(root, 'inside.md'));
    symlinkSync(join(root, '.secret'), join(root, 'hidden.md'));
    symlinkSync(join(root, 'nowhere.md'), join(root, 'dangling.md'));
    symlinkSync(root, join(root, 'sub', 'up')); // a link to the root itself stays inside
    expect(safeJoin(root, 'inside.md')).toBe(join(root, 'inside.md'));
    expect(safeJoin(root, 'sub/up/sub/real.md')).toBe(join(root, 'sub', 'up', 'sub', 'real.md'));
    expect(() => safeJoin(root, 'hidden.md')).toThrow(/leads outside/);
    expect(() => safeJoin(root, 'dangling.md')).toThrow(/leads outside/);
    // A root whose path is a prefix of the target's is not "inside" (/x/root vs /x/root-evil).
    mkdirSync(join(t.dir, 'root-evil'));
    writeFileSync(join(t.dir, 'root-evil', 'a.md'), 'x');
    symlinkSync(join(t.dir, 'root-evil', 'a.md'), join(root, 'prefix.md'));
    expect(() => safeJoin(root, 'prefix.md')).toThrow(/leads outside/);
    // A plain file where nothing is a link is fine, existing or not.
    expect(safeJoin(root, 'sub/real.md')).toBe(join(root, 'sub', 'real.md'));
    expect(safeJoin(root, 'new/deeper/file.md', { createDirs: true })).toBe(join(root, 'new', 'deeper', 'file.md'));
    expect(existsSync(join(root, 'new', 'deeper'))).toBe(true);
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
