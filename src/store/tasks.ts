// Persistence of tasks: rows, order within a plan, status counts, and the "ready" queries.
import type { Db } from './db.js';
import { rawStmt, stmt } from './statements.js';
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
  /** Dependencies not done yet (kept by triggers: store/migrations.ts, version 10). */
  open_deps: number;
}

/** A task as inserted: open_deps is the database's to keep (a new task has no dependencies yet). */
export type NewTaskRow = Omit<TaskRow, 'open_deps'>;

export function getTask(db: Db, id: string): TaskRow | undefined {
  return stmt(db, 'SELECT * FROM tasks WHERE id = ?').get(id) as TaskRow | undefined;
}

export function getTaskByLegacyId(db: Db, legacyId: string): TaskRow | undefined {
  return stmt(db, 'SELECT * FROM tasks WHERE legacy_id = ?').get(legacyId) as TaskRow | undefined;
}

export function insertTask(db: Db, row: NewTaskRow): void {
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
  if (!bulk.has(db)) countInserted(db, row.plan_id, row.flow_id, row.status);
}

export function deleteTask(db: Db, id: string): void {
  stmt(db, 'DELETE FROM tasks WHERE id = ?').run(id);
}

export type StatusCounts = Record<TaskStatus, number>;

function countsFrom(rows: { status: TaskStatus; n: number }[]): StatusCounts {
  const c: StatusCounts = { todo: 0, in_progress: 0, blocked: 0, review: 0, done: 0, cancelled: 0 };
  // Rows of a status flowmcp does not know (a database it did not write) are not counted.
  // Stryker disable next-line EqualityOperator: a count of 0 reads as 0 either way
  for (const r of rows) if (Object.hasOwn(c, r.status)) c[r.status] = Number.isSafeInteger(r.n) && r.n > 0 ? r.n : 0;
  return c;
}

/** From flow_counts (kept like task_counts, migration 11): a few rows per flow, however many plans and tasks. */
export function taskCountsByFlow(db: Db, flowId: string): StatusCounts {
  return countsFrom(
    stmt(db, 'SELECT status, n FROM flow_counts WHERE flow_id = ?').all(flowId) as {
      status: TaskStatus;
      n: number;
    }[],
  );
}

export function taskCountsByPlan(db: Db, planId: string): StatusCounts {
  return countsFrom(
    stmt(db, 'SELECT status, n FROM task_counts WHERE plan_id = ?').all(planId) as {
      status: TaskStatus;
      n: number;
    }[],
  );
}

/** Several plans' counts in one query (a page of plans: one statement, not one per plan). */
export function taskCountsByPlans(db: Db, planIds: readonly string[]): Map<string, StatusCounts> {
  // Four or so rows a plan, for a page of fifty plans: as arrays (see rawStmt).
  const rows = rawStmt(db, 'SELECT plan_id, status, n FROM task_counts WHERE plan_id IN (SELECT value FROM json_each(?))').all(JSON.stringify(planIds)) as [string, TaskStatus, number][];
  const byPlan = new Map<string, { status: TaskStatus; n: number }[]>(planIds.map((id) => [id, []]));
  for (const [planId, status, n] of rows) byPlan.get(planId)?.push({ status, n });
  return new Map([...byPlan].map(([id, list]) => [id, countsFrom(list)]));
}

/** Databases inside insertingInBulk: their inserted tasks are counted at its end, not one by one. */
const bulk = new WeakSet<Db>();

/** A new task in its plan's and its flow's counts (task_counts, flow_counts; changes and deletes are counted by triggers). */
function countInserted(db: Db, planId: string, flowId: string, status: string): void {
  stmt(db, 'INSERT INTO task_counts (plan_id, status, n) VALUES (?, ?, 1) ON CONFLICT (plan_id, status) DO UPDATE SET n = n + 1').run(planId, status);
  stmt(db, 'INSERT INTO flow_counts (flow_id, status, n) VALUES (?, ?, 1) ON CONFLICT (flow_id, status) DO UPDATE SET n = n + 1').run(flowId, status);
}

