// The one glob language of the product (`document index` paths and the search `path` filter), over
// /-separated relative paths:
//   *    any run of characters within one folder level (never a /)
//   ?    exactly one character, not a /
//   **/  zero or more whole folders ("docs/**/*.md" matches docs/a.md and docs/x/y/a.md)
//   **   anything, / included (e.g. "docs/**")
// Everything else is literal, brackets and braces included ("app/[id].tsx" is a file name).
//
// Matching simulates the pattern's automaton on a set of states, one path character at a time: at most
// (path length × pattern length) steps, whatever the input. A regular expression would backtrack, and a
// hostile pattern ("*a*a*a…", "**/**/**/…") could then hold the event loop, and every session, for minutes.
import { FlowError } from '../model/errors.js';

/** Longest glob accepted (as long as the longest path a document may have). */
export const MAX_GLOB_CHARS = 300;
/** Most globs in one request. */
export const MAX_GLOBS = 50;
/** Most wildcards in one glob: plenty for real globs, and it keeps the automaton small. */
export const MAX_WILDCARDS = 20;

const HINT = 'Write a glob relative to the project root with / separators, e.g. "README.md", "docs/*.md", "docs/**/*.md".';

// One automaton state per pattern part: a literal character, `?`, `*`, `**`, and for `**/` a fork
// that either skips the whole part or enters "anything" followed by a literal '/'.
const LIT = 0;
const ONE = 1;
const STAR = 2;
const ANY = 3;
const FORK = 4;

export interface Glob {
  /** The glob as checked and normalised (what was matched). */
  readonly source: string;
  /** Whether the relative path matches. `work`, if given, is increased by the automaton steps taken. */
  match(path: string, work?: { steps: number }): boolean;
  /**
   * Whether some path inside folder `dir` (a /-separated relative folder, '' for the root) could match:
   * a walk prunes folders for which this is false. Same linear-time automaton as match().
   */
  couldMatchUnder(dir: string): boolean;
  /**
   * The literal folder every match lies in ('' for the project root): "docs/api/**​/*.md" → "docs/api".
   * A walk starts there instead of at the root.
   */
  readonly baseDir: string;
}

function bad(what: string, glob: string, why: string, hint = HINT): FlowError {
  const shown = glob.length > 80 ? `${glob.slice(0, 77)}…` : glob;
  return new FlowError('invalid_input', `${what} ${JSON.stringify(shown)} ${why}`, hint);
}

/**
 * Checks a user's glob and normalises it ("./docs//*.md" → "docs/*.md"), reading wildcards as wildcards
 * and every other character as itself. Throws a FlowError that says how to write it instead.
 */
export function normalizeGlob(input: string, what = 'glob'): string {
  const glob = input.trim();
  if (glob === '') throw new FlowError('invalid_input', `${what} is empty.`, HINT);
  if (glob.length > MAX_GLOB_CHARS) throw bad(what, glob, `is longer than ${MAX_GLOB_CHARS} characters.`);
  if (/[\u0000-\u001f\u007f]/.test(glob)) throw bad(what, glob, 'contains a control character.');
  if (glob.includes('\\')) throw bad(what, glob, 'uses \\, which globs here do not have (neither as separator nor as escape).');
  if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob)) throw bad(what, glob, 'is absolute.');
  const segments = glob.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.length === 0) throw bad(what, glob, 'names no file.');
  for (const s of segments) {
    if (s === '..') throw bad(what, glob, 'points outside the project (..).');
    if (s.startsWith('.')) throw bad(what, glob, 'has a hidden (dot) segment; hidden folders and files are never indexed.');
    if (s.includes('***')) throw bad(what, glob, 'has *** in it.', 'Use * for any name within one folder, ** for any depth (e.g. "docs/**/*.md").');
  }
  const norm = segments.join('/');
  const wildcards = norm.match(/\*\*|\*|\?/g)?.length ?? 0;
  if (wildcards > MAX_WILDCARDS) throw bad(what, glob, `has ${wildcards} wildcards; at most ${MAX_WILDCARDS} are allowed.`);
  return norm;
}

