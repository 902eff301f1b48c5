// Query latency of the search tool's vector half at scale, with synthetic clustered vectors in a real
// project database: 10k and 100k chunks, 384 and 1536 dimensions, and recall@10 against an exact scan
// of the same vectors. Targets: hybrid p50 ≤ 5 ms at 10k, ≤ 15 ms at 100k × 1536, recall@10 ≥ 0.95.
import { writeTx } from '../src/store/db.js';
import { advanceVectorProgress, putEmbedding, replaceChunks } from '../src/store/chunks.js';
import { search } from '../src/core/search.js';
import type { Embedder } from '../src/search/embedder.js';
import { hashText } from '../src/search/prepare.js';
import { tempWorkspace } from '../test/helpers/workspace.js';
import { median, ms, percentile, printTable } from './stats.js';

const SIZES = (process.env.BENCH_VECTOR_SIZES ?? '10000,100000').split(',').map(Number);
const DIMS = (process.env.BENCH_VECTOR_DIMS ?? '384,1536').split(',').map(Number);
const QUERIES = 8;

function clustered(dim: number, centers: Float32Array[], i: number): Float32Array {
  const c = centers[i % centers.length]!;
  const v = Float32Array.from(c, (x) => x + (Math.random() * 2 - 1) * 0.8);
  const n = Math.hypot(...v);
  return v.map((x) => x / n);
}

export async function vectorBench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const dim of DIMS) {
    for (const n of SIZES) {
      const t = tempWorkspace();
      try {
        const centers = Array.from({ length: 200 }, () => Float32Array.from({ length: dim }, () => Math.random() * 2 - 1));
        const embedderId = `bench:${dim}`;
        const stored: Float32Array[] = [];
        writeTx(t.ws.db, () => {
          let last = 0;
          for (let i = 0; i < n; i++) {
            const body = `synthetic chunk ${i}`;
            const hash = hashText(body);
            replaceChunks(t.ws.db, 'document', `d-bench${i}`, [{ heading: '', body, hash, ftsHeading: '', ftsBody: body }]);
            stored.push(clustered(dim, centers, i));
            putEmbedding(t.ws.db, hash, embedderId, stored[i]!);
            last = i + 1;
          }
          advanceVectorProgress(t.ws.db, embedderId, last);
        });
        const exactTop10 = (q: Float32Array) =>
          stored
            .map((v, i) => ({ i, s: v.reduce((a, x, d) => a + x * q[d]!, 0) }))
            .sort((a, b) => b.s - a.s)
            .slice(0, 10)
            .map((x) => `d-bench${x.i}`);
        let next: Float32Array = clustered(dim, centers, 0);
        const embedder: Embedder = { id: embedderId, label: embedderId, dim, local: true, embed: async (texts) => texts.map(() => next) };
        const times: number[] = [];
        let recall = 0;
        const t0 = performance.now();
        await search(t.ctx, { query: 'synthetic', k: 10 }, embedder, { halves: 'vector' }); // builds the in-memory index
        const firstMs = performance.now() - t0;
        for (let q = 0; q < QUERIES; q++) {
          next = clustered(dim, centers, q * 7 + 3);
          const t1 = performance.now();
          const r = await search(t.ctx, { query: 'synthetic', k: 10 }, embedder, { halves: 'vector' });
          times.push(performance.now() - t1);
          const exact = exactTop10(next);
          recall += r.results.filter((h) => exact.includes(h.id)).length / 10;
        }
        rows.push([`${n} × ${dim}`, ms(firstMs), ms(median(times)), ms(percentile(times, 95)), (recall / QUERIES).toFixed(3)]);
      } finally {
        t.cleanup();
      }
    }
  }
  printTable(
    'Vector half of search at scale (ms per query, synthetic clustered vectors; recall@10 against an exact scan)',
    ['chunks × dims', 'first query (loads index)', 'p50', 'p95', 'recall@10'],
    rows,
  );
}
