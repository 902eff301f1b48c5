// The search index's queries: full-text matches, stored vectors and sign bits, which chunks are still
// there, and what each chunk belongs to. The ranking (fusion, scoring, the sign-bit screen) is search/'s;
// this file only reads. Every query over chunks takes the search filter (store/search-filter.ts), so
// filters act inside the query, before any top-k cut. Rows come back as plain values; vectors as the
// stored little-endian float32 bytes, which the scorer reads without copying.
import type { Db } from './db.js';
import { filterSql, type ChunkFilter } from './search-filter.js';
import { stmt } from './statements.js';

export type { ChunkFilter } from './search-filter.js';

/** A chunk and its score from one half of search (bigger is better). */
export interface ScoredChunk {
  id: number;
  s: number;
}

/**
 * Chunks matching the FTS5 expression, best first (ties by id: the same order from one run to the next,
 * and the kept text index's), with their bm25 score negated (bigger is better).
 */
export function textMatches(db: Db, match: string, filter: ChunkFilter, limit: number): ScoredChunk[] {
  const f = filterSql(db, filter);
  // Unfiltered, the join to chunks is skipped: it costs a lookup for every matching row, not just the pool.
  const sql =
    // Stryker disable next-line ConditionalExpression,StringLiteral: unfiltered, the join form gives the same rows (every FTS row has its chunk: chunks_fts_delete keeps it so); the other only skips the join
    f.sql === '1'
      ? 'SELECT rowid AS id, -bm25(chunks_fts, 3.0, 1.0) AS s FROM chunks_fts WHERE chunks_fts MATCH @match ORDER BY s DESC, id LIMIT @pool'
      : `SELECT c.id AS id, -bm25(chunks_fts, 3.0, 1.0) AS s FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
         WHERE chunks_fts MATCH @match AND ${f.sql} ORDER BY s DESC, id LIMIT @pool`;
  return stmt(db, sql).all({ ...f.params, match, pool: limit }) as ScoredChunk[];
}

export interface ChunkVector {
  id: number;
  vector: Buffer;
}

/**
 * Every allowed chunk's vector from this embedder (of `bytes` bytes: another dimension is another
 * embedder's), streamed: the caller scores them a batch at a time, so memory stays bounded.
 */
export function chunkVectors(db: Db, embedderId: string, bytes: number, filter: ChunkFilter): Iterable<ChunkVector> {
  const f = filterSql(db, filter);
  return stmt(
    db,
    `SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = @emb WHERE ${f.sql} AND length(e.vector) = @bytes`,
  ).iterate({ ...f.params, emb: embedderId, bytes }) as Iterable<ChunkVector>;
}

/**
 * The `limit` allowed chunks nearest to q by cosine similarity (s = 1 - cosine distance), computed by
 * sqlite-vec inside SQLite (store/vec-extension.ts must have loaded it): no vector leaves the database.
 * Only this embedder's blobs of q's size are compared (another size is another embedder's, and
 * sqlite-vec refuses to compare them); a damaged vector whose score is not a number is left out.
 */
export function nearestChunks(db: Db, q: Float32Array, embedderId: string, filter: ChunkFilter, limit: number): ScoredChunk[] {
  const f = filterSql(db, filter);
  return stmt(
    db,
    `SELECT id, s FROM (
       SELECT c.id AS id, 1 - vec_distance_cosine(e.vector, @q) AS s FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = @emb
       WHERE ${f.sql} AND typeof(e.vector) = 'blob' AND length(e.vector) = @bytes)
     WHERE s IS NOT NULL ORDER BY s DESC, id LIMIT @pool`,
  ).all({ ...f.params, emb: embedderId, bytes: q.byteLength, q: Buffer.from(q.buffer, q.byteOffset, q.byteLength), pool: limit }) as ScoredChunk[];
}

/** Which of these chunks still exist and pass the filter. */
export function chunksStillAllowed(db: Db, ids: number[], filter: ChunkFilter): number[] {
  const f = filterSql(db, filter);
  // The ids lead (CROSS JOIN keeps that order), each found by its rowid: with the IN form SQLite walked the
  // kind's index instead, every task's chunk for a kind filter (~68 ms at 1M tasks, ~1.7 ms this way).
  return stmt(db, `SELECT c.id FROM json_each(@ids) j CROSS JOIN chunks c ON c.id = j.value WHERE ${f.sql}`)
    .pluck()
    .all({ ...f.params, ids: JSON.stringify([...new Set(ids)]) }) as number[];
}