/** Counts these plans' tasks (and their flows') afresh: after rows were written without insertTask (restore, import). */
export function recountTasks(db: Db, planIds: Iterable<string>): void {
  const ids = JSON.stringify([...new Set(planIds)]);
  stmt(db, 'DELETE FROM task_counts WHERE plan_id IN (SELECT value FROM json_each(?))').run(ids);
  stmt(db, 'INSERT INTO task_counts (plan_id, status, n) SELECT plan_id, status, COUNT(*) FROM tasks WHERE plan_id IN (SELECT value FROM json_each(?)) GROUP BY plan_id, status').run(ids);
  // And the flows those plans are in (a task's flow is its plan's), counted whole.
  const flows = 'SELECT DISTINCT flow_id FROM plans WHERE id IN (SELECT value FROM json_each(?))';
  stmt(db, `DELETE FROM flow_counts WHERE flow_id IN (${flows})`).run(ids);
  stmt(db, `INSERT INTO flow_counts (flow_id, status, n) SELECT flow_id, status, COUNT(*) FROM tasks WHERE flow_id IN (${flows}) GROUP BY flow_id, status`).run(ids);
}

/** Runs fn (inside a write transaction) inserting many tasks, then counts the given plans at once. */
export function insertingInBulk<T>(db: Db, plans: () => Iterable<string>, fn: () => T): T {
  bulk.add(db);
  try {
    const out = fn();
    recountTasks(db, plans());
    return out;
  } finally {
    bulk.delete(db);
  }
}

export interface TaskPageKey {
  pp: number; // plan position
  /** Plan id: plans sharing a position are ordered by id (absent in cursors from before it was added). */
  pid?: string;
  tp: number; // task position
  id: string;
}

/** A task as a list shows it: no description or timestamps (a long description is read from overflow pages for nothing). */
export interface TaskListRow extends Pick<TaskRow, 'id' | 'plan_id' | 'title' | 'status' | 'priority' | 'position' | 'claimed_by' | 'claim_expires_at' | 'revision' | 'open_deps'> {
  plan_position: number;
}
const LIST_COLUMNS = 't.id, t.plan_id, t.title, t.status, t.priority, t.position, t.claimed_by, t.claim_expires_at, t.revision, t.open_deps';

interface PlanPlace {
  id: string;
  position: number;
}

/** One plan's tasks in list order after (tp, id), through tasks_by_plan_order or tasks_by_flow_status_plan. */
function planPage(db: Db, flowId: string, plan: PlanPlace, status: string | undefined, query: string | undefined, after: { tp: number; id: string } | undefined, limit: number): TaskListRow[] {
  const sql = `SELECT ${LIST_COLUMNS}, @pp AS plan_position FROM tasks t
     WHERE ${status ? 't.flow_id = @flow AND t.status = @status AND ' : ''}t.plan_id = @plan
       ${after ? 'AND (t.position, t.id) > (@tp, @aid)' : ''}
       ${query ? `AND (t.title LIKE @q ESCAPE '\\' OR t.description LIKE @q ESCAPE '\\' OR t.id = @qid)` : ''}
     ORDER BY t.position, t.id LIMIT @limit`;
  // flow and status are bound whether the statement names them or not (a parameter it does not name is ignored).
  const params: Record<string, unknown> = { pp: plan.position, plan: plan.id, limit, flow: flowId, status };
  if (after) Object.assign(params, { tp: after.tp, aid: after.id });
  // Plain substring match on title/description; meaning-based search is the search tool's job.
  if (query) Object.assign(params, { q: `%${query.replace(/[\\%_]/g, (c) => '\\' + c)}%`, qid: query });
  return (rawStmt(db, sql).all(params) as unknown[][]).map(listRow);
}

/** A row of LIST_COLUMNS + plan_position, as rawStmt gives it. */
const listRow = (r: unknown[]): TaskListRow => ({
  id: r[0] as string,
  plan_id: r[1] as string,
  title: r[2] as string,
  status: r[3] as TaskListRow['status'],
  priority: r[4] as TaskListRow['priority'],
  position: r[5] as number,
  claimed_by: r[6] as string | null,
  claim_expires_at: r[7] as string | null,
  revision: r[8] as number,
  open_deps: r[9] as number,
  plan_position: r[10] as number,
});

// Stryker disable next-line EqualityOperator: a task is on a page once, so two rows never share an id and < and <= agree
const byPlace = (a: TaskListRow, b: TaskListRow) => a.position - b.position || (a.id < b.id ? -1 : 1);

