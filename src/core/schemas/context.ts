// Inputs of the context operations (the file's layout is memory-format/layout.ts).
import { z } from 'zod';
import { Cursor, Id, Limit, wholeCharacters } from './common.js';
import { CONTEXT_LIMITS } from '../../model/limits.js';
import { count } from '../../model/error-text.js';

/** Trimmed, non-empty prose up to `max` characters, without NUL. */
const prose = (max: number, tooLong: string, notText?: string) =>
  z
    .string(notText ? { error: (issue) => (Array.isArray(issue.input) ? notText : undefined) } : undefined)
    .trim()
    .min(1, 'must not be empty')
    .max(max, tooLong)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
    .refine(...wholeCharacters);
/** One context item (decision, question, next step, insight, preference): shared with imports. */
export const ContextItem = prose(
  CONTEXT_LIMITS.item,
  `must be at most ${count(CONTEXT_LIMITS.item)} characters; keep long material in a document and save a pointer to it`,
);
/** A flow's summary: shared with imports. */
export const ContextSummary = prose(CONTEXT_LIMITS.summary, `must be at most ${count(CONTEXT_LIMITS.summary)} characters; keep long material in a document`);

/**
 * An item of context save: one a call. A caller with several next steps sends a list first; it is told
 * how to save them (the schema stays one text, as tools/list is near its token budget).
 */
const Item = prose(
  CONTEXT_LIMITS.item,
  `must be at most ${count(CONTEXT_LIMITS.item)} characters; keep long material in a document and save a pointer to it`,
  'must be one text, not a list: save one of each kind a call (context save again for the others)',
);
const SummaryText = ContextSummary;
/** A file a flow's context mentions. */
export const ContextFilePath = z.string().trim().min(1).max(CONTEXT_LIMITS.filePath);

/** A decision: its text alone, or what + why (+ the plan/task it is about). */
const Decision = z.union([
  Item.transform((what): { what: string; why?: string; plan_id?: string; task_id?: string } => ({ what })),
  z.object({ what: Item, why: Item.optional(), plan_id: Id.optional(), task_id: Id.optional() }).strict(),
]);

export const ContextSave = z
  .object({
    summary: SummaryText.optional(),
    decision: Decision.optional(),
    question: Item.optional(),
    next_step: Item.optional(),
    insight: Item.optional(),
    preference: Item.optional(),
    files: z.array(ContextFilePath).min(1).max(CONTEXT_LIMITS.filesPerSave).optional(),
    /** Ids of open questions / next steps that are answered or done (or decisions that no longer hold). */
    close: z.array(Id).min(1).max(50).optional(),
    /**
     * append: the summary is extended and items are added (the default for items).
     * replace: the summary is replaced (its default; the old one stays in history), and the open
     * questions/next steps of the kinds given here are superseded by the new ones.
     */
    mode: z.enum(['append', 'replace']).optional(),
    flow_id: Id.optional(),
  })
  .strict()
  .refine(
    (v) => v.summary || v.decision || v.question || v.next_step || v.insight || v.preference || v.files || v.close,
    { message: 'give at least one of summary, decision, question, next_step, insight, preference, files, close' },
  );
export const ContextGet = z
  .object({ flow_id: Id.optional(), limit: z.number().int().min(1).max(100).optional() })
  .strict();
export const ContextHistory = z
  .object({
    flow_id: Id.optional(),
    kind: z.enum(['summary', 'decision', 'question', 'next_step', 'insight', 'preference']).optional(),
    cursor: Cursor.optional(),
    limit: Limit.optional(),
  })
  .strict();
export const ContextResume = z
  .object({ flow_id: Id.optional(), budget_tokens: z.number().int().min(200).max(20_000).optional() })
  .strict();

export type ContextSaveInput = z.infer<typeof ContextSave>;
export type ContextGetInput = z.infer<typeof ContextGet>;
export type ContextHistoryInput = z.infer<typeof ContextHistory>;
export type ContextResumeInput = z.infer<typeof ContextResume>;
