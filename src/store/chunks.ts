// Persistence of search chunks, their full-text rows and their vectors (by content hash).
import type { Db } from './db.js';
import { stmt } from './statements.js';
import { signBits } from './sign-bits.js';
import { chunksVersion, lastChunkId } from './fts-tokens.js';

export type ChunkKind = 'document' | 'task' | 'plan' | 'context';

export interface NewChunk {
  heading: string;
  body: string;
  hash: string;
  /** The text as the full-text index should see it (Korean split into grams). */
  ftsHeading: string;
  ftsBody: string;
  startLine?: number;
  endLine?: number;
}


/** Replaces every chunk of an owner (document, task, plan) and its full-text rows. */
export function replaceChunks(db: Db, kind: ChunkKind, ownerId: string, chunks: NewChunk[]): void {
  stmt(db, 'DELETE FROM chunks WHERE owner_id = ?').run(ownerId); // the trigger removes the FTS rows
  addChunks(db, kind, ownerId, chunks);
}

/** Chunks of an owner that has none yet (a new task or plan): no delete to look for. */
export function addChunks(db: Db, kind: ChunkKind, ownerId: string, chunks: NewChunk[]): void {
  const ins = stmt(
    db,
    'INSERT INTO chunks (kind, owner_id, ordinal, heading, body, hash, start_line, end_line) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const fts = stmt(db, 'INSERT INTO chunks_fts (rowid, heading, body) VALUES (?, ?, ?)');
  chunks.forEach((c, i) => {
    const id = ins.run(kind, ownerId, i, c.heading, c.body, c.hash, c.startLine ?? null, c.endLine ?? null).lastInsertRowid;
    fts.run(id, c.ftsHeading, c.ftsBody);
  });
}

export function hasEmbedding(db: Db, hash: string, embedder: string): boolean {
  return stmt(db, 'SELECT 1 FROM embeddings WHERE hash = ? AND embedder = ?').get(hash, embedder) !== undefined;
}

/** Stores a vector and its sign bits; an existing one for the same text and embedder is kept (two writers, same answer). */
export function putEmbedding(db: Db, hash: string, embedder: string, vector: Float32Array): void {
  const words = new Uint32Array(Math.ceil(vector.length / 32));
  signBits(vector, words.length, words, 0);
  const bits = Buffer.alloc(words.length * 4);
  words.forEach((w, i) => bits.writeUInt32LE(w, i * 4)); // little-endian on disk, whatever the machine
  const added = stmt(db, 'INSERT INTO embeddings (hash, embedder, vector) VALUES (?, ?, ?) ON CONFLICT (hash, embedder) DO NOTHING').run(
    hash,
    embedder,
    Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
  );
  if (added.changes) stmt(db, 'INSERT INTO embedding_bits (id, bits) VALUES (?, ?)').run(added.lastInsertRowid, bits);
}

export function vectorProgress(db: Db, embedder: string): number {
  return (stmt(db, 'SELECT upto FROM vector_progress WHERE embedder = ?').get(embedder) as { upto: number } | undefined)?.upto ?? 0;
}

/**
 * Removes up to `limit` vectors of an embedder that will never answer again (an older version of the
 * shipped vectors), with their sign bits (cascade), walking by id from `afterId` so that each batch
 * reads on from where the last stopped (no index leads with the embedder). Its watermark goes with the
 * last batch. Returns the last id looked at, or undefined when none are left.
 */
export function forgetEmbedder(db: Db, embedder: string, afterId: number, limit: number): number | undefined {
  const ids = stmt(db, 'SELECT id FROM embeddings WHERE embedder = ? AND id > ? ORDER BY id LIMIT ?').pluck().all(embedder, afterId, limit) as number[];
  if (ids.length) stmt(db, 'DELETE FROM embeddings WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(ids));
  if (ids.length < limit) {
    stmt(db, 'DELETE FROM vector_progress WHERE embedder = ?').run(embedder);
    return undefined;
  }
  return ids[ids.length - 1];
}

/**
 * Whether anything of an embedder is stored. Its watermark is written with every batch of its vectors
 * and removed with the last of them (forgetEmbedder), so the watermark alone answers, by primary key,
 * where the embeddings table (indexed by hash first) would be scanned.
 */
export function embedderStored(db: Db, embedder: string): boolean {
  return stmt(db, 'SELECT 1 FROM vector_progress WHERE embedder = ?').get(embedder) !== undefined;
}

/** Moves the watermark forward (never back, whichever process gets there first). */
export function advanceVectorProgress(db: Db, embedder: string, upto: number): void {
  stmt(
    db,
    'INSERT INTO vector_progress (embedder, upto) VALUES (?, ?) ON CONFLICT (embedder) DO UPDATE SET upto = MAX(upto, excluded.upto)',
  ).run(embedder, upto);
}

/** Chunks past the watermark, in id order. */
/** What a chunk belongs to (the chunks table's kind column). */
export type ChunkOwnerKind = 'document' | 'task' | 'plan' | 'context';

export function chunksAfter(db: Db, id: number, limit: number): { id: number; kind: ChunkOwnerKind; hash: string; heading: string; body: string }[] {
  return stmt(db, 'SELECT id, kind, hash, heading, body FROM chunks WHERE id > ? ORDER BY id LIMIT ?').all(id, limit) as {
    id: number;
    kind: ChunkOwnerKind;
    hash: string;
    heading: string;
    body: string;
  }[];
}

/** Chunks in all, and how many of them lie at or below the watermark (have their vector). */
export function embeddingCoverage(db: Db, embedder: string): { chunks: number; embedded: number } {
  const upto = vectorProgress(db, embedder);
  const chunks = chunkCount(db);
  // The side of the watermark with fewer ids is counted (a range of the rowid): past it, once vectors are
  // caught up; before it, while a big import's are still being made (counting 1.1M pending chunks took
  // ~0.1–0.3 s of a search).
  if (upto >= lastChunkId(db) / 2) return { chunks, embedded: chunks - (stmt(db, 'SELECT COUNT(*) FROM chunks WHERE id > ?').pluck().get(upto) as number) };
  return { chunks, embedded: stmt(db, 'SELECT COUNT(*) FROM chunks WHERE id <= ?').pluck().get(upto) as number };
}

const counted = new WeakMap<Db, { sig: string; n: number }>();

/**
 * How many chunks there are, counted again only when chunks came or went (chunksVersion): every search
 * reports it, and counting 1.1M chunks (an import of 1M tasks) took ~15 ms a search.
 */
function chunkCount(db: Db): number {
  const sig = chunksVersion(db);
  const c = counted.get(db);
  if (sig !== undefined && c?.sig === sig) return c.n;
  const n = stmt(db, 'SELECT COUNT(*) FROM chunks').pluck().get() as number;
  if (sig !== undefined) counted.set(db, { sig, n });
  return n;
}

/**
 * Whether an owner's search entries are whole: it has chunks, and each chunk has its full-text row.
 * (Every owner is written with at least one chunk — an empty or heading-only document gets its title
 * as one — so "no chunks" always means the entries were lost, never "nothing to index".)
 * (Vectors need no check here: they are found by the chunk's text hash, and new chunks lie past every
 * embedder's watermark, so the background fill gives them theirs.)
 */
export function chunksComplete(db: Db, ownerId: string): boolean {
  const r = stmt(
    db,
    `SELECT COUNT(*) AS n, SUM(NOT EXISTS (SELECT 1 FROM chunks_fts f WHERE f.rowid = c.id)) AS missing FROM chunks c WHERE c.owner_id = ?`,
  ).get(ownerId) as { n: number; missing: number | null };
  return r.n > 0 && !r.missing;
}

/** Documents with no chunks at all: their search entries were lost. */
function documentsWithoutChunks(db: Db): string[] {
  return stmt(db, `SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM chunks c WHERE c.kind = 'document' AND c.owner_id = d.id)`)
    .pluck()
    .all() as string[];
}

/**
 * The document id ending a slice of about `n` document chunks after `after` ('' from the first), or
 * undefined when none are left: the next slice of documentsMissingText, walked through the kind index.
 */
function documentChunkSliceEnd(db: Db, after: string, n: number): string | undefined {
  const end = stmt(db, `SELECT owner_id FROM chunks WHERE kind = 'document' AND owner_id > ? ORDER BY owner_id LIMIT 1 OFFSET ?`).pluck().get(after, n - 1) as
    | string
    | undefined;
  return end ?? ((stmt(db, `SELECT MAX(owner_id) FROM chunks WHERE kind = 'document' AND owner_id > ?`).pluck().get(after) as string | null) ?? undefined);
}

/**
 * Documents in (after, upTo] with a chunk that has no full-text row. The row is looked up in FTS5's
 * docsize table (one row per indexed row, by rowid; deletes take it out), the chunks through their kind
 * index.
 */
function documentsMissingText(db: Db, after: string, upTo: string): string[] {
  return stmt(
    db,
    `SELECT DISTINCT c.owner_id FROM chunks c WHERE c.kind = 'document' AND c.owner_id > ? AND c.owner_id <= ?
       AND NOT EXISTS (SELECT 1 FROM chunks_fts_docsize f WHERE f.id = c.id)`,
  )
    .pluck()
    .all(after, upTo) as string[];
}

/**
 * Documents whose search entries are not whole (no chunks, or chunks without their full-text rows),
 * `slice` document chunks checked per step (yield): at 100k chunks, checking all at once held a turn
 * ~30 ms in every check for edited files (asking chunks_fts for each rowid, ~35–65 ms); 8k a step ~3 ms.
 */
export function* documentsWithIncompleteChunks(db: Db, slice = 8192): Generator<void, Set<string>, void> {
  const found = new Set(documentsWithoutChunks(db));
  for (let after = ''; ; ) {
    yield;
    const end = documentChunkSliceEnd(db, after, slice);
    if (end === undefined) return found;
    for (const id of documentsMissingText(db, after, end)) found.add(id);
    after = end;
  }
}
