// The layout of .flow/context/<flow>.json: versioned, and checked whenever the file is read back,
// since people edit it by hand and a cloned repository may have planted it. Every field is bounded by
// the limits the tools enforce on `context save` (model/limits.ts), and every list by how many entries
// flowmcp writes into the file: a file beyond them is refused whole (kept aside, never merged).
import { z } from 'zod';
import { CONTEXT_LIMITS as L, ID_MAX, NAME_MAX } from '../model/limits.js';
import { count } from '../model/error-text.js';

export const CONTEXT_FORMAT = 'flowmcp-context';
export const CONTEXT_VERSION = 1;

const max = (n: number) => z.string().max(n, `must be at most ${count(n)} characters`);
const noNul = (s: z.ZodString) => s.refine((v) => !v.includes('\u0000'), 'must not contain NUL characters');
const entries = <T extends z.ZodTypeAny>(item: T) =>
  z.array(item).max(L.fileEntriesPerKind, `must hold at most ${count(L.fileEntriesPerKind)} entries (older ones stay in the database)`);

const FileText = noNul(max(L.item));
const Id = max(ID_MAX);
const Time = max(L.time);
const FileItem = z.object({ id: Id.optional(), text: FileText, at: Time.optional() }).strict();
const FileDecision = z
  .object({
    id: Id.optional(),
    what: FileText,
    why: FileText.optional(),
    at: Time.optional(),
    plan_id: Id.nullable().optional(),
    task_id: Id.nullable().optional(),
  })
  .strict();

/** How many open entries of each kind are in the database but not in the file (the oldest). */
const Omitted = z
  .object({
    decisions: z.number().int().min(0).optional(),
    questions: z.number().int().min(0).optional(),
    next_steps: z.number().int().min(0).optional(),
    insights: z.number().int().min(0).optional(),
    preferences: z.number().int().min(0).optional(),
  })
  .strict();

export const ContextFile = z
  .object({
    format: z.literal(CONTEXT_FORMAT),
    version: z.literal(CONTEXT_VERSION),
    note: max(L.fileNote).optional(),
    flow: z.object({ id: Id, name: max(NAME_MAX) }).strict(),
    revision: z.number().int().min(0),
    updated_at: Time,
    summary: noNul(max(L.summary)),
    decisions: entries(FileDecision),
    questions: entries(FileItem),
    next_steps: entries(FileItem),
    insights: entries(FileItem),
    preferences: entries(FileItem),
    omitted: Omitted.optional(),
    active: z.object({ plan_id: Id.nullable(), task_id: Id.nullable() }).strict(),
    files_touched: z.array(max(L.filePath)).max(L.filesKept, `must hold at most ${L.filesKept} files`),
  })
  .strict();
export type ContextFileT = z.infer<typeof ContextFile>;
