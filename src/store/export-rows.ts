// The rows `flowmcp export` writes, each in the order the export file keeps (so the same state gives the
// same bytes): flows by id, plans and tasks by position, dependencies by target, context entries in the
// order they were written. Rows come back whole; the export picks its fields (core/transfer/export.ts).
import type { Db } from './db.js';
import type { EntryRow, StateRow } from './context.js';
import type { FlowRow } from './flows.js';
import type { PlanRow } from './plans.js';
import { stmt } from './statements.js';
import type { TaskRow } from './tasks.js';

/** Every flow by id, or just the one named. */
export function exportFlows(db: Db, onlyId?: string): FlowRow[] {
  return (onlyId ? stmt(db, 'SELECT * FROM flows WHERE id = ?').all(onlyId) : stmt(db, 'SELECT * FROM flows ORDER BY id').all()) as FlowRow[];
}

export function exportPlans(db: Db, flowId: string): PlanRow[] {
  return stmt(db, 'SELECT * FROM plans WHERE flow_id = ? ORDER BY position, id').all(flowId) as PlanRow[];
}

export function exportTasks(db: Db, planId: string): TaskRow[] {
  return stmt(db, 'SELECT * FROM tasks WHERE plan_id = ? ORDER BY position, id').all(planId) as TaskRow[];
}

/** The tasks this one depends on, with when each link was made. */
export function exportDependencies(db: Db, taskId: string): { depends_on: string; created_at: string }[] {
  return stmt(db, 'SELECT depends_on, created_at FROM task_deps WHERE task_id = ? ORDER BY depends_on').all(taskId) as {
    depends_on: string;
    created_at: string;
  }[];
}

/** The flow's context entries in the order they were written. */
export function exportContextEntries(db: Db, flowId: string): EntryRow[] {
  return stmt(db, 'SELECT * FROM context_entries WHERE flow_id = ? ORDER BY rowid').all(flowId) as EntryRow[];
}

export type ExportedContextState = Pick<StateRow, 'revision' | 'updated_at' | 'active_plan_id' | 'active_task_id' | 'files'>;

/** The flow's context state as the export keeps it (not the file bookkeeping), if it has one. */
export function exportContextState(db: Db, flowId: string): ExportedContextState | undefined {
  return stmt(db, 'SELECT revision, updated_at, active_plan_id, active_task_id, files FROM context_state WHERE flow_id = ?').get(flowId) as
    | ExportedContextState
    | undefined;
}
