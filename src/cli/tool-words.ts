// How the tool nouns are spelled on the command line: other names for a noun, and the flags that take
// no value. A leaf of its own, because the runner (tool.ts), its help and the wording of its errors
// all read it, and those import one another.
import { PLAN_STATUS_ALIASES, PLAN_STATUSES, TASK_STATUS_ALIASES, TASK_STATUSES } from '../model/vocab.js';

export const ALIASES: Record<string, readonly string[]> = { document: ['doc', 'docs'], task: ['tasks'], plan: ['plans'], flow: ['flows'], snapshot: ['snapshots'] };

/**
 * The tool nouns, and every argument name some tool action takes (the words that are flags on the
 * command line), written out so that wording a message (wording.ts) does not load every tool and its
 * schemas into each command's start. test/cli/tool-words.test.ts holds both to the tools themselves.
 */
export const TOOL_NOUNS: readonly string[] = ['flow', 'plan', 'task', 'snapshot', 'document', 'search', 'context', 'command'];
export const ARGUMENT_NAMES: ReadonlySet<string> = new Set([
  'agent', 'budget_tokens', 'close', 'confirm', 'content', 'cursor', 'decision', 'depends_on', 'description', 'dry_run',
  'expected_revision', 'files', 'flow_id', 'from', 'id', 'insight', 'k', 'kind', 'label', 'lease_seconds', 'limit', 'lines', 'mode',
  'name', 'next_step', 'objective', 'path', 'paths', 'pinned', 'plan_id', 'position', 'preference', 'priority', 'query',
  'question', 'status', 'summary', 'task_id', 'tasks', 'text', 'title', 'to',
]);

/** Flags without a value for every tool noun (others take `--pinned true` or a value). */
export const SWITCHES = new Set(['json', 'help', 'confirm']);

/**
 * Arguments of which one must be given, by a rule of the action's schema rather than of either field
 * (one task by its title, or many with --tasks): usage shows `(<title> | --tasks JSON)`, and leaving
 * both out is refused with "give a title or --tasks". Keyed by "noun action".
 */
export const EITHER: Record<string, readonly [string, string]> = { 'task create': ['title', 'tasks'] };

/**
 * Flags the command line takes beyond the action's schema, shown in its help right after the argument
 * they belong to: `context save --decision X --why Y` (cli/tool.ts folds them into `{what, why}`).
 * Keyed by "noun action", then by that argument.
 */
export const CLI_EXTRA: Record<string, Readonly<Record<string, string>>> = { 'context save': { decision: '[--why WHY]' } };

/**
 * Other spellings the schemas read as a closed set's words (`finished` for done), by that set: a
 * refusal of an unknown word lists the words and says these exist. The schemas hold the mapping;
 * this only finds, for the values a refusal lists, which table they came from.
 */
export const WORD_ALIASES: readonly { values: readonly string[]; aliases: Readonly<Record<string, string>> }[] = [
  { values: TASK_STATUSES, aliases: TASK_STATUS_ALIASES },
  { values: PLAN_STATUSES, aliases: PLAN_STATUS_ALIASES },
];

/** `also read as these: pending/planning/open = todo, …`, or undefined when the set has no other spellings. */
export function aliasWords(values: readonly string[]): string | undefined {
  const table = WORD_ALIASES.find((t) => t.values.length === values.length && t.values.every((v) => values.includes(v)));
  if (!table || Object.keys(table.aliases).length === 0) return undefined;
  const by = new Map<string, string[]>();
  for (const [alias, word] of Object.entries(table.aliases)) by.set(word, [...(by.get(word) ?? []), alias]);
  return `other words are read as these too: ${[...by].map(([word, aliases]) => `${aliases.join('/')} = ${word}`).join(', ')}`;
}
