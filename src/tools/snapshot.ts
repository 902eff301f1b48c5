// The `snapshot` tool: point-in-time copies of a flow or the whole workspace, to diff, restore and prune.
import { z } from 'zod';
import { diffSnapshots } from '../core/snapshots/diff.js';
import { pruneSnapshots } from '../core/snapshots/prune.js';
import { restoreSnapshot } from '../core/snapshots/restore.js';
import { createSnapshot, listSnapshotsOp, pinSnapshot, showSnapshot } from '../core/snapshots/catalog.js';
import { RestoreChanges, SnapshotCreate, SnapshotDiff, SnapshotList, SnapshotPin, SnapshotPrune, SnapshotRestore, SnapshotShow } from '../core/schemas/snapshot.js';
import { ErrorView } from '../core/schemas/results.js';
import { action, type ToolSpec } from './define.js';

export const snapshotTool: ToolSpec = {
  name: 'snapshot',
  title: 'Snapshots: save, compare, restore',
  description:
    'Point-in-time copies of a flow (flow_id) or the whole workspace: plans, tasks, documents, context. One is taken automatically before deletes and restores. ' +
    'Actions: create(label?, flow_id?, pinned?) · list · show(id) · diff(from, to? default now) · restore(id, confirm:true; says what it removes/changes, and without confirm previews it) · pin/unpin(id) · prune(dry_run?).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    create: action(SnapshotCreate, (ctx, i) => createSnapshot(ctx, i), ['label']),
    list: action(SnapshotList, listSnapshotsOp),
    show: action(SnapshotShow, showSnapshot, ['id']),
    diff: action(SnapshotDiff, diffSnapshots, ['from', 'to']),
    restore: action(SnapshotRestore, restoreSnapshot, ['id']),
    pin: action(SnapshotPin, (ctx, i) => pinSnapshot(ctx, i, true), ['id']),
    unpin: action(SnapshotPin, (ctx, i) => pinSnapshot(ctx, i, false), ['id']),
    prune: action(SnapshotPrune, pruneSnapshots),
  },
  // Results differ by action; the schema names what every client may rely on and lets the rest through.
  output: z
    .object({
      snapshot: z.object({ id: z.string() }).catchall(z.unknown()).optional(),
      snapshots: z.array(z.object({ id: z.string() }).catchall(z.unknown())).optional(),
      text: z.string().optional(),
      // restore: the snapshot that undoes it, and what it removed, changed and added, by kind
      undo_snapshot: z.string().optional(),
      changes: RestoreChanges.optional(),
      error: ErrorView.optional(),
    })
    .catchall(z.unknown()),
};
