// Persistence of document metadata and links (the text of flowmcp-owned documents lives in files).
import type { Db } from './db.js';
import { stmt } from './statements.js';

export type DocSource = 'flow' | 'project';
export type LinkKind = 'flow' | 'plan' | 'task';

export interface DocumentRow {
  id: string;
  source: DocSource;
  path: string;
  title: string;
  size: number;
  mtime_ms: number;
  sha256: string;
  orphaned_at: string | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface LinkRow {
  target_kind: LinkKind;
  target_id: string;
}

export function getDocument(db: Db, id: string): DocumentRow | undefined {
  return stmt(db, 'SELECT * FROM documents WHERE id = ?').get(id) as DocumentRow | undefined;
}

export function getDocumentByPath(db: Db, source: DocSource, path: string): DocumentRow | undefined {
  return stmt(db, 'SELECT * FROM documents WHERE source = ? AND path = ?').get(source, path) as DocumentRow | undefined;
}

export function insertDocument(db: Db, row: DocumentRow): void {
  stmt(
    db,
    `INSERT INTO documents (id, source, path, title, size, mtime_ms, sha256, orphaned_at, created_at, updated_at, revision)
     VALUES (@id, @source, @path, @title, @size, @mtime_ms, @sha256, @orphaned_at, @created_at, @updated_at, @revision)`,
  ).run(row);
}

export function updateDocumentFile(db: Db, id: string, f: { title: string; size: number; mtime_ms: number; sha256: string }, now: string): void {
  stmt(
    db,
    `UPDATE documents SET title = @title, size = @size, mtime_ms = @mtime_ms, sha256 = @sha256, updated_at = @now,
       revision = revision + 1 WHERE id = @id`,
  ).run({ ...f, now, id });
}

/** Records the file's new mtime/size when its content did not change (touched, or copied back). */
export function touchDocument(db: Db, id: string, mtimeMs: number, size: number): void {
  stmt(db, 'UPDATE documents SET mtime_ms = ?, size = ? WHERE id = ?').run(mtimeMs, size, id);
}

export function deleteDocument(db: Db, id: string): void {
  stmt(db, 'DELETE FROM documents WHERE id = ?').run(id);
}

export function listDocuments(db: Db, opts: { source?: DocSource; targetIds?: string[]; afterPath?: string; limit: number }): DocumentRow[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (opts.source) {
    where.push('d.source = ?');
    params.push(opts.source);
  }
  if (opts.targetIds) {
    // No ids: SQLite takes an empty list, `IN ()`, and it matches nothing.
    where.push(`d.id IN (SELECT document_id FROM document_links WHERE target_id IN (${opts.targetIds.map(() => '?').join(',')}))`);
    params.push(...opts.targetIds);
  }
  if (opts.afterPath !== undefined) {
    where.push('(d.source || char(0) || d.path) > ?');
    params.push(opts.afterPath);
  }
  return stmt(
    db,
    `SELECT d.* FROM documents d ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY d.source, d.path LIMIT ?`,
  ).all(...params, opts.limit) as DocumentRow[];
}

/** What a pass noticing edited files needs of every document: no titles, no text. */
export type DocumentStampRow = Pick<DocumentRow, 'id' | 'source' | 'path' | 'size' | 'mtime_ms'>;

export function documentStamps(db: Db): DocumentStampRow[] {
  return stmt(db, 'SELECT id, source, path, size, mtime_ms FROM documents ORDER BY source, path').all() as DocumentStampRow[];
}

export function countDocuments(db: Db): number {
  return stmt(db, 'SELECT COUNT(*) FROM documents').pluck().get() as number;
}

export function linksOf(db: Db, documentId: string): LinkRow[] {
  return stmt(db, 'SELECT target_kind, target_id FROM document_links WHERE document_id = ? ORDER BY target_kind, target_id').all(documentId) as LinkRow[];
}

export function addLink(db: Db, documentId: string, kind: LinkKind, targetId: string, now: string): boolean {
  return stmt(db, 'INSERT OR IGNORE INTO document_links (document_id, target_kind, target_id, created_at) VALUES (?, ?, ?, ?)').run(documentId, kind, targetId, now).changes === 1;
}

export function removeLink(db: Db, documentId: string, kind: LinkKind, targetId: string): boolean {
  return stmt(db, 'DELETE FROM document_links WHERE document_id = ? AND target_kind = ? AND target_id = ?').run(documentId, kind, targetId).changes === 1;
}

/** The flows a document belongs to, through links to them, their plans or their tasks. */
export function documentFlows(db: Db, documentId: string): string[] {
  return stmt(
    db,
    `SELECT DISTINCT COALESCE(f.id, p.flow_id, t.flow_id) FROM document_links l
       LEFT JOIN flows f ON l.target_kind = 'flow' AND f.id = l.target_id
       LEFT JOIN plans p ON l.target_kind = 'plan' AND p.id = l.target_id
       LEFT JOIN tasks t ON l.target_kind = 'task' AND t.id = l.target_id
     WHERE l.document_id = ? ORDER BY 1`,
  )
    .pluck()
    .all(documentId)
    .filter(Boolean) as string[];
}

/** flowmcp's own documents orphaned (nothing links to them) before `cutoff`: what prune removes. */
export function orphanedFlowDocuments(db: Db, cutoff: string): { id: string; path: string }[] {
  return stmt(db, "SELECT id, path FROM documents WHERE source = 'flow' AND orphaned_at IS NOT NULL AND orphaned_at < ?").all(cutoff) as {
    id: string;
    path: string;
  }[];
}
