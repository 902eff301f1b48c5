// The SQL side of search: each half's candidates (full text, vectors) with the filters applied inside
// the query, so they act before any top-k cut, and what each chunk belongs to.
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { dots } from './dots.js';
import { compileGlob, type Glob } from './glob.js';
import { vectorIndexFor, type Candidate, type VectorIndex } from './vector-index.js';

const TEXT_POOL = 200; // chunks the text half hands to fusion (grouped by source there)

/** Which chunks a search may return; ids already resolved and checked by the caller. */
export interface SearchFilter {
  kind?: string;
  pathGlob?: string;
  planId?: string;
  flowId?: string;
}

interface Filter {
  sql: string;
  params: Record<string, unknown>;
}

// The path filter speaks the same glob language as `document index`, matched by the same linear-time
// matcher (SQLite's own GLOB has other rules: its * crosses folders, [...] is a class). Registered on
// each connection once; the compiled glob is kept for the statement's rows.
const globReady = new WeakSet<Db>();
function useGlob(db: Db): void {
  if (globReady.has(db)) return;
  let last: Glob | undefined;
  db.function('flow_glob', { deterministic: true }, (pattern: unknown, path: unknown) => {
    if (typeof pattern !== 'string' || typeof path !== 'string') return 0;
    if (last?.source !== pattern) last = compileGlob(pattern, 'path filter');
    return last.match(path) ? 1 : 0;
  });
  globReady.add(db);
}

/** SQL over chunks `c` that keeps only the chunks the filter allows (applied inside each half's query). */
function filterSql(db: Db, filter: SearchFilter): Filter {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.kind) {
    where.push('c.kind = @kind');
    params.kind = filter.kind;
  }
  if (filter.pathGlob) {
    useGlob(db);
    where.push(`c.kind = 'document' AND c.owner_id IN (SELECT id FROM documents WHERE flow_glob(@glob, path))`);
    params.glob = filter.pathGlob;
  }
  if (filter.planId) {
    params.plan = filter.planId;
    where.push(`c.owner_id IN (
      SELECT id FROM tasks WHERE plan_id = @plan UNION ALL SELECT @plan
      UNION ALL SELECT document_id FROM document_links WHERE target_id = @plan OR target_id IN (SELECT id FROM tasks WHERE plan_id = @plan)
      UNION ALL SELECT id FROM context_entries WHERE plan_id = @plan OR task_id IN (SELECT id FROM tasks WHERE plan_id = @plan))`);
  } else if (filter.flowId) {
    params.flow = filter.flowId;
    where.push(`c.owner_id IN (
      SELECT id FROM tasks WHERE flow_id = @flow UNION ALL SELECT id FROM plans WHERE flow_id = @flow
      UNION ALL SELECT document_id FROM document_links WHERE target_id = @flow
        OR target_id IN (SELECT id FROM plans WHERE flow_id = @flow) OR target_id IN (SELECT id FROM tasks WHERE flow_id = @flow)
      UNION ALL SELECT id FROM context_entries WHERE flow_id = @flow)`);
  }
  return { sql: where.length ? where.join(' AND ') : '1', params };
}

/** Chunk ids best first by bm25 (headings weigh more than body text). */
export function textHalf(db: Db, match: string, filter: SearchFilter): number[] {
  const f = filterSql(db, filter);
  // Unfiltered, the join to chunks is skipped: it costs a lookup for every matching row, not just the pool.
  const sql =
    f.sql === '1'
      ? 'SELECT rowid FROM chunks_fts WHERE chunks_fts MATCH @match ORDER BY bm25(chunks_fts, 3.0, 1.0) LIMIT @pool'
      : `SELECT c.id FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
         WHERE chunks_fts MATCH @match AND ${f.sql} ORDER BY bm25(chunks_fts, 3.0, 1.0) LIMIT @pool`;
  return stmt(db, sql)
    .pluck()
    .all({ ...f.params, match, pool: TEXT_POOL }) as number[];
}

/** Up to this many stored numbers (vectors × dimensions) an exact scan is fast enough (~20 ms). */
export const EXACT_SCAN_BUDGET = 2_000_000;
/**
 * The vector half hands fusion its best VECTOR_POOL chunks: past rank ~100 a reciprocal-rank term is
 * too small to change a top-10, and re-scoring is the costly part of the vector half.
 */
const VECTOR_POOL = 100;
/**
 * Candidates the sign-bit prefilter passes on for exact re-scoring. Few bits need a wide net; with
 * many bits the net widens with the set, as more near-ties crowd the top (synthetic clustered vectors,
 * recall@10: 200 candidates gave 1.00 at 10k × 1536 but 0.81 at 100k, where 400 gave 0.99).
 */
