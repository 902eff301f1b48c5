// Title words matched loosely: how a name is cut into words (case, punctuation, Korean particles, stop
// words), which typed words count, and how well they name a title: a word found whole, at the start of
// or inside a title word, or one slip from one; the exact title above all; under half found, nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exactWords, normalizeWords, queryWords, scoreWords } from '../../../src/core/kernel/name-words.js';
import { levenshtein, nearPair, oneSwap } from '../../helpers/edit-distance.js';

describe('the words of a name', () => {
  it('lower case, punctuation a space, no empty words; a Korean particle dropped from a word of three letters or more', () => {
    expect(normalizeWords('  Fix,the LOGIN-page!  ')).toEqual(['fix', 'the', 'login-page']);
    expect(normalizeWords('로그인을 고쳐')).toEqual(['로그인', '고쳐']);
    expect(normalizeWords('나는 api를')).toEqual(['나는', 'api']);
    expect(normalizeWords('apple은')).toEqual(['apple']);
  });

  it('a query: stop words dropped, each word once, sixteen at most', () => {
    expect(queryWords('the login task LOGIN')).toEqual(['login']);
    const many = Array.from({ length: 20 }, (_, i) => `w${i}`);
    expect(queryWords(many.join(' '))).toEqual(many.slice(0, 16));
    expect(exactWords('The Backend plan')).toBe('backend');
  });
});

describe('how well words name a title', () => {
  it('no words name nothing', () => {
    expect(scoreWords([], '', 'login')).toBe(0);
  });

  it('a typed word at the start of a title word, or of two letters or more inside one', () => {
    expect(scoreWords(['l'], '', 'login')).toBe(1);
    expect(scoreWords(['log'], '', 'Fix the login page')).toBe(1);
    expect(scoreWords(['og'], '', 'login')).toBe(1);
    expect(scoreWords(['ogi'], '', 'login')).toBe(1);
    expect(scoreWords(['o'], '', 'login')).toBe(0);
  });

  it('a word of four letters or more not in the title: one slip from a title word, never more', () => {
    expect(scoreWords(['logn'], '', 'Fix login')).toBe(1);
    expect(scoreWords(['lgn'], '', 'Fix login')).toBe(0);
    // One word of 4+ letters against one title word it is not inside: near is one edit or one swap.
    fc.assert(
      fc.property(nearPair(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), minLength: 4, maxLength: 8 })), ([w, x]) => {
        fc.pre(x.length > 0 && !x.includes(w));
        expect(scoreWords([w], '', x)).toBe(levenshtein(w, x) <= 1 || oneSwap(w, x) ? 1 : 0);
      }),
      { numRuns: 3000 },
    );
    // Two letters off, in the shapes a sloppier comparison would let through.
    for (const x of ['abxcdz', 'dbca', 'acxd', 'axbd']) expect(scoreWords(['abcd'], '', x)).toBe(0);
  });

  it('the share of words found, none when more than half are missing, 1.5 for the exact title only', () => {
    expect(scoreWords(['login', 'zzzz'], '', 'login')).toBe(0.5);
    expect(scoreWords(['login', 'page', 'zzzz'], '', 'login page')).toBeCloseTo(2 / 3);
    expect(scoreWords(['login', 'zzzz', 'yyyy'], '', 'login')).toBe(0);
    expect(scoreWords(['login'], 'login', 'Fix login')).toBe(1);
    expect(scoreWords(['login', 'fix'], 'login fix', 'Fix login')).toBe(1);
    expect(scoreWords(['fix', 'login'], 'fix login', 'Fix, LOGIN')).toBe(1.5);
  });
});
