// What a walk asks the glob matcher: where to start (the literal folder) and which folders could hold a match.
import { describe, expect, it } from 'vitest';
import { compileGlob } from '../../src/search/glob.js';

describe('glob folders', () => {
  it.each([
    ['docs/**/*.md', 'docs'],
    ['docs/api/*.md', 'docs/api'],
    ['README.md', ''],
    ['docs/a.md', 'docs'],
    ['*.md', ''],
    ['d?cs/*.md', ''],
  ])('%s starts in %j', (glob, base) => expect(compileGlob(glob).baseDir).toBe(base));

  it.each([
    ['docs/**/*.md', 'docs', true],
    ['docs/**/*.md', 'docs/a/b/c', true],
    ['docs/**/*.md', 'src', false],
    ['docs/**/*.md', 'doc', false],
    ['docs/*.md', 'docs', true],
    ['docs/*.md', 'docs/sub', false],
    ['README.md', '', true],
    ['README.md', 'docs', false],
    ['**/*.md', 'any/where', true],
    ['docs/v*/x.md', 'docs/v2', true],
    ['docs/v*/x.md', 'docs/w2', false],
    ['docs/v*/x.md', 'docs/v2/deeper', false],
    ['docs/**', 'docs/x', true],
  ])('%s could match under %j: %s', (glob, dir, expected) => expect(compileGlob(glob).couldMatchUnder(dir)).toBe(expected));

  it('stays linear on a hostile pattern and a long folder', () => {
    const g = compileGlob(`${'**/'.repeat(10)}${'*a'.repeat(5)}`);
    expect(g.couldMatchUnder('a/'.repeat(140).slice(0, -1))).toBe(true);
    expect(g.couldMatchUnder('b'.repeat(290))).toBe(true);
  });
});
