// The layout of .flow/context/<flow>.json: versioned, and checked whenever the file is read back,
// since people edit it by hand.
import { z } from 'zod';

export const CONTEXT_FORMAT = 'flowmcp-context';
export const CONTEXT_VERSION = 1;

const FileText = z.string().max(20_000);
const FileItem = z.object({ id: z.string().max(100).optional(), text: FileText, at: z.string().max(40).optional() }).strict();
const FileDecision = z
  .object({
    id: z.string().max(100).optional(),
    what: FileText,
    why: FileText.optional(),
    at: z.string().max(40).optional(),
    plan_id: z.string().max(100).nullable().optional(),
    task_id: z.string().max(100).nullable().optional(),
  })
  .strict();

export const ContextFile = z
  .object({
    format: z.literal(CONTEXT_FORMAT),
    version: z.literal(CONTEXT_VERSION),
    note: z.string().optional(),
    flow: z.object({ id: z.string(), name: z.string() }).strict(),
    revision: z.number().int().min(0),
    updated_at: z.string(),
    summary: z.string().max(20_000),
    decisions: z.array(FileDecision).max(10_000),
    questions: z.array(FileItem).max(10_000),
    next_steps: z.array(FileItem).max(10_000),
    insights: z.array(FileItem).max(10_000),
    preferences: z.array(FileItem).max(10_000),
    active: z.object({ plan_id: z.string().nullable(), task_id: z.string().nullable() }).strict(),
    files_touched: z.array(z.string().max(500)).max(1000),
  })
  .strict();
export type ContextFileT = z.infer<typeof ContextFile>;
