// What the full-text index stores and what a question asks of it (fts-text.ts): Korean runs become
// overlapping two-syllable grams on both sides (so a word with a particle still matches), terms are
// quoted (no FTS syntax from the user gets through) and OR'd, and question glue words are dropped.
import { describe, expect, it } from 'vitest';
import { ftsDocument, ftsQuery } from '../../src/search/fts-text.js';

describe('ftsDocument', () => {
  it('turns each Korean/CJK run into overlapping two-character grams and leaves Latin text alone', () => {
    expect(ftsDocument('체인지로그를 보자 Upload limit')).toBe(' 체인 인지 지로 로그 그를   보자  Upload limit');
    expect(ftsDocument('값')).toBe(' 값 ');
    expect(ftsDocument('日本語')).toBe(' 日本 本語 ');
  });
});

describe('ftsQuery', () => {
  it('quotes every term, lower-cased, OR\'d, each once, without English glue words', () => {
    expect(ftsQuery('How do I limit the Upload size? upload')).toBe('"limit" OR "upload" OR "size"');
  });

  it('never lets FTS5 syntax through: operators and quotes become plain quoted words', () => {
    expect(ftsQuery('NEAR(a b) "x" OR y* -z col:w')).toBe('"near" OR "col"'); // "or" is glue, a b x y z w one letter
    expect(ftsQuery('"quoted" NOT ^start')).toBe('"quoted" OR "not" OR "start"');
  });

  it('keeps two-letter words (go, os, ui)', () => {
    expect(ftsQuery('go os ui')).toBe('"go" OR "os" OR "ui"');
  });

  it('keeps a one-syllable Korean term, drops one-letter Latin ones', () => {
    expect(ftsQuery('값 x y')).toBe('"값"');
    expect(ftsQuery('로그를')).toBe('"로그" OR "그를"');
  });

  it('adds the extra words (a Korean question\'s translations) when they are words, lower-cased, without glue', () => {
    expect(ftsQuery('업로드', ['Upload', 'the', 'x', 'size limit', 'limit'])).toBe('"업로" OR "로드" OR "upload" OR "limit"');
  });

  it('is undefined when nothing searchable is left', () => {
    expect(ftsQuery('the a ? !')).toBeUndefined();
    expect(ftsQuery('', ['of', '!!'])).toBeUndefined();
  });
});
