// Search benchmarks: relevance on the held-out Node.js docs (full text, vectors, hybrid), index
// throughput with the offline embedder, and the cost of loading the shipped word vectors.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';
import { STATIC_VECTORS_FILE, StaticVectors } from '../src/search/static-embedder.js';
import { staticEmbedder } from '../src/search/static-embedder-adapter.js';
import { fillEmbeddings } from '../src/core/docs/embeddings.js';
import { evaluate, indexCorpus } from '../test/helpers/relevance.js';
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
    const files = await indexCorpus(t.call, undefined);
    const ftsMs = performance.now() - t0;
    const chunks = (t.ws.db.prepare('SELECT COUNT(*) AS n FROM chunks').get() as { n: number }).n;
    const t1 = performance.now();
    await fillEmbeddings(t.call, staticEmbedder);
    const embMs = performance.now() - t1;
    printTable(`Indexing the Node.js API docs (${files} files, ${chunks} chunks)`, ['stage', 'ms', 'chunks/s'], [
      ['chunk + full-text index', ms(ftsMs), Math.round(chunks / (ftsMs / 1000))],
      ['embed (static vectors)', ms(embMs), Math.round(chunks / (embMs / 1000))],
    ]);
    const rows: (string | number)[][] = [];
    for (const halves of ['text', 'vector', 'both'] as const) {
      const s = await evaluate(t.call, staticEmbedder, halves);
      rows.push([halves === 'both' ? 'hybrid (RRF)' : halves === 'text' ? 'full text (bm25)' : 'vectors alone', s.mrr10.toFixed(3), s.recall5.toFixed(3)]);
    }
    printTable('Relevance, 50 developer questions on the held-out Node.js docs (file level)', ['mode', 'MRR@10', 'recall@5'], rows);
  } finally {
    t.cleanup();
  }
}
