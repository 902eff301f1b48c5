// The `snapshot` tool: point-in-time copies of a flow or the whole workspace, to diff, restore and prune.
import { diffSnapshots } from '../core/snapshots/diff.js';
import { pruneSnapshots } from '../core/snapshots/prune.js';
import { restoreSnapshot } from '../core/snapshots/restore.js';
import { createSnapshot, snapshotsPage, pinSnapshot, showSnapshot } from '../core/snapshots/catalog.js';
import { SnapshotCreate, SnapshotDiff, SnapshotList, SnapshotPin, SnapshotPrune, SnapshotRestore, SnapshotShow } from '../core/schemas/snapshot.js';
import {
  SnapshotDiffResult,
  SnapshotListResult,
  SnapshotPruneResult,
  SnapshotRestoreResult,
  SnapshotResult,
  SnapshotShowResult,
} from '../core/schemas/snapshot-results.js';
import { action, type ToolSpec } from './define.js';

export const snapshotTool: ToolSpec = {
  name: 'snapshot',
  title: 'Snapshots: save, compare, restore',
  description:
    'Point-in-time copies of a flow (flow_id) or the whole workspace (plans, tasks, documents, context). Taken automatically before deletes and restores. ' +
    'Actions: create(label?, flow_id?, pinned?) · list · show(id) · diff(from, to? default now) · restore(id, confirm:true; without it, a preview of the changes) · pin/unpin(id) · prune(confirm:true, or dry_run).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  open: true,
  actions: {
    create: action(SnapshotCreate, SnapshotResult, (call, i) => createSnapshot(call, i), ['label']),
    list: action(SnapshotList, SnapshotListResult, snapshotsPage),
    show: action(SnapshotShow, SnapshotShowResult, showSnapshot, ['id']),
    diff: action(SnapshotDiff, SnapshotDiffResult, diffSnapshots, ['from', 'to']),
    restore: action(SnapshotRestore, SnapshotRestoreResult, restoreSnapshot, ['id']),
    pin: action(SnapshotPin, SnapshotResult, (call, i) => pinSnapshot(call, i, true), ['id']),
    unpin: action(SnapshotPin, SnapshotResult, (call, i) => pinSnapshot(call, i, false), ['id']),
    prune: action(SnapshotPrune, SnapshotPruneResult, pruneSnapshots),
  },
};
