// Persistence of task dependencies ("task_id depends on depends_on").
import type { Db } from './db.js';
import { stmt } from './statements.js';

export function addDependency(db: Db, taskId: string, dependsOn: string, now: string): boolean {
  return stmt(db, 'INSERT OR IGNORE INTO task_deps (task_id, depends_on, created_at) VALUES (?, ?, ?)').run(taskId, dependsOn, now)
    .changes === 1;
}

export function removeDependency(db: Db, taskId: string, dependsOn: string): boolean {
  return stmt(db, 'DELETE FROM task_deps WHERE task_id = ? AND depends_on = ?').run(taskId, dependsOn).changes === 1;
}

/** What this task waits for, with each one's status. */
export function dependenciesOf(db: Db, taskId: string): { id: string; status: string; title: string }[] {
  return stmt(
    db,
    `SELECT u.id, u.status, u.title FROM task_deps d JOIN tasks u ON u.id = d.depends_on
     WHERE d.task_id = ? ORDER BY u.position, u.id`,
  ).all(taskId) as { id: string; status: string; title: string }[];
}

/** Tasks that wait for this one. */
export function dependentsOf(db: Db, taskId: string): { id: string; status: string }[] {
  return stmt(db, 'SELECT t.id, t.status FROM task_deps d JOIN tasks t ON t.id = d.task_id WHERE d.depends_on = ?').all(
    taskId,
  ) as { id: string; status: string }[];
}

export function directDependencyIds(db: Db, taskId: string): string[] {
  return (stmt(db, 'SELECT depends_on FROM task_deps WHERE task_id = ?').all(taskId) as { depends_on: string }[]).map(
    (r) => r.depends_on,
  );
}

/** Dependencies between a task of this plan and a task outside it (dropped when the plan goes). */
export function countCrossPlanEdges(db: Db, planId: string): number {
  return (
    stmt(
      db,
      `SELECT COUNT(*) AS n FROM task_deps d JOIN tasks a ON a.id = d.task_id JOIN tasks b ON b.id = d.depends_on
       WHERE (a.plan_id = @p) != (b.plan_id = @p)`,
    ).get({ p: planId }) as { n: number }
  ).n;
}
