// Paths are normalised and checked before anything touches the disk: whitespace and invisible
// characters cannot turn a path absolute or hidden, and a symlinked folder on the way is refused
// before any folder is created through it.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkDocExtension, normalizeRelPath, safeJoin } from '../../../src/core/docs/doc-paths.js';
import { asyncCaller, flowWithPlan } from '../../helpers/call-async.js';
import { dumpDb, tempDir, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let outside: string;
beforeEach(async () => {
  t = tempWorkspace();
  outside = tempDir('flowmcp-outside-');
  await flowWithPlan(t.call);
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

  it('a symlinked folder leading outside is refused when only looking up a path too', () => {
    mkdirSync(docsDir(), { recursive: true });
    symlinkSync(outside, join(docsDir(), 'escape'));
    expect(() => safeJoin(docsDir(), 'escape/a.md')).toThrow(/leads outside/);
    expect(() => safeJoin(docsDir(), 'escape/deeper/a.md')).toThrow(/leads outside/);
  });

  it('a root whose name ends with a dot is no hidden folder: a link inside it stays allowed', () => {
    const root = join(t.dir, 'odd.');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'real.md'), 'x');
    symlinkSync(join(root, 'sub', 'real.md'), join(root, 'inside.md'));
    expect(safeJoin(root, 'inside.md')).toBe(join(root, 'inside.md'));
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
    for (const rel of ['../x.md', 'a/../../x.md', 'a//b.md', './a.md', 'file/sub/a.md', '.env', 'a/.git/config.md']) {
      expect(() => safeJoin(root, rel, { createDirs: true }), rel).toThrow(/not touched/);
    }
    expect(() => safeJoin(root, '../x.md')).toThrow(
      expect.objectContaining({ code: 'invalid_input', message: '"../x.md" is not a plain relative path inside its folder (or has a hidden name); it was not touched.', hint: 'Give a relative path with / separators and no hidden (dot) names, e.g. "notes/auth.md".' }),
    );
    expect(() => safeJoin(root, 'file/sub/a.md')).toThrow(
      expect.objectContaining({ message: '"file/sub/a.md" goes through something that is not a folder; it was not touched.', hint: 'Use a path whose folders are real directories inside it.' }),
    );
    symlinkSync(join(t.dir, 'missing-target'), join(root, 'dangling'));
    expect(() => safeJoin(root, 'dangling/a.md', { createDirs: true })).toThrow(/outside/);
    expect(readdirSync(root).sort()).toEqual(['dangling', 'file']);
    expect(existsSync(join(t.dir, 'x.md'))).toBe(false);
  });
});

describe('normalizeRelPath says what is wrong with a path', () => {
  const msg = (input: string, what?: string) => {
    try {
      normalizeRelPath(input, what);
    } catch (e) {
      return [(e as { code: string }).code, (e as Error).message, (e as { hint: string }).hint];
    }
    return undefined;
  };
  const hint = 'Give a relative path inside the project with / separators, e.g. "notes/auth.md".';
  it('names the rule each path breaks, with the same hint', () => {
    expect(msg('a\u0007.md')).toEqual(['invalid_input', 'path contains a control or invisible character.', hint]);
    expect(msg('notes\\a.md', 'document path')).toEqual(['invalid_input', 'document path "notes\\a.md" uses \\ separators.', hint]);
    for (const abs of ['/abs.md', '~/a.md', 'C:x.md', 'c:/x.md']) expect(msg(abs)).toEqual(['invalid_input', `path "${abs}" is absolute.`, hint]);
    for (const out of ['..', '../x.md', 'a/../../x.md', '.', 'a/..']) expect(msg(out)![1], out).toBe(`path "${out}" points outside the folder it belongs in.`);
    expect(msg('a/.git/x.md')![1]).toBe('path "a/.git/x.md" has a hidden (dot) segment.');
    expect(msg('a /x.md')![1]).toBe('path "a /x.md" has a folder or file name that starts or ends with a space (or ends with a dot).');
  });

  it('allows a colon inside a name, exactly 300 characters, and drops trailing slashes', () => {
    expect(normalizeRelPath('notes/a:b.md')).toBe('notes/a:b.md');
    expect(normalizeRelPath('ab:c.md')).toBe('ab:c.md');
    const long = 'a/'.repeat(148) + 'abcd';
    expect(long).toHaveLength(300);
    expect(normalizeRelPath(long)).toBe(long);
    expect(msg(long + 'e')![1]).toBe('path is longer than 300 characters.');
    expect(normalizeRelPath('notes/sub//')).toBe('notes/sub');
  });

  it('checkDocExtension: markdown or text only, in any case, and says which', () => {
    for (const ok of ['a.md', 'A.MD', 'b.markdown', 'c.txt']) expect(() => checkDocExtension(ok)).not.toThrow();
    expect(() => checkDocExtension('a.pdf')).toThrow(expect.objectContaining({ message: 'Document "a.pdf" is not markdown or text.', hint: 'Name it with one of .md, .markdown, .txt (e.g. "a.pdf.md").' }));
  });
});

describe('safeJoin creates only when asked', () => {
  it('makes a missing root and folders with createDirs, and nothing without it', () => {
    const root = join(t.dir, 'later-root');
    expect(() => safeJoin(root, 'a/b.md')).toThrow();
    expect(existsSync(root)).toBe(false);
    mkdirSync(root);
    expect(safeJoin(root, 'new/b.md')).toBe(join(root, 'new', 'b.md'));
    expect(existsSync(join(root, 'new'))).toBe(false);
    const other = join(t.dir, 'made-root');
    expect(safeJoin(other, 'x/y/z.md', { createDirs: true })).toBe(join(other, 'x', 'y', 'z.md'));
    expect(existsSync(join(other, 'x', 'y'))).toBe(true);
    // A root several levels from anything that exists is made whole.
    const deep = join(t.dir, 'not', 'yet', 'there');
    expect(safeJoin(deep, 'a/b.md', { createDirs: true })).toBe(join(deep, 'a', 'b.md'));
    expect(existsSync(join(deep, 'a'))).toBe(true);
  });

  it('a root inside a hidden folder works; a link to a hidden file deeper inside the root does not', () => {
    const root = join(t.dir, '.config', 'root');
    mkdirSync(join(root, 'sub'), { recursive: true });
    writeFileSync(join(root, 'sub', 'real.md'), 'x');
    writeFileSync(join(root, 'sub', '.env'), 'x');
    symlinkSync(join(root, 'sub', 'real.md'), join(root, 'ok.md'));
    symlinkSync(join(root, 'sub', '.env'), join(root, 'env.md'));
    expect(safeJoin(root, 'ok.md')).toBe(join(root, 'ok.md'));
    expect(() => safeJoin(root, 'env.md')).toThrow(expect.objectContaining({ hint: 'Use a path whose folders are real directories inside it.' }));
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
