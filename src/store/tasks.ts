// Persistence of tasks: rows, order within a plan, status counts, and the "ready" queries.
import type { Db } from './db.js';
import { stmt } from './statements.js';
import type { Priority, TaskStatus } from '../model/vocab.js';

export interface TaskRow {
  id: string;
  plan_id: string;
  flow_id: string;
  title: string;
  description: string;
  status: TaskStatus;
  priority: Priority;
  position: number;
  claimed_by: string | null;
  claim_expires_at: string | null;
  started_at: string | null;
  completed_at: string | null;
  legacy_id: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

export function getTask(db: Db, id: string): TaskRow | undefined {
  return stmt(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
}

export function getTaskByLegacyId(db: Db, legacyId: string): TaskRow | undefined {
  return stmt(db, 'SELECT * FROM tasks WHERE legacy_id = ?').get(legacyId) as TaskRow | undefined;
}

export function insertTask(db: Db, row: TaskRow): void {
  // Positional binding: half the cost of binding by name (measured ~2 µs a row), which an import of a
  // million tasks pays a million times.
  stmt(
    db,
    `INSERT INTO tasks (id, plan_id, flow_id, title, description, status, priority, position, claimed_by,
       claim_expires_at, started_at, completed_at, legacy_id, created_at, updated_at, revision)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    row.id,
    row.plan_id,
    row.flow_id,
    row.title,
    row.description,
    row.status,
    row.priority,
    row.position,
    row.claimed_by,
    row.claim_expires_at,
    row.started_at,
    row.completed_at,
    row.legacy_id,
    row.created_at,
    row.updated_at,
    row.revision,
  );
}

export function deleteTask(db: Db, id: string): void {
  stmt(db, 'DELETE FROM tasks WHERE id = ?').run(id);
}

export type StatusCounts = Record<TaskStatus, number>;

function countsFrom(rows: { status: TaskStatus; n: number }[]): StatusCounts {
  const c: StatusCounts = { todo: 0, in_progress: 0, blocked: 0, review: 0, done: 0, cancelled: 0 };
  for (const r of rows) c[r.status] = r.n;
  return c;
}

export function taskCountsByFlow(db: Db, flowId: string): StatusCounts {
  return countsFrom(
    stmt(db, 'SELECT status, COUNT(*) AS n FROM tasks WHERE flow_id = ? GROUP BY status').all(flowId) as {
      status: TaskStatus;
      n: number;
    }[],
  );
}

export function taskCountsByPlan(db: Db, planId: string): StatusCounts {
  return countsFrom(
    stmt(db, 'SELECT status, COUNT(*) AS n FROM tasks WHERE plan_id = ? GROUP BY status').all(planId) as {
      status: TaskStatus;
      n: number;
    }[],
  );
}

export interface TaskPageKey {
  pp: number; // plan position
  tp: number; // task position
  id: string;
}

export interface TaskListRow extends TaskRow {
  plan_position: number;
  open_deps: number;
}

const OPEN_DEPS = `(SELECT COUNT(*) FROM task_deps d JOIN tasks u ON u.id = d.depends_on
                    WHERE d.task_id = t.id AND u.status != 'done')`;

/** Tasks in plan order, then task order; keyset-paged on (plan position, task position, id). */
export function listTasks(
  db: Db,
  opts: { flowId?: string; planId?: string; statuses?: string[]; query?: string; after?: TaskPageKey; limit: number },
): TaskListRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = { limit: opts.limit };
  if (opts.flowId) {
    where.push('t.flow_id = @flow');
    params.flow = opts.flowId;
  }
  if (opts.planId) {
    where.push('t.plan_id = @plan');
    params.plan = opts.planId;
  }
  if (opts.statuses?.length) {
    where.push(`t.status IN (${opts.statuses.map((_, i) => `@s${i}`).join(', ')})`);
    opts.statuses.forEach((s, i) => (params[`s${i}`] = s));
  }
  if (opts.query) {
    // Plain substring match on title/description; meaning-based search is the search tool's job.
    where.push(`(t.title LIKE @q ESCAPE '\\' OR t.description LIKE @q ESCAPE '\\' OR t.id = @qid)`);
    params.q = `%${opts.query.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    params.qid = opts.query;
  }
  if (opts.after) {
    where.push('(p.position, t.position, t.id) > (@pp, @tp, @aid)');
    params.pp = opts.after.pp;
    params.tp = opts.after.tp;
    params.aid = opts.after.id;
  }
  const sql = `SELECT t.*, p.position AS plan_position, ${OPEN_DEPS} AS open_deps
               FROM tasks t JOIN plans p ON p.id = t.plan_id
               ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
               ORDER BY p.position, t.position, t.id LIMIT @limit`;
  return stmt(db, sql).all(params) as TaskListRow[];
}

const PRIORITIES_BEST_FIRST = ['urgent', 'high', 'medium', 'low'] as const;

/**
 * Tasks an agent could start now, best first: every dependency done, nobody holding a live claim,
 * status todo — or in_progress whose claim has expired (abandoned work is up for grabs again).
 * Order: priority, then plan order, then task order. One query per priority walks the tasks_open
 * index plan by plan and stops at the limit, so the cost does not grow with the size of the flow.
 */
export function readyTasks(db: Db, opts: { flowId: string; planId?: string; now: string; limit: number }): TaskRow[] {
  const sql = `SELECT t.* FROM plans p
       JOIN tasks t ON t.plan_id = p.id AND t.priority = @prio AND t.status IN ('todo','in_progress')
     WHERE p.flow_id = @flow ${opts.planId ? 'AND p.id = @plan' : ''} AND p.status = 'active'
       AND (t.status = 'todo' OR t.claim_expires_at <= @now)
       AND (t.claim_expires_at IS NULL OR t.claim_expires_at <= @now)
       AND NOT EXISTS (SELECT 1 FROM task_deps d JOIN tasks u ON u.id = d.depends_on
                       WHERE d.task_id = t.id AND u.status != 'done')
     ORDER BY p.position, t.position
     LIMIT @limit`;
  const out: TaskRow[] = [];
  for (const prio of PRIORITIES_BEST_FIRST) {
    const rows = stmt(db, sql).all({ prio, flow: opts.flowId, plan: opts.planId, now: opts.now, limit: opts.limit - out.length }) as TaskRow[];
    out.push(...rows);
    if (out.length >= opts.limit) break;
  }
  return out;
}

/** Why nothing is ready: how many tasks sit in each state that keeps them out of "next". */
export function notReadyBreakdown(
  db: Db,
  opts: { flowId: string; planId?: string; now: string },
): { waiting_on_deps: number; claimed: number; in_progress: number; blocked: number; review: number; todo_in_closed_plans: number } {
  const sql = `SELECT
      SUM(t.status = 'todo' AND p.status = 'active' AND ${OPEN_DEPS} > 0) AS waiting_on_deps,
      SUM(t.status IN ('todo','in_progress') AND t.claim_expires_at > @now) AS claimed,
      SUM(t.status = 'in_progress') AS in_progress,
      SUM(t.status = 'blocked') AS blocked,
      SUM(t.status = 'review') AS review,
      SUM(t.status = 'todo' AND p.status != 'active') AS todo_in_closed_plans
    FROM tasks t JOIN plans p ON p.id = t.plan_id
    WHERE t.flow_id = @flow ${opts.planId ? 'AND t.plan_id = @plan' : ''}`;
  const r = stmt(db, sql).get({ flow: opts.flowId, plan: opts.planId, now: opts.now }) as Record<string, number | null>;
  return {
    waiting_on_deps: r.waiting_on_deps ?? 0,
    claimed: r.claimed ?? 0,
    in_progress: r.in_progress ?? 0,
    blocked: r.blocked ?? 0,
    review: r.review ?? 0,
    todo_in_closed_plans: r.todo_in_closed_plans ?? 0,
  };
}

export function moveTaskToPlan(db: Db, id: string, planId: string, flowId: string, position: number): void {
  stmt(db, 'UPDATE tasks SET plan_id = ?, flow_id = ?, position = ? WHERE id = ?').run(planId, flowId, position, id);
}

/** Tasks someone is working on in a flow, most recently touched first. */
export function inProgressTasks(db: Db, flowId: string, limit: number): TaskRow[] {
  return stmt(db, `SELECT * FROM tasks WHERE flow_id = ? AND status = 'in_progress' ORDER BY updated_at DESC, id LIMIT ?`).all(flowId, limit) as TaskRow[];
}
