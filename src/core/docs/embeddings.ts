// Fills in vectors for chunks that lack one from the active embedder: embedding (maybe slow, maybe
// HTTP) happens outside any transaction, then each batch is stored in one short write. Text whose
// hash already has a vector is never embedded again.
import { log } from '../../log.js';
import { nextTurn, type Turn } from '../../background-turns.js';
import { advanceVectorProgress, chunksAfter, type ChunkOwnerKind, embedderStored, embeddingCoverage, forgetEmbedder, hasEmbedding, putEmbedding, vectorProgress } from '../../store/chunks.js';
import { getSetting, setSetting } from '../../store/settings.js';
import { removeScreenFile } from '../../store/vector-screen-file.js';
import type { Embedder } from '../../search/embedder.js';
import { embedText } from '../../search/prepare.js';
import type { Call } from '../kernel/workspace.js';

const BATCH = 64;
const NO_VECTOR = new Float32Array(0); // the embedder had nothing to say: remembered, not retried

export async function fillEmbeddings(
  call: Call,
  embedder: Embedder,
  opts: { batch?: number; onProgress?: (done: number, total: number) => void; turn?: Turn } = {},
): Promise<{ embedded: number; calls: number; byKind: Record<ChunkOwnerKind, number> }> {
  // Between batches the event loop is handed on: a local embedder's embed is synchronous work behind a
  // promise that is already settled, so without it a fill of 80k sections held every other caller for
  // ~15 s. In the background other callers' calls go first (nextTurn); a caller's own indexing only lets
  // their work in between (immediateTurn, which indexing.ts passes).
  const turn = opts.turn ?? nextTurn;
  const db = call.ws.db;
  const batch = opts.batch ?? BATCH;
  let embedded = 0;
  const byKind: Record<ChunkOwnerKind, number> = { document: 0, task: 0, plan: 0, context: 0 };
  let calls = 0;
  let upto = vectorProgress(db, embedder.id);
  if (chunksAfter(db, upto, 1).length === 0) return { embedded, calls, byKind }; // nothing to do: the usual case
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
    await turn();
    if (!db.open) break; // the project was closed meanwhile (a server shutting down)
  }
  return { embedded, calls, byKind };
}

const FORGET_BATCH = 1_000; // ~13 ms a write measured with 200k old vectors among 200k others
/** Per open project (a Workspace) and embedder: each opening checks once. */
const forgetting = new WeakMap<object, Map<string, Promise<void>>>();

/**
 * Once this embedder covers every chunk, an earlier release's vectors are dead weight (a new release of
 * the shipped vectors would otherwise leave a full copy per release): removed in short writes that yield
 * to other callers between batches, never on a search's path, best effort (a read-only or busy project
 * keeps them until a later call). An id that comes back after being removed means an older flowmcp still
 * uses this project: it is left alone from then on, so the two do not undo each other's work.
 */
export function forgetSuperseded(call: Call, embedder: Embedder): Promise<void> {
  let mine = forgetting.get(call.ws);
  if (!mine) forgetting.set(call.ws, (mine = new Map()));
  let p = mine.get(embedder.id);
  if (!p) {
    const tried = forgetEach(call, embedder)
      .then((done) => {
        if (!done) mine.delete(embedder.id); // not covering everything yet: a later call looks again
      })
      .catch((e) => {
        mine.delete(embedder.id);
        if (call.ws.db.open) log.warn(`old search vectors could not be removed (${(e as Error).message}); they are left in place`);
      });
    mine.set(embedder.id, tried);
    p = tried;
  }
  return p;
}


/** True when nothing is left to look at for this opening of the project. */
async function forgetEach(call: Call, embedder: Embedder): Promise<boolean> {
  await nextTurn(); // whoever triggered it (a search) answers first
  const db = call.ws.db;
  if (call.ws.readOnly || !embedder.supersedes?.length || !db.open) return true;
  if (chunksAfter(db, vectorProgress(db, embedder.id), 1).length) return false;
  for (const old of embedder.supersedes) {
    const marker = `superseded_vectors_removed.${old}`;
    if (!embedderStored(db, old) || getSetting(db, marker)) continue;
    let after: number | undefined = 0;
    while (after !== undefined) {
      if (!db.open) return true;
      const from: number = after;
      after = call.ws.write(() => forgetEmbedder(db, old, from, FORGET_BATCH));
      await nextTurn();
    }
    if (!db.open) return true;
    call.ws.write(() => setSetting(db, marker, call.ws.clock.now().toISOString()));
    removeScreenFile(db, old);
  }
  return true;
}

const running = new Map<string, Promise<unknown>>();

/**
 * Fills missing vectors once per workspace and embedder at a time: callers arriving while a fill runs
 * share it. A remote embedder's fill is left running in the background (search answers meanwhile with
 * the vectors it has and says so); a failure is logged by the caller and retried on the next call.
 * `turn`: how it hands the loop on between batches (a search that waits for it lets only others' work in).
 */
export function fillInBackground(call: Call, embedder: Embedder, turn?: Turn): Promise<unknown> {
  const key = `${call.ws.root}\u0000${embedder.id}`;
  let p = running.get(key);
  if (!p) {
    const t0 = performance.now();
    p = fillEmbeddings(call, embedder, { turn })
      .then((r) => {
        void forgetSuperseded(call, embedder); // not awaited: nobody waits for the clean-up
        // Said for whoever measures calls beside it (npm run bench -- scale waits for it).
        if (r.embedded) log.debug(`vectors filled in the background: ${r.embedded} sections in ${Math.round(performance.now() - t0)} ms`);
        return r;
      })
      .finally(() => running.delete(key));
    running.set(key, p);
  }
  return p;
}

export function coverage(call: Call, embedder: Embedder): { chunks: number; embedded: number } {
  return embeddingCoverage(call.ws.db, embedder.id);
}
