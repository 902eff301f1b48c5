// Search chunks and their vectors as the store keeps them: a chunk keeps the lines it came from (or
// none); a vector is stored once per text and embedder with its sign bits, and a second writer of the
// same text keeps the first one's (two writers, same answer) instead of failing.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { putEmbedding, replaceChunks } from '../../src/store/chunks.js';
import { openDatabase } from '../../src/store/db.js';
import { describeChunks } from '../../src/store/search-index.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();

describe('chunks', () => {
  it('keep the lines they came from, or none', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    replaceChunks(db, 'document', 'doc-1', [
      { heading: 'Intro', body: 'first', hash: 'h1', ftsHeading: 'Intro', ftsBody: 'first', startLine: 3, endLine: 9 },
      { heading: '', body: 'second', hash: 'h2', ftsHeading: '', ftsBody: 'second' },
    ]);
    const ids = db.prepare("SELECT id FROM chunks WHERE owner_id = 'doc-1' ORDER BY ordinal").pluck().all() as number[];
    const info = describeChunks(db, ids);
    expect(ids.map((id) => [info.get(id)!.start_line, info.get(id)!.end_line])).toEqual([[3, 9], [null, null]]);
    expect(describeChunks(db, []).size).toBe(0);
    db.close();
  });

  it('a vector is stored once per text and embedder: a second writer keeps the first one and its bits', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    putEmbedding(db, 'h1', 'test:3', new Float32Array([1, -1, 1]));
    putEmbedding(db, 'h1', 'test:3', new Float32Array([-1, 1, -1]));
    putEmbedding(db, 'h1', 'other:3', new Float32Array([-1, 1, -1]));
    const rows = db.prepare('SELECT e.embedder, e.vector, b.bits FROM embeddings e JOIN embedding_bits b USING (id) ORDER BY e.embedder').all() as { embedder: string; vector: Buffer; bits: Buffer }[];
    expect(rows.map((r) => [r.embedder, [...new Float32Array(new Uint8Array(r.vector).buffer)], [...r.bits]])).toEqual([
      ['other:3', [-1, 1, -1], [0b010, 0, 0, 0]],
      ['test:3', [1, -1, 1], [0b101, 0, 0, 0]],
    ]);
    db.close();
  });
});
