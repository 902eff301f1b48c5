// The append-only event log: every mutation, who made it, and what changed (before → after).
import Database from 'better-sqlite3';
import type { Db } from './db.js';
import { openReadOnlyCopy } from './db.js';
import { standsInForTable } from './planted-schema.js';
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

/** Appends an event; its seq is the next one, or `seq` when given (recover continuing an old log's numbers). */
export function appendEvent(db: Db, e: EventInput, seq?: number): number {
  const r = stmt(
    db,
    `INSERT INTO events (seq, at, session_id, agent, action, entity, entity_id, flow_id, summary, changes)
     VALUES (@seq, @at, @session_id, @agent, @action, @entity, @entity_id, @flow_id, @summary, @changes)`,
  ).run({ ...e, seq: seq ?? null, changes: e.changes ? JSON.stringify(e.changes) : null });
  return Number(r.lastInsertRowid);
}

/** Copies events as they are, seq and all (recover carrying the old log into the rebuilt database). */
export function insertEventRows(db: Db, rows: EventRow[]): void {
  const ins = stmt(
    db,
    `INSERT OR IGNORE INTO events (seq, at, session_id, agent, action, entity, entity_id, flow_id, summary, changes)
     VALUES (@seq, @at, @session_id, @agent, @action, @entity, @entity_id, @flow_id, @summary, @changes)`,
  );
  for (const r of rows) ins.run(r);
}

/**
 * The event log of another database file (one recover set aside), oldest first, a page at a time, for
 * as far as it can be read; and its newest seq, when at least that can be read. Opened read-only (its
 * WAL beside it is read too); a copy of the main file alone when that fails.
 */
export function salvageEvents(file: string, onPage: (rows: EventRow[]) => void, page = 1000): { copied: number; newest?: number; error?: string } {
  let db: Db | undefined;
  try {
    db = new Database(file, {
      readonly: true,
      // Stryker disable next-line BooleanLiteral: a read-only open never creates a missing file either; this only says so
      fileMustExist: true,
    });
  } catch {
    db = openReadOnlyCopy(file);
  }
  if (!db) return { copied: 0, error: 'the old database could not be opened' };
  let copied = 0;
  let newest: number | undefined;
  try {
    // A view in the log's place would run here: made-up events, or a recursion that never ends.
    if (standsInForTable(db, 'events')) return { copied: 0, error: 'its event log is not a table flowmcp wrote' };
    try {
      newest = lastEventSeq(db);
    } catch {
      // no readable newest seq: newest stays unknown, the pages below are still tried
    }
    let after = 0;
    for (;;) {
      const rows = db.prepare('SELECT * FROM events WHERE seq > ? ORDER BY seq LIMIT ?').all(after, page) as EventRow[];
      if (!rows.length) break;
      onPage(rows);
      copied += rows.length;
      after = rows[rows.length - 1]!.seq;
    }
    return { copied, newest };
  } catch (e) {
    return { copied, newest, error: (e as Error).message };
  } finally {
    db.close();
  }
}

interface EventRange {
  after?: number;
  upTo?: number;
  before?: number;
  flowId?: string;
  entityId?: string;
  entity?: string;
}

/** Events within a seq range and matching the filters given, in seq order either way, at most `limit`. */
function selectEvents(db: Db, r: EventRange, order: 'ASC' | 'DESC', limit: number): EventRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit };
  const add = (clause: string, key: string, value: unknown) => {
    if (value === undefined || value === '') return;
    where.push(clause);
    params[key] = value;
  };
  add('seq > @after', 'after', r.after);
  add('seq <= @upTo', 'upTo', r.upTo);
  add('seq < @before', 'before', r.before);
  add('flow_id = @flow', 'flow', r.flowId);
  add('entity_id = @entityId', 'entityId', r.entityId);
  add('entity = @entity', 'entity', r.entity);
  return stmt(db, `SELECT * FROM events ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY seq ${order} LIMIT @limit`).all(params) as EventRow[];
}

/** Newest first, paged by seq. */
export function listEvents(db: Db, opts: { flowId?: string; entityId?: string; before?: number; limit: number }): EventRow[] {
  return selectEvents(db, { flowId: opts.flowId, entityId: opts.entityId, before: opts.before }, 'DESC', opts.limit);
}

/**
 * The seqs after `after` (up to `upTo`, at most `limit`) with each event's stored size in bytes (its
 * summary and its changes; octet_length reads a text's size from its record, not the text): how far a
 * follower may read in one page without holding megabytes of descriptions at once.
 */
export function eventSizesAfter(db: Db, after: number, upTo: number, limit: number): [number, number][] {
  return stmt(db, 'SELECT seq, octet_length(summary) + coalesce(octet_length(changes), 0) FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?')
    .raw()
    .all(after, upTo, limit) as [number, number][];
}

/** The newest seq, 0 for an empty log: the cheap question a follower polls (the rowid b-tree's last entry). */
export function lastEventSeq(db: Db): number {
  return (stmt(db, 'SELECT max(seq) AS seq FROM events').get() as { seq: number | null }).seq ?? 0;
}

/**
 * Oldest first, the events after seq `after` (and up to `upTo`): what a follower has not yet seen, one
 * page at a time. The bound lets a filtered follower move past a stretch with no match for it, so it
 * never scans the same stretch twice.
 */
export function eventsAfter(db: Db, opts: { after: number; upTo?: number; flowId?: string; entity?: string; limit: number }): EventRow[] {
  return selectEvents(db, { after: opts.after, upTo: opts.upTo, flowId: opts.flowId, entity: opts.entity }, 'ASC', opts.limit);
}
