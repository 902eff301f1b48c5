// What the full-text index stores and what a question asks of it (fts-text.ts): Korean runs become
// overlapping two-syllable grams on both sides (so a word with a particle still matches), terms are
// quoted (no FTS syntax from the user gets through) and OR'd, and question glue words are dropped.
import { describe, expect, it } from 'vitest';
import { ftsDocument, ftsQuery } from '../../src/search/fts-text.js';
import { search } from '../../src/core/docs/search.js';
import { asyncCaller } from '../helpers/call-async.js';
import { workspacePerTest } from '../helpers/workspace.js';

const workspace = workspacePerTest();

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

describe('words Porter stems apart', () => {
  it('a word ending in a vowel and y brings its -ment form along, and the -ment form its base', () => {
    expect(ftsQuery('deploying the app')).toBe('"deploying" OR "app" OR "deployment"');
    expect(ftsQuery('Deployments')).toBe('"deployments" OR "deploy"');
    expect(ftsQuery('employ employed')).toBe('"employ" OR "employed" OR "employment"');
    // Nothing for words whose y Porter treats alike in every form, or that have no such y.
    expect(ftsQuery('query keys payment')).toBe('"query" OR "keys" OR "payment"');
  });

  it('a question in one form finds a document that has only the other, through the text half alone', async () => {
    const t = workspace();
    const { ok } = asyncCaller(t.call);
    await ok('document', { action: 'write', path: 'ship.md', content: '# Deployment\n\nWe ship the release with a blue-green switch.' });
    await ok('document', { action: 'write', path: 'roll.md', content: '# Rolling out\n\nHow to deploy to the cluster.' });
    await ok('document', { action: 'write', path: 'other.md', content: '# Unrelated\n\nNotes about the garden.' });
    const found = async (query: string) => (await search(t.call, { query }, undefined, { halves: 'text' })).results.map((r) => r.path);
    expect(await found('deploying')).toEqual(expect.arrayContaining(['ship.md', 'roll.md']));
    expect(await found('deployment')).toEqual(expect.arrayContaining(['ship.md', 'roll.md']));
    expect(await found('deployment')).not.toContain('other.md');
  });
});
