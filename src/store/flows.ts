// Persistence of flows.
import type { Db } from './db.js';
import { stmt } from './statements.js';

export interface FlowRow {
  id: string;
  name: string;
  description: string;
  status: 'active' | 'archived';
  legacy_id: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

export function getFlow(db: Db, id: string): FlowRow | undefined {
  return stmt(db, 'SELECT * FROM flows WHERE id = ?').get(id) as FlowRow | undefined;
}

export function getFlowByLegacyId(db: Db, legacyId: string): FlowRow | undefined {
  return stmt(db, 'SELECT * FROM flows WHERE legacy_id = ?').get(legacyId) as FlowRow | undefined;
}

export function insertFlow(db: Db, row: FlowRow): void {
  stmt(
    db,
    `INSERT INTO flows (id, name, description, status, legacy_id, created_at, updated_at, revision)
     VALUES (@id, @name, @description, @status, @legacy_id, @created_at, @updated_at, @revision)`,
  ).run(row);
}

export function deleteFlow(db: Db, id: string): void {
  stmt(db, 'DELETE FROM flows WHERE id = ?').run(id);
}

export interface FlowPageKey {
  created_at: string;
  id: string;
}

/**
 * Newest first; keyset paging on (created_at, id) so pages stay stable while rows are added. The SQL is
 * its own function so a test can ask SQLite how it reads it: through an index in this order, never a sort
 * of every flow (flows_by_created, flows_by_status).
 */
export function flowListQuery(opts: { status?: string; after?: FlowPageKey; limit: number }): { sql: string; params: Record<string, unknown> } {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: opts.limit };
  if (opts.status) {
    where.push('status = @status');
    params.status = opts.status;
  }
  if (opts.after) {
    where.push('(created_at, id) < (@ac, @aid)');
    params.ac = opts.after.created_at;
    params.aid = opts.after.id;
  }
  const sql = `SELECT * FROM flows ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
               ORDER BY created_at DESC, id DESC LIMIT @limit`;
  return { sql, params };
}

export function listFlows(db: Db, opts: { status?: string; after?: FlowPageKey; limit: number }): FlowRow[] {
  const { sql, params } = flowListQuery(opts);
  return stmt(db, sql).all(params) as FlowRow[];
}

/** The fields `flow update` (and archive) edit; a field left out keeps its value. Bumps the revision with them. */
export function updateFlowFields(db: Db, id: string, edit: { name?: string; description?: string; status?: FlowRow['status'] }, now: string): void {
  stmt(
    db,
    `UPDATE flows SET name = COALESCE(@name, name), description = COALESCE(@description, description),
       status = COALESCE(@status, status), updated_at = @now, revision = revision + 1 WHERE id = @id`,
  ).run({ name: edit.name ?? null, description: edit.description ?? null, status: edit.status ?? null, now, id });
}