/**
 * The ids of the chunks the filter allows, when there are at most `cap` of them; undefined when there are
 * more (the caller then asks FTS5, which applies the filter itself).
 */
export function allowedChunkIds(db: Db, filter: ChunkFilter, cap: number): number[] | undefined {
  const f = filterSql(db, filter);
  const ids = stmt(db, `SELECT c.id FROM chunks c WHERE ${f.sql} LIMIT @cap`)
    .pluck()
    .all({ ...f.params, cap: cap + 1 }) as number[];
  return ids.length > cap ? undefined : ids;
}

/** How many chunks the filter allows. */
export function allowedChunkCount(db: Db, filter: ChunkFilter): number {
  const f = filterSql(db, filter);
  return (stmt(db, `SELECT COUNT(*) AS n FROM chunks c WHERE ${f.sql}`).get(f.params) as { n: number }).n;
}

/**
 * Vectors by embeddings row id (a join through the chunks' hashes measured twice as slow). The ids are
 * integers from the sign-bit index, written into the statement: json_each here measured 1.5× slower
 * than preparing, so this one statement is prepared per call on purpose (never cached: its text varies).
 */
export function vectorsByEmbeddingId(db: Db, ids: number[]): ChunkVector[] {
  return db.prepare(`SELECT id, vector FROM embeddings WHERE id IN (${ids.map((id) => Math.trunc(id)).join(',') || 'NULL'})`).all() as ChunkVector[];
}

/**
 * The sign bits (of `bytes` bytes each) of this embedder's vectors for chunks in (afterChunk, upToChunk],
 * in chunk order, as [chunk id, embeddings row id, bits, vector]: what the in-memory screen loads. The
 * vector (a float32 blob) only when asked for: the screen keeps a compact copy of small sets' vectors.
 */
export function chunkSignBits(db: Db, embedderId: string, afterChunk: number, upToChunk: number, bytes: number, withVectors = false): Iterable<[number, number, Buffer, Buffer?]> {
  // Only the sign bits are read (1/32 of the vectors) unless asked: 100k × 1536 loads 19 MB, not 600 MB.
  return stmt(
    db,
    `SELECT c.id, e.id AS eid, b.bits${withVectors ? ', e.vector' : ''} FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = ?
     JOIN embedding_bits b ON b.id = e.id WHERE c.id > ? AND c.id <= ? AND length(b.bits) = ? ORDER BY c.id`,
  )
    .raw()
    .iterate(embedderId, afterChunk, upToChunk, bytes) as Iterable<[number, number, Buffer, Buffer?]>;
}

/** What each chunk belongs to; chunks that no longer exist are left out. */
export function chunkOwners(db: Db, ids: number[]): Map<number, string> {
  const rows = stmt(db, 'SELECT id, owner_id FROM chunks WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(ids)) as [number, string][];
  return new Map(rows);
}

export interface ChunkInfo {
  id: number;
  kind: 'document' | 'task' | 'plan' | 'context';
  owner_id: string;
  heading: string;
  body: string;
  start_line: number | null;
  end_line: number | null;
  doc_path: string | null;
  doc_title: string | null;
  task_title: string | null;
  task_status: string | null;
  plan_title: string | null;
  context_kind: string | null;
  context_state: string | null;
  context_flow: string | null;
}

/** Each chunk with what a search result shows of it and its owner (document, task, plan or context entry). */
export function describeChunks(db: Db, ids: number[]): Map<number, ChunkInfo> {
  // Stryker disable next-line ConditionalExpression: SQLite takes an empty IN () and returns no row, the same empty Map; this only skips preparing
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT c.id, c.kind, c.owner_id, c.heading, c.body, c.start_line, c.end_line,
              d.path AS doc_path, d.title AS doc_title, t.title AS task_title, t.status AS task_status, p.title AS plan_title,
              x.kind AS context_kind, x.state AS context_state, x.flow_id AS context_flow
       FROM chunks c LEFT JOIN documents d ON d.id = c.owner_id LEFT JOIN tasks t ON t.id = c.owner_id LEFT JOIN plans p ON p.id = c.owner_id
         LEFT JOIN context_entries x ON x.id = c.owner_id
       WHERE c.id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as ChunkInfo[];
  return new Map(rows.map((r) => [r.id, r]));
}
