// Document rows as a restore writes them back from a snapshot: the snapshot's row exactly, with mtime 0
// so the next sync looks at the file again. The row comes as the snapshot holds it (store/snapshot-state.ts).
import type { Db } from './db.js';
import { stmt } from './statements.js';

type Row = Record<string, unknown>;

/** An existing document (`id`, maybe under another id in the snapshot) back to the snapshot's row. */
export function putDocumentRowBack(db: Db, id: string, d: Row): void {
  stmt(
    db,
    `UPDATE documents SET title = ?, size = ?, sha256 = ?, mtime_ms = 0, orphaned_at = ?, created_at = ?, updated_at = ?, revision = ?
     WHERE id = ?`,
  ).run(d.title, d.size, d.sha256, d.orphaned_at ?? null, d.created_at, d.updated_at, d.revision, id);
}

/** A document the database no longer has, as `id`, from the snapshot's row. */
export function insertDocumentRowBack(db: Db, id: string, d: Row): void {
  stmt(
    db,
    `INSERT INTO documents (id, source, path, title, size, mtime_ms, sha256, orphaned_at, created_at, updated_at, revision)
     VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
  ).run(id, d.source, d.path, d.title, d.size, d.sha256, d.orphaned_at ?? null, d.created_at, d.updated_at, d.revision);
}

/**
 * What the index holds for a document whose text is not the snapshot's (a project file edited since):
 * the row says what is indexed. Not a user's change, so the revision stays.
 */
export function setIndexedText(db: Db, id: string, text: { title: string; size: number; sha256: string }): void {
  stmt(db, 'UPDATE documents SET title = ?, size = ?, sha256 = ? WHERE id = ?').run(text.title, text.size, text.sha256, id);
}

/** The snapshot's own orphan mark for a document (links written back would otherwise adopt it). */
export function setOrphanedAt(db: Db, id: string, orphanedAt: string | null): void {
  stmt(db, 'UPDATE documents SET orphaned_at = ? WHERE id = ?').run(orphanedAt, id);
}

/** Every document's id, source and path: what a workspace restore checks against the snapshot's. */
export function documentRefs(db: Db): { id: string; source: string; path: string }[] {
  return stmt(db, 'SELECT id, source, path FROM documents').all() as { id: string; source: string; path: string }[];
}