/**
 * Tasks in plan order (position, then id), then task order (position, then id); keyset-paged on those.
 * Walks the plans in order and each plan's tasks through an index in that order, stopping at the limit:
 * a page costs its own rows, however big the flow. With several statuses, each status's rows come in
 * order from the status index and are merged.
 */
export function listTasks(
  db: Db,
  opts: { flowId: string; planId?: string; statuses?: string[]; query?: string; after?: TaskPageKey; limit: number },
): TaskListRow[] {
  const statuses = opts.statuses?.length ? [...new Set(opts.statuses)] : [undefined];
  // Only plans that can add rows to the page: past the cursor's plan, holding a task (of a listed
  // status) — probed inside SQLite through the indexes, so a flow of thousands of plans costs one
  // query here, not one per plan.
  const after = opts.after;
  const params: Record<string, unknown> = { flow: opts.flowId };
  const where = ['p.flow_id = @flow'];
  if (opts.planId) {
    where.push('p.id = @plan');
    params.plan = opts.planId;
  }
  if (after) {
    where.push(after.pid !== undefined ? '(p.position, p.id) >= (@pp, @pid)' : 'p.position >= @pp');
    params.pp = after.pp;
    params.pid = after.pid; // unused (and ignored) with an older cursor's condition
  }
  // Stryker disable next-line ConditionalExpression,BlockStatement: the probe only spares planPage the plans without a task of a listed status; planPage filters by status itself
  if (opts.statuses?.length) {
    statuses.forEach((st, i) => (params[`s${i}`] = st));
    where.push(`EXISTS (SELECT 1 FROM tasks t WHERE t.flow_id = @flow AND t.status IN (${statuses.map((_, i) => `@s${i}`).join(', ')}) AND t.plan_id = p.id)`);
  } else where.push('EXISTS (SELECT 1 FROM tasks t WHERE t.plan_id = p.id)');
  // Iterated, not fetched whole: a page is usually filled by the first few plans of thousands.
  const plans = stmt(db, `SELECT p.id, p.position FROM plans p WHERE ${where.join(' AND ')} ORDER BY p.position, p.id`).iterate(params) as IterableIterator<PlanPlace>;
  const out: TaskListRow[] = [];
  for (const plan of plans) {
    const left = opts.limit - out.length;
    // Stryker disable next-line ConditionalExpression,EqualityOperator: with nothing left, planPage's LIMIT 0 adds no row; this only stops walking the plans
    if (left <= 0) break;
    // The plans query already left out those before the cursor's plan; within that plan (any plan at
    // its position, for an older cursor without a plan id) the page resumes after the cursor's task.
    const within = after && plan.position === after.pp && (after.pid === undefined || plan.id === after.pid) ? after : undefined;
    const rows = statuses.flatMap((st) => planPage(db, opts.flowId, plan, st, opts.query, within, left));
    // Stryker disable next-line ConditionalExpression,EqualityOperator: one status's rows already come in (position, id) order from SQL
    if (statuses.length > 1) rows.sort(byPlace);
    out.push(...rows.slice(0, left));
  }
  return out;
}

const PRIORITIES_BEST_FIRST = ['urgent', 'high', 'medium', 'low'] as const;

/**
 * Tasks an agent could start now, best first: every dependency done, nobody holding a live claim,
 * status todo — or in_progress whose claim has expired (abandoned work is up for grabs again).
 * Order: priority, then plan order, then task order. For each priority the active plans are walked in
 * order, each through the tasks_ready index (open tasks with no dependency left to wait for, already in
 * task order), stopping at the limit: the cost does not grow with the size of the flow, nor with how many
 * tasks wait on others. (One query joining plans sorted every open task of a plan of that
 * priority: SQLite does not see that plan order is total, ~2.5 ms with 20k open tasks in one plan.)
 */
