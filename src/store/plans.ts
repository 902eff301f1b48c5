// Persistence of plans and their order within a flow.
import type { Db } from './db.js';
import { rawStmt, stmt } from './statements.js';

export interface PlanRow {
  id: string;
  flow_id: string;
  title: string;
  objective: string;
  status: 'active' | 'done' | 'cancelled' | 'archived';
  position: number;
  legacy_id: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

export function getPlan(db: Db, id: string): PlanRow | undefined {
  return stmt(db, 'SELECT * FROM plans WHERE id = ?').get(id) as PlanRow | undefined;
}

export function getPlanByLegacyId(db: Db, legacyId: string): PlanRow | undefined {
  return stmt(db, 'SELECT * FROM plans WHERE legacy_id = ?').get(legacyId) as PlanRow | undefined;
}

export function insertPlan(db: Db, row: PlanRow): void {
  stmt(
    db,
    `INSERT INTO plans (id, flow_id, title, objective, status, position, legacy_id, created_at, updated_at, revision)
     VALUES (@id, @flow_id, @title, @objective, @status, @position, @legacy_id, @created_at, @updated_at, @revision)`,
  ).run(row);
}

export function deletePlan(db: Db, id: string): void {
  stmt(db, 'DELETE FROM plans WHERE id = ?').run(id);
}

/** Where a page of plans resumes: after this plan in plan order. */
export interface PlanPageKey {
  position: number;
  id: string;
}

/**
 * A flow's plans in plan order (position, then id), at most `limit`, after `after` if given; `open`
 * leaves archived plans out. Through plans_by_flow_order: a page costs its own rows however many plans.
 */
export function plansPage(db: Db, flowId: string, opts: { limit: number; after?: PlanPageKey; open?: boolean }): PlanRow[] {
  const sql = `SELECT ${PLAN_COLUMNS} FROM plans WHERE flow_id = @flow ${opts.open ? "AND status != 'archived'" : ''}
     ${opts.after ? 'AND (position, id) > (@ap, @aid)' : ''} ORDER BY position, id LIMIT @limit`;
  const rows = rawStmt(db, sql).all({ flow: flowId, limit: opts.limit, ...(opts.after ? { ap: opts.after.position, aid: opts.after.id } : {}) }) as unknown[][];
  return rows.map(planRow);
}

const PLAN_COLUMNS = 'id, flow_id, title, objective, status, position, legacy_id, created_at, updated_at, revision';
/** A row of PLAN_COLUMNS as rawStmt gives it (a page of plans is made into objects in JS: see rawStmt). */
const planRow = (r: unknown[]): PlanRow => ({
  id: r[0] as string,
  flow_id: r[1] as string,
  title: r[2] as string,
  objective: r[3] as string,
  status: r[4] as PlanRow['status'],
  position: r[5] as number,
  legacy_id: r[6] as string | null,
  created_at: r[7] as string,
  updated_at: r[8] as string,
  revision: r[9] as number,
});

/** The first active plan in plan order, if any. */
export function firstActivePlan(db: Db, flowId: string): PlanRow | undefined {
  return stmt(db, "SELECT * FROM plans WHERE flow_id = ? AND status = 'active' ORDER BY position, id LIMIT 1").get(flowId) as PlanRow | undefined;
}

/** A flow's plans (not archived ones with `open`), from plan_counts (migration 13): a few rows however many plans. */
export function countPlans(db: Db, flowId: string, opts: { open?: boolean } = {}): number {
  return (stmt(db, `SELECT COALESCE(SUM(n), 0) AS n FROM plan_counts WHERE flow_id = ? ${opts.open ? "AND status != 'archived'" : ''}`).get(flowId) as { n: number }).n;
}

/** The fields `plan update` edits; a field left out keeps its value. Bumps the revision with them. */
export function updatePlanFields(db: Db, id: string, edit: { title?: string; objective?: string; status?: PlanRow['status'] }, now: string): void {
  stmt(
    db,
    `UPDATE plans SET title = COALESCE(@title, title), objective = COALESCE(@objective, objective),
       status = COALESCE(@status, status), updated_at = @now, revision = revision + 1 WHERE id = @id`,
  ).run({ title: edit.title ?? null, objective: edit.objective ?? null, status: edit.status ?? null, now, id });
}

/** Something about the plan changed outside its own fields (its order): a new revision. */
export function markPlanChanged(db: Db, id: string, now: string): void {
  stmt(db, 'UPDATE plans SET updated_at = ?, revision = revision + 1 WHERE id = ?').run(now, id);
}
