// Task persistence a caller relies on beyond the list and ready walks (tasks-list, ready-tasks): the
// kept counts read back sanely from a database flowmcp did not write, a bulk insert counts once at its
// end (and only then), a title search matches % _ and \ as themselves, an older list cursor (no plan
// id) resumes in every plan at its position, rows sharing a position list by id, and "why nothing is
// ready" counts only the plan asked about.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { insertFlow } from '../../src/store/flows.js';
import { insertPlan } from '../../src/store/plans.js';
import { insertingInBulk, insertTask, listTasks, notReadyBreakdown, taskCountsByFlow, taskCountsByPlan } from '../../src/store/tasks.js';
import type { TaskStatus } from '../../src/model/vocab.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';
const NONE = { todo: 0, in_progress: 0, blocked: 0, review: 0, done: 0, cancelled: 0 };

function project(plans: { id: string; position: number }[] = [{ id: 'p1', position: 1 }]): Db {
  const db = openDatabase(join(scratch(), 'flow.db'));
  insertFlow(db, { id: 'f', name: 'F', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  for (const p of plans) insertPlan(db, { id: p.id, flow_id: 'f', title: p.id, objective: '', status: 'active', position: p.position, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  return db;
}

function task(db: Db, t: { id: string; plan?: string; position?: number; status?: TaskStatus; title?: string; description?: string }): void {
  insertTask(db, {
    id: t.id, plan_id: t.plan ?? 'p1', flow_id: 'f', title: t.title ?? t.id, description: t.description ?? '', status: t.status ?? 'todo', priority: 'medium',
    position: t.position ?? 1, claimed_by: null, claim_expires_at: null, started_at: null, completed_at: null, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1,
  });
}

const listed = (db: Db, opts: Partial<Parameters<typeof listTasks>[1]> = {}) => listTasks(db, { flowId: 'f', limit: 100, ...opts }).map((r) => r.id);

describe('task counts', () => {
  it('reads counts of a database flowmcp did not write: unknown statuses left out, a count that is no positive whole number read as 0', () => {
    const db = project();
    for (const [table, key] of [['task_counts', 'p1'], ['flow_counts', 'f']] as const) {
      const put = db.prepare(`INSERT INTO ${table} VALUES (?, ?, ?)`);
      put.run(key, 'someday', 3);
      put.run(key, 'todo', 1.5);
      put.run(key, 'done', -2);
      put.run(key, 'review', 4);
      put.run(key, 'blocked', 2 ** 60);
    }
    expect(taskCountsByPlan(db, 'p1')).toEqual({ ...NONE, review: 4 });
    expect(taskCountsByFlow(db, 'f')).toEqual({ ...NONE, review: 4 });
    db.close();
  });

  it('a bulk insert counts its tasks once at its end, with the counts already there; inserts after it (also after one that failed) count one by one again', () => {
    const db = project([{ id: 'p1', position: 1 }, { id: 'p2', position: 2 }]);
    const during = insertingInBulk(db, () => ['p1', 'p2'], () => {
      task(db, { id: 'a', status: 'todo' });
      task(db, { id: 'b', status: 'done' });
      task(db, { id: 'c', plan: 'p2', status: 'todo' });
      return taskCountsByPlan(db, 'p1');
    });
    expect(during).toEqual(NONE); // not counted one by one
    expect(taskCountsByPlan(db, 'p1')).toEqual({ ...NONE, todo: 1, done: 1 });
    expect(taskCountsByPlan(db, 'p2')).toEqual({ ...NONE, todo: 1 });
    expect(taskCountsByFlow(db, 'f')).toEqual({ ...NONE, todo: 2, done: 1 });
    task(db, { id: 'd', status: 'todo' });
    expect(taskCountsByPlan(db, 'p1')).toEqual({ ...NONE, todo: 2, done: 1 });
    expect(taskCountsByFlow(db, 'f')).toEqual({ ...NONE, todo: 3, done: 1 });
    // A second bulk insert adds to the counts already there.
    insertingInBulk(db, () => ['p1'], () => task(db, { id: 'd2', status: 'done' }));
    expect(taskCountsByPlan(db, 'p1')).toEqual({ ...NONE, todo: 2, done: 2 });
    expect(taskCountsByFlow(db, 'f')).toEqual({ ...NONE, todo: 3, done: 2 });
    expect(() => insertingInBulk(db, () => ['p1'], () => {
      throw new Error('import failed');
    })).toThrow('import failed');
    task(db, { id: 'e', status: 'review' });
    expect(taskCountsByPlan(db, 'p1')).toEqual({ ...NONE, todo: 2, done: 2, review: 1 });
    db.close();
  });
});

describe('task list', () => {
  it('a search matches %, _ and \\ in titles and descriptions as themselves, and an id exactly', () => {
    const db = project();
    const titles = ['50% off', '500 items', 'a_b', 'axb', 'back\\slash', 'backslash'];
    titles.forEach((title, i) => task(db, { id: `t${i}`, position: i + 1, title }));
    task(db, { id: 'described', position: 10, title: 'plain', description: 'costs 10% more' });
    expect(listed(db, { query: '50%' })).toEqual(['t0']);
    expect(listed(db, { query: '%' })).toEqual(['t0', 'described']);
    expect(listed(db, { query: 'a_b' })).toEqual(['t2']);
    expect(listed(db, { query: '_' })).toEqual(['t2']);
    expect(listed(db, { query: 'k\\s' })).toEqual(['t4']);
    expect(listed(db, { query: 'items' })).toEqual(['t1']);
    expect(listed(db, { query: 't3' })).toEqual(['t3']); // by id
    db.close();
  });

  it('an older cursor (no plan id) resumes after its task in every plan at its position, and from the start in later plans', () => {
    const db = project([{ id: 'pa', position: 1 }, { id: 'pb', position: 1 }, { id: 'pc', position: 2 }]);
    for (const plan of ['pa', 'pb', 'pc']) for (const position of [1, 2, 3]) task(db, { id: `${plan}-${position}`, plan, position });
    expect(listed(db, { after: { pp: 1, tp: 2, id: 'pa-2' } })).toEqual(['pa-3', 'pb-2', 'pb-3', 'pc-1', 'pc-2', 'pc-3']);
    // The cursor names its plan: only that plan resumes within.
    expect(listed(db, { after: { pp: 1, pid: 'pa', tp: 2, id: 'pa-2' } })).toEqual(['pa-3', 'pb-1', 'pb-2', 'pb-3', 'pc-1', 'pc-2', 'pc-3']);
    db.close();
  });

  it('rows of several statuses sharing a position list by id', () => {
    const db = project();
    const rows: [string, TaskStatus][] = [['t-b', 'todo'], ['t-a', 'done'], ['t-d', 'todo'], ['t-c', 'done'], ['t-e', 'review']];
    for (const [id, status] of rows) task(db, { id, status, position: 1 });
    task(db, { id: 't-0', status: 'done', position: 2 });
    expect(listed(db, { statuses: ['todo', 'done'] })).toEqual(['t-a', 't-b', 't-c', 't-d', 't-0']);
    expect(listed(db, { statuses: ['done', 'todo', 'review'] })).toEqual(['t-a', 't-b', 't-c', 't-d', 't-e', 't-0']);
    db.close();
  });
});

describe('why nothing is ready', () => {
  it('counts the whole flow, or only the plan asked about', () => {
    const db = project([{ id: 'p1', position: 1 }, { id: 'p2', position: 2 }]);
    task(db, { id: 'a', status: 'blocked' });
    task(db, { id: 'b', plan: 'p2', status: 'blocked' });
    task(db, { id: 'c', plan: 'p2', status: 'review' });
    const all = notReadyBreakdown(db, { flowId: 'f', now: NOW });
    expect(all).toEqual({ waiting_on_deps: 0, claimed: 0, in_progress: 0, blocked: 2, review: 1, todo_in_closed_plans: 0 });
    expect(notReadyBreakdown(db, { flowId: 'f', planId: 'p1', now: NOW })).toEqual({ ...all, blocked: 1, review: 0 });
    db.close();
  });
});
