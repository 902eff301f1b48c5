// Persistence of search chunks, their full-text rows and their vectors (by content hash).
import type { Db } from './db.js';
import { stmt } from './statements.js';

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

export interface ChunkRow {
  id: number;
  kind: ChunkKind;
  owner_id: string;
  ordinal: number;
  heading: string;
  body: string;
  hash: string;
  start_line: number | null;
  end_line: number | null;
}

/** Replaces every chunk of an owner (document, task, plan) and its full-text rows. */
export function replaceChunks(db: Db, kind: ChunkKind, ownerId: string, chunks: NewChunk[]): void {
  stmt(db, 'DELETE FROM chunks WHERE owner_id = ?').run(ownerId); // the trigger removes the FTS rows
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

export function chunkHashes(db: Db, ownerId: string): string[] {
  return (stmt(db, 'SELECT hash FROM chunks WHERE owner_id = ? ORDER BY ordinal').all(ownerId) as { hash: string }[]).map((r) => r.hash);
}

export function hasEmbedding(db: Db, hash: string, embedder: string): boolean {
  return stmt(db, 'SELECT 1 FROM embeddings WHERE hash = ? AND embedder = ?').get(hash, embedder) !== undefined;
}

export function putEmbedding(db: Db, hash: string, embedder: string, vector: Float32Array): void {
  stmt(db, 'INSERT OR REPLACE INTO embeddings (hash, embedder, vector) VALUES (?, ?, ?)').run(
    hash,
    embedder,
    Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
  );
}

/** Hashes of chunks that still lack a vector from this embedder. */
export function missingEmbeddings(db: Db, embedder: string, limit: number): { hash: string; heading: string; body: string }[] {
  return stmt(
    db,
    `SELECT c.hash, MIN(c.heading) AS heading, MIN(c.body) AS body FROM chunks c
     WHERE NOT EXISTS (SELECT 1 FROM embeddings e WHERE e.hash = c.hash AND e.embedder = ?)
     GROUP BY c.hash LIMIT ?`,
  ).all(embedder, limit) as { hash: string; heading: string; body: string }[];
}

export function embeddingCoverage(db: Db, embedder: string): { chunks: number; embedded: number } {
  return stmt(
    db,
    `SELECT COUNT(*) AS chunks, SUM(EXISTS (SELECT 1 FROM embeddings e WHERE e.hash = c.hash AND e.embedder = ?)) AS embedded FROM chunks c`,
  ).get(embedder) as { chunks: number; embedded: number };
}
