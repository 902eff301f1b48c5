// Fills in vectors for chunks that lack one from the active embedder: embedding (maybe slow, maybe
// HTTP) happens outside any transaction, then each batch is stored in one short write. Text whose
// hash already has a vector is never embedded again.
import { embeddingCoverage, missingEmbeddings, putEmbedding } from '../store/chunks.js';
import type { Embedder } from '../search/embedder.js';
import { embedText } from '../search/prepare.js';
import type { Ctx } from './workspace.js';

const BATCH = 64;
const NO_VECTOR = new Float32Array(0); // the embedder had nothing to say: remembered, not retried

export async function fillEmbeddings(
  ctx: Ctx,
  embedder: Embedder,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ embedded: number; calls: number }> {
  const batch = opts.batch ?? BATCH;
  let embedded = 0;
  let calls = 0;
  const start = coverage(ctx, embedder);
  const total = start.chunks - start.embedded;
  for (;;) {
    const rows = missingEmbeddings(ctx.ws.db, embedder.id, batch);
    if (rows.length === 0) break;
    const vectors = await embedder.embed(rows.map((r) => embedText(r.heading, r.body)));
    calls++;
    ctx.ws.write(() => rows.forEach((r, i) => putEmbedding(ctx.ws.db, r.hash, embedder.id, vectors[i] ?? NO_VECTOR)));
    embedded += rows.length;
    opts.onProgress?.(Math.min(embedded, total), total);
  }
  return { embedded, calls };
}

const running = new Map<string, Promise<unknown>>();

/**
 * Fills missing vectors once per workspace and embedder at a time: callers arriving while a fill runs
 * share it. A remote embedder's fill is left running in the background (search answers meanwhile with
 * the vectors it has and says so); a failure is logged by the caller and retried on the next call.
 */
export function fillInBackground(ctx: Ctx, embedder: Embedder): Promise<unknown> {
  const key = `${ctx.ws.root}\u0000${embedder.id}`;
  let p = running.get(key);
  if (!p) {
    p = fillEmbeddings(ctx, embedder).finally(() => running.delete(key));
    running.set(key, p);
  }
  return p;
}

export function coverage(ctx: Ctx, embedder: Embedder): { chunks: number; embedded: number } {
  const c = embeddingCoverage(ctx.ws.db, embedder.id);
  return { chunks: c.chunks, embedded: c.embedded ?? 0 };
}
