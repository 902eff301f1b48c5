// The search filters (kind, path glob, plan, flow) as a condition on chunks `c`, applied inside each
// half's query so they act before any top-k cut. Knows which tables say what belongs to a plan or flow
// (tasks, plans, document links, context entries).
import type { Db } from './db.js';
import { compileGlob, type Glob } from '../search/glob.js';

/** Which chunks a search may return; ids already resolved and checked by the caller. */
export interface ChunkFilter {
  kind?: string;
  pathGlob?: string;
  planId?: string;
  flowId?: string;
}

export interface FilterSql {
  /** A condition on `c` (chunks); '1' when nothing is filtered. */
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

/** The filter as SQL over chunks `c`. The text depends only on which filters are set, so statements stay cached. */
export function filterSql(db: Db, filter: ChunkFilter): FilterSql {
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
