// Turns stored rows into the views results are made of (counts, dependency state, live-claim flags),
// keeping list rows compact.
import type { Db } from '../../store/db.js';
import type { FlowRow } from '../../store/flows.js';
import type { PlanRow } from '../../store/plans.js';
import { dependenciesOf, dependentsOf } from '../../store/deps.js';
import { taskCountsByFlow, taskCountsByPlan, taskCountsByPlans, type StatusCounts, type TaskListRow, type TaskRow } from '../../store/tasks.js';
import type { CountsV, FlowRowV, FlowV, PlanRowV, PlanV, TaskRowV, TaskV } from '../schemas/results.js';

const MAX_DEPENDENTS_SHOWN = 50;

export function counts(c: StatusCounts): CountsV {
  const total = c.todo + c.in_progress + c.blocked + c.review + c.done + c.cancelled;
  const countable = total - c.cancelled;
  return { total, ...c, progress: countable === 0 ? 0 : Math.floor((100 * c.done) / countable) };
}

/**
 * Full views leave out optional fields that say nothing (an empty description, no legacy id, no claim,
 * no dependencies): an assistant pays for every token it reads. Ids, status, revision and timestamps
 * of record are always there.
 */
function someText(v: string | null | undefined): string | undefined {
  return v ? v : undefined;
}
function someIds(v: string[]): string[] | undefined {
  return v.length ? v : undefined;
}
function dropUndefined<T extends object>(v: T): T {
  for (const k of Object.keys(v) as (keyof T)[]) if (v[k] === undefined) delete v[k];
  return v;
}

export function flowView(db: Db, row: FlowRow, withCounts = false): FlowV {
  const v: FlowV = dropUndefined({
    id: row.id,
    name: row.name,
    description: someText(row.description),
    status: row.status,
    legacy_id: someText(row.legacy_id),
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision: row.revision,
  });
  if (withCounts) v.counts = counts(taskCountsByFlow(db, row.id));
  return v;
}

export function flowRowView(db: Db, row: FlowRow): FlowRowV {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    updated_at: row.updated_at,
    revision: row.revision,
    progress: counts(taskCountsByFlow(db, row.id)).progress,
  };
}

export function planView(db: Db, row: PlanRow, withCounts = false): PlanV {
  const v: PlanV = dropUndefined({
    id: row.id,
    flow_id: row.flow_id,
    title: row.title,
    objective: someText(row.objective),
    status: row.status,
    position: row.position,
    legacy_id: someText(row.legacy_id),
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision: row.revision,
  });
  if (withCounts) v.counts = counts(taskCountsByPlan(db, row.id));
  return v;
}

/** Plans as a list shows them, with their task counts (read for the whole page at once). */
export function planRowViews(db: Db, rows: PlanRow[]): PlanRowV[] {
  const byPlan = taskCountsByPlans(db, rows.map((r) => r.id));
  return rows.map((row) => {
    const c = counts(byPlan.get(row.id)!);
    return { id: row.id, title: row.title, status: row.status, position: row.position, revision: row.revision, tasks: c.total, progress: c.progress };
  });
}

export function claimIsLive(row: Pick<TaskRow, 'claimed_by' | 'claim_expires_at'>, now: string): boolean {
  return row.claimed_by !== null && row.claim_expires_at !== null && row.claim_expires_at > now;
}

/** Started, but nobody holds it any more (its claim's lease ran out): free to take. */
export function claimRanOut(row: Pick<TaskRow, 'status' | 'claimed_by' | 'claim_expires_at'>, now: string): boolean {
  return row.status === 'in_progress' && row.claim_expires_at !== null && !claimIsLive(row, now);
}

export function taskView(db: Db, row: TaskRow, now: string): TaskV {
  const deps = dependenciesOf(db, row.id);
  const dependents = dependentsOf(db, row.id);
  return dropUndefined({
    id: row.id,
    flow_id: row.flow_id,
    plan_id: row.plan_id,
    title: row.title,
    description: someText(row.description),
    status: row.status,
    priority: row.priority,
    position: row.position,
    depends_on: someIds(deps.map((d) => d.id)),
    waiting_on: someIds(deps.filter((d) => d.status !== 'done').map((d) => d.id)),
    dependents: someIds(dependents.slice(0, MAX_DEPENDENTS_SHOWN).map((d) => d.id)),
    claim:
      row.claimed_by && row.claim_expires_at
        ? { agent: row.claimed_by, expires_at: row.claim_expires_at, active: claimIsLive(row, now) }
        : undefined,
    started_at: someText(row.started_at),
    completed_at: someText(row.completed_at),
    legacy_id: someText(row.legacy_id),
    created_at: row.created_at,
    updated_at: row.updated_at,
    revision: row.revision,
  });
}

export function taskRowView(row: TaskRow | TaskListRow, now: string, openDeps?: number): TaskRowV {
  const v: TaskRowV = {
    id: row.id,
    plan_id: row.plan_id,
    title: row.title,
    status: row.status,
    priority: row.priority,
    revision: row.revision,
  };
  const waiting = openDeps ?? row.open_deps;
  if (waiting > 0) v.waiting_on_count = waiting;
  if (claimIsLive(row, now)) {
    v.claimed_by = row.claimed_by!;
    v.claim_expires_at = row.claim_expires_at!;
  } else if (claimRanOut(row, now)) {
    // Said on the row, or the task looks held while it is free.
    v.claim_ran_out = true;
  }
  return v;
}
