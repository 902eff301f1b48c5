// One row of an import, checked by the same field schemas the tools use (common.ts, flow.ts, plan.ts,
// task.ts, context.ts): whichever door a row comes in by — a tool call or a file — the same limits
// and vocabularies hold. Unknown fields of a file are not refused here (the readers keep them out).
import { z } from 'zod';
import { FlowStatus, Id, PlanStatus, Position, Priority, Revision, TaskStatus, Text } from './common.js';
import { ENTRY_KINDS } from '../../store/context.js';
import { ContextFilePath, ContextItem, ContextSummary } from './context.js';
import { FlowCreate } from './flow.js';
import { PlanCreate } from './plan.js';
import { NewTask } from './task.js';

export const ImportedFlow = FlowCreate.pick({ name: true, description: true }).extend({ status: FlowStatus });
export const ImportedPlan = PlanCreate.pick({ title: true, objective: true }).extend({ status: PlanStatus });
export const ImportedTask = NewTask.pick({ title: true, description: true, priority: true }).extend({ status: TaskStatus });
export const ImportedContextEntry = z.object({ text: ContextItem, why: ContextItem.optional() });
export const ImportedContextFile = ContextFilePath;

/**
 * The rows of a flowmcp export, with the ids, revisions, positions and times it restores exactly. Every
 * field the store cannot do without is required: an export always has them, and a file without one is
 * refused with the row placed, never left to fail half-way through the write.
 */
const Stamp = z.string().min(1, 'must not be empty');
const Exported = { id: Id, revision: Revision, created_at: Stamp, updated_at: Stamp };
export const ExportedDep = z.object({ id: Id, created_at: Stamp }).passthrough();
export const ExportedTask = ImportedTask.extend({ ...Exported, description: Text, priority: Priority, position: Position, depends_on: z.array(ExportedDep).optional() }).passthrough();
export const ExportedPlan = ImportedPlan.extend({ ...Exported, objective: Text, position: Position, tasks: z.array(z.unknown()).optional() }).passthrough();
// A flow's times are "created" and "updated", as in the "3.0" layout the export extends.
export const ExportedFlow = ImportedFlow.extend({ id: Id, revision: Revision, created: Stamp, updated: Stamp, description: Text, plans: z.array(z.unknown()).optional() }).passthrough();
/** A flow's context state (files is the store's JSON text of the list). */
export const ExportedState = z.object({ revision: z.number().int().min(0), updated_at: Stamp, files: z.string() }).passthrough();
/** A context entry: a summary may be as long as context save allows a summary, the rest as long as an item. */
export const ExportedEntry = z
  .object({ id: Id, kind: z.enum(ENTRY_KINDS), text: z.string(), why: z.union([z.literal(''), ContextItem]), // '' is how the store says "no why"
    state: z.enum(['open', 'closed', 'superseded']), agent: z.string(), created_at: Stamp, updated_at: Stamp })
  .passthrough()
  .superRefine((e, call) => {
    const r = (e.kind === 'summary' ? ContextSummary : ContextItem).safeParse(e.text);
    if (!r.success) for (const i of r.error.issues) call.addIssue({ code: 'custom', path: ['text'], message: i.message });
  });
