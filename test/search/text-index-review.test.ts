// Review findings on the kept text index (search/text-index.ts): cases where it must give FTS5's answer
// or none at all.
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { documentChunks } from '../../src/search/prepare.js';
import { indexedTextHalf, saveTextIndex, setTextIndexMinRows, TEXT_INDEX_MIN_ROWS, textIndexInfo, warmTextIndex } from '../../src/search/text-index.js';
import { replaceChunks } from '../../src/store/chunks.js';
import { textMatches } from '../../src/store/search-index.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const defaultMin = TEXT_INDEX_MIN_ROWS;
let t: TempWorkspace;
const others: Database.Database[] = [];
beforeEach(() => {
  setTextIndexMinRows(0);
  t = tempWorkspace();
});
afterEach(() => {
  setTextIndexMinRows(defaultMin);
  for (const db of others.splice(0)) db.close();
  t.cleanup();
});

describe('the kept text index, reviewed', () => {
  it('a chunk holding a word more often than a posting can say: the next process (from the file) does not answer otherwise than FTS5', async () => {
    const db = t.ws.db;
    // A heading of 22,000 "zeta"s (a 1 MB project file may hold one): weight 3 × 22,000 > 65,535.
    replaceChunks(db, 'document', 'd-big', documentChunks(`# ${'zeta '.repeat(22_000)}\n\nzeta alpha\n`, 'big'));
    for (let i = 0; i < 20; i++) replaceChunks(db, 'document', `d-${i}`, documentChunks(`# zeta ${i}\n\nzeta alpha beta ${'zeta '.repeat(i)}\n`, `d${i}`));
    await warmTextIndex(db);
    const want = textMatches(db, '"zeta"', {}, 10);
    // This process sees the weight does not fit and leaves the answer to FTS5.
    expect(indexedTextHalf(db, ['zeta'], 10) ?? want).toEqual(want);
    expect(saveTextIndex(db)).toBe(false);
    const next = new Database(db.name);
    others.push(next);
    await warmTextIndex(next);
    expect(textIndexInfo(next)?.fromFile).toBe(false);
    expect(indexedTextHalf(next, ['zeta'], 10) ?? want).toEqual(want);
  });
});
