// Order within a scope (store/order.ts): positions stay dense 1..n; moving a row up or down shifts
// just the rows in between, a wanted rank past either end lands at that end, and a row appended or
// removed leaves no gap.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { insertFlow } from '../../src/store/flows.js';
import { closeGap, endPosition, moveWithin, PLAN_ORDER } from '../../src/store/order.js';
import { deletePlan, insertPlan } from '../../src/store/plans.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';

function flowOf(ids: string[]): Db {
  const db = openDatabase(join(scratch(), 'flow.db'));
  insertFlow(db, { id: 'f', name: 'F', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  for (const id of ids) {
    insertPlan(db, { id, flow_id: 'f', title: id, objective: '', status: 'active', position: endPosition(db, PLAN_ORDER, 'f'), legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
  }
  return db;
}

const order = (db: Db) => db.prepare("SELECT id, position FROM plans WHERE flow_id = 'f' ORDER BY position").all() as { id: string; position: number }[];
const ids = (db: Db) => order(db).map((r) => r.id);
const positionOf = (db: Db, id: string) => order(db).find((r) => r.id === id)!.position;
const move = (db: Db, id: string, wanted: number) => moveWithin(db, PLAN_ORDER, 'f', id, positionOf(db, id), wanted);

describe('order within a scope', () => {
  it('moves a row down, up, to either end (clamped) and onto itself, keeping positions 1..n', () => {
    const db = flowOf(['a', 'b', 'c', 'd', 'e']);
    expect(move(db, 'b', 4)).toBe(4);
    expect(ids(db)).toEqual(['a', 'c', 'd', 'b', 'e']);
    expect(move(db, 'e', 2)).toBe(2);
    expect(ids(db)).toEqual(['a', 'e', 'c', 'd', 'b']);
    expect(move(db, 'c', 99)).toBe(5);
    expect(ids(db)).toEqual(['a', 'e', 'd', 'b', 'c']);
    expect(move(db, 'b', -3)).toBe(1);
    expect(ids(db)).toEqual(['b', 'a', 'e', 'd', 'c']);
    expect(move(db, 'e', 3)).toBe(3);
    expect(ids(db)).toEqual(['b', 'a', 'e', 'd', 'c']);
    expect(order(db).map((r) => r.position)).toEqual([1, 2, 3, 4, 5]);
    db.close();
  });

  it('a row removed leaves no gap; the next one appended goes at the end', () => {
    const db = flowOf(['a', 'b', 'c']);
    const at = positionOf(db, 'b');
    deletePlan(db, 'b');
    closeGap(db, PLAN_ORDER, 'f', at);
    expect(order(db)).toEqual([{ id: 'a', position: 1 }, { id: 'c', position: 2 }]);
    expect(endPosition(db, PLAN_ORDER, 'f')).toBe(3);
    db.close();
  });
});
