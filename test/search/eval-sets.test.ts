// Every search evaluation set present (test/fixtures/search-eval/*) keeps the shared format of issue 15:
// checked mechanically, so a set merged in from elsewhere cannot quietly skew the report.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_PROJECT_FILE_BYTES } from '../../src/core/docs/doc-limits.js';
import { headingOverlap, stem } from '../helpers/search-eval/paraphrase.js';
import { expectedSplit, listSets, loadSet, MINIMUMS, readDoc } from '../helpers/search-eval/sets.js';

const sets = listSets();

describe('the paraphrase rule', () => {
  it('treats plural, -ing, -ed forms (and doubled consonants) as the same word', () => {
    expect(new Set(['cache', 'caches', 'caching', 'cached'].map(stem)).size).toBe(1);
    expect(new Set(['run', 'running', 'runs'].map(stem)).size).toBe(1);
    expect(new Set(['process', 'processes'].map(stem)).size).toBe(1);
  });

  it('looks at headings only, ignores stopwords, and splits identifiers the way search does', () => {
    const md = '# Files\n\nbody words: compress everything\n\n```\n# not a heading\n```\n## `fs.readFileSync(path)`';
    expect(headingOverlap('how do I compress it', [md])).toEqual([]);
    expect(headingOverlap('is not a heading', [md])).toEqual([]);
    expect(headingOverlap('reading a file', [md])).toEqual([stem('read'), stem('file')]);
  });
});

it('the Node.js set is present (the others arrive with their own merges)', () => {
  expect(sets).toContain('nodejs');
});

describe.each(sets)('evaluation set %s', (name) => {
  // loadSet parses queries.json with the zod schema: a malformed entry fails here, naming the field.
  const set = loadSet(name);
  const docs = new Set(set.docs);
  const count = (kind: string) => set.queries.filter((q) => q.kind === kind).length;

  it('has SOURCE.md with the training-corpus warning', () => {
    const file = join(set.dir, 'SOURCE.md');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8').replace(/\s+/g, ' ')).toContain("Not in the word vectors' training corpus");
  });

  it('ids are unique and carry the set name', () => {
    const ids = set.queries.map((q) => q.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.startsWith(`${name}-`), id).toBe(true);
  });

  it('every relevant file exists in docs/', () => {
    const missing = set.queries.flatMap((q) => q.relevant.filter((r) => !docs.has(r)).map((r) => `${q.id}: ${r}`));
    expect(missing).toEqual([]);
  });

  it('every page fits the product\'s project-file limit (else the harness cannot index it), and the set stays small', () => {
    const tooBig = set.docs.filter((d) => Buffer.byteLength(readDoc(set, d)) > MAX_PROJECT_FILE_BYTES);
    expect(tooBig).toEqual([]);
    // The format asks for ~3 MB gzipped; the bound here leaves slack so "about" does not fail a merge.
    const gz = set.docs.reduce((n, d) => n + statSync(join(set.dir, 'docs', `${d}.gz`)).size, 0);
    expect(gz).toBeLessThan(4_000_000);
  });

  it('meets the minimum counts', () => {
    expect(count('words') + count('paraphrase')).toBeGreaterThanOrEqual(MINIMUMS.english);
    expect(count('paraphrase')).toBeGreaterThanOrEqual(MINIMUMS.paraphrase);
    expect(count('korean')).toBeGreaterThanOrEqual(MINIMUMS.korean);
  });

  it('korean questions are written in Hangul', () => {
    const latinOnly = set.queries.filter((q) => q.kind === 'korean' && !/\p{Script=Hangul}/u.test(q.q)).map((q) => q.id);
    expect(latinOnly).toEqual([]);
  });

  it('paraphrase questions share no content word with a heading of their relevant files', () => {
    const cache = new Map<string, string>();
    const md = (doc: string) => cache.get(doc) ?? (cache.set(doc, readDoc(set, doc)), cache.get(doc)!);
    const leaks = set.queries
      .filter((q) => q.kind === 'paraphrase')
      .map((q) => ({ id: q.id, words: headingOverlap(q.q, q.relevant.map(md)) }))
      .filter((x) => x.words.length > 0);
    expect(leaks).toEqual([]);
  });

  it('the dev/heldout split follows the rule (or the set\'s documented exception)', () => {
    const wrong = set.queries.filter((q) => q.split !== expectedSplit(name, q.id)).map((q) => `${q.id} is ${q.split}`);
    expect(wrong).toEqual([]);
  });
});