export function readyTasks(db: Db, opts: { flowId: string; planId?: string; now: string; limit: number }): TaskRow[] {
  // For each priority, only the active plans holding an open task of it with nothing to wait for
  // (probed through tasks_ready).
  // Iterated, not fetched whole: with thousands of plans the first few usually fill the answer.
  const plansWith = (prio: string) =>
    stmt(
      db,
      `SELECT p.id FROM plans p WHERE p.flow_id = ? AND p.status = 'active' ${opts.planId ? 'AND p.id = ?' : ''}
         AND EXISTS (SELECT 1 FROM tasks t WHERE t.plan_id = p.id AND t.priority = ? AND t.status IN ('todo','in_progress') AND t.open_deps = 0)
       ORDER BY p.position, p.id`,
    )
      .pluck()
      .iterate(...(opts.planId ? [opts.flowId, opts.planId, prio] : [opts.flowId, prio])) as IterableIterator<string>;
  const sql = `SELECT t.* FROM tasks t
     WHERE t.plan_id = @plan AND t.priority = @prio AND t.status IN ('todo','in_progress')
       AND (t.status = 'todo' OR t.claim_expires_at <= @now)
       AND (t.claim_expires_at IS NULL OR t.claim_expires_at <= @now)
       AND t.open_deps = 0
     ORDER BY t.position
     LIMIT @limit`;
  const out: TaskRow[] = [];
  for (const prio of PRIORITIES_BEST_FIRST) {
    for (const plan of plansWith(prio)) {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: with nothing left, LIMIT 0 adds no row; this only stops walking the plans
      if (out.length >= opts.limit) return out;
      out.push(...(stmt(db, sql).all({ prio, plan, now: opts.now, limit: opts.limit - out.length }) as TaskRow[]));
    }
  }
  return out;
}

/** Why nothing is ready: how many tasks sit in each state that keeps them out of "next". */
export function notReadyBreakdown(
  db: Db,
  opts: { flowId: string; planId?: string; now: string },
): { waiting_on_deps: number; claimed: number; in_progress: number; blocked: number; review: number; todo_in_closed_plans: number } {
  const sql = `SELECT
      SUM(t.status = 'todo' AND p.status = 'active' AND t.open_deps > 0) AS waiting_on_deps,
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

/** The last `limit` tasks of a plan in its order (newest additions are at its end), id and title only. */
export function lastTasksOfPlan(db: Db, planId: string, limit: number): { id: string; title: string }[] {
  return stmt(db, 'SELECT id, title FROM tasks WHERE plan_id = ? ORDER BY position DESC, id DESC LIMIT ?').all(planId, limit) as { id: string; title: string }[];
}

export function moveTaskToPlan(db: Db, id: string, planId: string, flowId: string, position: number): void {
  stmt(db, 'UPDATE tasks SET plan_id = ?, flow_id = ?, position = ? WHERE id = ?').run(planId, flowId, position, id);
}

/** Tasks someone is working on in a flow, most recently touched first. */
export function inProgressTasks(db: Db, flowId: string, limit: number): TaskRow[] {
  return stmt(db, `SELECT * FROM tasks WHERE flow_id = ? AND status = 'in_progress' ORDER BY updated_at DESC, id LIMIT ?`).all(flowId, limit) as TaskRow[];
}

/** A flow's blocked tasks, at most `limit`, in list order (the plans' order, then each plan's). */
export function blockedTasks(db: Db, flowId: string, limit: number): { id: string; title: string }[] {
  return stmt(
    db,
    `SELECT t.id, t.title FROM tasks t JOIN plans p ON p.id = t.plan_id WHERE t.flow_id = ? AND t.status = 'blocked'
     ORDER BY p.position, p.id, t.position, t.id LIMIT ?`,
  ).all(flowId, limit) as { id: string; title: string }[];
}

/**
 * Open tasks (todo, in progress) of a flow or plan that wait on unfinished dependencies, in a fixed
 * order (plan, place), at most `limit`, with how many there are in all. Read through tasks_by_flow_status.
 */
export function tasksWaitingOnDeps(db: Db, opts: { flowId: string; planId?: string; limit: number }): { tasks: { id: string; title: string }[]; total: number } {
  const where = `flow_id = @flow AND status IN ('todo','in_progress') AND open_deps > 0${opts.planId ? ' AND plan_id = @plan' : ''}`;
  const args = { flow: opts.flowId, plan: opts.planId, limit: opts.limit };
  const tasks = stmt(db, `SELECT id, title FROM tasks WHERE ${where} ORDER BY plan_id, position, id LIMIT @limit`).all(args) as { id: string; title: string }[];
  const total = tasks.length < opts.limit ? tasks.length : (stmt(db, `SELECT COUNT(*) FROM tasks WHERE ${where}`).pluck().get(args) as number);
  return { tasks, total };
}
