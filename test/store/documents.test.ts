// Document rows and links as callers of the store see them: a listing filtered by source, by what the
// documents are linked to (none named: none listed) and paged by (source, path); a touch records the
// file's new stamp without a new revision; removing a link says whether there was one.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { addLink, getDocument, insertDocument, linksOf, listDocuments, removeLink, touchDocument, type DocSource } from '../../src/store/documents.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const NOW = '2026-01-01T00:00:00.000Z';

function project(): Db {
  const db = openDatabase(join(scratch(), 'flow.db'));
  const doc = (id: string, source: DocSource, path: string) =>
    insertDocument(db, { id, source, path, title: id, size: 10, mtime_ms: 1000, sha256: `sha-${id}`, orphaned_at: null, created_at: NOW, updated_at: NOW, revision: 1 });
  doc('d1', 'flow', 'b.md');
  doc('d2', 'flow', 'a.md');
  doc('d3', 'project', 'docs/a.md');
  doc('d4', 'project', 'README.md');
  addLink(db, 'd1', 'task', 'task_1', NOW);
  addLink(db, 'd3', 'plan', 'plan_1', NOW);
  addLink(db, 'd4', 'task', 'task_2', NOW);
  return db;
}

const ids = (db: Db, opts: Omit<Parameters<typeof listDocuments>[1], 'limit'> & { limit?: number }) => listDocuments(db, { limit: 100, ...opts }).map((d) => d.id);

describe('documents', () => {
  it('lists by source, then path; filtered by source', () => {
    const db = project();
    expect(ids(db, {})).toEqual(['d2', 'd1', 'd4', 'd3']);
    expect(ids(db, { source: 'project' })).toEqual(['d4', 'd3']);
    expect(ids(db, { source: 'flow' })).toEqual(['d2', 'd1']);
    expect(ids(db, { source: 'flow', limit: 1 })).toEqual(['d2']);
    db.close();
  });

  it('lists the documents linked to any of the given targets; none given, none listed', () => {
    const db = project();
    expect(ids(db, { targetIds: ['task_1'] })).toEqual(['d1']);
    expect(ids(db, { targetIds: ['task_1', 'plan_1', 'nothing'] })).toEqual(['d1', 'd3']);
    expect(ids(db, { targetIds: ['task_1', 'plan_1', 'task_2'], source: 'project' })).toEqual(['d4', 'd3']);
    expect(ids(db, { targetIds: [] })).toEqual([]);
    db.close();
  });

  it('pages after a (source, path) key', () => {
    const db = project();
    expect(ids(db, { afterPath: 'flow\u0000a.md' })).toEqual(['d1', 'd4', 'd3']);
    expect(ids(db, { afterPath: 'flow\u0000b.md', targetIds: ['task_1', 'plan_1'] })).toEqual(['d3']);
    db.close();
  });

  it('a touch records the new stamp and keeps revision and updated_at', () => {
    const db = project();
    touchDocument(db, 'd1', 2000.5, 12);
    expect(getDocument(db, 'd1')).toMatchObject({ mtime_ms: 2000.5, size: 12, revision: 1, updated_at: NOW, sha256: 'sha-d1' });
    expect(getDocument(db, 'd2')).toMatchObject({ mtime_ms: 1000, size: 10 });
    db.close();
  });

  it('removing a link says whether there was one', () => {
    const db = project();
    expect(removeLink(db, 'd1', 'task', 'task_1')).toBe(true);
    expect(removeLink(db, 'd1', 'task', 'task_1')).toBe(false);
    expect(removeLink(db, 'd3', 'task', 'plan_1')).toBe(false); // another kind
    expect(linksOf(db, 'd3')).toEqual([{ target_kind: 'plan', target_id: 'plan_1' }]);
    db.close();
  });
});
