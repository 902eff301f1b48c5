// Questions about rows by id shared by the repositories: is this id taken (new ids are drawn until one
// is free), which of these ids are, how many rows a table holds, which rows legacy ids name.
import { FlowError } from '../model/errors.js';
import type { Db } from './db.js';
import { stmt } from './statements.js';

export type Table = 'flows' | 'plans' | 'tasks' | 'documents' | 'context_entries' | 'snapshots';

export function rowExists(db: Db, table: Table, id: string): boolean {
  return stmt(db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}

/** Which of these ids the table already holds: one query for a whole batch. */
export function existingIds(db: Db, table: Table, ids: string[]): Set<string> {
  const list = JSON.stringify(ids);
  // The ids drawn for a big import batch share their first letters (core/kernel/ids.ts newIds), and
  // no row lies yet between the least and the greatest of them: one probe of the index answers for
  // them all, instead of a look-up per id.
  const span = `SELECT 1 FROM ${table} WHERE id BETWEEN (SELECT min(value) FROM json_each(@list)) AND (SELECT max(value) FROM json_each(@list)) LIMIT 1`;
  // Stryker disable next-line ConditionalExpression: the probe only saves look-ups; without it the same answer comes id by id
  if (stmt(db, span).get({ list }) === undefined) return new Set();
  const rows = stmt(db, `SELECT id FROM ${table} WHERE id IN (SELECT value FROM json_each(?))`).pluck().all(list) as string[];
  return new Set(rows);
}

export function rowCount(db: Db, table: Table): number {
  return stmt(db, `SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

export interface LegacyRow {
  legacy_id: string;
  id: string;
  flow_id: string;
}

/** The rows these legacy ids name, keyed by legacy id: one query for a whole import batch. */
export function rowsByLegacyIds(db: Db, table: 'flows' | 'plans' | 'tasks', legacyIds: string[]): Map<string, LegacyRow> {
  const flowCol = table === 'flows' ? 'id' : 'flow_id';
  const rows = stmt(db, `SELECT legacy_id, id, ${flowCol} AS flow_id FROM ${table} WHERE legacy_id IN (SELECT value FROM json_each(?))`).all(
    JSON.stringify(legacyIds),
  ) as LegacyRow[];
  return new Map(rows.map((r) => [r.legacy_id, r]));
}

/** A row whose JSON column flowmcp did not write: what a hostile or damaged flow.db looks like. */
function damagedRow(why: string): FlowError {
  return new FlowError(
    'damaged',
    `A row in .flow/flow.db is damaged or not one flowmcp wrote: ${why}. Nothing was changed.`,
    'The database may have come from another program or repository: rebuild it from .flow/snapshots with flowmcp recover, or restore flow.db from a backup.',
    { fault: 'damaged_row' },
  );
}

/**
 * Parses a JSON column with the schema of what flowmcp writes there. flow.db may come from someone
 * else's repository: a column that does not parse or has another shape is one clear refusal naming
 * the table and column (never its text), not a SyntaxError that surfaces as "Internal error", and
 * never a value of the wrong shape passed on (a `blobs` that is not a list must not make prune think
 * no snapshot needs a blob).
 */
export function jsonColumn<T>(text: string, where: string, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damagedRow(`${where} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw damagedRow(`${where} does not have the shape flowmcp writes`);
  return parsed.data;
}
