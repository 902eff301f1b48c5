// The vector half's exact scan: sqlite-vec's one SQL statement must rank exactly as the JS scan it
// replaces (same ids, same order, scores within 1e-5), with and without filters, including filters with
// more matches outside them than the pool holds; and with sqlite-vec switched off the JS scan answers.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { advanceVectorProgress, putEmbedding, replaceChunks, type NewChunk } from '../../src/store/chunks.js';
import { writeTx } from '../../src/store/db.js';
import { insertDocument } from '../../src/store/documents.js';
import { nearestChunks, type ChunkFilter } from '../../src/store/search-index.js';
import { hasSqliteVec } from '../../src/store/vec-extension.js';
import { exactScan, jsExactScan } from '../../src/search/candidates.js';
import { compileGlob } from '../../src/search/glob.js';
import { hashText } from '../../src/search/prepare.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const POOL = 100; // the vector half's pool (candidates.ts)
let seed = 11;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
function unit(dim: number): Float32Array {
  const v = Float32Array.from({ length: dim }, rand);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

const chunk = (body: string): NewChunk => ({ heading: '', body, hash: hashText(body), ftsHeading: '', ftsBody: body });

/** n chunks: every 10th a task's, 30 owned by plan p-sel, the rest documents, a third of them under docs/. */
function fill(t: TempWorkspace, n: number, dim: number, emb: string): void {
  const now = new Date().toISOString();
  writeTx(t.ws.db, () => {
    const planChunks: NewChunk[] = [];
    for (let i = 0; i < n; i++) {
      const c = chunk(`chunk ${dim} ${i}`);
      if (i < 30) planChunks.push(c);
      else if (i % 10 === 0) replaceChunks(t.ws.db, 'task', `t-x${i}`, [c]);
      else {
        const id = `d-x${i}`;
        insertDocument(t.ws.db, { id, source: 'project', path: i % 3 === 0 ? `docs/a/${i}.md` : `other/${i}.md`, title: id, size: 1, mtime_ms: 0, sha256: '', orphaned_at: null, created_at: now, updated_at: now, revision: 1 });
        replaceChunks(t.ws.db, 'document', id, [c]);
      }
      putEmbedding(t.ws.db, c.hash, emb, unit(dim));
    }
    replaceChunks(t.ws.db, 'plan', 'p-sel', planChunks);
    advanceVectorProgress(t.ws.db, emb, n + 10);
  });
}

const FILTERS: [string, () => ChunkFilter][] = [
  ['no filter', () => ({})],
  ['kind (tasks: ~130 inside, ~1,300 outside)', () => ({ kind: 'task' })],
  ['path glob (docs/**: ~400 inside, ~1,000 outside)', () => ({ path: compileGlob('docs/**') })],
  ['plan (30 inside: fewer than the pool)', () => ({ planId: 'p-sel' })],
  ['kind with nothing inside', () => ({ kind: 'context' })],
];

describe.each([100, 1536])('exact scan at %i dimensions', (dim) => {
  const n = dim === 100 ? 1500 : 400;
  const emb = `test:${dim}`;
  let t: TempWorkspace;
  beforeAll(() => {
    t = tempWorkspace();
    fill(t, n, dim, emb);
  });
  afterAll(() => t.cleanup());
  afterEach(() => delete process.env.FLOWMCP_NO_SQLITE_VEC);

  it('loads the real sqlite-vec', () => expect(hasSqliteVec(t.ws.db)).toBe(true));

  it.each(FILTERS)('sqlite-vec ranks as the JS scan: %s', (_, filter) => {
    for (let r = 0; r < 5; r++) {
      const q = unit(dim);
      const js = jsExactScan(t.ws.db, q, emb, filter());
      const sql = nearestChunks(t.ws.db, q, emb, filter(), POOL);
      expect(sql.map((h) => h.id)).toEqual(js.map((h) => h.id));
      sql.forEach((h, i) => expect(Math.abs(h.s - js[i]!.s)).toBeLessThan(1e-5));
      const via = exactScan(t.ws.db, q, emb, filter());
      expect(via.scan).toBe('sqlite-vec exact');
      expect(via.hits.map((h) => h.id)).toEqual(sql.map((h) => h.id));
    }
  });

  it('fills the pool when the filter allows more than it holds, and keeps only allowed chunks', () => {
    const q = unit(dim);
    const tasks = nearestChunks(t.ws.db, q, emb, { kind: 'task' }, POOL);
    expect(tasks.length).toBe(dim === 100 ? POOL : 37); // 1500 chunks hold 147 tasks, 400 hold 37
    const kinds = t.ws.db.prepare(`SELECT DISTINCT kind FROM chunks WHERE id IN (${tasks.map((h) => h.id).join(',')})`).pluck().all();
    expect(kinds).toEqual(['task']);
  });

  it('falls back to the JS scan when sqlite-vec is switched off (FLOWMCP_NO_SQLITE_VEC=1)', () => {
    const q = unit(dim);
    const withVec = exactScan(t.ws.db, q, emb, { kind: 'task' });
    process.env.FLOWMCP_NO_SQLITE_VEC = '1';
    const without = exactScan(t.ws.db, q, emb, { kind: 'task' });
    expect(without.scan).toBe('js exact (sqlite-vec not loaded)');
    expect(without.hits.map((h) => h.id)).toEqual(withVec.hits.map((h) => h.id));
  });
});
