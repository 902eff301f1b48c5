// "Did you mean": the edit distance and the slips it forgives, which names come out near a typed one
// and in which order, and how the offer is worded. Pure functions, so most are checked as properties
// over many inputs against a plain reference (the first mutation run of kernel/ found each bound and
// each score could change unnoticed).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closest, didYouMean, editDistance, editsForgiven, nearestWord, slips, type Candidate } from '../../../src/core/kernel/suggest.js';
import { levenshtein, nearPair, oneSwap } from '../../helpers/edit-distance.js';

const pair = nearPair(fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 7 }));

describe('edit distance', () => {
  it('is the Levenshtein distance, or max + 1 when that is over max', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 4 }), ([a, b], max) => {
        const d = levenshtein(a, b);
        expect(editDistance(a, b, max)).toBe(d > max ? max + 1 : d);
      }),
      { numRuns: 3000 },
    );
  });

  it('a slip is an edit, or a swap of two neighbouring letters counted as one', () => {
    fc.assert(
      fc.property(pair, fc.integer({ min: 0, max: 3 }), ([a, b], max) => {
        const d = oneSwap(a, b) ? 1 : levenshtein(a, b);
        expect(slips(a, b, max)).toBe(d > max ? max + 1 : d);
      }),
      { numRuns: 3000 },
    );
    expect(slips('rewrite', 'rewirte', 0)).toBe(1);
    expect(slips('same', 'same', 2)).toBe(0);
  });

  it('forgives none under 4 letters, one up to 7, two up to 15, then three', () => {
    const want = (n: number) => (n < 4 ? 0 : n < 8 ? 1 : n < 16 ? 2 : 3);
    for (let n = 0; n <= 40; n++) expect(editsForgiven(n)).toBe(want(n));
  });
});

const c = (id: string, name: string): Candidate => ({ id, name });
const ids = (given: string, cands: Candidate[], max?: number) => closest(given, cands, max).map((x) => x.id);

