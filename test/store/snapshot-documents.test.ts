// Document rows a restore writes back from a snapshot: the snapshot's row exactly (its orphan mark
// included, set or not), with mtime 0 so the next sync reads the file again.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { getDocument, insertDocument } from '../../src/store/documents.js';
import { insertDocumentRowBack, putDocumentRowBack } from '../../src/store/snapshot-documents.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';
const THEN = '2025-06-01T00:00:00.000Z';

describe('document rows back from a snapshot', () => {
  it('an existing document and a missing one get the snapshot row, orphan mark and all', () => {
    const db = openDatabase(join(scratch(), 'flow.db'));
    insertDocument(db, { id: 'd1', source: 'flow', path: 'a.md', title: 'now', size: 5, mtime_ms: 99, sha256: 'new', orphaned_at: null, created_at: NOW, updated_at: NOW, revision: 7 });
    const snap = (orphaned_at: string | null) => ({ source: 'flow', path: 'x.md', title: 'then', size: 3, sha256: 'old', orphaned_at, created_at: THEN, updated_at: THEN, revision: 2 });
    putDocumentRowBack(db, 'd1', snap(THEN));
    expect(getDocument(db, 'd1')).toEqual({ id: 'd1', source: 'flow', path: 'a.md', title: 'then', size: 3, mtime_ms: 0, sha256: 'old', orphaned_at: THEN, created_at: THEN, updated_at: THEN, revision: 2 });
    putDocumentRowBack(db, 'd1', snap(null));
    expect(getDocument(db, 'd1')!.orphaned_at).toBeNull();
    insertDocumentRowBack(db, 'd2', snap(THEN));
    expect(getDocument(db, 'd2')).toEqual({ id: 'd2', source: 'flow', path: 'x.md', title: 'then', size: 3, mtime_ms: 0, sha256: 'old', orphaned_at: THEN, created_at: THEN, updated_at: THEN, revision: 2 });
    insertDocumentRowBack(db, 'd3', { ...snap(null), path: 'y.md', orphaned_at: undefined });
    expect(getDocument(db, 'd3')!.orphaned_at).toBeNull();
    db.close();
  });
});
