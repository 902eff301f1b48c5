// What each action of the context tool returns: the core functions' return types are z.infer of these.
import { z } from 'zod';
import { ENTRY_KINDS as KINDS } from '../../store/context.js';

/** What was done with a flow's context.json when it was read: shown when hand edits were merged or the file was unreadable. */
export const ReconcileReport = z.object({
  /** What was done with the file: nothing, rewritten from the database, or hand edits merged. */
  outcome: z.enum(['current', 'rewritten', 'merged', 'unreadable']),
  applied: z.number().int().optional(),
  conflicts: z.array(z.string()).optional(),
  /** Where the edited or unreadable file was kept, untouched, when it could not be merged whole. */
  kept_aside: z.string().optional(),
  error: z.string().optional(),
});
const FileMerge = { file_merge: ReconcileReport.optional() };

export const ContextSaveResult = z.object({
  flow_id: z.string(),
  revision: z.number().int(),
  saved: z.array(z.object({ id: z.string(), kind: z.enum(KINDS) })),
  /** The files this save recorded as touched (files: […]), as stored. */
  files_saved: z.array(z.string()).optional(),
  closed: z.array(z.string()).optional(),
  file: z.string(),
  ...FileMerge,
});

const Item = z.object({ id: z.string(), text: z.string(), at: z.string() });
export const ContextGetResult = z.object({
  flow: z.object({ id: z.string(), name: z.string() }),
  revision: z.number().int(),
  updated_at: z.string().nullable(),
  summary: Item.nullable(),
  decisions: z.array(
    z.object({ id: z.string(), what: z.string(), why: z.string().optional(), at: z.string(), plan_id: z.string().nullable(), task_id: z.string().nullable() }),
  ),
  decisions_total: z.number().int(),
  questions: z.array(Item),
  next_steps: z.array(Item),
  insights: z.array(Item),
  preferences: z.array(Item),
  /** Open entries of each kind not in this answer (past `limit` or the answer's room), and where to read them. */
  omitted: z
    .object({ decision: z.number().int(), question: z.number().int(), next_step: z.number().int(), insight: z.number().int(), preference: z.number().int(), note: z.string() })
    .partial()
    .optional(),
  active: z.object({ plan_id: z.string().nullable(), task_id: z.string().nullable() }),
  files_touched: z.array(z.string()),
  file: z.string(),
  ...FileMerge,
});

export const ContextHistoryResult = z.object({
  flow_id: z.string(),
  entries: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(KINDS),
      text: z.string(),
      why: z.string().optional(),
      state: z.enum(['open', 'closed', 'superseded']),
      at: z.string(),
      plan_id: z.string().optional(),
      task_id: z.string().optional(),
    }),
  ),
  next_cursor: z.string().nullable(),
  ...FileMerge,
});

export const ContextResumeResult = z.object({
  flow_id: z.string(),
  plan_id: z.string().nullable(),
  text: z.string(),
  tokens: z.number().int(),
  budget_tokens: z.number().int(),
  omitted: z.record(z.string(), z.number().int()).describe('items left out to stay within the budget, by kind'),
  ...FileMerge,
});

export type ReconcileReportV = z.infer<typeof ReconcileReport>;
export type ContextSaveResultV = z.infer<typeof ContextSaveResult>;
export type ContextGetResultV = z.infer<typeof ContextGetResult>;
export type ContextHistoryResultV = z.infer<typeof ContextHistoryResult>;
export type ContextResumeResultV = z.infer<typeof ContextResumeResult>;
