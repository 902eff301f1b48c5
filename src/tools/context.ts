// The `context` tool: a flow's running memory (summary, decisions, questions, next steps) and the
// briefing that lets a new session resume the work.
import { contextHistory, getContext, resumeContext, saveContext } from '../core/memory/context.js';
import { ContextGet, ContextHistory, ContextResume, ContextSave } from '../core/schemas/context.js';
import { ContextGetResult, ContextHistoryResult, ContextResumeResult, ContextSaveResult } from '../core/schemas/context-results.js';
import { action, type ToolSpec } from './define.js';

export const contextTool: ToolSpec = {
  name: 'context',
  title: 'Flow context: summary, decisions, questions, next steps; resume briefing',
  description:
    "A flow's memory across sessions (.flow/context/<flow>.json). resume when a session starts; save decisions as made, a summary before stopping. " +
    'Actions: save(summary?, decision?: text or {what, why}, question?, next_step?, files?: paths, close?: ids done/answered, mode?) · get · history(kind?, cursor?) · resume(budget_tokens?=1500). All take flow_id?.',
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
  open: true,
  actions: {
    save: action(ContextSave, ContextSaveResult, saveContext),
    get: action(ContextGet, ContextGetResult, getContext),
    history: action(ContextHistory, ContextHistoryResult, contextHistory),
    resume: action(ContextResume, ContextResumeResult, resumeContext),
  },
};
