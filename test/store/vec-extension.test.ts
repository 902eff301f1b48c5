// sqlite-vec in a connection: loaded from the installed package, once per connection; SQL's own
// load_extension() stays refused (a schema or a query must never load a library); the test switch
// turns it off; the scan skips vectors it cannot compare instead of failing the search.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { putEmbedding, replaceChunks } from '../../src/store/chunks.js';
import { writeTx } from '../../src/store/db.js';
import { nearestChunks } from '../../src/store/search-index.js';
import { hasSqliteVec } from '../../src/store/vec-extension.js';
import { hashText } from '../../src/search/prepare.js';
import { tempWorkspace } from '../helpers/workspace.js';

afterEach(() => delete process.env.FLOWMCP_NO_SQLITE_VEC);

describe('sqlite-vec extension', () => {
  it('loads into a connection and answers vec_distance_cosine', () => {
    const db = new Database(':memory:');
    expect(hasSqliteVec(db)).toBe(true);
    expect(hasSqliteVec(db)).toBe(true); // once per connection
    const a = Buffer.from(new Float32Array([1, 0]).buffer);
    const b = Buffer.from(new Float32Array([0, 1]).buffer);
    expect(db.prepare('SELECT vec_distance_cosine(?, ?) AS d').pluck().get(a, b)).toBeCloseTo(1, 6);
    db.close();
  });

  it('a connection it cannot be loaded into answers false, remembered, and says why once on stderr', () => {
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => (said.push(String(s)), true));
    const a = new Database(':memory:');
    const b = new Database(':memory:');
    const c = new Database(':memory:');
    // Loading into a closed connection fails: a real failure, whatever the platform.
    for (const db of [a, b, c]) db.close();
    try {
      expect(hasSqliteVec(a)).toBe(false);
      expect(hasSqliteVec(a)).toBe(false);
      expect(hasSqliteVec(b)).toBe(false);
      expect(hasSqliteVec(c)).toBe(false);
    } finally {
      spy.mockRestore();
    }
    expect(said).toEqual([
      'flowmcp warn: sqlite-vec could not be loaded (The database connection is not open); the vector half scans in JS instead (slower on small and filtered sets).\n',
    ]);
  });

  it("leaves SQL's load_extension() refused", () => {
    const db = new Database(':memory:');
    hasSqliteVec(db);
    expect(() => db.prepare("SELECT load_extension('/tmp/evil.so')").get()).toThrow(/not authorized/);
    db.close();
  });

  it('is off under FLOWMCP_NO_SQLITE_VEC=1 (the tests that run the fallback)', () => {
    process.env.FLOWMCP_NO_SQLITE_VEC = '1';
    const db = new Database(':memory:');
    expect(hasSqliteVec(db)).toBe(false);
    expect(() => db.prepare('SELECT vec_version()').get()).toThrow(/no such function/);
    db.close();
  });

  it("skips damaged vectors (text, another size, NaN) instead of failing the search", () => {
    const t = tempWorkspace();
    try {
      const db = t.ws.db;
      expect(hasSqliteVec(db)).toBe(true);
      const add = (body: string, v: Float32Array) => {
        const hash = hashText(body);
        replaceChunks(db, 'document', `d-${body}`, [{ heading: '', body, hash, ftsHeading: '', ftsBody: body }]);
        putEmbedding(db, hash, 'test:2', v);
        return hash;
      };
      writeTx(db, () => {
        add('good', new Float32Array([0.6, 0.8]));
        add('nan', new Float32Array([Number.NaN, 1]));
        add('short', new Float32Array([1]));
        const text = add('text', new Float32Array([1, 0]));
        db.prepare("UPDATE embeddings SET vector = '[1, 0]' WHERE hash = ?").run(text);
      });
      const hits = nearestChunks(db, new Float32Array([1, 0]), 'test:2', {}, 10);
      const good = db.prepare("SELECT id FROM chunks WHERE owner_id = 'd-good'").pluck().get();
      expect(hits.map((h) => h.id)).toEqual([good]);
      expect(hits[0]!.s).toBeCloseTo(0.6, 5);
    } finally {
      t.cleanup();
    }
  });
});
