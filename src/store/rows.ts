// Generic row updates shared by the flow, plan and task repositories: every change bumps the revision
// and updated_at in the same statement, so no writer can change a row without the revision moving.
import type { Db } from './db.js';
import { stmt } from './statements.js';

export type Table = 'flows' | 'plans' | 'tasks' | 'documents' | 'context_entries' | 'snapshots';

const COLUMN = /^[a-z_]+$/;

/** Applies fields to the row and returns true if a row was changed. Column names come from code, never from input. */
export function updateRow(db: Db, table: Table, id: string, fields: Record<string, unknown>, now: string): boolean {
  const cols = Object.keys(fields);
  for (const c of cols) if (!COLUMN.test(c)) throw new Error(`bad column name ${c}`);
  const sets = cols.map((c) => `${c} = @${c}`).join(', ');
  const sql = `UPDATE ${table} SET ${sets}${cols.length ? ', ' : ''}updated_at = @__now, revision = revision + 1 WHERE id = @__id`;
  return stmt(db, sql).run({ ...fields, __now: now, __id: id }).changes === 1;
}

export function rowExists(db: Db, table: Table, id: string): boolean {
  return stmt(db, `SELECT 1 FROM ${table} WHERE id = ?`).get(id) !== undefined;
}
