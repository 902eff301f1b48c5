// One glob language for `document index` and the search `path` filter, on a real project and workspace:
// literal words stay literal, hostile globs answer at all, and the filter follows index's folder rules.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

function files(list: Record<string, string>): void {
  for (const [rel, text] of Object.entries(list)) {
    mkdirSync(dirname(join(t.dir, rel)), { recursive: true });
    writeFileSync(join(t.dir, rel), text);
  }
}

describe('globs', () => {
  it('a glob that finds nothing is said: in the report beside the others, in the refusal when none found anything; a folder is told how to name its files', async () => {
    files({ 'README.md': '# Read me', 'docs/a.md': '# A', 'docs/deep/b.md': '# B' });
    const { ok, fail } = asyncCaller(t.call);
    const r = await ok('document', { action: 'index', paths: ['README.md', 'nope/*.md', 'docs'] });
    expect(r.report.indexed).toEqual(['README.md']);
    expect(r.report.skipped).toEqual([
      { path: 'nope/*.md', reason: 'no project file matches this glob' },
      { path: 'docs', reason: 'a folder: name its files, e.g. "docs/**/*.md"' },
    ]);
    const before = dumpDb(t.ws);
    const folder = await fail('document', { action: 'index', paths: ['docs'] });
    expect(folder.code).toBe('not_found');
    expect(folder.message).toBe('No project files match "docs". "docs" is a folder: name the files in it, e.g. "docs/**/*.md".');
    const typo = await fail('document', { action: 'index', paths: ['dosc/**/*.md'] });
    expect(typo.message).toBe('No project files match "dosc/**/*.md".');
    expect(dumpDb(t.ws)).toEqual(before);
    // Every glob that found something is not listed, however many files it found.
    const all = await ok('document', { action: 'index', paths: ['docs/**/*.md', 'README.md'] });
    expect(all.report.skipped).toEqual([]);
  });

  it('document index reads "star", "starstar" and "qmark" in a name as words, not wildcards', async () => {
    files({ 'docs/star.md': '# Star\n\nstar notes', 'docs/sun.md': '# Sun\n\nsun notes', 'qmark/a.md': '# Q', 'x/y.md': '# Y' });
    const { ok } = asyncCaller(t.call);
    expect((await ok('document', { action: 'index', paths: ['docs/star.md'] })).report.indexed).toEqual(['docs/star.md']);
    expect((await ok('document', { action: 'index', paths: ['qmark/a.md'] })).report.indexed).toEqual(['qmark/a.md']);
  });

  it('document index with a hostile glob over deep paths answers, and refuses over-long or over-many globs without changing anything', async () => {
    // A backtracking matcher needs minutes for this glob against this path; the test's timeout is 60 s.
    const deep = `${'a/'.repeat(60)}ccb.md`;
    files({ [deep]: '# Deep', 'README.md': '# Read me' });
    const { ok, fail } = asyncCaller(t.call);
    const r = await ok('document', { action: 'index', paths: [`${'**/'.repeat(19)}?b.md`, 'README.md'] });
    expect(r.report.indexed).toEqual(['README.md']);
    const before = dumpDb(t.ws);
    const tooMany = await fail('document', { action: 'index', paths: ['*?'.repeat(11) + '.md'] });
    expect(tooMany.code).toBe('invalid_input');
    expect(tooMany.message).toMatch(/at most 20/);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('the search path filter follows the same rules: * stays in one folder, ** crosses, bad globs are refused', async () => {
    files({ 'docs/top.md': '# Retry policy\n\nretry with backoff', 'docs/deep/nested.md': '# Retry nested\n\nretry nested backoff', 'docs/[id].md': '# Retry id\n\nretry id' });
    const { ok, fail } = asyncCaller(t.call);
    await ok('document', { action: 'index', paths: ['docs/**/*.md'] });
    const paths = async (path: string) => ((await ok('search', { query: 'retry', path })).results as { path: string }[]).map((h) => h.path).sort();
    expect(await paths('docs/*.md')).toEqual(['docs/[id].md', 'docs/top.md']);
    expect(await paths('docs/**/*.md')).toEqual(['docs/[id].md', 'docs/deep/nested.md', 'docs/top.md']);
    expect(await paths('docs/[id].md')).toEqual(['docs/[id].md']); // brackets are literal, as in index
    const bad = await fail('search', { query: 'retry', path: '../*' });
    expect(bad.code).toBe('invalid_input');
    expect(bad.hint).toMatch(/relative to the project root/);
  });
});
