// The search filters (kind, path glob, plan, flow) as a condition on chunks `c`, applied inside each
// half's query so they act before any top-k cut. Knows which tables say what belongs to a plan or flow
// (tasks, plans, document links, context entries).
import type { Db } from './db.js';

/** A compiled path glob (search/glob.ts makes them): store only asks it, so it needs no glob code of its own. */
export interface PathMatcher {
  source: string;
  match(path: string): boolean;
}

/** Which chunks a search may return; ids already resolved and checked by the caller. */
export interface ChunkFilter {
  kind?: string;
  path?: PathMatcher;
  planId?: string;
  flowId?: string;
}

export interface FilterSql {
  /** A condition on `c` (chunks); '1' when nothing is filtered. */
  sql: string;
  params: Record<string, unknown>;
}

// The path filter speaks the same glob language as `document index`, matched by the same linear-time
// matcher the caller compiled (SQLite's own GLOB has other rules: its * crosses folders, [...] is a
// class). The SQL function is registered on each connection once and looks the matcher up by its
// source text; the few most recent matchers are kept.
const KEPT_MATCHERS = 32;
const matchers = new WeakMap<Db, Map<string, PathMatcher>>();
function useMatcher(db: Db, m: PathMatcher): void {
  let known = matchers.get(db);
  if (!known) {
    const mine = new Map<string, PathMatcher>();
    matchers.set(db, mine);
    db.function('flow_glob', { deterministic: true }, (pattern: unknown, path: unknown) =>
      typeof pattern === 'string' && typeof path === 'string' && mine.get(pattern)?.match(path) ? 1 : 0,
    );
    known = mine;
  }
  // Stryker disable next-line BooleanLiteral: only bounds memory; no query sees which matchers are kept (one dropped is registered again by its next filterSql, before its statement runs)
  if (known.size >= KEPT_MATCHERS && !known.has(m.source)) known.delete(known.keys().next().value!);
  known.set(m.source, m);
}

/** The filter as SQL over chunks `c`. The text depends only on which filters are set, so statements stay cached. */
export function filterSql(db: Db, filter: ChunkFilter): FilterSql {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.kind) {
    where.push('c.kind = @kind');
    params.kind = filter.kind;
  }
  if (filter.path) {
    useMatcher(db, filter.path);
    where.push(`c.kind = 'document' AND c.owner_id IN (SELECT id FROM documents WHERE flow_glob(@glob, path))`);
    params.glob = filter.path.source;
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
