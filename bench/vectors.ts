// Hybrid search latency at scale, in a real project database: 10k and 100k chunks with 384- and
// 1536-dimension vectors. Chunk text is the Node.js docs fixture cut by the real chunker and repeated
// (each copy keeps its words, so terms stay as common as they are in real docs); the questions are the
// Node.js evaluation set's 50 dev questions (as before the set grew: their count sets this bench's run time). Vectors are synthetic and clustered (no model here makes 1536-d
// ones), so recall@10 of the vector half is measured against an exact scan of the same vectors.
// Baseline from the same run: sqlite-vec's plain float brute-force KNN (vec0) over the same vectors.
// Targets (issue 3): hybrid p50 ≤ 5 ms at 10k, ≤ 15 ms at 100k × 1536, recall@10 ≥ 0.95.
import * as sqliteVec from 'sqlite-vec';
import { writeTx } from '../src/store/db.js';
import { advanceVectorProgress, putEmbedding, replaceChunks, type NewChunk } from '../src/store/chunks.js';
import { search } from '../src/core/docs/search.js';
import { vectorSearch } from '../src/search/candidates.js';
import { chunkOwners } from '../src/store/search-index.js';
import type { Embedder } from '../src/search/embedder.js';
import { documentChunks, hashText } from '../src/search/prepare.js';
import { TEXT_INDEX_MIN_ROWS, warmTextIndex } from '../src/search/text-index.js';
import { loadSet, readDoc } from '../test/helpers/search-eval/sets.js';
import { tempWorkspace } from '../test/helpers/workspace.js';
import { median, ms, percentile, printTable } from './stats.js';

const SIZES = (process.env.BENCH_VECTOR_SIZES ?? '10000,100000').split(',').map(Number);
const DIMS = (process.env.BENCH_VECTOR_DIMS ?? '384,1536').split(',').map(Number);
const ROUNDS = 3; // each question this many times
const BASELINE_QUERIES = 5;

function clustered(dim: number, centers: Float32Array[], i: number): Float32Array {
  const c = centers[i % centers.length]!;
  const v = Float32Array.from(c, (x) => x + (Math.random() * 2 - 1) * 0.8);
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  return v.map((x) => x / n);
}

function fixtureChunks(): NewChunk[] {
  const set = loadSet('nodejs');
  return set.docs.flatMap((doc) => documentChunks(readDoc(set, doc)));
}

/** sqlite-vec float brute force over the same vectors: the baseline the issue quotes. */
function vec0Baseline(db: import('better-sqlite3').Database, dim: number, stored: Float32Array[], queries: Float32Array[]): number {
  sqliteVec.load(db);
  db.exec(`CREATE VIRTUAL TABLE bench_vec USING vec0(embedding float[${dim}])`);
  const ins = db.prepare('INSERT INTO bench_vec (rowid, embedding) VALUES (?, ?)');
  db.transaction(() => stored.forEach((v, i) => ins.run(BigInt(i + 1), v)))();
  const knn = db.prepare('SELECT rowid FROM bench_vec WHERE embedding MATCH ? AND k = 10');
  const times: number[] = [];
  for (const q of queries) {
    const t0 = performance.now();
    knn.all(q);
    times.push(performance.now() - t0);
  }
  db.exec('DROP TABLE bench_vec');
  return median(times);
}

