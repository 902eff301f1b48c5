// Search chunks and their vectors as the store keeps them: a chunk keeps the lines it came from (or
// none); a vector is stored once per text and embedder with its sign bits, and a second writer of the
// same text keeps the first one's (two writers, same answer) instead of failing; documents whose
// entries are not whole are found however the check is cut into slices.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { advanceVectorProgress, documentsWithIncompleteChunks, embeddingCoverage, putEmbedding, replaceChunks } from '../../src/store/chunks.js';
import { asyncCaller } from '../helpers/call-async.js';
import { openDatabase } from '../../src/store/db.js';
import { describeChunks } from '../../src/store/search-index.js';
import { tempDirPerTest, tempWorkspace } from '../helpers/workspace.js';

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

describe('vector coverage', () => {
  it('counts the chunks as they are after every add and delete, from this connection or another (the count is kept between changes)', () => {
    const file = join(scratch(), 'flow.db');
    const db = openDatabase(file);
    const other = openDatabase(file);
    const chunk = (body: string) => ({ heading: '', body, hash: `h-${body}`, ftsHeading: '', ftsBody: body });
    const cover = () => embeddingCoverage(db, 'test:3');
    replaceChunks(db, 'document', 'doc-1', [chunk('a'), chunk('b'), chunk('c')]);
    expect(cover()).toEqual({ chunks: 3, embedded: 0 });
    advanceVectorProgress(db, 'test:3', db.prepare('SELECT MAX(id) FROM chunks').pluck().get() as number);
    expect(cover()).toEqual({ chunks: 3, embedded: 3 });
    replaceChunks(other, 'document', 'doc-1', [chunk('a')]); // two deleted, one added past the watermark
    expect(cover()).toEqual({ chunks: 1, embedded: 0 });
    other.prepare("DELETE FROM chunks WHERE owner_id = 'doc-1'").run();
    expect(cover()).toEqual({ chunks: 0, embedded: 0 });
    replaceChunks(db, 'document', 'doc-2', [chunk('d'), chunk('e')]);
    expect(cover()).toEqual({ chunks: 2, embedded: 0 });
    other.close();
    db.close();
  });
  for (const damage of ['DROP TRIGGER chunk_deletes_count', 'DROP TRIGGER chunk_deletes_count; DROP TABLE chunk_deletes', 'DELETE FROM chunk_deletes']) {
    it(`counts right in a database whose delete count is damaged (${damage}): it counts every time`, async () => {
      const file = join(scratch(), 'flow.db');
      openDatabase(file).close();
      const { default: Database } = await import('better-sqlite3');
      const raw = new Database(file);
      raw.exec(damage);
      raw.close();
      const db = openDatabase(file);
      const chunk = (body: string) => ({ heading: '', body, hash: `h-${body}`, ftsHeading: '', ftsBody: body });
      replaceChunks(db, 'document', 'doc-1', [chunk('a'), chunk('b'), chunk('c')]);
      expect(embeddingCoverage(db, 'test:3').chunks).toBe(3);
      db.prepare("DELETE FROM chunks WHERE body = 'b'").run();
      expect(embeddingCoverage(db, 'test:3').chunks).toBe(2);
      db.close();
    });
  }
});

describe('documents whose search entries are not whole', () => {
  it('are found, slice by slice, wherever they fall: no chunks at all, or a chunk without its full-text row', async () => {
    const t = tempWorkspace();
    try {
      mkdirSync(join(t.dir, 'docs'));
      // 12 documents of 1 to 4 sections each.
      for (let i = 0; i < 12; i++) writeFileSync(join(t.dir, 'docs', `d${String(i).padStart(2, '0')}.md`), Array.from({ length: 1 + (i % 4) }, (_, k) => `# Part ${k}\n\nwords of part ${k} in file ${i}\n`).join('\n'));
      await asyncCaller(t.call).ok('document', { action: 'index', paths: ['docs/*.md'] });
      const db = t.ws.db;
      const idOf = (i: number) => db.prepare('SELECT id FROM documents WHERE path = ?').pluck().get(`docs/d${String(i).padStart(2, '0')}.md`) as string;
      let steps = 0;
      const all = () => {
        const walk = documentsWithIncompleteChunks(db, n);
        steps = 0;
        for (let r = walk.next(); ; r = walk.next(), steps++) if (r.done) return [...r.value].sort();
      };
      let n = 8192;
      expect(all()).toEqual([]);
      // The first, a middle and the last document (in id order) lose a full-text row; another loses every chunk.
      const byId = Array.from({ length: 12 }, (_, i) => idOf(i)).sort();
      const lost = [byId[0]!, byId[6]!, byId[11]!];
      for (const id of lost) db.prepare('DELETE FROM chunks_fts WHERE rowid = (SELECT MAX(id) FROM chunks WHERE owner_id = ?)').run(id);
      db.prepare('DELETE FROM chunks WHERE owner_id = ?').run(byId[3]!);
      const expected = [...lost, byId[3]!].sort();
      for (n of [1, 2, 3, 5, 7, 8192]) expect(all(), `${n} chunks a slice`).toEqual(expected);
      // A chunk a slice: a step per document that still has chunks (11), and one to find none are left.
      n = 1;
      all();
      expect(steps).toBe(12);
    } finally {
      t.cleanup();
    }
  });
});
