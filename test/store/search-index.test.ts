// The search index's reads the in-memory screen relies on: sign bits in chunk order, and the vectors
// only when asked for (the bits are 1/32 of the vectors' bytes).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { putEmbedding, replaceChunks } from '../../src/store/chunks.js';
import { openDatabase } from '../../src/store/db.js';
import { chunkSignBits } from '../../src/store/search-index.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();

describe('sign bits for the screen', () => {
  it('come without the vectors unless asked for', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    replaceChunks(db, 'document', 'doc-1', [{ heading: '', body: 'x', hash: 'h1', ftsHeading: '', ftsBody: 'x' }]);
    putEmbedding(db, 'h1', 'test:3', new Float32Array([1, -1, 1]));
    const [bare] = [...chunkSignBits(db, 'test:3', 0, 100, 4)];
    expect(bare).toHaveLength(3);
    expect([...bare![2]]).toEqual([0b101, 0, 0, 0]);
    const [full] = [...chunkSignBits(db, 'test:3', 0, 100, 4, true)];
    expect(full).toHaveLength(4);
    expect(full![3]!.length).toBe(12);
    db.close();
  });
});
