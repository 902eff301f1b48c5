// Each half's candidates for search: the text half's best chunks by bm25, and the vector half's by
// cosine similarity, scanned exactly for small sets (by sqlite-vec inside SQLite when it is loaded,
// else in JS with WASM dots) and through the sign-bit screen (vector-index.ts) for large ones. The
// queries are the store's (store/search-index.ts), which applies the filters inside them, before any
// top-k cut; here are the pool sizes and the scoring.
import type { Db } from '../store/db.js';
import { allowedChunkCount, chunksStillAllowed, chunkVectors, nearestChunks, textMatches, vectorsByEmbeddingId, type ChunkFilter, type ChunkVector, type ScoredChunk } from '../store/search-index.js';
import { hasSqliteVec } from '../store/vec-extension.js';
import { ftsMatch } from './fts-text.js';
import { indexedTextHalf } from './text-index.js';
import { dots } from './dots.js';
import { vectorIndexFor, type Candidate, type VectorIndex } from './vector-index.js';

// Chunks the text half hands to fusion (grouped by source there). At ~100k chunks FTS5 scores every chunk
// holding any query word (~16 ms p50 on bench/search-tool.ts's corpus), so a server keeps its own index of
// a big set's postings and scores only the query words' (text-index.ts: ~1–2 ms, the same answer).
// Measured and not kept: MaxScore over FTS5 (term bounds idf × (k1 + 1); only chunks holding a rarer term
// scored in full) gave the exact same top 200 but no speed-up (at a pool of 200 the threshold is too low
// to skip the common terms in half the questions); scoring candidates one by one by rowid opens an FTS5
// cursor per row (~0.5 s). `detail=column` (cheaper rows) was no faster and refuses multi-token terms.
const TEXT_POOL = 200;

/** Which chunks a search may return; ids already resolved and checked by the caller. */
export type SearchFilter = ChunkFilter;

const isFiltered = (f: SearchFilter) => Boolean(f.kind || f.path || f.planId || f.flowId);

/**
 * Chunks best first by bm25 (headings weigh more than body text), with their scores, for these query
 * words (ftsTerms): from a server's kept text index when it can give FTS5's answer (a big set, filtered
 * or not; text-index.ts), else from FTS5.
 */
export function textHalf(db: Db, words: readonly string[], filter: SearchFilter): ScoredChunk[] {
  const match = ftsMatch(words);
  if (!match) return [];
  return indexedTextHalf(db, words, TEXT_POOL, filter) ?? textMatches(db, match, filter, TEXT_POOL);
}

/**
 * Up to this many stored numbers (vectors × dimensions) the exact scan answers; above it, the sign-bit
 * screen. Measured (`npm run bench crossover`, 2 busy cores, p50 of 30 queries, unfiltered): sqlite-vec's
 * exact scan costs ~4–9 ns a stored number (0.67 ms at 1k × 100, 1.5 ms at 2k × 100, 0.74 ms at
 * 500 × 384, 1.9 ms at 500 × 1536) while the sign-bit screen stays ~0.5–1.3 ms at every size up to
 * 100k × 1536; they cross between 0.1M and 0.2M stored numbers. Below, exact is as fast and exact;
 * above, the screen is faster (full run, p50 of 15: 7.1× at 10k × 100, 43× at 10k × 1536, 479× at
 * 100k × 1536, where sqlite-vec took 541 ms and the JS scan 750 ms) with recall@10 ≈ 1.00.
 * Filtered searches above it still end in the exact scan, over the allowed chunks only, when the
 * screen passes too few of them (vectorSearch).
 */
export const EXACT_SCAN_BUDGET = 150_000;
/**
 * The vector half hands fusion its best VECTOR_POOL chunks: past rank ~100 a chunk scores near the
 * pool's floor in fusion (fuse.ts) and cannot reach a top 10, and re-scoring is the costly part.
 */
const VECTOR_POOL = 100;
/**
 * Candidates the sign-bit prefilter passes on for exact re-scoring. Few bits need a wide net; with
 * many bits the net widens with the set, as more near-ties crowd the top (synthetic clustered vectors,
 * recall@10: 200 candidates gave 1.00 at 10k × 1536 but 0.81 at 100k, where 400 gave 0.99).
 */
const prefilterSize = (dim: number, n: number) =>
  dim >= 256 ? Math.max(2 * VECTOR_POOL, Math.min(10 * VECTOR_POOL, Math.ceil(n / 250))) : 10 * VECTOR_POOL;

type Scored = ScoredChunk;

function top(scored: Scored[]): Scored[] {
  return scored.sort((a, b) => b.s - a.s).slice(0, VECTOR_POOL);
}

const SCAN_BATCH = 1024;

/**
 * Every allowed vector scored, a batch at a time so memory stays bounded however many there are: the
 * fallback when sqlite-vec is not loaded (every blob is copied into JS, which is what makes it slower).
 */
