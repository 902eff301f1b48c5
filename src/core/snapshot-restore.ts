// Restoring a snapshot, atomically across the database and the files. A "before restore" snapshot is
// taken first, so a restore can itself be undone. Document texts are written to temporary files
// beside their targets and listed in a journal before the database transaction; the transaction
// records the journal's token; the renames happen after it commits. A crash before the commit leaves
// the old state (the temporary files are removed on the next open); after it, the next open finishes
// the renames. Restoring one flow replaces that flow only; the others are untouched.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { writeFileAtomic } from '../store/atomic-file.js';
import { replaceChunks } from '../store/chunks.js';
import { getDocument, getDocumentByPath } from '../store/documents.js';
import { blobHash, readBlob } from '../store/snapshot-files.js';
import { deleteRows, readScopeRows, upsertRows, type Scope, type SnapshotState } from '../store/snapshot-state.js';
import { setSetting } from '../store/settings.js';
import { finishPendingRestore, journalPath, PENDING, type Journal } from './restore-journal.js';
import { stmt } from '../store/statements.js';
import { documentChunks, recordChunk } from '../search/prepare.js';
import { getFlow } from '../store/flows.js';
import { getPlan } from '../store/plans.js';
import { indexEntry } from './context.js';
import { syncContextFile } from './context-file.js';
import { documentsRoot, safeJoin } from './doc-paths.js';
import { record } from './events.js';
import { FlowError } from './errors.js';
import { captureState, loadState } from './snapshot-capture.js';
import { findSnapshot, scopeOfRow, snapshotView, writeSnapshot, type SnapshotV } from './snapshots.js';
import type { SnapshotRestoreInput } from './schemas/snapshot.js';
import type { Ctx } from './workspace.js';
import type { EntryRow } from '../store/context.js';

type Row = Record<string, unknown>;
const ROW_TABLES = ['flows', 'plans', 'tasks', 'deps', 'context_entries', 'context_state', 'links'] as const;

/** Rows are flat (column → value): equal when every value is. */
function sameRow(a: Row, b: Row): boolean {
  const keys = Object.keys(b);
  if (keys.length !== Object.keys(a).length) return false;
  for (const k of keys) if (a[k] !== b[k]) return false;
  return true;
}

/** Per table: rows to write (new or different) and rows to remove, from the current state to the target. */
function rowChanges(current: SnapshotState, target: SnapshotState) {
  const out = {} as Record<(typeof ROW_TABLES)[number], { write: Row[]; remove: Row[] }>;
  for (const t of ROW_TABLES) {
    const a = current[t];
    const b = target[t];
    const write: Row[] = [];
    for (const k of Object.keys(b)) if (!(k in a) || !sameRow(a[k]!, b[k]!)) write.push(b[k]!);
    out[t] = { write, remove: Object.keys(a).filter((k) => !(k in b)).map((k) => a[k]!) };
  }
  return out;
}

/**
 * Brings the scope from `current` to `target`, changing only the rows that differ (a restore after a
 * few edits touches a few rows, whatever the size of the flow), and only their search chunks.
 */
