// The vector half on sets large enough for the sign-bit prefilter: close to the exact answer, filters
// still honoured (a selective filter falls back to an exact scan), new vectors picked up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advanceVectorProgress, putEmbedding, replaceChunks } from '../../src/store/chunks.js';
import { writeTx } from '../../src/store/db.js';
import { EXACT_SCAN_BUDGET, signBitScan, vectorHalf } from '../../src/search/candidates.js';
import { VectorIndex } from '../../src/search/vector-index.js';
import { hashText } from '../../src/search/prepare.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const DIM = 1536;
const N = 3000; // 3000 × 1536 is past the exact-scan budget: the prefilter path runs
let t: TempWorkspace;
const vectors: Float32Array[] = [];
const chunkIds: number[] = [];
let seed = 7;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
const centers = Array.from({ length: 40 }, () => Float32Array.from({ length: DIM }, rand));
function near(c: Float32Array, noise = 0.8): Float32Array {
  const v = Float32Array.from(c, (x) => x + rand() * noise);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

function add(i: number, kind: 'document' | 'task', v: Float32Array): void {
  const body = `chunk ${i}`;
  const hash = hashText(body);
  replaceChunks(t.ws.db, kind, `${kind === 'task' ? 't' : 'd'}-x${i}`, [{ heading: '', body, hash, ftsHeading: '', ftsBody: body }]);
  putEmbedding(t.ws.db, hash, 'test:1536', v);
  chunkIds.push((t.ws.db.prepare('SELECT id FROM chunks WHERE hash = ?').get(hash) as { id: number }).id);
  vectors.push(v);
}

beforeAll(() => {
  expect(N * DIM).toBeGreaterThan(EXACT_SCAN_BUDGET);
  t = tempWorkspace();
  writeTx(t.ws.db, () => {
    for (let i = 0; i < N; i++) add(i, i % 60 === 0 ? 'task' : 'document', near(centers[i % centers.length]!));
    advanceVectorProgress(t.ws.db, 'test:1536', Math.max(...chunkIds));
  });
});
afterAll(() => t.cleanup());

function exactTop(q: Float32Array, k: number, allowed: (i: number) => boolean = () => true): number[] {
  return vectors
    .map((v, i) => {
      let s = 0;
      for (let d = 0; d < DIM; d++) s += v[d]! * q[d]!;
      return { i, s };
    })
    .filter((x) => allowed(x.i))
    .sort((a, b) => b.s - a.s)
    .slice(0, k)
    .map((x) => chunkIds[x.i]!);
}

describe('vector half with the sign-bit prefilter', () => {
  it('finds nearly all of the exact top 10', () => {
    let hit = 0;
    for (let c = 0; c < 10; c++) {
      const q = near(centers[c * 3]!, 0.5);
      const got = vectorHalf(t.ws.db, q, 'test:1536', {}).map((h) => h.id).slice(0, 10);
      hit += got.filter((id) => exactTop(q, 10).includes(id)).length;
    }
    expect(hit / 100).toBeGreaterThanOrEqual(0.9);
  });

  it('a selective filter still gets every matching chunk, in exact order', () => {
    const q = near(centers[5]!, 0.5);
    const tasks = vectorHalf(t.ws.db, q, 'test:1536', { kind: 'task' }).map((h) => h.id);
    expect(tasks).toEqual(exactTop(q, 200, (i) => i % 60 === 0));
    expect(tasks).toHaveLength(N / 60);
  });

  it('picks up vectors written after the index was loaded', () => {
    const q = near(centers[9]!, 0.3);
    vectorHalf(t.ws.db, q, 'test:1536', {}); // loads the index
    writeTx(t.ws.db, () => {
      add(N, 'document', q);
      advanceVectorProgress(t.ws.db, 'test:1536', chunkIds[chunkIds.length - 1]!);
    });
    expect(vectorHalf(t.ws.db, q, 'test:1536', {}).map((h) => h.id)[0]).toBe(chunkIds[chunkIds.length - 1]);
  });

  it('chunks deleted after the index loaded are never returned', () => {
    const q = near(centers[11]!, 0.3);
    const before = vectorHalf(t.ws.db, q, 'test:1536', {}).map((h) => h.id);
    const gone = before.slice(0, 5);
    writeTx(t.ws.db, () => {
      for (const id of gone) t.ws.db.prepare('DELETE FROM chunks WHERE id = ?').run(id);
    });
    const after = vectorHalf(t.ws.db, q, 'test:1536', {}).map((h) => h.id);
    expect(after.filter((id) => gone.includes(id))).toEqual([]);
    expect(after.slice(0, 5)).toEqual(before.slice(5, 10));
  });

  it('scores the same from the in-memory int8 copy as from the stored float vectors (the path of sets too big for the copy)', () => {
    const inMemory = new VectorIndex('test:1536', DIM);
    const fromDb = new VectorIndex('test:1536', DIM, 0);
    inMemory.refresh(t.ws.db);
    fromDb.refresh(t.ws.db);
    expect([inMemory.holdsVectors, fromDb.holdsVectors]).toEqual([true, false]);
    for (let c = 0; c < 10; c++) {
      const q = near(centers[c * 4 % centers.length]!, 0.5);
      const a = signBitScan(t.ws.db, q, 'test:1536', {}, inMemory).slice(0, 10);
      const b = signBitScan(t.ws.db, q, 'test:1536', {}, fromDb).slice(0, 10);
      expect(a.filter((x) => b.some((y) => y.id === x.id)).length).toBeGreaterThanOrEqual(9);
      for (const x of a) {
        const y = b.find((h) => h.id === x.id);
        if (y) expect(Math.abs(x.s - y.s)).toBeLessThan(0.01);
      }
    }
  });

  it('a screen loaded in slices (a server warming up) answers exactly as one loaded at once', () => {
    const whole = new VectorIndex('test:1536', DIM);
    whole.refresh(t.ws.db);
    const sliced = new VectorIndex('test:1536', DIM);
    let turns = 1;
    while (!sliced.refresh(t.ws.db, 700)) turns++;
    expect(turns).toBeGreaterThanOrEqual(Math.ceil(sliced.size / 700)); // one more when the size is a multiple of 700
    expect(sliced.size).toBe(whole.size);
    const q = near(centers[3]!, 0.5);
    expect(signBitScan(t.ws.db, q, 'test:1536', {}, sliced)).toEqual(signBitScan(t.ws.db, q, 'test:1536', {}, whole));
  });

  it('a set that may outgrow the in-memory copy never reads its float vectors, on load or after a reset', () => {
    const prepared: string[] = [];
    // The database as the index sees it, recording every statement prepared through it.
    const db = new Proxy(t.ws.db, {
      get(target, key) {
        if (key === 'prepare') return (sql: string) => (prepared.push(sql), target.prepare(sql));
        const v = Reflect.get(target, key);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    const small = new VectorIndex('test:1536', DIM, DIM * 10); // room for 10 of ~3,000 vectors
    small.refresh(db);
    small.reset();
    small.refresh(db);
    expect(small.holdsVectors).toBe(false);
    expect(prepared.length).toBeGreaterThan(0);
    expect(prepared.filter((sql) => sql.includes('e.vector'))).toEqual([]);
    const roomy = new VectorIndex('test:1536', DIM);
    roomy.refresh(db);
    expect(roomy.holdsVectors).toBe(true);
    expect(prepared.filter((sql) => sql.includes('e.vector')).length).toBe(1);
  });
});
