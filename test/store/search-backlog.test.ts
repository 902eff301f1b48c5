// The search backlog's watermark (store/search-backlog.ts): rows written after a deferral, and only
// those, are in the backlog; a pass moves the watermark just past the last row it did; with nothing
// left there is no backlog; a damaged watermark widens the pass to every row, never skips one.
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { insertFlow } from '../../src/store/flows.js';
import { insertPlan } from '../../src/store/plans.js';
import { advanceBacklog, backlogRows, backlogSize, deferSearchEntries } from '../../src/store/search-backlog.js';
import { setSetting } from '../../src/store/settings.js';
import { insertTask } from '../../src/store/tasks.js';
import { join } from 'node:path';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';

function project(): Db {
  const db = openDatabase(join(scratch(), 'flow.db'));
  insertFlow(db, { id: 'f', name: 'F', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  plan(db, 'p0');
  return db;
}

function plan(db: Db, id: string): void {
  insertPlan(db, { id, flow_id: 'f', title: `title ${id}`, objective: `objective ${id}`, status: 'active', position: 1, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
}

let n = 0;
function task(db: Db, id: string): void {
  insertTask(db, {
    id, plan_id: 'p0', flow_id: 'f', title: `title ${id}`, description: `about ${id}`, status: 'todo', priority: 'medium', position: ++n,
    claimed_by: null, claim_expires_at: null, started_at: null, completed_at: null, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1,
  });
}

const ids = (db: Db, kind: 'task' | 'plan') => backlogRows(db, kind, 100).map((r) => r.id);

describe('search backlog', () => {
  it('holds only the rows written after the deferral, in rowid order, with their text', () => {
    const db = project();
    task(db, 'old1');
    task(db, 'old2');
    expect(backlogSize(db)).toEqual({ task: 0, plan: 0 }); // no deferral: no backlog
    expect(ids(db, 'task')).toEqual([]);
    deferSearchEntries(db);
    expect(backlogSize(db)).toEqual({ task: 0, plan: 0 });
    task(db, 'new1');
    task(db, 'new2');
    plan(db, 'p1');
    expect(backlogSize(db)).toEqual({ task: 2, plan: 1 });
    expect(backlogRows(db, 'task', 100)).toEqual([
      { rowid: 3, id: 'new1', title: 'title new1', text: 'about new1', indexed: 0 },
      { rowid: 4, id: 'new2', title: 'title new2', text: 'about new2', indexed: 0 },
    ]);
    expect(backlogRows(db, 'plan', 100)).toMatchObject([{ id: 'p1', text: 'objective p1' }]);
    expect(backlogRows(db, 'task', 1).map((r) => r.id)).toEqual(['new1']);
    // A second deferral before the pass keeps the earlier start.
    deferSearchEntries(db, ['task']);
    task(db, 'new3');
    expect(ids(db, 'task')).toEqual(['new1', 'new2', 'new3']);
    db.close();
  });

  it('a pass moves the watermark just past its last row; with nothing left, no backlog', () => {
    const db = project();
    deferSearchEntries(db, ['task']);
    task(db, 'a');
    task(db, 'b');
    task(db, 'c');
    const [first] = backlogRows(db, 'task', 1);
    advanceBacklog(db, 'task', first!.rowid);
    expect(ids(db, 'task')).toEqual(['b', 'c']);
    expect(backlogSize(db).task).toBe(2);
    advanceBacklog(db, 'task', undefined);
    expect(ids(db, 'task')).toEqual([]);
    expect(backlogSize(db).task).toBe(0);
    db.close();
  });

  it('a damaged watermark starts the pass at the first row', () => {
    const db = project();
    task(db, 'a');
    task(db, 'b');
    for (const bad of ['soon', '2.5', 'Infinity', '1e300', '-3']) {
      setSetting(db, 'search_backlog.task', bad);
      expect(ids(db, 'task'), bad).toEqual(['a', 'b']);
      expect(backlogSize(db).task, bad).toBe(2);
    }
    db.close();
  });
});