export function restoreState(ctx: Ctx, scope: Scope, target: SnapshotState, note: string, current?: SnapshotState): void {
  const db = ctx.ws.db;
  const root = documentsRoot(ctx);
  const state = target;
  const now = current ?? db.transaction(() => readScopeRows(db, scope))();
  // 1. Document texts to temporary files, and the journal naming them.
  const renames: [string, string][] = [];
  const texts = new Map<string, string>();
  for (const d of Object.values(state.documents)) {
    if (d.source !== 'flow' || typeof d.blob !== 'string') continue;
    const final = safeJoin(root, String(d.path), { createDirs: true });
    const fileIsRight = existsSync(final) && blobHash(readFileSync(final, 'utf8')) === d.blob;
    if (fileIsRight && now.documents[String(d.id)]?.sha256 === d.sha256) continue;
    const text = readBlob(ctx.ws.flowDir, d.blob);
    texts.set(String(d.id), text); // the index needs it even when the file is already right
    if (fileIsRight) continue;
    const tmp = `${final}.restore-${randomBytes(4).toString('hex')}`;
    writeFileAtomic(tmp, text);
    renames.push([tmp, final]);
  }
  const token = randomBytes(8).toString('hex');
  const leaving: string[] = [];
  if (renames.length) writeFileAtomic(journalPath(ctx.ws.flowDir), JSON.stringify({ token, renames, pid: process.pid, host: hostname() } satisfies Journal));

  // 2. The database, in one transaction.
  const ch = rowChanges(now, state);
  try {
    ctx.ws.write(() => {
      // Parents before children on the way in; removals after, so a task moved out of a removed plan survives.
      upsertRows(db, 'flows', ch.flows.write);
      upsertRows(db, 'plans', ch.plans.write);
      upsertRows(db, 'tasks', ch.tasks.write);
      for (const t of ['links', 'context_state', 'context_entries', 'deps', 'tasks', 'plans', 'flows'] as const) deleteRows(db, t, ch[t].remove);
      upsertRows(db, 'deps', ch.deps.write);
      upsertRows(db, 'context_entries', ch.context_entries.write);
      upsertRows(db, 'context_state', ch.context_state.write);
      const idMap = new Map<string, string>();
      for (const d of Object.values(state.documents)) {
        const id = String(d.id);
        const samePath = getDocumentByPath(db, d.source as 'flow' | 'project', String(d.path));
        const existing = samePath ?? getDocument(db, id);
        const text = texts.get(id);
        if (existing) {
          idMap.set(id, existing.id);
          if (now.documents[existing.id] && sameRow(now.documents[existing.id]!, d)) continue;
          // Back to the snapshot's row exactly (mtime 0: the next sync looks at the file again).
          stmt(
            db,
            `UPDATE documents SET title = ?, size = ?, sha256 = ?, mtime_ms = 0, orphaned_at = ?, created_at = ?, updated_at = ?, revision = ?
             WHERE id = ?`,
          ).run(d.title, d.size, d.sha256, d.orphaned_at ?? null, d.created_at, d.updated_at, d.revision, existing.id);
          if (existing.sha256 !== d.sha256 && text !== undefined) replaceChunks(db, 'document', existing.id, documentChunks(text, String(d.title)));
        } else {
          stmt(
            db,
            `INSERT INTO documents (id, source, path, title, size, mtime_ms, sha256, orphaned_at, created_at, updated_at, revision)
             VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?)`,
          ).run(id, d.source, d.path, d.title, d.size, d.sha256, d.orphaned_at ?? null, d.created_at, d.updated_at, d.revision);
          if (text !== undefined) replaceChunks(db, 'document', id, documentChunks(text, String(d.title)));
        }
      }
      // A workspace restore brings back exactly the snapshot's documents: later ones leave the index
      // (their files go after the commit; the "before restore" snapshot still holds their text).
      if (scope.kind === 'workspace') {
        const keep = new Set(idMap.values());
        for (const d of stmt(db, 'SELECT id, source, path FROM documents').all() as { id: string; source: string; path: string }[]) {
          if (keep.has(d.id) || state.documents[d.id]) continue;
          stmt(db, 'DELETE FROM documents WHERE id = ?').run(d.id);
          if (d.source === 'flow') leaving.push(d.path);
        }
      }
      upsertRows(db, 'links', ch.links.write.map((l) => ({ ...l, document_id: idMap.get(String(l.document_id)) ?? l.document_id })));
      // Links written back adopt their documents; the snapshot's own orphan marks are what count.
      for (const d of Object.values(state.documents)) {
        stmt(db, 'UPDATE documents SET orphaned_at = ? WHERE id = ?').run(d.orphaned_at ?? null, idMap.get(String(d.id)) ?? d.id);
      }
      for (const t of ch.tasks.write) replaceChunks(db, 'task', String(t.id), recordChunk(String(t.title), String(t.description)));
      for (const p of ch.plans.write) replaceChunks(db, 'plan', String(p.id), recordChunk(String(p.title), String(p.objective)));
      for (const e of ch.context_entries.write) indexEntry(ctx, e as unknown as EntryRow);
      if (renames.length) setSetting(db, PENDING, token);
      record(ctx, {
        action: 'snapshot.restore',
        entity: 'snapshot',
        entity_id: scope.kind === 'flow' ? scope.flowId : 'workspace',
        flow_id: scope.kind === 'flow' ? scope.flowId : null,
        summary: note,
      });
    });
  } catch (e) {
    for (const [tmp] of renames) rmSync(tmp, { force: true });
    rmSync(journalPath(ctx.ws.flowDir), { force: true });
    throw e;
  }
  // 3. The files, now that the database has committed.
  finishPendingRestore(ctx.ws.flowDir, db);
  for (const path of leaving) rmSync(safeJoin(root, path), { force: true });
  for (const f of new Set([...Object.keys(state.flows), ...Object.keys(now.flows)])) if (getFlow(db, f)) syncContextFile(ctx, f);
  // A session whose current flow or plan the restore removed starts over at none.
  const cur = ctx.session.current();
  const gone = new Set<string>();
  if (cur.flowId && !getFlow(db, cur.flowId)) gone.add(cur.flowId);
  if (cur.planId && !getPlan(db, cur.planId)) gone.add(cur.planId);
  if (gone.size) ctx.session.forget(gone);
}

export function restoreSnapshot(ctx: Ctx, input: SnapshotRestoreInput): { restored: SnapshotV; undo_snapshot: string; undo: string } {
  const row = findSnapshot(ctx, input.id);
  const counts = JSON.parse(row.counts) as Record<string, number>;
  if (input.confirm !== true) {
    throw new FlowError(
      'confirm_required',
      `Restoring ${row.scope === 'flow' ? `flow ${row.flow_id}` : 'the whole workspace'} to snapshot ${row.id} (${row.created_at}; ${counts.plans} plans, ${counts.tasks} tasks) replaces its current state; a "before restore" snapshot is taken first, so it can be undone. Nothing was changed.`,
      'Call again with confirm: true; snapshot diff with from: ' + row.id + ' shows what would change.',
    );
  }
  const scope = scopeOfRow(row);
  const state = loadState(ctx, row);
  const current = captureState(ctx, scope);
  const before = writeSnapshot(ctx, scope, current, { reason: `before restore of ${row.id}` });
  restoreState(ctx, scope, state, `restored ${row.scope === 'flow' ? row.flow_id : 'the workspace'} to ${row.id}; undo: restore ${before.id}`, current);
  return { restored: snapshotView(row), undo_snapshot: before.id, undo: `snapshot restore ${before.id} (confirm: true)` };
}
