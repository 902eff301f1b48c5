// The search backlog: tasks and plans written without their search entries (a big import writes the
// record first), found again by rowid. Each kind keeps one watermark in settings, "rows from this rowid
// on may lack search entries"; a pass indexes the rows past it that have none and moves it on, in the
// same transaction, so a pass killed at any point resumes where its last commit left it. A row past the
// watermark that already has entries (made by the tools meanwhile) is left as it is.
import type { Db } from './db.js';
import { getSetting, setSetting } from './settings.js';
import { stmt } from './statements.js';

export type BacklogKind = 'task' | 'plan';

const KEY: Record<BacklogKind, string> = { task: 'search_backlog.task', plan: 'search_backlog.plan' };
const TABLE: Record<BacklogKind, string> = { task: 'tasks', plan: 'plans' };
const TEXT: Record<BacklogKind, string> = { task: 'description', plan: 'objective' };

function watermark(db: Db, kind: BacklogKind): number | undefined {
  const v = getSetting(db, KEY[kind]);
  if (v === undefined) return undefined;
  const n = Number(v);
  // A damaged value only ever widens the pass (from the first row): never skips one.
  if (!Number.isSafeInteger(n)) return 0;
  // Stryker disable next-line ConditionalExpression,EqualityOperator: rowids start at 1, so a watermark below 0 selects the same rows as 0
  return n >= 0 ? n : 0;
}

/**
 * Rows written after this (in the caller's write transaction) join the backlog: the watermark moves
 * back to the next rowid unless it is already at or before it.
 */
export function deferSearchEntries(db: Db, kinds: readonly BacklogKind[] = ['task', 'plan']): void {
  for (const kind of kinds) {
    const next = (stmt(db, `SELECT COALESCE(MAX(rowid), 0) + 1 FROM ${TABLE[kind]}`).pluck().get() as number) ?? 1;
    const at = watermark(db, kind);
    // Stryker disable next-line EqualityOperator: with next == at this writes the value already there
    if (at === undefined || next < at) setSetting(db, KEY[kind], String(next));
  }
}

export interface BacklogRow {
  rowid: number;
  id: string;
  title: string;
  text: string;
  indexed: number;
}

/** The next rows past the watermark, in rowid order, each saying whether it already has search entries. */
export function backlogRows(db: Db, kind: BacklogKind, limit: number): BacklogRow[] {
  const at = watermark(db, kind);
  // Stryker disable next-line ConditionalExpression: rowid >= NULL (an undefined binds as NULL) selects no row either; this only skips the query
  if (at === undefined) return [];
  return stmt(
    db,
    `SELECT t.rowid AS rowid, t.id AS id, t.title AS title, t.${TEXT[kind]} AS text,
            EXISTS (SELECT 1 FROM chunks c WHERE c.owner_id = t.id) AS indexed
     FROM ${TABLE[kind]} t WHERE t.rowid >= ? ORDER BY t.rowid LIMIT ?`,
  ).all(at, limit) as BacklogRow[];
}

/** After a pass over rows up to `lastRowid`: the rest start after it; with nothing left, no backlog. */
export function advanceBacklog(db: Db, kind: BacklogKind, lastRowid: number | undefined): void {
  if (lastRowid === undefined) setSetting(db, KEY[kind], null);
  else setSetting(db, KEY[kind], String(lastRowid + 1));
}

/** How many rows the backlog still spans (some may already have entries), per kind. */
export function backlogSize(db: Db): Record<BacklogKind, number> {
  const out: Record<BacklogKind, number> = { task: 0, plan: 0 };
  for (const kind of ['task', 'plan'] as const) {
    const at = watermark(db, kind);
    // Stryker disable next-line ConditionalExpression: rowid >= NULL counts 0 rows, the value out already holds
    if (at !== undefined) out[kind] = stmt(db, `SELECT COUNT(*) FROM ${TABLE[kind]} WHERE rowid >= ?`).pluck().get(at) as number;
  }
  return out;
}
