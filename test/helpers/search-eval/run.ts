// Runs one evaluation set through the product: unpack its documents into a fresh project, index them
// the way a user would (indexProjectFiles + fillEmbeddings), ask every question in each search mode,
// and score the files that came back. Also runs the plain-bm25 baseline over the same chunks.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fillEmbeddings } from '../../../src/core/docs/embeddings.js';
import { indexProjectFiles } from '../../../src/core/docs/project-index.js';
import { search } from '../../../src/core/docs/search.js';
import type { Call } from '../../../src/core/kernel/workspace.js';
import type { Embedder } from '../../../src/search/embedder.js';
import { tempWorkspace } from '../workspace.js';
import { Bm25Baseline } from './bm25-baseline.js';
import { fileRanking, scoreQuestion, type QuestionScores } from './metrics.js';
import { readDoc, type EvalSet, type Query } from './sets.js';

export const PRODUCT_MODES = ['text', 'vector', 'both'] as const;
export type ProductMode = (typeof PRODUCT_MODES)[number];
export type Mode = ProductMode | 'bm25';
export const MODES: readonly Mode[] = ['bm25', ...PRODUCT_MODES];

export interface Answer extends QuestionScores {
  query: Query;
  mode: Mode;
  ranked: string[];
}

/** Unpacks the set into the project as docs/*.md and indexes it; returns how many files. */
export async function indexSet(call: Call, set: EvalSet, embedder: Embedder | undefined): Promise<number> {
  const dir = join(call.ws.root, 'docs');
  mkdirSync(dir, { recursive: true });
  for (const doc of set.docs) writeFileSync(join(dir, doc), readDoc(set, doc));
  const report = await indexProjectFiles(call, ['docs/*.md']);
  // A page the product refuses (over the project-file size limit, say) would quietly score as a miss.
  if (report.skipped.length) throw new Error(`set ${set.name}: not indexed: ${JSON.stringify(report.skipped)}`);
  if (embedder) await fillEmbeddings(call, embedder);
  return set.docs.length;
}

/** One question in one product mode: the files, best first. k = 50 chunks leaves room for 10 distinct files. */
export async function askProduct(call: Call, embedder: Embedder | undefined, mode: ProductMode, q: string): Promise<string[]> {
  const r = await search(call, { query: q, k: 50 }, embedder, { halves: mode });
  return fileRanking(r.results.map((h) => h.path));
}

/** Every question in one product mode, on a project already indexed (indexSet). */
export async function askAll(call: Call, embedder: Embedder | undefined, mode: ProductMode, queries: Query[]): Promise<Answer[]> {
  const out: Answer[] = [];
  for (const query of queries) {
    const ranked = await askProduct(call, embedder, mode, query.q);
    out.push({ query, mode, ranked, ...scoreQuestion(ranked, query.relevant) });
  }
  return out;
}

/** The mean of one measure over answers (no interval: for tests and quick tables). */
export function meanOf(answers: Answer[], measure: 'mrr10' | 'recall5' | 'ndcg10'): number {
  return answers.reduce((s, a) => s + a[measure], 0) / answers.length;
}

/** Every question of the set (already filtered by the caller) in every mode asked for. */
export async function evaluateSet(set: EvalSet, queries: Query[], embedder: Embedder | undefined, modes: readonly Mode[] = MODES): Promise<Answer[]> {
  const out: Answer[] = [];
  if (modes.includes('bm25')) {
    const base = new Bm25Baseline(set.docs.map((name) => ({ name, markdown: readDoc(set, name) })));
    try {
      for (const query of queries) {
        const ranked = base.rank(query.q);
        out.push({ query, mode: 'bm25', ranked, ...scoreQuestion(ranked, query.relevant) });
      }
    } finally {
      base.close();
    }
  }
  const product = modes.filter((m): m is ProductMode => m !== 'bm25');
  if (product.length === 0) return out;
  const t = tempWorkspace();
  try {
    await indexSet(t.call, set, embedder);
    for (const mode of product) out.push(...(await askAll(t.call, embedder, mode, queries)));
  } finally {
    t.cleanup();
  }
  return out;
}
