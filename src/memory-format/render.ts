// Renders a flow's context (entries + state, from the database) as the context.json document, and
// that document as text: stable key order and formatting, so the same state always gives the same
// bytes (which is how a stale or hand-edited file is told from a current one).
import type { EntryRow, StateRow } from '../store/context.js';
import { CONTEXT_FORMAT, CONTEXT_VERSION, type ContextFileT } from './layout.js';
import { CONTEXT_FILE_WRITE_BYTES, CONTEXT_LIMITS } from '../model/limits.js';
import { jsonColumn } from '../store/rows.js';
import { z } from 'zod';

export const FILE_NOTE =
  'Written by flowmcp from .flow/flow.db, which is authoritative. You may edit this file: add items (no id needed), ' +
  'change their text, or remove them; flowmcp merges the edits on its next start or context call, and keeps a copy of the file aside when an edit conflicts. ' +
  'Each list holds the newest open entries; `omitted` counts older ones that are only in the database (context history).';

const LISTS = [
  ['decision', 'decisions'],
  ['question', 'questions'],
  ['next_step', 'next_steps'],
  ['insight', 'insights'],
  ['preference', 'preferences'],
] as const;
type ListKey = (typeof LISTS)[number][1];

/**
 * The document for a flow's open entries. Each list holds the newest open entries, at most
 * CONTEXT_LIMITS.fileEntriesPerKind of them, and the whole file stays within
 * CONTEXT_FILE_WRITE_BYTES (entries are left out oldest first): so every file flowmcp writes is one it
 * accepts back, and `omitted` says how many open entries are only in the database.
 */
export function renderContext(flow: { id: string; name: string }, state: StateRow | undefined, entries: EntryRow[]): ContextFileT {
  const open = entries.filter((e) => e.state === 'open');
  const summary = open.filter((e) => e.kind === 'summary').at(-1);
  const doc: ContextFileT = {
    format: CONTEXT_FORMAT,
    version: CONTEXT_VERSION,
    note: FILE_NOTE,
    flow: { id: flow.id, name: flow.name },
    revision: state?.revision ?? 0,
    updated_at: state?.updated_at ?? '',
    summary: summary?.text ?? '',
    decisions: [],
    questions: [],
    next_steps: [],
    insights: [],
    preferences: [],
    active: { plan_id: state?.active_plan_id ?? null, task_id: state?.active_task_id ?? null },
    files_touched: state ? jsonColumn(state.files, 'context_state.files', z.array(z.string())) : [],
  };
  const keyOf = new Map<string, ListKey>(LISTS.map(([kind, key]) => [kind, key]));
  const kept: Record<ListKey, object[]> = { decisions: [], questions: [], next_steps: [], insights: [], preferences: [] };
  const omitted: Partial<Record<ListKey, number>> = {};
  // Room left for entries once the rest (and the omitted counts) is written, with two-space indentation.
  let room = CONTEXT_FILE_WRITE_BYTES - Buffer.byteLength(serializeContext(doc)) - 512;
  let full = false;
  for (let i = open.length - 1; i >= 0; i--) {
    const e = open[i]!;
    const key = keyOf.get(e.kind);
    if (!key) continue;
    const item =
      key === 'decisions'
        ? {
            id: e.id,
            what: e.text,
            ...(e.why ? { why: e.why } : {}),
            at: e.created_at,
            ...(e.plan_id ? { plan_id: e.plan_id } : {}),
            ...(e.task_id ? { task_id: e.task_id } : {}),
          }
        : { id: e.id, text: e.text, at: e.created_at };
    const bytes = full ? 0 : Buffer.byteLength(JSON.stringify(item)) + 8 * Object.keys(item).length + 16;
    if (full || kept[key].length >= CONTEXT_LIMITS.fileEntriesPerKind || bytes > room) {
      if (bytes > room) full = true;
      omitted[key] = (omitted[key] ?? 0) + 1;
      continue;
    }
    room -= bytes;
    kept[key].push(item);
  }
  for (const [, key] of LISTS) (doc[key] as object[]) = kept[key].reverse();
  if (Object.keys(omitted).length) doc.omitted = omitted;
  return doc;
}

export function serializeContext(doc: ContextFileT): string {
  return JSON.stringify(doc, null, 2) + '\n';
}
