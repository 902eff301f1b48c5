// The change log's marks as a snapshot payload holds them: a payload is untrusted (a cloned .flow/ may
// have written it), so a mark is taken only when every field is what flowmcp writes; anything else is
// as if there were none (the snapshot is then read whole), never an error.
import { describe, expect, it } from 'vitest';
import { markFromHeader } from '../../src/store/state-changes.js';

const good = { db: 'abc', seq: 5, schema: 40, rowids: { flows: 1, plans: 2, tasks: 3, context_entries: 0, context_state: 0 } };

describe('a mark in a payload header', () => {
  it('is taken as written when every field is a whole count, with only the tables it names', () => {
    expect(markFromHeader(good)).toEqual(good);
    expect(markFromHeader({ ...good, extra: 1, rowids: { ...good.rowids, other: 9 } })).toEqual(good);
  });

  it('is left out when any field is missing, of another type, negative, fractional or past the rowids SQLite hands out in order', () => {
    for (const bad of [
      undefined,
      null,
      'mark',
      { ...good, db: '' },
      { ...good, db: 7 },
      { ...good, seq: -1 },
      { ...good, seq: 1.5 },
      { ...good, seq: '5' },
      { ...good, schema: null },
      { ...good, rowids: null },
      { ...good, rowids: { ...good.rowids, tasks: undefined } },
      { ...good, rowids: { ...good.rowids, tasks: 2 ** 53 } },
      { ...good, rowids: { ...good.rowids, plans: Number.NaN } },
    ]) {
      expect(markFromHeader(bad), JSON.stringify(bad)).toBeUndefined();
    }
  });
});
