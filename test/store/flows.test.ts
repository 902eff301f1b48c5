// Flows as the store lists them: newest first, filtered by status, keyset-paged on (created_at, id).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { flowListQuery, insertFlow, listFlows, type FlowRow } from '../../src/store/flows.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();

describe('listFlows', () => {
  it('lists newest first, by status, after a key', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    const flow = (id: string, status: FlowRow['status'], at: string) =>
      insertFlow(db, { id, name: id, description: '', status, legacy_id: null, created_at: at, updated_at: at, revision: 1 });
    flow('a', 'active', '2026-01-01T00:00:00.000Z');
    flow('b', 'archived', '2026-01-02T00:00:00.000Z');
    flow('c', 'active', '2026-01-03T00:00:00.000Z');
    flow('d', 'active', '2026-01-03T00:00:00.000Z');
    const ids = (opts: Parameters<typeof listFlows>[1]) => listFlows(db, opts).map((f) => f.id);
    expect(ids({ limit: 10 })).toEqual(['d', 'c', 'b', 'a']);
    expect(ids({ status: 'active', limit: 10 })).toEqual(['d', 'c', 'a']);
    expect(ids({ status: 'archived', limit: 10 })).toEqual(['b']);
    expect(ids({ after: { created_at: '2026-01-03T00:00:00.000Z', id: 'd' }, limit: 10 })).toEqual(['c', 'b', 'a']);
    expect(ids({ status: 'active', after: { created_at: '2026-01-03T00:00:00.000Z', id: 'c' }, limit: 10 })).toEqual(['a']);
    expect(ids({ limit: 2 })).toEqual(['d', 'c']);
    db.close();
  });

  it('reads a page through an index in list order, never sorting every flow (100k flows after an import)', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    const after = { created_at: '2026-01-03T00:00:00.000Z', id: 'd' };
    for (const opts of [{ limit: 10 }, { status: 'active', limit: 10 }, { after, limit: 10 }, { status: 'archived', after, limit: 10 }]) {
      const { sql, params } = flowListQuery(opts);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join('\n');
      expect(plan, JSON.stringify(opts)).toMatch(/USING (COVERING )?INDEX flows_by/);
      expect(plan, JSON.stringify(opts)).not.toMatch(/TEMP B-TREE/);
    }
    db.close();
  });
});
