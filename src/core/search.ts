// Hybrid search over documents, tasks and plans: FTS5 bm25 and vector similarity, each computed over
// the filtered candidates (so filters apply before the top-k cut). Fusion is by reciprocal rank at the
// level of what a result points to (a document, a task, a plan): each half ranks sources by their best
// chunk, and a source is represented by its best chunk. On the held-out Node.js docs this beat either
// half alone, where fusing chunk by chunk did not (npm run bench shows both).
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import type { Embedder } from '../search/embedder.js';
import { ftsQuery } from '../search/fts-text.js';
import { words } from '../search/tokenize.js';
import { coverage, fillInBackground } from './embeddings.js';
import { findFlow, findPlan } from './resolve.js';
import type { SearchInput } from './schemas/document.js';
import type { Ctx } from './workspace.js';

const RRF_K = 60;
const POOL = 200; // chunks taken from each half before grouping them by source
const SNIPPET = 240;

export interface SearchHit {
  score: number;
  kind: 'document' | 'task' | 'plan' | 'context';
  id: string;
  title: string;
  path?: string;
  heading?: string;
  lines?: [number, number];
  status?: string;
  snippet: string;
  matched: ('text' | 'vector')[];
}

export interface SearchResult {
  results: SearchHit[];
  mode: string;
  /** How far the vector half reaches: chunks that have a vector from the active embedder. */
  vectors?: { embedder: string; chunks: number; embedded: number; complete: boolean };
}

interface Filter {
  sql: string;
  params: Record<string, unknown>;
}

/** SQL over chunks `c` that keeps only the chunks the filters allow. */
function filterSql(ctx: Ctx, input: SearchInput): Filter {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (input.kind) {
    where.push('c.kind = @kind');
    params.kind = input.kind;
  }
  if (input.path) {
    where.push(`c.kind = 'document' AND c.owner_id IN (SELECT id FROM documents WHERE path GLOB @glob)`);
    params.glob = input.path;
  }
  if (input.plan_id) {
    params.plan = findPlan(ctx, input.plan_id).id;
    where.push(`c.owner_id IN (
      SELECT id FROM tasks WHERE plan_id = @plan UNION ALL SELECT @plan
      UNION ALL SELECT document_id FROM document_links WHERE target_id = @plan OR target_id IN (SELECT id FROM tasks WHERE plan_id = @plan))`);
  } else if (input.flow_id) {
    params.flow = findFlow(ctx, input.flow_id).id;
    where.push(`c.owner_id IN (
      SELECT id FROM tasks WHERE flow_id = @flow UNION ALL SELECT id FROM plans WHERE flow_id = @flow
      UNION ALL SELECT document_id FROM document_links WHERE target_id = @flow
        OR target_id IN (SELECT id FROM plans WHERE flow_id = @flow) OR target_id IN (SELECT id FROM tasks WHERE flow_id = @flow))`);
  }
  return { sql: where.length ? where.join(' AND ') : '1', params };
}

function textHalf(db: Db, match: string, f: Filter): number[] {
  return (
    stmt(
      db,
      `SELECT c.id FROM chunks_fts JOIN chunks c ON c.id = chunks_fts.rowid
       WHERE chunks_fts MATCH @match AND ${f.sql} ORDER BY bm25(chunks_fts, 3.0, 1.0) LIMIT @pool`,
    ).all({ ...f.params, match, pool: POOL }) as { id: number }[]
  ).map((r) => r.id);
}

function vectorHalf(db: Db, q: Float32Array, embedderId: string, f: Filter): number[] {
  const rows = stmt(
    db,
    `SELECT c.id, e.vector FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = @emb
     WHERE ${f.sql} AND length(e.vector) > 0`,
  ).all({ ...f.params, emb: embedderId }) as { id: number; vector: Buffer }[];
  const dim = q.length;
  const scored: { id: number; s: number }[] = [];
  for (const r of rows) {
    const v = new Float32Array(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength / 4);
    if (v.length !== dim) continue;
    let s = 0;
    for (let d = 0; d < dim; d++) s += q[d]! * v[d]!;
    scored.push({ id: r.id, s });
  }
  scored.sort((a, b) => b.s - a.s);
  return scored.slice(0, POOL).map((x) => x.id);
}

