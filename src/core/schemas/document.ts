// Inputs of the document operations and of search.
import { z } from 'zod';
import { Confirm, Cursor, Id, Limit, LIMITS, wholeCharacters } from './common.js';

/** A document's path; read, link/unlink and delete also take its id (d-…), which names exactly one document. */
const DocPath = z.string().min(1, 'must not be empty').max(300);
const Content = z
  .string()
  .max(2_000_000, 'must be at most 2,000,000 characters; split it into several documents')
  .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters')
  .refine(...wholeCharacters);

const Targets = { flow_id: Id.optional(), plan_id: Id.optional(), task_id: Id.optional() };
/**
 * The revision a write was based on, as task/plan/flow updates take it; 0 means "I read no document
 * here": the write only creates, and is refused if someone wrote one at this path meanwhile.
 */
const WriteRevision = z.number().int().min(0);

export const DocWrite = z.object({ path: DocPath, content: Content, ...Targets, expected_revision: WriteRevision.optional() }).strict();
/** Lines from and to, counted from 1, both included (a search hit's `lines`); words from the command line are numbers too. */
const LineRange = z
  .array(z.coerce.number().int().min(1))
  .length(2)
  .refine(([from, to]) => from! <= to!, { message: 'the first line must not come after the last' });
export const DocRead = z.object({ path: DocPath, lines: LineRange.optional() }).strict();
export const DocList = z.object({ ...Targets, cursor: Cursor.optional(), limit: Limit.optional() }).strict();
export const DocLink = z
  .object({ path: DocPath, ...Targets })
  .strict()
  .refine((v) => v.flow_id || v.plan_id || v.task_id, { message: 'name at least one of flow_id, plan_id, task_id' });
export const DocDelete = z.object({ path: DocPath, confirm: Confirm.optional() }).strict();
export const DocIndex = z
  .object({ paths: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.string().min(1).max(300)).min(1).max(50)) })
  .strict();
export const DocReindex = z.object({}).strict();

export const SEARCH_KINDS = ['document', 'task', 'plan', 'context'] as const;
export const Search = z
  .object({
    query: z.string().trim().min(1, 'must not be empty').max(1000),
    k: z.number().int().min(1).max(50).optional(),
    kind: z.enum(SEARCH_KINDS).optional(),
    flow_id: Id.optional(),
    plan_id: Id.optional(),
    path: z.string().min(1).max(300).optional(),
  })
  .strict();

export type DocWriteInput = z.infer<typeof DocWrite>;
export type DocReadInput = z.infer<typeof DocRead>;
export type DocListInput = z.infer<typeof DocList>;
export type DocLinkInput = z.infer<typeof DocLink>;
export type DocDeleteInput = z.infer<typeof DocDelete>;
export type DocIndexInput = z.infer<typeof DocIndex>;
export type DocReindexInput = z.infer<typeof DocReindex>;
export type SearchInput = z.infer<typeof Search>;
export const DOC_LIST_DEFAULT = LIMITS.pageDefault;