const prefilterSize = (dim: number, n: number) =>
  dim >= 256 ? Math.max(2 * VECTOR_POOL, Math.min(10 * VECTOR_POOL, Math.ceil(n / 250))) : 10 * VECTOR_POOL;

type Scored = { id: number; s: number };

function top(scored: Scored[]): Scored[] {
  return scored.sort((a, b) => b.s - a.s).slice(0, VECTOR_POOL);
}

function best(scored: Scored[]): number[] {
  return top(scored).map((x) => x.id);
}

const SCAN_BATCH = 1024;

/** Every allowed vector scored, a batch at a time so memory stays bounded however many there are. */
function exactScan(db: Db, q: Float32Array, embedderId: string, f: Filter): number[] {
  const rows = stmt(
    db,
    `SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = @emb WHERE ${f.sql} AND length(e.vector) = @bytes`,
  ).iterate({ ...f.params, emb: embedderId, bytes: q.length * 4 }) as Iterable<{ id: number; vector: Buffer }>;
  let scored: Scored[] = [];
  let batch: { id: number; vector: Buffer }[] = [];
  const flush = () => {
    const s = dots(q, batch.map((r) => r.vector));
    batch.forEach((r, i) => scored.push({ id: r.id, s: s[i]! }));
    batch = [];
    if (scored.length > 4 * VECTOR_POOL) scored = top(scored);
  };
  for (const r of rows) if (batch.push(r) === SCAN_BATCH) flush();
  flush();
  return best(scored);
}

/**
 * Exact scores for the prefilter's candidates that still exist and pass the filter. Vectors are read
 * by their embeddings row id (a join through the chunks' hashes measured twice as slow).
 */
function rescore(db: Db, q: Float32Array, index: VectorIndex, cands: Candidate[], f: Filter, filtered: boolean): number[] {
  const live = new Set(
    stmt(db, `SELECT c.id FROM chunks c WHERE c.id IN (SELECT value FROM json_each(@ids)) AND ${f.sql}`)
      .pluck()
      .all({ ...f.params, ids: JSON.stringify(cands.map((c) => c.chunk)) }) as number[],
  );
  // Chunks replaced since the index loaded stay in it until it reloads: reload once they are many.
  if (!filtered && live.size < cands.length * 0.9) index.reset();
  const chunksOf = new Map<number, number[]>();
  for (const c of cands) if (live.has(c.chunk)) (chunksOf.get(c.embedding) ?? chunksOf.set(c.embedding, []).get(c.embedding)!).push(c.chunk);
  // A literal id list (integers from the index): json_each here measured 1.5× slower than preparing.
  const rows = db.prepare(`SELECT id, vector FROM embeddings WHERE id IN (${[...chunksOf.keys()].join(',') || 'NULL'})`).all() as {
    id: number;
    vector: Buffer;
  }[];
  const s = dots(q, rows.map((r) => r.vector));
  const scored: Scored[] = [];
  rows.forEach((r, i) => {
    if (!Number.isNaN(s[i])) for (const id of chunksOf.get(r.id)!) scored.push({ id, s: s[i]! });
  });
  return best(scored);
}

/**
 * Chunk ids best first by cosine similarity to q, among the filtered chunks. Small sets are scanned
 * exactly; large ones go through the in-memory sign-bit prefilter and exact re-scoring, falling back
 * to an exact scan when a selective filter leaves too few of the prefiltered candidates.
 */
export function vectorHalf(db: Db, q: Float32Array, embedderId: string, filter: SearchFilter): number[] {
  const f = filterSql(db, filter);
  const index = vectorIndexFor(db, embedderId, q.length);
  if (index.size * q.length <= EXACT_SCAN_BUDGET) return exactScan(db, q, embedderId, f);
  const filtered = f.sql !== '1';
  const ranked = rescore(db, q, index, index.candidates(q, prefilterSize(q.length, index.size)), f, filtered);
  if (ranked.length >= VECTOR_POOL) return ranked;
  const allowed = (stmt(db, `SELECT COUNT(*) AS n FROM chunks c WHERE ${f.sql}`).get(f.params) as { n: number }).n;
  return allowed > ranked.length ? exactScan(db, q, embedderId, f) : ranked;
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

/** What each chunk belongs to; chunks that no longer exist are left out. */
export function ownerOf(db: Db, ids: number[]): Map<number, string> {
  const rows = stmt(db, 'SELECT id, owner_id FROM chunks WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(ids)) as [number, string][];
  return new Map(rows);
}

export function describeChunks(db: Db, ids: number[]): Map<number, ChunkInfo> {
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
