// A JSON column flowmcp did not write (flow.db may come from someone else's repository) is one clear
// refusal, coded damaged, naming the place and never the text; a well-formed one comes back parsed.
// Plus the id questions the repositories ask in batches.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { FlowError } from '../../src/model/errors.js';
import { openDatabase } from '../../src/store/db.js';
import { insertFlow } from '../../src/store/flows.js';
import { existingIds, jsonColumn, rowCount, rowExists, rowsByLegacyIds } from '../../src/store/rows.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';
const Blobs = z.array(z.string());

const refusal = (fn: () => unknown): FlowError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof FlowError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
};

describe('jsonColumn', () => {
  it('parses what flowmcp writes', () => {
    expect(jsonColumn('["a","b"]', 'snapshots.blobs', Blobs)).toEqual(['a', 'b']);
  });

  it('refuses text that is not JSON, naming the column and not quoting the text', () => {
    const e = refusal(() => jsonColumn('{"secret": ', 'snapshots.blobs', Blobs));
    expect(e.code).toBe('damaged');
    expect(e.message).toBe('A row in .flow/flow.db is damaged or not one flowmcp wrote: snapshots.blobs is not JSON. Nothing was changed.');
    expect(e.hint).toBe(
      'The database may have come from another program or repository: rebuild it from .flow/snapshots with flowmcp recover, or restore flow.db from a backup.',
    );
    expect(e.details).toEqual({ fault: 'damaged_row' });
    expect(e.message).not.toContain('secret');
  });

  it('refuses JSON of another shape', () => {
    const e = refusal(() => jsonColumn('{"blobs": 3}', 'snapshots.blobs', Blobs));
    expect(e.code).toBe('damaged');
    expect(e.message).toBe('A row in .flow/flow.db is damaged or not one flowmcp wrote: snapshots.blobs does not have the shape flowmcp writes. Nothing was changed.');
  });
});

describe('ids', () => {
  it('answers which ids and legacy ids a table holds', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    insertFlow(db, { id: 'f1', name: 'F', description: '', status: 'active', legacy_id: 'old-1', created_at: NOW, updated_at: NOW, revision: 1 });
    insertFlow(db, { id: 'f2', name: 'G', description: '', status: 'active', legacy_id: null, created_at: NOW, updated_at: NOW, revision: 1 });
    expect(rowExists(db, 'flows', 'f1')).toBe(true);
    expect(rowExists(db, 'flows', 'f3')).toBe(false);
    expect(existingIds(db, 'flows', ['f1', 'f3', 'f2'])).toEqual(new Set(['f1', 'f2']));
    // Rows between the ids asked about are not among the answers; nor is anything when no row lies between them.
    expect(existingIds(db, 'flows', ['f0', 'f3'])).toEqual(new Set());
    expect(existingIds(db, 'flows', ['f3', 'f4'])).toEqual(new Set());
    expect(rowCount(db, 'flows')).toBe(2);
    expect(rowsByLegacyIds(db, 'flows', ['old-1', 'old-2'])).toEqual(new Map([['old-1', { legacy_id: 'old-1', id: 'f1', flow_id: 'f1' }]]));
    db.close();
  });
});
