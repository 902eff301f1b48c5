// The SQL side of search: each half's candidates (full text, vectors) with the filters applied inside
// the query, so they act before any top-k cut, and what each chunk belongs to.
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { vectorIndexFor } from './vector-index.js';

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

/** SQL over chunks `c` that keeps only the chunks the filter allows (applied inside each half's query). */
function filterSql(filter: SearchFilter): Filter {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.kind) {
    where.push('c.kind = @kind');
    params.kind = filter.kind;
  }
  if (filter.pathGlob) {
    where.push(`c.kind = 'document' AND c.owner_id IN (SELECT id FROM documents WHERE path GLOB @glob)`);
    params.glob = filter.pathGlob;
  }
  if (filter.planId) {
    params.plan = filter.planId;
    where.push(`c.owner_id IN (
      SELECT id FROM tasks WHERE plan_id = @plan UNION ALL SELECT @plan
      UNION ALL SELECT document_id FROM document_links WHERE target_id = @plan OR target_id IN (SELECT id FROM tasks WHERE plan_id = @plan))`);
  } else if (filter.flowId) {
    params.flow = filter.flowId;
    where.push(`c.owner_id IN (
      SELECT id FROM tasks WHERE flow_id = @flow UNION ALL SELECT id FROM plans WHERE flow_id = @flow
      UNION ALL SELECT document_id FROM document_links WHERE target_id = @flow
        OR target_id IN (SELECT id FROM plans WHERE flow_id = @flow) OR target_id IN (SELECT id FROM tasks WHERE flow_id = @flow))`);
  }
  return { sql: where.length ? where.join(' AND ') : '1', params };
}

/** Chunk ids best first by bm25 (headings weigh more than body text). */
export function textHalf(db: Db, match: string, filter: SearchFilter): number[] {
  const f = filterSql(filter);
  return (
    stmt(
      db,
      `SELECT c.id FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
       WHERE chunks_fts MATCH @match AND ${f.sql} ORDER BY bm25(chunks_fts, 3.0, 1.0) LIMIT @pool`,
    ).all({ ...f.params, match, pool: TEXT_POOL }) as { id: number }[]
  ).map((r) => r.id);
}

/** Up to this many stored numbers (vectors × dimensions) an exact scan is fast enough (~20 ms). */
export const EXACT_SCAN_BUDGET = 2_000_000;
/**
 * The vector half hands fusion its best VECTOR_POOL chunks: past rank ~100 a reciprocal-rank term is
 * too small to change a top-10, and re-scoring is the costly part of the vector half.
 */
const VECTOR_POOL = 100;
/** Candidates the sign-bit prefilter passes on for exact re-scoring: few bits need a wider net. */
const prefilterSize = (dim: number) => (dim >= 256 ? 4 * VECTOR_POOL : 10 * VECTOR_POOL);

function dot(q: Float32Array, buf: Buffer): number {
  const v = new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4);
  let s = 0;
  for (let d = 0; d < q.length; d++) s += q[d]! * v[d]!;
  return s;
}

function exactScan(db: Db, q: Float32Array, embedderId: string, f: Filter, onlyIds?: number[]): number[] {
  const rows = (
    onlyIds
      ? db.prepare(
          `SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = @emb
           WHERE c.id IN (${onlyIds.map((x) => Math.trunc(x)).join(',') || 'NULL'}) AND ${f.sql}`,
        )
      : stmt(db, `SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = @emb WHERE ${f.sql} AND length(e.vector) > 0`)
  ).all({ ...f.params, emb: embedderId }) as { id: number; vector: Buffer }[];
  const scored: { id: number; s: number }[] = [];
  for (const r of rows) if (r.vector.byteLength === q.length * 4) scored.push({ id: r.id, s: dot(q, r.vector) });
  scored.sort((a, b) => b.s - a.s);
  return scored.slice(0, VECTOR_POOL).map((x) => x.id);
}

/**
 * Chunk ids best first by cosine similarity to q, among the filtered chunks. Small sets are scanned
 * exactly; large ones go through the in-memory sign-bit prefilter and exact re-scoring, falling back
 * to an exact scan when a selective filter leaves too few of the prefiltered candidates.
 */
export function vectorHalf(db: Db, q: Float32Array, embedderId: string, filter: SearchFilter): number[] {
  const f = filterSql(filter);
  const index = vectorIndexFor(db, embedderId, q.length);
  if (index.size * q.length <= EXACT_SCAN_BUDGET) return exactScan(db, q, embedderId, f);
  const ranked = exactScan(db, q, embedderId, f, index.candidates(q, prefilterSize(q.length)));
  if (ranked.length >= VECTOR_POOL) return ranked;
  const filtered = (stmt(db, `SELECT COUNT(*) AS n FROM chunks c WHERE ${f.sql}`).get(f.params) as { n: number }).n;
  return filtered > ranked.length ? exactScan(db, q, embedderId, f) : ranked;
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
}

export function ownerOf(db: Db, ids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  const q = stmt(db, 'SELECT owner_id FROM chunks WHERE id = ?');
  for (const id of ids) out.set(id, (q.get(id) as { owner_id: string }).owner_id);
  return out;
}

export function describeChunks(db: Db, ids: number[]): Map<number, ChunkInfo> {
  if (ids.length === 0) return new Map();
  const rows = db
    .prepare(
      `SELECT c.id, c.kind, c.owner_id, c.heading, c.body, c.start_line, c.end_line,
              d.path AS doc_path, d.title AS doc_title, t.title AS task_title, t.status AS task_status, p.title AS plan_title
       FROM chunks c LEFT JOIN documents d ON d.id = c.owner_id LEFT JOIN tasks t ON t.id = c.owner_id LEFT JOIN plans p ON p.id = c.owner_id
       WHERE c.id IN (${ids.map(() => '?').join(',')})`,
    )
    .all(...ids) as ChunkInfo[];
  return new Map(rows.map((r) => [r.id, r]));
}
