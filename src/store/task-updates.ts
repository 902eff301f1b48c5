// Changes to an existing task row, each named for what it means (edit, status, claim, release, touch).
// Every one bumps the revision and updated_at in the same statement, so no writer can change a task
// without its revision moving; each is one fixed statement, prepared once per connection.
import type { Db } from './db.js';
import { stmt } from './statements.js';
import type { Priority, TaskStatus } from '../model/vocab.js';

/** The fields `task update` edits; a field left out keeps its value. */
export interface TaskEdit {
  title?: string;
  description?: string;
  priority?: Priority;
}

export function updateTaskFields(db: Db, id: string, edit: TaskEdit, now: string): void {
  stmt(
    db,
    `UPDATE tasks SET title = COALESCE(@title, title), description = COALESCE(@description, description),
       priority = COALESCE(@priority, priority), updated_at = @now, revision = revision + 1 WHERE id = @id`,
  ).run({ title: edit.title ?? null, description: edit.description ?? null, priority: edit.priority ?? null, now, id });
}

/** A status change with the timestamps that go with it; `releaseClaim` drops whoever holds the task. */
export interface TaskStatusChange {
  status: TaskStatus;
  startedAt: string | null;
  completedAt: string | null;
  releaseClaim: boolean;
}

export function setTaskStatus(db: Db, id: string, change: TaskStatusChange, now: string): void {
  stmt(
    db,
    `UPDATE tasks SET status = @status, started_at = @started, completed_at = @completed,
       claimed_by = CASE WHEN @release THEN NULL ELSE claimed_by END,
       claim_expires_at = CASE WHEN @release THEN NULL ELSE claim_expires_at END,
       updated_at = @now, revision = revision + 1 WHERE id = @id`,
  ).run({ status: change.status, started: change.startedAt, completed: change.completedAt, release: change.releaseClaim ? 1 : 0, now, id });
}

/** An agent takes (or renews) the task until `expiresAt`, with the status and start time that go with working on it. */
export function claimTaskRow(db: Db, id: string, claim: { agent: string; expiresAt: string; status: TaskStatus; startedAt: string }, now: string): void {
  stmt(
    db,
    `UPDATE tasks SET claimed_by = @agent, claim_expires_at = @expires, status = @status, started_at = @started,
       updated_at = @now, revision = revision + 1 WHERE id = @id`,
  ).run({ agent: claim.agent, expires: claim.expiresAt, status: claim.status, started: claim.startedAt, now, id });
}

/** The holder gives the task back, leaving it in `status`. */
export function releaseTaskClaim(db: Db, id: string, status: TaskStatus, now: string): void {
  stmt(
    db,
    `UPDATE tasks SET claimed_by = NULL, claim_expires_at = NULL, status = ?, updated_at = ?, revision = revision + 1 WHERE id = ?`,
  ).run(status, now, id);
}

/** Something about the task changed outside its own row (its order, plan or dependencies): a new revision. */
export function markTaskChanged(db: Db, id: string, now: string): void {
  stmt(db, 'UPDATE tasks SET updated_at = ?, revision = revision + 1 WHERE id = ?').run(now, id);
}
