// Fills in vectors for chunks that lack one from the active embedder: embedding (maybe slow, maybe
// HTTP) happens outside any transaction, then each batch is stored in one short write. Text whose
// hash already has a vector is never embedded again.
import { advanceVectorProgress, chunksAfter, type ChunkOwnerKind, embedderStored, embeddingCoverage, forgetEmbedder, hasEmbedding, putEmbedding, vectorProgress } from '../../store/chunks.js';
import type { Embedder } from '../../search/embedder.js';
import { embedText } from '../../search/prepare.js';
import type { Call } from '../kernel/workspace.js';

const BATCH = 64;
const NO_VECTOR = new Float32Array(0); // the embedder had nothing to say: remembered, not retried

export async function fillEmbeddings(
  call: Call,
  embedder: Embedder,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ embedded: number; calls: number; byKind: Record<ChunkOwnerKind, number> }> {
  const db = call.ws.db;
  const batch = opts.batch ?? BATCH;
  let embedded = 0;
  const byKind: Record<ChunkOwnerKind, number> = { document: 0, task: 0, plan: 0, context: 0 };
  let calls = 0;
  let upto = vectorProgress(db, embedder.id);
  if (chunksAfter(db, upto, 1).length === 0) {
    forgetSuperseded(call, embedder);
    return { embedded, calls, byKind }; // nothing to do: the usual case
  }
  const start = coverage(call, embedder);
  const total = start.chunks - start.embedded;
  for (;;) {
    const rows = chunksAfter(db, upto, batch);
    if (rows.length === 0) break;
    // Only text this embedder has not seen gets sent: an edited document re-embeds its changed chunks.
    const todo = new Map<string, string>();
    for (const r of rows) if (!todo.has(r.hash) && !hasEmbedding(db, r.hash, embedder.id)) todo.set(r.hash, embedText(r.heading, r.body));
    const hashes = [...todo.keys()];
    const vectors = hashes.length ? await embedder.embed([...todo.values()]) : [];
    if (hashes.length) calls++;
    const last = rows[rows.length - 1]!.id;
    call.ws.write(() => {
      hashes.forEach((h, i) => putEmbedding(db, h, embedder.id, vectors[i] ?? NO_VECTOR));
      advanceVectorProgress(db, embedder.id, last);
    });
    upto = last;
    embedded += rows.length;
    for (const r of rows) byKind[r.kind]++;
    opts.onProgress?.(Math.min(embedded, total), total);
  }
  forgetSuperseded(call, embedder);
  return { embedded, calls, byKind };
}

const FORGET_BATCH = 5_000;

/**
 * Once this embedder covers every chunk, an earlier version's vectors are dead weight in flow.db (a new
 * release of the shipped vectors would otherwise leave a full copy per release): removed in short writes.
 */
function forgetSuperseded(call: Call, embedder: Embedder): void {
  const db = call.ws.db;
  for (const old of embedder.supersedes ?? []) {
    if (!embedderStored(db, old)) continue;
    while (call.ws.write(() => forgetEmbedder(db, old, FORGET_BATCH)) === FORGET_BATCH);
  }
}

const running = new Map<string, Promise<unknown>>();

/**
 * Fills missing vectors once per workspace and embedder at a time: callers arriving while a fill runs
 * share it. A remote embedder's fill is left running in the background (search answers meanwhile with
 * the vectors it has and says so); a failure is logged by the caller and retried on the next call.
 */
export function fillInBackground(call: Call, embedder: Embedder): Promise<unknown> {
  const key = `${call.ws.root}\u0000${embedder.id}`;
  let p = running.get(key);
  if (!p) {
    p = fillEmbeddings(call, embedder).finally(() => running.delete(key));
    running.set(key, p);
  }
  return p;
}

export function coverage(call: Call, embedder: Embedder): { chunks: number; embedded: number } {
  return embeddingCoverage(call.ws.db, embedder.id);
}
