// What each action of the snapshot tool returns: the core functions' return types are z.infer of these.
import { z } from 'zod';
import { RestoreChanges } from './snapshot.js';

export const SnapshotView = z.object({
  id: z.string(),
  label: z.string(),
  scope: z.enum(['flow', 'workspace']),
  flow_id: z.string().nullable(),
  reason: z.string(),
  pinned: z.boolean(),
  kind: z.enum(['full', 'patch']),
  bytes: z.number().int(),
  counts: z.record(z.string(), z.number().int()).describe('rows of each kind the snapshot holds'),
  created_at: z.string(),
});

export const SnapshotResult = z.object({ snapshot: SnapshotView });
export const SnapshotListResult = z.object({ snapshots: z.array(SnapshotView), next_cursor: z.string().nullable() });
export const SnapshotShowResult = z.object({
  snapshot: SnapshotView,
  flows: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })),
  plans: z.array(z.object({ id: z.string(), title: z.string(), status: z.string(), flow_id: z.string() })),
  documents: z.array(z.object({ id: z.string(), path: z.string(), source: z.string() })),
  truncated: z.boolean().describe('some kind holds more than the 50 rows shown'),
});

const Named = z.object({ id: z.string(), title: z.string() });
/** One kind's changes in a diff: at most 50 of each list, with the true totals. */
export const DiffSection = z.object({
  added: z.array(Named),
  removed: z.array(Named),
  changed: z.array(
    Named.extend({
      fields: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).describe('field: [before, after]'),
      sha256: z.tuple([z.string().nullable(), z.string().nullable()]).optional().describe("a document's content hash [before, after] when its text changed"),
    }),
  ),
  totals: z.object({ added: z.number().int(), removed: z.number().int(), changed: z.number().int() }),
});
export const DiffSections = z.object({ flows: DiffSection, plans: DiffSection, tasks: DiffSection, documents: DiffSection, context: DiffSection });
export const SnapshotDiffResult = DiffSections.extend({
  from: z.string(),
  to: z.string().describe('a snapshot id, or "now"'),
  text: z.string(),
});

export const SnapshotRestoreResult = z.object({
  restored: SnapshotView,
  undo_snapshot: z.string(),
  undo: z.string(),
  changes: RestoreChanges,
});
export const SnapshotPreviewResult = z.object({ snapshot: SnapshotView, changes: RestoreChanges });

export const SnapshotPruneResult = z.object({
  dry_run: z.boolean(),
  removed: z.array(z.object({ id: z.string(), created_at: z.string(), label: z.string() })),
  kept: z.number().int(),
  rewritten_as_full: z.array(z.string()),
  blobs_removed: z.number().int(),
  stray_payloads_removed: z.number().int(),
  orphan_documents_removed: z.array(z.string()),
});

export type SnapshotV = z.infer<typeof SnapshotView>;
export type SnapshotResultV = z.infer<typeof SnapshotResult>;
export type SnapshotListResultV = z.infer<typeof SnapshotListResult>;
export type SnapshotShowResultV = z.infer<typeof SnapshotShowResult>;
export type DiffSectionV = z.infer<typeof DiffSection>;
export type DiffSectionsV = z.infer<typeof DiffSections>;
export type SnapshotDiffResultV = z.infer<typeof SnapshotDiffResult>;
export type SnapshotRestoreResultV = z.infer<typeof SnapshotRestoreResult>;
export type SnapshotPreviewResultV = z.infer<typeof SnapshotPreviewResult>;
export type SnapshotPruneResultV = z.infer<typeof SnapshotPruneResult>;
