// The state a snapshot holds is canonical (store/snapshot-state.ts): tables, row keys and columns all
// sorted, so the same content gives the same JSON text (which is hashed and stored) however the rows
// were written or read; each row has exactly its table's columns; rows are written back in place and
// deleted by key.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { addLink, insertDocument } from '../../src/store/documents.js';
import { insertFlow } from '../../src/store/flows.js';
import { insertPlan } from '../../src/store/plans.js';
import { canonicalState, deleteRows, readScopeRows, upsertRows, type SnapshotState } from '../../src/store/snapshot-state.js';
import { insertTask } from '../../src/store/tasks.js';
import { depKeyOf, linkKeyOf } from '../../src/store/state-keys.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';

/** A workspace whose documents, tasks, dependencies and links are written in the given order of names. */
function written(order: string[]): Db {
  const db = openDatabase(join(scratch(), 'flow.db'));
  insertFlow(db, { id: 'f', name: 'F', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  insertPlan(db, { id: 'p', flow_id: 'f', title: 'P', objective: '', status: 'active', position: 1, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  order.forEach((name) => {
    insertDocument(db, { id: `doc-${name}`, source: 'flow', path: `${name}.md`, title: name, size: 1, mtime_ms: 0, sha256: name, orphaned_at: null, created_at: NOW, updated_at: NOW, revision: 1 });
    // ids with '-' and without: 'a' sorts before 'a-x', but 'a-x>…' sorts before 'a>…'
    for (const id of [`t${name}`, `t${name}-x`]) {
      insertTask(db, {
        id, plan_id: 'p', flow_id: 'f', title: id, description: '', status: 'todo', priority: 'medium', position: 1,
        claimed_by: null, claim_expires_at: null, started_at: null, completed_at: null, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1,
      });
    }
  });
  const dep = db.prepare('INSERT INTO task_deps (task_id, depends_on, created_at) VALUES (?, ?, ?)');
  const names = [...order].sort();
  order.forEach((name) => {
    const next = names[(names.indexOf(name) + 1) % names.length]!; // the same links whatever the order they are written in
    dep.run(`t${name}`, `t${next}`, NOW);
    dep.run(`t${name}-x`, `t${next}-x`, NOW);
    addLink(db, `doc-${name}`, 'task', `t${next}`, NOW);
    addLink(db, `doc-${name}`, 'flow', 'f', NOW);
  });
  return db;
}

const isSorted = (keys: string[]) => keys.every((k, i) => i === 0 || keys[i - 1]! < k);

describe('snapshot state', () => {
  it('the same content gives the same text however its rows were written: row keys sorted in every table', () => {
    const orders = [
      ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
      ['g', 'f', 'e', 'd', 'c', 'b', 'a'],
      ['d', 'a', 'g', 'c', 'f', 'b', 'e'],
      ['b', 'a', 'c', 'e', 'd', 'g', 'f'],
    ];
    const texts = orders.map((order) => {
      const db = written(order);
      const state = readScopeRows(db, { kind: 'workspace' });
      const flow = readScopeRows(db, { kind: 'flow', flowId: 'f' });
      db.close();
      for (const [table, rows] of Object.entries(state)) expect(isSorted(Object.keys(rows)), `${table} of ${order.join('')}`).toBe(true);
      expect(Object.keys(state.documents)).toHaveLength(7);
      expect(Object.keys(state.deps)).toHaveLength(14);
      expect(JSON.stringify(flow)).toBe(JSON.stringify(state));
      return JSON.stringify(state);
    });
    expect(new Set(texts).size).toBe(1);
  });

  it('keeps every dependency and link apart whatever their ids hold ("x>y" waits on "z", and "x" on "y>z")', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    insertFlow(db, { id: 'f', name: 'F', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
    insertPlan(db, { id: 'p', flow_id: 'f', title: 'P', objective: '', status: 'active', position: 1, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
    for (const id of ['x>y', 'z', 'x', 'y>z', 'a|task', 'b', 'a', 'task|b']) {
      insertTask(db, {
        id, plan_id: 'p', flow_id: 'f', title: id, description: '', status: 'todo', priority: 'medium', position: 1,
        claimed_by: null, claim_expires_at: null, started_at: null, completed_at: null, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1,
      });
    }
    const dep = db.prepare('INSERT INTO task_deps (task_id, depends_on, created_at) VALUES (?, ?, ?)');
    dep.run('x>y', 'z', NOW);
    dep.run('x', 'y>z', NOW);
    for (const id of ['d', 'd|task']) insertDocument(db, { id, source: 'flow', path: `${id}.md`, title: id, size: 1, mtime_ms: 0, sha256: id, orphaned_at: null, created_at: NOW, updated_at: NOW, revision: 1 });
    addLink(db, 'd|task', 'task', 'b', NOW);
    addLink(db, 'd', 'task', 'task|b', NOW);
    const s = readScopeRows(db, { kind: 'flow', flowId: 'f' });
    expect(Object.values(s.deps).map((d) => `${String(d.task_id)} waits on ${String(d.depends_on)}`).sort()).toEqual(['x waits on y>z', 'x>y waits on z']);
    expect(Object.values(s.links).map((l) => `${String(l.document_id)} → ${String(l.target_id)}`).sort()).toEqual(['d → task|b', 'd|task → b']);
    db.close();
  });

  it('each row has exactly its columns, sorted', () => {
    const db = written(['a']);
    const state = readScopeRows(db, { kind: 'workspace' });
    db.close();
    expect(Object.keys(state.tasks.ta!)).toEqual([
      'claim_expires_at', 'claimed_by', 'completed_at', 'created_at', 'description', 'flow_id', 'id', 'legacy_id', 'plan_id', 'position',
      'priority', 'revision', 'started_at', 'status', 'title', 'updated_at',
    ]);
    expect(Object.keys(state.flows.f!)).toEqual(['created_at', 'description', 'id', 'legacy_id', 'name', 'revision', 'status', 'updated_at']);
    expect(Object.keys(state.plans.p!)).toEqual(['created_at', 'flow_id', 'id', 'legacy_id', 'objective', 'position', 'revision', 'status', 'title', 'updated_at']);
  });

  it('canonicalState puts a state rebuilt out of order (keys added at the end) back in order', () => {
    const messy: SnapshotState = {
      tasks: { tb: { title: 'B', id: 'tb' }, ta: { status: 'todo', id: 'ta', claimed_by: null } },
      plans: {},
      links: {},
      flows: { f: { name: 'F', id: 'f' } },
      documents: {},
      deps: { 'tb>ta': { task_id: 'tb', depends_on: 'ta', created_at: NOW } },
      context_state: {},
      context_entries: {},
    };
    const c = canonicalState(messy);
    expect(JSON.stringify(c)).toBe(
      JSON.stringify({
        context_entries: {},
        context_state: {},
        deps: { 'tb>ta': { created_at: NOW, depends_on: 'ta', task_id: 'tb' } },
        documents: {},
        flows: { f: { id: 'f', name: 'F' } },
        links: {},
        plans: {},
        tasks: { ta: { claimed_by: null, id: 'ta', status: 'todo' }, tb: { id: 'tb', title: 'B' } },
      }),
    );
  });

  it('writes rows back in place by key and deletes them by key', () => {
    const db = written(['a', 'b']);
    const before = readScopeRows(db, { kind: 'workspace' });
    upsertRows(db, 'tasks', [{ ...before.tasks.ta!, title: 'renamed', revision: 2 }]);
    upsertRows(db, 'deps', [{ task_id: 'ta', depends_on: 'tb', created_at: 'later' }]);
    deleteRows(db, 'links', [{ document_id: 'doc-a', target_kind: 'flow', target_id: 'f' }]);
    upsertRows(db, 'tasks', []);
    deleteRows(db, 'deps', []);
    const after = readScopeRows(db, { kind: 'workspace' });
    db.close();
    expect(after.tasks.ta).toEqual({ ...before.tasks.ta, title: 'renamed', revision: 2 });
    expect(after.deps[depKeyOf('ta', 'tb')]!.created_at).toBe('later');
    expect(Object.keys(after.links)).toEqual(Object.keys(before.links).filter((k) => k !== linkKeyOf('doc-a', 'flow', 'f')));
    expect(after.tasks.tb).toEqual(before.tasks.tb);
  });
});
