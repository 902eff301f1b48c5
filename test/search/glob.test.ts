// The glob language (search/glob.ts): what matches, what is refused, agreement with a regular-expression
// reference on small random inputs, and work that stays within path × pattern steps on hostile inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlowError } from '../../src/model/errors.js';
import { compileGlob, MAX_GLOB_CHARS, MAX_GLOBS, MAX_WILDCARDS, normalizeGlob, normalizeGlobs } from '../../src/search/glob.js';

/** The reference: the rules written as a (backtracking) regular expression; fine for tiny inputs. */
function reference(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      re += glob[i + 2] === '/' ? '(?:.*/)?' : '.*';
      i += glob[i + 2] === '/' ? 2 : 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

const matches = (glob: string, path: string) => compileGlob(glob).match(path);

function refusal(f: () => unknown): FlowError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(FlowError);
    return e as FlowError;
  }
  throw new Error('expected a FlowError');
}

describe('glob', () => {
  it('* stays within a folder, ** crosses folders, **/ may be no folder at all, ? is one character', () => {
    expect(matches('docs/*.md', 'docs/a.md')).toBe(true);
    expect(matches('docs/*.md', 'docs/x/a.md')).toBe(false);
    expect(matches('docs/**/*.md', 'docs/a.md')).toBe(true);
    expect(matches('docs/**/*.md', 'docs/x/y/a.md')).toBe(true);
    expect(matches('**/README.md', 'README.md')).toBe(true);
    expect(matches('**/README.md', 'a/b/README.md')).toBe(true);
    expect(matches('**/README.md', 'xREADME.md')).toBe(false);
    expect(matches('docs/**', 'docs/a/b.md')).toBe(true);
    expect(matches('v?.md', 'v1.md')).toBe(true);
    expect(matches('v?.md', 'v/.md')).toBe(false);
    expect(matches('README.md', 'README.md')).toBe(true);
    expect(matches('README.md', 'README.mdx')).toBe(false);
  });

  it('reads the words star, starstar and qmark, brackets and braces as themselves', () => {
    expect(matches('docs/star.md', 'docs/star.md')).toBe(true);
    expect(matches('docs/star.md', 'docs/sun.md')).toBe(false);
    expect(matches('starstar/qmark.md', 'starstar/qmark.md')).toBe(true);
    expect(matches('starstar/qmark.md', 'a/b/x.md')).toBe(false);
    expect(matches('app/[id].tsx', 'app/[id].tsx')).toBe(true);
    expect(matches('app/[id].tsx', 'app/i.tsx')).toBe(false);
    expect(matches('{a,b}.md', '{a,b}.md')).toBe(true);
  });

  it('normalises ./ and doubled slashes, and refuses what cannot name a project file, saying how to write it', () => {
    expect(normalizeGlob('./docs//*.md/')).toBe('docs/*.md');
    for (const bad of ['', '   ', '../*', 'docs/../../x', '/etc/*', 'C:/x', 'docs\\*.md', '.git/**', 'docs/.hidden', 'a\u0000b', 'a/***/b', 'x'.repeat(MAX_GLOB_CHARS + 1), '*'.repeat(1) + '/?'.repeat(MAX_WILDCARDS)]) {
      const e = refusal(() => compileGlob(bad));
      expect(e.code).toBe('invalid_input');
      expect(e.hint).toBeTruthy();
      expect(e.message.length).toBeLessThan(200); // the glob is shown shortened, never in full
    }
    expect(refusal(() => normalizeGlobs(Array.from({ length: MAX_GLOBS + 1 }, () => '*.md'))).message).toMatch(/at most 50/);
  });

  it('says exactly what is wrong with each refused glob, naming it (shortened past 80 characters)', () => {
    const said = (g: string, what?: string) => refusal(() => normalizeGlob(g, what)).message;
    expect(said('  ', 'path')).toBe('path is empty.');
    expect(said('x'.repeat(MAX_GLOB_CHARS + 1))).toBe(`glob "${'x'.repeat(77)}…" is longer than ${MAX_GLOB_CHARS} characters.`);
    expect(said('x'.repeat(80) + '\u0001')).toBe(`glob "${'x'.repeat(77)}…" contains a control character.`);
    const eighty = 'y'.repeat(79) + '\u0001'; // exactly 80 characters: shown whole
    expect(said(eighty)).toBe(`glob ${JSON.stringify(eighty)} contains a control character.`);
    expect(said('docs\\*.md')).toBe('glob "docs\\\\*.md" uses \\, which globs here do not have (neither as separator nor as escape).');
    expect(said('/etc/*')).toBe('glob "/etc/*" is absolute.');
    expect(said('C:/x')).toBe('glob "C:/x" is absolute.');
    expect(said('./.')).toBe('glob "./." names no file.');
    expect(said('docs/../x')).toBe('glob "docs/../x" points outside the project (..).');
    expect(said('docs/.hidden/*')).toBe('glob "docs/.hidden/*" has a hidden (dot) segment; hidden folders and files are never indexed.');
    expect(said('a/***/b')).toBe('glob "a/***/b" has *** in it.');
    expect(refusal(() => normalizeGlob('a/***/b')).hint).toBe('Use * for any name within one folder, ** for any depth (e.g. "docs/**/*.md").');
    const many = '*/'.repeat(MAX_WILDCARDS) + '?';
    expect(said(many)).toBe(`glob ${JSON.stringify(many)} has ${MAX_WILDCARDS + 1} wildcards; at most ${MAX_WILDCARDS} are allowed.`);
    expect(normalizeGlob('*/'.repeat(MAX_WILDCARDS - 1) + '?')).toBe('*/'.repeat(MAX_WILDCARDS - 1) + '?'); // exactly the limit is fine
    expect(refusal(() => normalizeGlobs([], 'path')).message).toBe('No path given.');
    expect(refusal(() => normalizeGlobs(Array.from({ length: MAX_GLOBS + 1 }, () => '*.md'))).message).toBe(`${MAX_GLOBS + 1} globs given; at most ${MAX_GLOBS} are allowed.`);
    expect(normalizeGlobs(Array.from({ length: MAX_GLOBS }, () => './*.md'))).toHaveLength(MAX_GLOBS); // exactly the limit is fine
    for (const g of ['', '/x', '../x']) expect(refusal(() => normalizeGlob(g)).hint).toBe('Write a glob relative to the project root with / separators, e.g. "README.md", "docs/*.md", "docs/**/*.md".');
  });

  it('matches by the literal text a glob ends with, and knows which folders can hold a match', () => {
    // A ** right before the literal tail: the tail still has to end the path.
    expect(compileGlob('docs/**/x.md').match('docs/a/b/x.md')).toBe(true);
    expect(compileGlob('docs/**/x.md').match('docs/a/b/x.mdx')).toBe(false);
    expect(compileGlob('docs/**/x.md').match('docs/x.md')).toBe(true); // zero folders
    expect(compileGlob('**/x.md').match('x.md')).toBe(true);
    expect(compileGlob('a/*/c.md').match('a/b/c.md')).toBe(true);
    expect(compileGlob('a/*/c.md').match('b/b/c.md')).toBe(false);
    // Folders a walk may enter: those that lead to the literal head, or lie under it.
    const g = compileGlob('docs/api/*.md');
    expect(g.couldMatchUnder('')).toBe(true);
    expect(g.couldMatchUnder('docs')).toBe(true);
    expect(g.couldMatchUnder('docs/api')).toBe(true);
    expect(g.couldMatchUnder('docs/api/deep')).toBe(false); // * does not cross a folder
    expect(g.couldMatchUnder('src')).toBe(false);
    expect(g.couldMatchUnder('docs/apix')).toBe(false);
    expect(compileGlob('docs/api/x.md').couldMatchUnder('docs')).toBe(true); // no wildcard at all
    expect(compileGlob('docs/api/x.md').couldMatchUnder('doc')).toBe(false);
  });

  it('agrees with the regular-expression reference on small random globs and paths', () => {
    const glob = fc.array(fc.constantFrom('a', 'b', '/', '*', '?', '**', '**/', '.md'), { maxLength: 7 }).map((p) => p.join(''));
    const path = fc.array(fc.constantFrom('a', 'b', '/', 'ab', '.md'), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));
    fc.assert(
      fc.property(glob, path, (g, p) => {
        let norm: string;
        try {
          norm = normalizeGlob(g);
        } catch {
          return; // refused globs are covered above
        }
        expect(compileGlob(g).match(p)).toBe(reference(norm).test(p));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes at most path × pattern steps on hostile globs that make a backtracking matcher run for minutes', () => {
    // Each passes the literal head/tail check, so the automaton itself runs, and fails only at the end.
    const hostile = [
      ['*a'.repeat(MAX_WILDCARDS - 1) + '?b', 'a'.repeat(4000) + '/b'],
      ['**/'.repeat(MAX_WILDCARDS - 1) + '?b', 'a/'.repeat(MAX_GLOB_CHARS / 2) + 'ccb'],
      ['**a'.repeat(MAX_WILDCARDS - 1) + '?b', 'a'.repeat(4000) + '/b'],
      ['*?'.repeat(MAX_WILDCARDS / 2) + '/b', 'a'.repeat(4000) + '/b/b'],
    ];
    for (const [g, p] of hostile) {
      const work = { steps: 0 };
      expect(compileGlob(g!).match(p!, work)).toBe(false);
      // Each character moves each state at most once and adds each state at most once.
      expect(work.steps).toBeLessThanOrEqual(2 * (p!.length + 1) * (g!.length + 2));
    }
  });
});