export async function vectorBench(): Promise<void> {
  const base = fixtureChunks();
  const questions = loadSet('nodejs').queries.filter((x) => x.split === 'dev').map((x) => x.q);
  const rows: (string | number)[][] = [];
  for (const dim of DIMS) {
    for (const n of SIZES) {
      const t = tempWorkspace();
      try {
        const centers = Array.from({ length: 200 }, () => Float32Array.from({ length: dim }, () => Math.random() * 2 - 1));
        const embedderId = `bench:${dim}`;
        const stored: Float32Array[] = [];
        writeTx(t.ws.db, () => {
          for (let i = 0; i < n; i++) {
            const c = base[i % base.length]!;
            const body = `${c.body}\n(copy ${i})`;
            const hash = hashText(`${c.heading}\n${body}`);
            replaceChunks(t.ws.db, 'document', `d-bench${i}`, [{ ...c, body, hash, ftsBody: `${c.ftsBody}\n(copy ${i})` }]);
            stored.push(clustered(dim, centers, i));
            putEmbedding(t.ws.db, hash, embedderId, stored[i]!);
          }
          advanceVectorProgress(t.ws.db, embedderId, n);
        });
        const exactTop10 = (q: Float32Array) =>
          stored
            .map((v, i) => {
              let s = 0;
              for (let d = 0; d < dim; d++) s += v[d]! * q[d]!;
              return { i, s };
            })
            .sort((a, b) => b.s - a.s)
            .slice(0, 10)
            .map((x) => `d-bench${x.i}`);
        let next: Float32Array = clustered(dim, centers, 0);
        const embedder: Embedder = { id: embedderId, label: embedderId, dim, local: true, embed: async (texts) => texts.map(() => next) };
        const t0 = performance.now();
        await search(t.call, { query: questions[0]!, k: 10 }, embedder); // the first search builds the in-memory prefilter
        const firstMs = performance.now() - t0;
        // What a server does after a start, beside its calls: a big set's text index (search/text-index.ts).
        // Below TEXT_INDEX_MIN_ROWS it keeps none and FTS5 answers, as in the product.
        const t2 = performance.now();
        await warmTextIndex(t.ws.db);
        const indexMs = n >= TEXT_INDEX_MIN_ROWS ? `${ms(performance.now() - t2)}` : '— (FTS5)';
        const hybrid: number[] = [];
        const text: number[] = [];
        const vector: number[] = [];
        for (let r = 0; r < ROUNDS; r++) {
          for (const [i, q] of questions.entries()) {
            next = clustered(dim, centers, i * 7 + r);
            let t1 = performance.now();
            await search(t.call, { query: q, k: 10 }, embedder);
            hybrid.push(performance.now() - t1);
            t1 = performance.now();
            await search(t.call, { query: q, k: 10 }, embedder, { halves: 'text' });
            text.push(performance.now() - t1);
            t1 = performance.now();
            await search(t.call, { query: q, k: 10 }, embedder, { halves: 'vector' });
            vector.push(performance.now() - t1);
          }
        }
        let recall = 0;
        const probes = questions.slice(0, 10);
        for (const i of probes.keys()) {
          next = clustered(dim, centers, i * 13 + 5);
          // The vector half itself: a search's answer shows only the nearest 3 when no hit holds a word.
          const hits = vectorSearch(t.ws.db, next, embedderId, {}).hits.slice(0, 10);
          const owners = chunkOwners(t.ws.db, hits.map((h) => h.id));
          const exact = exactTop10(next);
          recall += hits.filter((h) => exact.includes(owners.get(h.id)!)).length / 10;
        }
        const baseline = vec0Baseline(
          t.ws.db,
          dim,
          stored,
          Array.from({ length: BASELINE_QUERIES }, (_, i) => clustered(dim, centers, i * 11)),
        );
        const p50 = median(hybrid);
        rows.push([
          `${n} × ${dim}`,
          ms(firstMs),
          indexMs,
          ms(median(text)),
          ms(median(vector)),
          ms(p50),
          ms(percentile(hybrid, 95)),
          (recall / probes.length).toFixed(3),
          ms(baseline),
          `${(baseline / p50).toFixed(1)}×`,
        ]);
      } finally {
        t.cleanup();
      }
    }
  }
  printTable(
    'Hybrid search at scale (ms per query; Node docs text × synthetic clustered vectors; recall@10 of the vector half against an exact scan)',
    ['chunks × dims', 'first search', 'text index built beside the calls', 'text only p50', 'vectors only p50', 'hybrid p50', 'hybrid p95', 'recall@10', 'vec0 brute force p50', 'vec0 / hybrid'],
    rows,
  );
}
