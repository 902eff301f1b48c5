// Search benchmarks: relevance on the Node.js evaluation set's held-out questions (full text, vectors, hybrid), index
// throughput with the offline embedder, and the cost of loading the shipped word vectors.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { STATIC_VECTORS_FILE, StaticVectors } from '../src/search/static-embedder.js';
import { staticEmbedder } from '../src/search/static-embedder-adapter.js';
import { fillEmbeddings } from '../src/core/docs/embeddings.js';
import { askAll, indexSet, meanOf } from '../test/helpers/search-eval/run.js';
import { loadSet } from '../test/helpers/search-eval/sets.js';
import { tempWorkspace } from '../test/helpers/workspace.js';
import { median, ms, printTable } from './stats.js';

export async function searchBench(): Promise<void> {
  // Loading the vectors: what the first search in a process pays, once.
  const file = join(packageRoot(), STATIC_VECTORS_FILE);
  const loads: number[] = [];
  const kept: StaticVectors[] = []; // held, so the memory of each load is still counted at the end
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    kept.push(StaticVectors.load(file));
    loads.push(performance.now() - t0);
  }
  const heap = (process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before) / kept.length;
  printTable('Shipped word vectors', ['measure', 'value'], [
    ['file size', `${(statSync(file).size / 1e6).toFixed(2)} MB`],
    ['load time (median of 5)', `${ms(median(loads))} ms`],
    ['memory per loaded table (approx.)', `${(heap / 1e6).toFixed(1)} MB`],
  ]);

  const t = tempWorkspace();
  try {
    const t0 = performance.now();
    const set = loadSet('nodejs');
    const files = await indexSet(t.call, set, undefined);
    const ftsMs = performance.now() - t0;
    const chunks = (t.ws.db.prepare('SELECT COUNT(*) AS n FROM chunks').get() as { n: number }).n;
    const t1 = performance.now();
    await fillEmbeddings(t.call, staticEmbedder);
    const embMs = performance.now() - t1;
    printTable(`Indexing the Node.js API docs (${files} files, ${chunks} chunks)`, ['stage', 'ms', 'chunks/s'], [
      ['chunk + full-text index', ms(ftsMs), Math.round(chunks / (ftsMs / 1000))],
      ['embed (static vectors)', ms(embMs), Math.round(chunks / (embMs / 1000))],
    ]);
    const heldout = set.queries.filter((q) => q.split === 'heldout');
    const rows: (string | number)[][] = [];
    for (const halves of ['text', 'vector', 'both'] as const) {
      const a = await askAll(t.call, staticEmbedder, halves, heldout);
      rows.push([halves === 'both' ? 'hybrid (RRF)' : halves === 'text' ? 'full text (bm25)' : 'vectors alone', meanOf(a, 'mrr10').toFixed(3), meanOf(a, 'recall5').toFixed(3), meanOf(a, 'ndcg10').toFixed(3)]);
    }
    // Per kind, with intervals and the plain-bm25 baseline, on every set: npm run eval:search.
    printTable(`Relevance, ${heldout.length} held-out questions on the Node.js docs (file level; per kind: npm run eval:search)`, ['mode', 'MRR@10', 'recall@5', 'nDCG@10'], rows);
  } finally {
    t.cleanup();
  }
}
