// Order of plans within a flow and tasks within a plan. Positions are dense 1..n integers, so a row's
// position is its rank and reading it costs nothing; the rare structural change (move, delete) shifts
// the rows in between with one UPDATE. Shifting order does not bump anyone's revision: order is not content.
import type { Db } from './db.js';
import { stmt } from './statements.js';

export type Ordered = { table: 'plans'; scope: 'flow_id' } | { table: 'tasks'; scope: 'plan_id' };

export const PLAN_ORDER: Ordered = { table: 'plans', scope: 'flow_id' };
export const TASK_ORDER: Ordered = { table: 'tasks', scope: 'plan_id' };

export function countInScope(db: Db, o: Ordered, scopeId: string): number {
  return (stmt(db, `SELECT COUNT(*) AS n FROM ${o.table} WHERE ${o.scope} = ?`).get(scopeId) as { n: number }).n;
}

/** The position a row appended to the scope gets. */
export function endPosition(db: Db, o: Ordered, scopeId: string): number {
  const r = stmt(db, `SELECT MAX(position) AS p FROM ${o.table} WHERE ${o.scope} = ?`).get(scopeId) as { p: number | null };
  return (r.p ?? 0) + 1;
}

/** Closes the gap a row at position leaves when it is deleted or moved out of the scope. */
export function closeGap(db: Db, o: Ordered, scopeId: string, position: number): void {
  stmt(db, `UPDATE ${o.table} SET position = position - 1 WHERE ${o.scope} = ? AND position > ?`).run(scopeId, position);
}

/** Moves a row already in the scope to 1-based rank (clamped to the ends); returns where it landed. */
export function moveWithin(db: Db, o: Ordered, scopeId: string, id: string, from: number, wanted: number): number {
  const to = Math.min(Math.max(1, wanted), countInScope(db, o, scopeId));
  // Stryker disable next-line EqualityOperator: with to == from both ranges below are empty, so either branch (or none) changes no row
  if (to < from) {
    stmt(db, `UPDATE ${o.table} SET position = position + 1 WHERE ${o.scope} = ? AND position >= ? AND position < ?`).run(scopeId, to, from);
  } else if (
    // Stryker disable next-line ConditionalExpression,EqualityOperator: as above, to == from shifts an empty range
    to > from
  ) {
    stmt(db, `UPDATE ${o.table} SET position = position - 1 WHERE ${o.scope} = ? AND position > ? AND position <= ?`).run(scopeId, from, to);
  }
  stmt(db, `UPDATE ${o.table} SET position = ? WHERE id = ?`).run(to, id);
  return to;
}
