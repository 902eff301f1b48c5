// Retention: keep the newest `keep_last` snapshots and every one younger than `keep_days` (pinned ones
// always); remove the rest. A kept patch whose chain runs through a removed snapshot is first rewritten
// as a full checkpoint, so nothing kept stops reading back. Payload files no catalog entry names (a
// crash between payload and catalog) and blobs no kept snapshot uses are collected. Orphaned flowmcp
// documents older than the retention period go too, after a workspace snapshot that keeps their text.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { deleteDocument, orphanedFlowDocuments } from '../../store/documents.js';
import { blobHashes, payloadFiles, snapshotsDir, readPayload, removeBlob, removePayload, writePayload } from '../../store/snapshot-files.js';
import { allSnapshots, deleteSnapshot, makeFull, type SnapshotRow } from '../../store/snapshots.js';
import { documentsRoot, safeJoin } from '../docs/doc-paths.js';
import { readConfig } from '../kernel/config.js';
import { record } from '../kernel/events.js';
import { captureState, loadState, stateHash } from './capture.js';
import { writeSnapshot } from './catalog.js';
import type { SnapshotPruneInput } from '../schemas/snapshot.js';
import type { SnapshotPruneResultV } from '../schemas/snapshot-results.js';
import type { Call } from '../kernel/workspace.js';
import { jsonColumn } from '../../store/rows.js';
import { z } from 'zod';
import { FlowError } from '../../model/errors.js';
import { counted } from '../../model/counted.js';

export const DEFAULT_KEEP_LAST = 50;
export const DEFAULT_KEEP_DAYS = 30;
const DAY_MS = 86_400_000;
const SETTLE_MS = 10 * 60_000;

export type PruneReport = SnapshotPruneResultV;

export function pruneSnapshots(call: Call, input: SnapshotPruneInput): PruneReport {
  const cfg = readConfig(call.ws).snapshots ?? {};
  const keepLast = cfg.keep_last ?? DEFAULT_KEEP_LAST;
  const keepDays = cfg.keep_days ?? DEFAULT_KEEP_DAYS;
  const now = call.ws.clock.now().getTime();
  const cutoff = new Date(now - keepDays * DAY_MS).toISOString();
  const db = call.ws.db;
  const rows = allSnapshots(db); // oldest first
  const newest = new Set(rows.slice(-keepLast).map((r) => r.id));
  const keep = (r: SnapshotRow) => r.pinned === 1 || newest.has(r.id) || r.created_at > cutoff;
  const doomed = rows.filter((r) => !keep(r));
  const doomedIds = new Set(doomed.map((r) => r.id));
  // Kept patches whose chain passes through a removed snapshot: the first such in each chain becomes full.
  const rewrite = rows.filter((r) => keep(r) && r.kind === 'patch' && doomedIds.has(r.base_id!));
  const orphans = orphanedFlowDocuments(db, cutoff);
  const report: PruneReport = {
    dry_run: !!input.dry_run,
    removed: doomed.map((r) => ({ id: r.id, created_at: r.created_at, label: r.label })),
    kept: rows.length - doomed.length,
    rewritten_as_full: rewrite.map((r) => r.id),
    blobs_removed: 0,
    stray_payloads_removed: 0,
    orphan_documents_removed: orphans.map((o) => o.path),
  };
  if (input.dry_run) return report;
  // Snapshots are the undo of everything else: removing them is for good, so it is confirmed. The
  // retention that picks them comes from .flow/config.json, which a cloned repository may have written.
  if ((doomed.length || orphans.length) && input.confirm !== true) {
    const listed = doomed.slice(0, 5).map((r) => r.id).join(', ') + (doomed.length > 5 ? ', …' : '');
    throw new FlowError(
      'confirm_required',
      `Pruning removes ${counted(doomed.length, 'snapshot')} for good${listed ? ` (${listed})` : ''}${orphans.length ? ` and ${counted(orphans.length, 'orphaned document')}` : ''}, by this project's retention (keep the last ${keepLast}, and any from the last ${keepDays} days, and pinned ones). Nothing was removed.`,
      'Call again with confirm: true if that is what you want, or with dry_run: true for the whole list; pin a snapshot to keep it.',
      { removed: report.removed.map((r) => r.id), orphan_documents_removed: report.orphan_documents_removed },
    );
  }

  for (const r of rewrite) {
    const state = loadState(call, r); // before anything it depends on goes
    const p = readPayload(call.ws.flowDir, r.file);
    // A checkpoint's hash is its state's (a patch's was of its patch text: see capture.ts patchHash).
    const hash = stateHash(state);
    const { file, bytes } = writePayload(call.ws.flowDir, { ...p, kind: 'full', base_id: null, depth: 0, state_hash: hash, state, patch: undefined });
    call.ws.write(() => makeFull(db, r.id, file, bytes, hash));
    if (file !== r.file) removePayload(call.ws.flowDir, r.file);
  }
  if (orphans.length) {
    // Their text stays recoverable: a workspace snapshot holds it before the files go.
    writeSnapshot(call, { kind: 'workspace' }, captureState(call, { kind: 'workspace' }), { reason: 'before prune of orphaned documents' });
  }
  // The documents and snapshots go in the transaction that records it (never a committed change without
  // its event); their files after it commits.
  call.ws.write(() => {
    for (const o of orphans) deleteDocument(db, o.id);
    for (const r of doomed) deleteSnapshot(db, r.id);
    record(call, {
      action: 'snapshot.prune',
      entity: 'snapshot',
      entity_id: 'workspace',
      flow_id: null,
      summary: `pruned ${doomed.length} snapshots (kept ${report.kept})${orphans.length ? `, removed ${orphans.length} orphaned documents` : ''}`,
    });
  });
  for (const o of orphans) rmSync(safeJoin(documentsRoot(call), o.path), { force: true });
  for (const r of doomed) removePayload(call.ws.flowDir, r.file);
  // Payloads nothing names (a crash between payload and catalog) and blobs nothing uses — if they are
  // old enough not to belong to a snapshot another process is writing right now.
  const remaining = allSnapshots(db);
  const named = new Set(remaining.map((r) => r.file));
  // Stryker disable next-line ObjectLiteral,BooleanLiteral: every file asked about was just listed from its folder; it is missing only if another process removed it in between
  const settled = (file: string) => (statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? now) < Date.now() - SETTLE_MS;
  const dir = snapshotsDir(call.ws.flowDir);
  for (const f of payloadFiles(call.ws.flowDir)) {
    if (!named.has(f) && settled(join(dir, f))) {
      removePayload(call.ws.flowDir, f);
      report.stray_payloads_removed++;
    }
  }
  const used = new Set(remaining.flatMap((r) => jsonColumn(r.blobs, `snapshots.blobs of ${r.id}`, z.array(z.string()))));
  for (const h of blobHashes(call.ws.flowDir)) {
    if (!used.has(h) && settled(join(dir, 'blobs', `${h}.gz`))) {
      removeBlob(call.ws.flowDir, h);
      report.blobs_removed++;
    }
  }
  return report;
}
