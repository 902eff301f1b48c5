// The append-only event log: every mutation, who made it, and what changed (before → after).
import type { Db } from './db.js';
import { stmt } from './statements.js';

export interface EventInput {
  at: string;
  session_id: string;
  agent: string;
  action: string; // e.g. "task.set_status"
  entity: 'flow' | 'plan' | 'task' | 'document' | 'context' | 'snapshot' | 'command';
  entity_id: string;
  flow_id: string | null;
  summary: string;
  changes?: Record<string, [unknown, unknown]> | null;
}

export interface EventRow extends Omit<EventInput, 'changes'> {
  seq: number;
  changes: string | null;
}

export function appendEvent(db: Db, e: EventInput): number {
  const r = stmt(
    db,
    `INSERT INTO events (at, session_id, agent, action, entity, entity_id, flow_id, summary, changes)
     VALUES (@at, @session_id, @agent, @action, @entity, @entity_id, @flow_id, @summary, @changes)`,
  ).run({ ...e, changes: e.changes ? JSON.stringify(e.changes) : null });
  return Number(r.lastInsertRowid);
}

/** Newest first, paged by seq. */
export function listEvents(
  db: Db,
  opts: { flowId?: string; entityId?: string; before?: number; limit: number },
): EventRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: opts.limit };
  if (opts.flowId) {
    where.push('flow_id = @flow');
    params.flow = opts.flowId;
  }
  if (opts.entityId) {
    where.push('entity_id = @entity');
    params.entity = opts.entityId;
  }
  if (opts.before !== undefined) {
    where.push('seq < @before');
    params.before = opts.before;
  }
  return stmt(
    db,
    `SELECT * FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq DESC LIMIT @limit`,
  ).all(params) as EventRow[];
}
