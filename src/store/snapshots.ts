// Persistence of the snapshot catalog (payloads are files: store/snapshot-files.ts).
import type { Db } from './db.js';
import { stmt } from './statements.js';

export interface SnapshotRow {
  id: string;
  label: string;
  scope: 'flow' | 'workspace';
  flow_id: string | null;
  reason: string;
  pinned: number;
  kind: 'full' | 'patch';
  base_id: string | null;
  depth: number;
  file: string;
  bytes: number;
  counts: string;
  blobs: string;
  state_hash: string;
  created_at: string;
  seq: number;
}

export function insertSnapshot(db: Db, row: Omit<SnapshotRow, 'seq'>): void {
  stmt(
    db,
    `INSERT INTO snapshots (id, label, scope, flow_id, reason, pinned, kind, base_id, depth, file, bytes, counts, blobs, state_hash, created_at, seq)
     VALUES (@id, @label, @scope, @flow_id, @reason, @pinned, @kind, @base_id, @depth, @file, @bytes, @counts, @blobs, @state_hash, @created_at,
             (SELECT COALESCE(MAX(seq), 0) + 1 FROM snapshots))`,
  ).run(row);
}

export function getSnapshot(db: Db, id: string): SnapshotRow | undefined {
  return stmt(db, 'SELECT * FROM snapshots WHERE id = ?').get(id) as SnapshotRow | undefined;
}

/** The newest snapshot of a scope (a flow's, or the workspace's). */
export function latestSnapshot(db: Db, scope: 'flow' | 'workspace', flowId: string | null): SnapshotRow | undefined {
  return stmt(db, 'SELECT * FROM snapshots WHERE scope = ? AND flow_id IS ? ORDER BY seq DESC LIMIT 1').get(scope, flowId) as SnapshotRow | undefined;
}

/** The newest snapshot someone asked for (snapshot create), not one flowmcp took before a delete, restore or import. */
export function newestTakenByHand(db: Db): SnapshotRow | undefined {
  return stmt(db, `SELECT * FROM snapshots WHERE reason = 'manual' ORDER BY seq DESC LIMIT 1`).get() as SnapshotRow | undefined;
}

/**
 * Newest first, after `beforeSeq` (0: from the newest). With a flow: the snapshots that hold it, its own
 * and the whole workspace's (a plain `snapshot create`, an import's).
 */
export function listSnapshots(db: Db, beforeSeq: number, limit: number, flowId?: string): SnapshotRow[] {
  return stmt(
    db,
    `SELECT * FROM snapshots WHERE (@before = 0 OR seq < @before) AND (@flow IS NULL OR flow_id = @flow OR scope = 'workspace') ORDER BY seq DESC LIMIT @limit`,
  ).all({ before: beforeSeq, limit, flow: flowId ?? null }) as SnapshotRow[];
}

export function allSnapshots(db: Db): SnapshotRow[] {
  return stmt(db, 'SELECT * FROM snapshots ORDER BY seq').all() as SnapshotRow[];
}

export function setPinned(db: Db, id: string, pinned: boolean): void {
  stmt(db, 'UPDATE snapshots SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, id);
}

/** Turns a patch snapshot into a full checkpoint (its base is about to be pruned). */
export function makeFull(db: Db, id: string, file: string, bytes: number, stateHash: string): void {
  stmt(db, "UPDATE snapshots SET kind = 'full', base_id = NULL, depth = 0, file = ?, bytes = ?, state_hash = ? WHERE id = ?").run(file, bytes, stateHash, id);
}

export function deleteSnapshot(db: Db, id: string): void {
  stmt(db, 'DELETE FROM snapshots WHERE id = ?').run(id);
}