function snippet(body: string, query: string): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET) return flat;
  const lower = flat.toLowerCase();
  let at = -1;
  for (const w of words(query)) {
    at = lower.indexOf(w);
    if (at >= 0) break;
  }
  const start = Math.max(0, Math.min(at < 0 ? 0 : at - 60, flat.length - SNIPPET));
  return (start > 0 ? '…' : '') + flat.slice(start, start + SNIPPET) + (start + SNIPPET < flat.length ? '…' : '');
}

interface ChunkInfo {
  id: number;
  kind: SearchHit['kind'];
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

function ownerOf(db: Db, ids: number[]): Map<number, string> {
  const out = new Map<number, string>();
  const q = stmt(db, 'SELECT owner_id FROM chunks WHERE id = ?');
  for (const id of ids) out.set(id, (q.get(id) as { owner_id: string }).owner_id);
  return out;
}

function describe(db: Db, ids: number[]): Map<number, ChunkInfo> {
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

export interface SearchOptions {
  /** Which halves to run; only evaluations turn one off, to measure each alone. */
  halves?: 'both' | 'text' | 'vector';
}

export async function search(ctx: Ctx, input: SearchInput, embedder: Embedder | undefined, opts: SearchOptions = {}): Promise<SearchResult> {
  const db = ctx.ws.db;
  const k = input.k ?? 10;
  const halves = opts.halves ?? 'both';
  const f = filterSql(ctx, input);
  const match = halves !== 'vector' ? ftsQuery(input.query) : undefined;
  const text = match ? textHalf(db, match, f) : [];

  let vector: number[] = [];
  let vectorNote = '';
  if (embedder && halves !== 'text') {
    try {
      const filling = fillInBackground(ctx, embedder);
      if (embedder.local) await filling;
      else filling.catch(() => undefined); // reported through coverage; retried on the next search
      const [q] = await embedder.embed([input.query]);
      if (q) vector = vectorHalf(db, q, embedder.id, f);
      else vectorNote = 'the query has no words the vectors know';
    } catch (e) {
      vectorNote = `vector half failed: ${(e as Error).message}`;
    }
  }
  const cov = embedder ? coverage(ctx, embedder) : undefined;

  const owners = ownerOf(db, [...new Set([...text, ...vector])]);
  const fused = new Map<string, { score: number; best: number; bestRank: number; matched: Set<'text' | 'vector'> }>();
  const add = (ids: number[], half: 'text' | 'vector') => {
    const seen = new Set<string>();
    ids.forEach((id, chunkRank) => {
      const owner = owners.get(id)!;
      if (seen.has(owner)) return; // a source counts once per half, at its best chunk
      const rank = seen.size;
      seen.add(owner);
      const e = fused.get(owner) ?? { score: 0, best: id, bestRank: Infinity, matched: new Set() };
      e.score += 1 / (RRF_K + rank + 1);
      e.matched.add(half);
      if (chunkRank < e.bestRank) {
        e.best = id;
        e.bestRank = chunkRank;
      }
      fused.set(owner, e);
    });
  };
  add(text, 'text');
  add(vector, 'vector');
  const top = [...fused.values()].sort((a, b) => b.score - a.score).slice(0, k).map((e) => [e.best, e] as const);
  const info = describe(db, top.map(([id]) => id));
  const results: SearchHit[] = top.map(([id, e]) => {
    const c = info.get(id)!;
    const hit: SearchHit = {
      score: Math.round(e.score * 10000) / 10000,
      kind: c.kind,
      id: c.owner_id,
      title: c.doc_title ?? c.task_title ?? c.plan_title ?? c.heading,
      snippet: snippet(c.body, input.query),
      matched: [...e.matched],
    };
    if (c.doc_path) {
      hit.path = c.doc_path;
      if (c.heading) hit.heading = c.heading;
      if (c.start_line !== null && c.end_line !== null) hit.lines = [c.start_line, c.end_line];
    }
    if (c.task_status) hit.status = c.task_status;
    return hit;
  });
  const mode = embedder && !vectorNote ? `hybrid fts5+${embedder.label}` : `fts5 only${vectorNote ? ` (${vectorNote})` : ' (no embedder configured)'}`;
  const out: SearchResult = { results, mode };
  if (embedder && cov) out.vectors = { embedder: embedder.id, chunks: cov.chunks, embedded: cov.embedded, complete: cov.embedded >= cov.chunks };
  return out;
}