/** Checks a list of globs (each as normalizeGlob) and its length. */
export function normalizeGlobs(inputs: readonly string[], what = 'glob'): string[] {
  if (inputs.length === 0) throw new FlowError('invalid_input', `No ${what} given.`, HINT);
  if (inputs.length > MAX_GLOBS) {
    throw new FlowError('invalid_input', `${inputs.length} globs given; at most ${MAX_GLOBS} are allowed.`, 'Use ** to cover many folders with one glob, e.g. "docs/**/*.md".');
  }
  return inputs.map((g) => normalizeGlob(g, what));
}

/** Compiles a glob (checked with normalizeGlob first) into a linear-time matcher. */
export function compileGlob(input: string, what = 'glob'): Glob {
  const source = normalizeGlob(input, what);
  const kinds: number[] = [];
  const chars: string[] = [];
  const push = (k: number, c = '') => {
    kinds.push(k);
    chars.push(c);
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '*' && source[i + 1] === '*') {
      if (source[i + 2] === '/') {
        push(FORK);
        push(ANY);
        push(LIT, '/');
        i += 2;
      } else {
        push(ANY);
        i += 1;
      }
    } else if (c === '*') push(STAR);
    else if (c === '?') push(ONE);
    else push(LIT, c);
  }
  const m = kinds.length; // state m accepts
  // Literal text every match starts and ends with: most paths are turned away by these alone.
  // (The '/' of a `**/` is not among them: zero folders leave it out.)
  const firstWild = kinds.findIndex((k) => k !== LIT);
  let last = m;
  while (last > 0 && kinds[last - 1] === LIT && !(last >= 3 && kinds[last - 3] === FORK)) last--;
  const head = chars.slice(0, firstWild < 0 ? m : firstWild).join('');
  const tail = chars.slice(last).join('');

  // Reused between calls: `mark[s] === gen` means state s is in the set being built.
  const mark = new Int32Array(m + 1);
  let gen = 0;
  let cur = new Int32Array(m + 1);
  let next = new Int32Array(m + 1);

  // Runs the automaton over `path` from the start state; returns how many states are live at the end
  // (they are left in `cur`).
  const run = (path: string, work?: { steps: number }): number => {
    let steps = 0;
    let n = 0;
    // Adds state s and every state reachable from it without reading a character.
    const add = (set: Int32Array, s: number): void => {
      for (;;) {
        if (mark[s] === gen) return;
        mark[s] = gen;
        set[n++] = s;
        steps++;
        if (s === m) return;
        const k = kinds[s]!;
        if (k === STAR || k === ANY) s++;
        else if (k === FORK) {
          add(set, s + 3); // zero folders
          s++;
        } else return;
      }
    };
    gen++;
    add(cur, 0);
    let size = n;
    for (let i = 0; i < path.length && size > 0; i++) {
      const ch = path[i]!;
      gen++;
      n = 0;
      for (let j = 0; j < size; j++) {
        const s = cur[j]!;
        steps++;
        if (s === m) continue;
        const k = kinds[s]!;
        if (k === LIT) {
          if (chars[s] === ch) add(next, s + 1);
        } else if (k === ONE) {
          if (ch !== '/') add(next, s + 1);
        } else if (k === STAR) {
          if (ch !== '/') add(next, s);
        } else if (k === ANY) add(next, s);
      }
      [cur, next] = [next, cur];
      size = n;
    }
    if (work) work.steps += steps;
    return size;
  };
  const slash = source.lastIndexOf('/', firstWild < 0 ? source.length : firstWild);
  const baseDir = slash < 0 ? '' : source.slice(0, slash);

  return {
    source,
    baseDir,
    match(path: string, work?: { steps: number }): boolean {
      if (firstWild < 0) return path === source;
      if (path.length < head.length + tail.length || !path.startsWith(head) || !path.endsWith(tail)) return false;
      const size = run(path, work);
      for (let j = 0; j < size; j++) if (cur[j] === m) return true;
      return false;
    },
    couldMatchUnder(dir: string): boolean {
      const prefix = dir === '' ? '' : `${dir}/`;
      if (firstWild < 0) return source.startsWith(prefix);
      if (!(prefix.startsWith(head) || head.startsWith(prefix))) return false;
      // Every live state of this linear automaton can still reach acceptance with some suffix; the
      // accepting state itself cannot (a path under dir is longer than dir + '/').
      const size = run(prefix);
      for (let j = 0; j < size; j++) if (cur[j] !== m) return true;
      return false;
    },
  };
}
