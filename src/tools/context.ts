// The `context` tool: a flow's running memory (summary, decisions, questions, next steps) and the
// briefing that lets a new session resume the work.
import { z } from 'zod';
import { contextHistory, getContext, resumeContext, saveContext } from '../core/memory/context.js';
import { ContextGet, ContextHistory, ContextResume, ContextSave } from '../core/schemas/context.js';
import { ErrorView } from '../core/schemas/results.js';
import { action, type ToolSpec } from './define.js';

export const contextTool: ToolSpec = {
  name: 'context',
  title: 'Flow context: summary, decisions, questions, next steps; resume briefing',
  description:
    "A flow's memory across sessions (mirrored in .flow/context/<flow>.json). resume when a session starts; save decisions as you make them and a summary before you stop. " +
    'Actions: save(summary?, decision?: text or {what, why}, question?, next_step?, files?: paths, close?: ids done/answered, mode?) · get · history(kind?, cursor?) · resume(budget_tokens?=1500). All take flow_id?.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  actions: {
    save: action(ContextSave, saveContext),
    get: action(ContextGet, getContext),
    history: action(ContextHistory, contextHistory),
    resume: action(ContextResume, resumeContext),
  },
  // Results differ a lot by action (a briefing, a page of history, the whole context); the published
  // schema names the fields every client may rely on and lets the rest through, to keep tools/list small.
  output: z
    .object({
      flow_id: z.string().optional(),
      revision: z.number().optional(),
      text: z.string().optional(),
      error: ErrorView.optional(),
    })
    .catchall(z.unknown()),
};
