// The earlier Flow system's context.json (`.ai-brain/context.json`: session, memory.recent_decisions,
// conversation, project) read leniently and turned into context entries. Nothing is dropped: what has
// no entry kind of its own (errors and their fixes, tech stack, topics) becomes an insight. Each item
// carries a key derived from its content and timestamp, so importing the same file twice adds nothing.
import { nodeCrypto } from '../../node-crypto.js';
import { z } from 'zod';
import type { EntryKind } from '../context.js';

const Str = z.string();
const Decision = z.object({ timestamp: Str.optional(), decision: Str, rationale: Str.optional(), plan_id: Str.nullish(), task_id: Str.nullish() }).passthrough();
const ErrorNote = z.object({ timestamp: Str.optional(), error: Str, solution: Str.optional(), file_path: Str.optional(), success: z.boolean().optional() }).passthrough();
const Text = z.union([Str, z.record(z.string(), z.unknown())]);

export const LegacyContext = z
  .object({
    version: Str.optional(),
    created_at: Str.optional(),
    updated_at: Str.optional(),
    session_id: Str.optional(),
    memory: z
      .object({
        active_plan_id: Str.nullish(),
        active_task_id: Str.nullish(),
        recent_decisions: z.array(Decision).default([]),
        open_files: z.array(Str).default([]),
        modified_files: z.array(Str).default([]),
        terminal_commands: z.array(z.unknown()).default([]),
        error_context: z.array(ErrorNote).default([]),
      })
      .passthrough()
      .default({ recent_decisions: [], open_files: [], modified_files: [], terminal_commands: [], error_context: [] }),
    conversation: z
      .object({
        last_topics: z.array(Text).default([]),
        key_insights: z.array(Text).default([]),
        user_preferences: z.record(z.string(), z.unknown()).default({}),
        clarifications: z.array(Text).default([]),
      })
      .passthrough()
      .default({ last_topics: [], key_insights: [], user_preferences: {}, clarifications: [] }),
    project: z
      .object({
        tech_stack: z.array(Text).default([]),
        architecture_decisions: z.array(Text).default([]),
        code_patterns: z.record(z.string(), z.unknown()).default({}),
        naming_conventions: z.record(z.string(), z.unknown()).default({}),
      })
      .passthrough()
      .default({ tech_stack: [], architecture_decisions: [], code_patterns: {}, naming_conventions: {} }),
  })
  // No check that a section is there: every section has a default, so a check on the parsed value could never
  // fail (it never did). What reaches this schema has a memory or conversation section: detectLayout routes it.
  .passthrough();

export type LegacyContextT = z.infer<typeof LegacyContext>;

export interface LegacyEntry {
  kind: EntryKind;
  text: string;
  why?: string;
  at?: string;
  legacy_plan_id?: string;
  legacy_task_id?: string;
  key: string;
}

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
const key = (...parts: (string | undefined)[]) => nodeCrypto().createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 24);

/** Every item worth keeping, in the order the file has them. */
export function legacyContextEntries(c: LegacyContextT): { entries: LegacyEntry[]; files: string[]; active: { plan?: string; task?: string } } {
  const entries: LegacyEntry[] = [];
  const push = (e: Omit<LegacyEntry, 'key'>) => {
    if (!e.text.trim()) return;
    entries.push({ ...e, key: key(e.kind, e.at, e.text, e.why) });
  };
  for (const d of c.memory.recent_decisions) {
    push({
      kind: 'decision',
      text: d.decision,
      ...(d.rationale ? { why: d.rationale } : {}),
      ...(d.timestamp ? { at: d.timestamp } : {}),
      ...(d.plan_id ? { legacy_plan_id: d.plan_id } : {}),
      ...(d.task_id ? { legacy_task_id: d.task_id } : {}),
    });
  }
  for (const a of c.project.architecture_decisions) push({ kind: 'decision', text: asText(a) });
  for (const e of c.memory.error_context) {
    const fix = e.solution ? ` — fix: ${e.solution}` : '';
    const where = e.file_path ? ` (${e.file_path})` : '';
    const outcome = e.success === false ? ' [not solved]' : '';
    push({ kind: 'insight', text: `Error: ${e.error}${fix}${where}${outcome}`, ...(e.timestamp ? { at: e.timestamp } : {}) });
  }
  for (const i of c.conversation.key_insights) push({ kind: 'insight', text: asText(i) });
  for (const q of c.conversation.clarifications) push({ kind: 'insight', text: `Clarified: ${asText(q)}` });
  if (c.conversation.last_topics.length) push({ kind: 'insight', text: `Recent topics: ${c.conversation.last_topics.map(asText).join('; ')}` });
  if (c.project.tech_stack.length) push({ kind: 'insight', text: `Tech stack: ${c.project.tech_stack.map(asText).join(', ')}` });
  for (const [k, v] of Object.entries(c.project.code_patterns)) push({ kind: 'insight', text: `Code pattern ${k}: ${asText(v)}` });
  for (const [k, v] of Object.entries(c.project.naming_conventions)) push({ kind: 'preference', text: `Naming ${k}: ${asText(v)}` });
  for (const [k, v] of Object.entries(c.conversation.user_preferences)) push({ kind: 'preference', text: `${k}: ${asText(v)}` });
  const files = [...new Set([...c.memory.modified_files, ...c.memory.open_files])];
  return {
    entries,
    files,
    active: { ...(c.memory.active_plan_id ? { plan: c.memory.active_plan_id } : {}), ...(c.memory.active_task_id ? { task: c.memory.active_task_id } : {}) },
  };
}
