// Where the vector half's exact scan stops paying (issue 15): at several sizes and dimensions, the
// vector half's latency p50 by each of its three ways, timed on the same vectors in one run:
// sqlite-vec's exact scan inside SQLite (one SQL statement, no vector leaves the database), the JS
// exact scan (every blob streamed into JS, WASM dots; the fallback without sqlite-vec) and the sign-bit
// screen with exact re-scoring. EXACT_SCAN_BUDGET (search/candidates.ts) is set from this table.
// The last column is what search itself does (vectorSearch) under a filter allowing a tenth of the chunks.
// One workspace per dimension grows through the sizes, so each vector is written once.
// BENCH_CROSSOVER_SIZES, BENCH_CROSSOVER_DIMS, BENCH_CROSSOVER_QUERIES keep runs short.
import { writeTx } from '../src/store/db.js';
import { advanceVectorProgress, putEmbedding, replaceChunks } from '../src/store/chunks.js';
import { nearestChunks } from '../src/store/search-index.js';
import { hasSqliteVec } from '../src/store/vec-extension.js';
import { jsExactScan, signBitScan, vectorSearch } from '../src/search/candidates.js';
import { hashText } from '../src/search/prepare.js';
import { tempWorkspace } from '../test/helpers/workspace.js';
import { median, ms, printTable } from './stats.js';

const SIZES = (process.env.BENCH_CROSSOVER_SIZES ?? '1000,5000,10000,50000,100000').split(',').map(Number);
const DIMS = (process.env.BENCH_CROSSOVER_DIMS ?? '100,1536').split(',').map(Number);
const QUERIES = Number(process.env.BENCH_CROSSOVER_QUERIES ?? 15);
const POOL = 100;

function unit(dim: number, center: Float32Array): Float32Array {
  const v = Float32Array.from(center, (x) => x + (Math.random() * 2 - 1) * 0.8);
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

function p50(queries: Float32Array[], fn: (q: Float32Array) => unknown): number {
  fn(queries[0]!); // warm: statements prepared, the sign-bit index loaded
  return median(
    queries.map((q) => {
      const t0 = performance.now();
      fn(q);
      return performance.now() - t0;
    }),
  );
}

export async function vectorPathsBench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const dim of DIMS) {
    const t = tempWorkspace();
    try {
      const db = t.ws.db;
      if (!hasSqliteVec(db)) throw new Error('sqlite-vec did not load: nothing to compare');
      const emb = `bench:${dim}`;
      const centers = Array.from({ length: 200 }, () => Float32Array.from({ length: dim }, () => Math.random() * 2 - 1));
      let have = 0;
      for (const n of [...SIZES].sort((a, b) => a - b)) {
        writeTx(db, () => {
          for (; have < n; have++) {
            const body = `chunk ${have}`;
            const hash = hashText(body);
            replaceChunks(db, have % 10 ? 'document' : 'task', `d-b${have}`, [{ heading: '', body, hash, ftsHeading: '', ftsBody: body }]);
            putEmbedding(db, hash, emb, unit(dim, centers[have % centers.length]!));
          }
          advanceVectorProgress(db, emb, Number.MAX_SAFE_INTEGER);
        });
        const queries = Array.from({ length: QUERIES }, (_, i) => unit(dim, centers[(i * 7) % centers.length]!));
        const vec = p50(queries, (q) => nearestChunks(db, q, emb, {}, POOL));
        const js = p50(queries, (q) => jsExactScan(db, q, emb, {}));
        const bits = p50(queries, (q) => signBitScan(db, q, emb, {}));
        // What search does under a filter that allows a tenth of the chunks: the sign-bit screen passes too
        // few of them above the budget, so the exact scan over the allowed chunks answers.
        let way = '';
        const filtered = p50(queries, (q) => (way = vectorSearch(db, q, emb, { kind: 'task' }).scan));
        rows.push([`${n} × ${dim}`, `${((n * dim) / 1e6).toFixed(2)}M`, ms(vec), ms(js), ms(bits), `${(js / vec).toFixed(1)}×`, `${(vec / bits).toFixed(1)}×`, `${ms(filtered)} (${way})`]);
      }
    } finally {
      t.cleanup();
    }
  }
  printTable(
    `Vector half by way, p50 ms over ${QUERIES} queries (synthetic clustered vectors, no filter, pool ${POOL})`,
    ['chunks × dims', 'stored numbers', 'sqlite-vec exact', 'JS exact', 'sign-bit screen', 'JS / sqlite-vec', 'sqlite-vec / sign-bit', 'search, 1 in 10 allowed'],
    rows,
  );
}
