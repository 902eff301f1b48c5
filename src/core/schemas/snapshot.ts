// Inputs of the snapshot operations.
import { z } from 'zod';
import { Confirm, Cursor, Id, Limit, oneLine } from './common.js';

export const SnapshotCreate = z
  .object({
    label: oneLine(200).optional(),
    /** A flow's snapshot; leave it out for the whole workspace. */
    flow_id: Id.optional(),
    pinned: z.boolean().optional(),
  })
  .strict();
export const SnapshotList = z.object({ flow_id: Id.optional(), cursor: Cursor.optional(), limit: Limit.optional() }).strict();
export const SnapshotShow = z.object({ id: Id }).strict();
export const SnapshotDiff = z.object({ from: Id, to: Id.optional() }).strict();
export const SnapshotRestore = z.object({ id: Id, confirm: Confirm.optional() }).strict();
export const SnapshotPin = z.object({ id: Id }).strict();
export const SnapshotPrune = z.object({ dry_run: z.boolean().optional(), confirm: Confirm.optional() }).strict();

export type SnapshotCreateInput = z.infer<typeof SnapshotCreate>;
export type SnapshotListInput = z.infer<typeof SnapshotList>;
export type SnapshotShowInput = z.infer<typeof SnapshotShow>;
export type SnapshotDiffInput = z.infer<typeof SnapshotDiff>;
export type SnapshotRestoreInput = z.infer<typeof SnapshotRestore>;
export type SnapshotPinInput = z.infer<typeof SnapshotPin>;
export type SnapshotPruneInput = z.infer<typeof SnapshotPrune>;

// Results of restore (and of its preview): what it removes, changes and adds, by kind.
const KindEffect = z.object({
  removed: z.number().int().min(0).describe('present now, gone after the restore (a flow restore: documents unlinked from the flow)'),
  changed: z.number().int().min(0).describe('present before and after, but different'),
  added: z.number().int().min(0).describe('brought back by the restore'),
});
export const RestoreChanges = z.object({
  tasks: KindEffect,
  plans: KindEffect,
  flows: KindEffect,
  documents: KindEffect,
  context_entries: KindEffect,
  summary: z.string().describe('the same in words, e.g. "removes 3 tasks, 1 document; changes 2 tasks"'),
  which: z.string().optional().describe('the first few of them by name, e.g. removes t-b54m "New work", decision "Use Postgres"'),
});

export type KindEffectV = z.infer<typeof KindEffect>;
export type RestoreChangesV = z.infer<typeof RestoreChanges>;
