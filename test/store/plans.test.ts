// A plan whose order changed (not its own fields) gets a new revision and time, so a client holding
// the old revision sees the change; nothing else about it moves.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { insertFlow } from '../../src/store/flows.js';
import { getPlan, insertPlan, markPlanChanged } from '../../src/store/plans.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';
const LATER = '2026-01-02T00:00:00.000Z';

describe('markPlanChanged', () => {
  it('bumps the revision and the time of that plan only', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    insertFlow(db, { id: 'f', name: 'F', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
    for (const [id, position] of [['p1', 1], ['p2', 2]] as const) {
      insertPlan(db, { id, flow_id: 'f', title: id, objective: 'o', status: 'active', position, legacy_id: null, created_at: NOW, updated_at: NOW, revision: 3 });
    }
    markPlanChanged(db, 'p1', LATER);
    expect(getPlan(db, 'p1')).toMatchObject({ revision: 4, updated_at: LATER, created_at: NOW, title: 'p1', position: 1 });
    expect(getPlan(db, 'p2')).toMatchObject({ revision: 3, updated_at: NOW });
    db.close();
  });
});
