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

/** The rows of a flowmcp export, with the ids, revisions and positions it restores exactly. */
const Exported = { id: Id, revision: Revision.optional() };
export const ExportedDep = z.object({ id: Id }).passthrough();
export const ExportedTask = ImportedTask.extend({ ...Exported, description: Text.nullish(), position: Position.optional(), depends_on: z.array(ExportedDep).optional() }).passthrough();
export const ExportedPlan = ImportedPlan.extend({ ...Exported, objective: Text.nullish(), position: Position.optional(), tasks: z.array(z.unknown()).optional() }).passthrough();
export const ExportedFlow = ImportedFlow.extend({ ...Exported, description: Text.nullish(), plans: z.array(z.unknown()).optional() }).passthrough();
/** A context entry: a summary may be as long as context save allows a summary, the rest as long as an item. */
export const ExportedEntry = z
  .object({ id: Id, kind: z.enum(ENTRY_KINDS), text: z.string(), why: z.union([z.literal(''), ContextItem]).nullish(), // '' is how the store says "no why"
    state: z.enum(['open', 'closed', 'superseded']).optional() })
  .passthrough()
  .superRefine((e, call) => {
    const r = (e.kind === 'summary' ? ContextSummary : ContextItem).safeParse(e.text);
    if (!r.success) for (const i of r.error.issues) call.addIssue({ code: 'custom', path: ['text'], message: i.message });
  });
