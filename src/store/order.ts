// Order of plans within a flow and tasks within a plan. Positions are REAL so a move writes one row
// (the midpoint between its new neighbours); only when the gap gets too fine is the scope renumbered.
import type { Db } from './db.js';
import { stmt } from './statements.js';

export type Ordered = { table: 'plans'; scope: 'flow_id' } | { table: 'tasks'; scope: 'plan_id' };

/** Positions of the rows that will sit just before and after 1-based rank, ignoring the moved row. */
export function positionsAround(db: Db, o: Ordered, scopeId: string, rank: number, excludeId: string): { before?: number; after?: number } {
  const rows = stmt(
    db,
    `SELECT position FROM ${o.table} WHERE ${o.scope} = ? AND id != ? ORDER BY position, id LIMIT 2 OFFSET ?`,
  ).all(scopeId, excludeId, Math.max(0, rank - 2)) as { position: number }[];
  if (rank <= 1) return { after: rows[0]?.position };
  return { before: rows[0]?.position, after: rows[1]?.position };
}

export function renumber(db: Db, o: Ordered, scopeId: string): void {
  const ids = stmt(db, `SELECT id FROM ${o.table} WHERE ${o.scope} = ? ORDER BY position, id`).all(scopeId) as { id: string }[];
  const up = stmt(db, `UPDATE ${o.table} SET position = ? WHERE id = ?`);
  ids.forEach((r, i) => up.run(i + 1, r.id));
}

const MIN_GAP = 1e-9;

/** The position that puts a row at 1-based rank in its scope (renumbering first if the gap is too fine). */
export function positionForRank(db: Db, o: Ordered, scopeId: string, wanted: number, movingId: string): number {
  const others = (stmt(db, `SELECT COUNT(*) AS n FROM ${o.table} WHERE ${o.scope} = ? AND id != ?`).get(scopeId, movingId) as { n: number }).n;
  const rank = Math.min(Math.max(1, wanted), others + 1); // past the end means last
  for (let attempt = 0; attempt < 2; attempt++) {
    const { before, after } = positionsAround(db, o, scopeId, rank, movingId);
    if (before === undefined && after === undefined) return 1;
    if (before === undefined) return after! - 1;
    if (after === undefined) return before + 1;
    if (after - before > MIN_GAP) return (before + after) / 2;
    renumber(db, o, scopeId);
  }
  throw new Error('could not find a position after renumbering');
}