export function jsExactScan(db: Db, q: Float32Array, embedderId: string, f: SearchFilter): Scored[] {
  const rows = chunkVectors(db, embedderId, q.length * 4, f);
  let scored: Scored[] = [];
  let batch: ChunkVector[] = [];
  const flush = () => {
    const s = dots(q, batch.map((r) => r.vector));
    batch.forEach((r, i) => scored.push({ id: r.id, s: s[i]! }));
    batch = [];
    if (scored.length > 4 * VECTOR_POOL) scored = top(scored);
  };
  for (const r of rows) if (batch.push(r) === SCAN_BATCH) flush();
  flush();
  return top(scored);
}

/**
 * Scores for the prefilter's candidates that still exist and pass the filter: exact from the stored
 * vectors, or from the index's int8 copy when it holds one (within ~0.01 of exact: near-ties may swap).
 */
function rescore(db: Db, q: Float32Array, index: VectorIndex, cands: Candidate[], f: SearchFilter, filtered: boolean): Scored[] {
  if (index.holdsVectors) return rescoreFromMemory(db, q, index, cands, f, filtered);
  const live = new Set(chunksStillAllowed(db, cands.map((c) => c.chunk), f));
  // Chunks replaced since the index loaded stay in it until it reloads: reload once they are many.
  if (!filtered && live.size < cands.length * 0.9) index.reset();
  const chunksOf = new Map<number, number[]>();
  for (const c of cands) if (live.has(c.chunk)) (chunksOf.get(c.embedding) ?? chunksOf.set(c.embedding, []).get(c.embedding)!).push(c.chunk);
  const rows = vectorsByEmbeddingId(db, [...chunksOf.keys()]);
  const s = dots(q, rows.map((r) => r.vector));
  const scored: Scored[] = [];
  rows.forEach((r, i) => {
    if (!Number.isNaN(s[i])) for (const id of chunksOf.get(r.id)!) scored.push({ id, s: s[i]! });
  });
  return top(scored);
}

/**
 * The same from the index's in-memory copy: every candidate scored, and only the best checked against
 * the database (still there, allowed by the filter) — all of them when filtered, since the filter may
 * leave out most; else twice the pool, which a few replaced chunks cannot empty.
 */
function rescoreFromMemory(db: Db, q: Float32Array, index: VectorIndex, cands: Candidate[], f: SearchFilter, filtered: boolean): Scored[] {
  const s = index.scores(q, cands);
  const order = cands.map((_, i) => i).filter((i) => !Number.isNaN(s[i]));
  order.sort((a, b) => s[b]! - s[a]!);
  const checked = filtered ? order : order.slice(0, 2 * VECTOR_POOL);
  const live = new Set(chunksStillAllowed(db, checked.map((i) => cands[i]!.chunk), f));
  if (!filtered && live.size < checked.length * 0.9) index.reset();
  const scored: Scored[] = [];
  for (const i of checked) {
    if (scored.length === VECTOR_POOL) break;
    if (live.has(cands[i]!.chunk)) scored.push({ id: cands[i]!.chunk, s: s[i]! });
  }
  return scored;
}

/**
 * The sign-bit screen and exact re-scoring of its candidates, whatever the set's size (vectorSearch
 * chooses when; the bench times it at every size). Fewer than the pool when a selective filter left too few.
 */
export function signBitScan(db: Db, q: Float32Array, embedderId: string, filter: SearchFilter, index = vectorIndexFor(db, embedderId, q.length)): Scored[] {
  return rescore(db, q, index, index.candidates(q, prefilterSize(q.length, index.size)), filter, isFiltered(filter));
}

/** Which way the vector half answered; search results say it (`vectors.scan`). */
export type VectorScan = 'sqlite-vec exact' | 'js exact (sqlite-vec not loaded)' | 'sign-bit screen';

/** The exact scan: sqlite-vec inside SQLite when it loaded, else the JS scan. */
export function exactScan(db: Db, q: Float32Array, embedderId: string, f: SearchFilter): { hits: Scored[]; scan: VectorScan } {
  return hasSqliteVec(db)
    ? { hits: nearestChunks(db, q, embedderId, f, VECTOR_POOL), scan: 'sqlite-vec exact' }
    : { hits: jsExactScan(db, q, embedderId, f), scan: 'js exact (sqlite-vec not loaded)' };
}

/**
 * Chunks best first by cosine similarity to q (their score), among the filtered chunks, and which way
 * they were found. Small sets are scanned exactly; large ones go through the in-memory sign-bit
 * prefilter and exact re-scoring, falling back to an exact scan when a selective filter leaves too few
 * of the prefiltered candidates.
 */
export function vectorSearch(db: Db, q: Float32Array, embedderId: string, filter: SearchFilter): { hits: Scored[]; scan: VectorScan } {
  const index = vectorIndexFor(db, embedderId, q.length);
  if (index.size * q.length <= EXACT_SCAN_BUDGET) return exactScan(db, q, embedderId, filter);
  const ranked = signBitScan(db, q, embedderId, filter, index);
  if (ranked.length >= VECTOR_POOL || allowedChunkCount(db, filter) <= ranked.length) return { hits: ranked, scan: 'sign-bit screen' };
  return exactScan(db, q, embedderId, filter);
}

/** The vector half's chunks best first (see vectorSearch). */
export function vectorHalf(db: Db, q: Float32Array, embedderId: string, filter: SearchFilter): Scored[] {
  return vectorSearch(db, q, embedderId, filter).hits;
}