describe('which names are near, nearest first', () => {
  it('the exact name before the same words with a generic one, before another order, before a typo, before words found one by one', () => {
    // Ids in the reverse of the expected order: only the scores can put them right.
    const cands = [c('t-5555', 'Auth rewrite'), c('t-4444', 'auth rewrite plan'), c('t-3333', 'Rewrite auth'), c('t-2222', 'auth rewrites'), c('t-1111', 'the rewirte of auth code')];
    expect(ids('Auth Rewrite', cands, 5)).toEqual(['t-5555', 't-4444', 't-3333', 't-2222', 't-1111']);
    // Each order holds whichever way round the typed words come.
    expect(ids('rewrite auth', [c('t-2', 'Auth rewrite'), c('t-1', 'rewrite auths')])).toEqual(['t-2', 't-1']);
    expect(ids('auth rewrite', [c('t-2', 'Rewrite auth'), c('t-1', 'auth rewrites')])).toEqual(['t-2', 't-1']);
    // A whole-name typo of one slip before one of two, and both before words matched one by one.
    expect(ids('authentication service', [c('t-3', 'authentication servi'), c('t-2', 'authentication servic'), c('t-1', 'service authentication tool')])).toEqual(['t-2', 't-3', 't-1']);
  });

  it('as many typos as the typed length forgives, no more', () => {
    // 9 letters forgive two edits over the whole name; "abxx" alone is two off "abcd", more than a word forgives.
    expect(ids('abcd efgh', [c('t-1', 'abxx efgh')])).toEqual(['t-1']);
    expect(ids('abcd efgh', [c('t-1', 'abxx efxx')])).toEqual([]);
  });

  it('Korean by its letters: one letter off a two-syllable word is a slip; the words typed without spaces are the name', () => {
    expect(ids('결재', [c('f-1', '결제'), c('f-2', '배포')])).toEqual(['f-1']);
    expect(ids('로그인화면구현', [c('t-1', '로그인 화면 구현'), c('t-2', '결제 모듈 테스트')])).toEqual(['t-1']);
    expect(ids('결재 모듈', [c('t-1', '결제 모듈 테스트')])).toEqual(['t-1']);
    // Two syllables wholly different are no slip.
    expect(ids('배포', [c('f-1', '결제')])).toEqual([]);
  });

  it('every typed word a word of the name or a slip from one, eight typed words at most', () => {
    expect(ids('rewirte auth', [c('t-1', 'Auth rewrite service')])).toEqual(['t-1']);
    expect(ids('api rewirte', [c('t-1', 'the rewrite of the API server')])).toEqual(['t-1']);
    expect(ids('auth zzzzzz', [c('t-1', 'Auth rewrite service')])).toEqual([]);
    const nine = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india'];
    const name = [c('t-1', nine.join(' '))];
    expect(ids([...nine.slice(0, 8)].reverse().join(' ').replace('golf', 'glof'), name)).toEqual(['t-1']);
    expect(ids([...nine].reverse().join(' ').replace('golf', 'glof'), name)).toEqual([]);
  });

  it('names longer than 200 letters of words are matched by containment only', () => {
    const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    let pad = words(60);
    while (`auth rewrite ${pad}`.length > 200) pad = pad.slice(0, pad.lastIndexOf(' '));
    pad += 'x'.repeat(200 - `auth rewrite ${pad}`.length);
    expect(`auth rewrite ${pad}`.length).toBe(200);
    expect(ids('rewirte auth', [c('t-1', `Auth rewrite ${pad}`)])).toEqual(['t-1']);
    expect(ids('rewirte auth', [c('t-1', `Auth rewrite ${pad}y`)])).toEqual([]);
  });

  it('what was typed, three letters or more, inside a name; the first 200 characters of a long one', () => {
    expect(ids('ogi', [c('t-1', 'Fix the login page')])).toEqual(['t-1']);
    expect(ids('og', [c('t-1', 'Fix the login page')])).toEqual([]);
    expect(ids('the plan', [c('p-1234', 'Plan')])).toEqual([]);
    expect(ids(`${'a'.repeat(200)}${'c'.repeat(50)}`, [c('t-1', `${'a'.repeat(200)}bbbbbbbbbb`)])).toEqual(['t-1']);
  });

  it('an id typed in any case or with spaces around is compared with ids; an id-shaped text is not compared with names', () => {
    expect(ids('  T-ABCX ', [c('t-abcd', 'Something')])).toEqual(['t-abcd']);
    expect(ids('t-abcd', [c('f-zzzzzz', 't-abce')])).toEqual([]);
    expect(ids('t-abcd', [c('f-zzzzzz', 'about t-abcd')])).toEqual(['f-zzzzzz']);
  });

  it('at most `max`, the best first, ties by id', () => {
    const cands = [c('t-abcf', ''), c('t-abce', ''), c('t-abcd', ''), c('t-abdd', '')];
    expect(ids('t-abcd', cands)).toEqual(['t-abcd', 't-abce', 't-abcf']);
    expect(ids('t-abcd', cands, 1)).toEqual(['t-abcd']);
  });
});

describe('plain words', () => {
  it('are compared as written and by containment, never by their words', () => {
    expect(nearestWord('flow_id', ['plan_id'])).toBeUndefined();
    expect(nearestWord('flwo_id', ['plan_id', 'flow_id'])).toBe('flow_id');
    expect(nearestWord('sta', ['status'])).toBe('status');
    expect(nearestWord('STA', ['Status'])).toBe('Status');
    expect(nearestWord('tu', ['status'])).toBeUndefined();
  });
});

describe('the offer', () => {
  it('nothing when nothing is near; each name once, quoted after its id unless it only repeats it; joined by "or"', () => {
    expect(didYouMean([])).toBe('');
    expect(didYouMean([c('t-1', 'Login'), c('notes/a.md', 'notes/a.md'), c('t-2', '')])).toBe(' Did you mean t-1 ("Login") or notes/a.md or t-2?');
    expect(didYouMean([c('t-1', 'x'.repeat(80))])).toBe(` Did you mean t-1 ("${'x'.repeat(49)}…")?`);
  });
});
