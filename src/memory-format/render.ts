// Renders a flow's context (entries + state, from the database) as the context.json document, and
// that document as text: stable key order and formatting, so the same state always gives the same
// bytes (which is how a stale or hand-edited file is told from a current one).
import type { EntryRow, StateRow } from '../store/context.js';
import { CONTEXT_FORMAT, CONTEXT_VERSION, type ContextFileT } from './layout.js';
import { jsonColumn } from '../store/rows.js';
import { z } from 'zod';

export const FILE_NOTE =
  'Written by flowmcp from .flow/flow.db, which is authoritative. You may edit this file: add items (no id needed), ' +
  'change their text, or remove them; flowmcp merges the edits on its next start or context call, and keeps a copy of the file aside when an edit conflicts.';

export function renderContext(flow: { id: string; name: string }, state: StateRow | undefined, entries: EntryRow[]): ContextFileT {
  const open = (kind: EntryRow['kind']) => entries.filter((e) => e.kind === kind && e.state === 'open');
  const item = (e: EntryRow) => ({ id: e.id, text: e.text, at: e.created_at });
  const summary = open('summary').at(-1);
  return {
    format: CONTEXT_FORMAT,
    version: CONTEXT_VERSION,
    note: FILE_NOTE,
    flow: { id: flow.id, name: flow.name },
    revision: state?.revision ?? 0,
    updated_at: state?.updated_at ?? '',
    summary: summary?.text ?? '',
    decisions: open('decision').map((e) => ({
      id: e.id,
      what: e.text,
      ...(e.why ? { why: e.why } : {}),
      at: e.created_at,
      ...(e.plan_id ? { plan_id: e.plan_id } : {}),
      ...(e.task_id ? { task_id: e.task_id } : {}),
    })),
    questions: open('question').map(item),
    next_steps: open('next_step').map(item),
    insights: open('insight').map(item),
    preferences: open('preference').map(item),
    active: { plan_id: state?.active_plan_id ?? null, task_id: state?.active_task_id ?? null },
    files_touched: state ? jsonColumn(state.files, 'context_state.files', z.array(z.string())) : [],
  };
}

export function serializeContext(doc: ContextFileT): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
