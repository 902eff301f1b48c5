// Text → a typed command: the /flow grammar (verb and noun in either order), the older Flow forms
// (/task add, /start, /done, /skip, a bare plan number, "1번 plan"), and plain language (natural.ts).
// Either reading ends in build.ts, which resolves the names; when more than one thing fits, the result
// lists the candidates with the exact command for each instead of choosing.
import { clip, count } from '../model/error-text.js';
import { MAX_COMMAND_CHARS } from '../core/schemas/command.js';
import type { Call } from '../core/kernel/workspace.js';
import { buildCommand, type Parsed } from './build.js';
import { COMMANDS, NOUN_ALIASES, NOUNS, helpText, type CommandDef, type Noun } from './grammar.js';
import { parseNatural } from './natural.js';
import { splitFlags, splitQuotedWords } from './words.js';

const BOOLEAN_FLAGS = new Set(['confirm', 'dry_run', 'pinned', 'yes']);

function findDef(noun: Noun | null, verb: string): CommandDef | undefined {
  return COMMANDS.find((d) => d.noun === noun && d.verbs.includes(verb));
}

const nounOf = (w: string | undefined): Noun | undefined => {
  if (!w) return undefined;
  const l = w.toLowerCase();
  return (NOUNS as string[]).includes(l) ? (l as Noun) : NOUN_ALIASES[l];
};

/** The words after `/flow`, read by the grammar; undefined when they are not grammar at all. */
function parseGrammar(call: Call, rest: string, from: 'grammar' | 'legacy'): Parsed | undefined {
  const split = splitQuotedWords(rest);
  const { positionals, flags, quoted } = splitFlags(split.words, BOOLEAN_FLAGS, split.quoted);
  const dry = flags.dry_run === true;
  const [w0, w1] = positionals.map((w) => w.toLowerCase());
  if (!w0) return { kind: 'help', text: helpText() };
  if (w0 === 'help' || w0 === '?') return { kind: 'help', text: helpText(positionals[1]) };
  if (w0 === 'status') return { kind: 'status', dry_run: dry };
  if (w0 === 'undo') {
    const what = (w1 ?? 'restore').replace(/^deletion$/, 'delete');
    if (what !== 'restore' && what !== 'delete' && what !== 'import') return { kind: 'error', message: `Cannot undo "${clip(w1 ?? '')}".`, hint: 'Forms: /flow undo restore, /flow undo delete, /flow undo import.' };
    return { kind: 'undo', what, dry_run: dry, confirm: flags.confirm === true || flags.yes === true };
  }
  const n0 = nounOf(w0);
  const n1 = nounOf(w1);
  let def: CommandDef | undefined;
  let used = 0;
  if (n0 && w1 && findDef(n0, w1)) [def, used] = [findDef(n0, w1), 2]; // noun verb
  else if (n1 && findDef(n1, w0)) [def, used] = [findDef(n1, w0), 2]; // verb noun
  else if (findDef(null, w0)) [def, used] = [findDef(null, w0), 1]; // verb alone
  else if (['create', 'switch', 'list'].includes(w0) && findDef('flow', w0)) [def, used] = [findDef('flow', w0), 1]; // older forms: /flow create <name>
  else if (n0 && !w1) [def, used] = [findDef(n0, 'list') ?? findDef(n0, 'show'), 1]; // "/flow plans"
  if (!def) return undefined;
  return buildCommand(call, { def, positionals: positionals.slice(used), flags, quoted: quoted.slice(used) }, from);
}

const LEGACY_PREFIX: Record<string, string> = { '/task': 'task', '/plan': 'plan', '/snapshot': 'snapshot', '/doc': 'doc', '/context': 'context' };
const LEGACY_VERB = /^\/(start|done|skip|next|status|help|search|resume)\b/i;

export function parseCommand(call: Call, input: string): Parsed {
  // Before any pattern or name lookup sees it: every face (tool, prompt, CLI) gets the same bound.
  if (input.length > MAX_COMMAND_CHARS) {
    return {
      kind: 'error',
      message: `The command is ${count(input.length)} characters; commands are at most ${count(MAX_COMMAND_CHARS)}.`,
      hint: 'Name things by id and keep long text for a document (document write) or a task description (task update).',
    };
  }
  const text = input.trim().replace(/[\u200b\ufeff]/g, '');
  if (!text) return { kind: 'help', text: helpText() };
  const flowForm = /^\/flow\b\s*(.*)$/is.exec(text);
  if (flowForm) {
    const rest = flowForm[1]!;
    const read = parseGrammar(call, rest, 'grammar');
    // "/flow add task "mark old tasks done" to SEO": the quoted title is the whole title, so the words
    // after it are not part of it; plain language may read them ("to SEO" names the plan).
    if (read?.kind === 'error' && read.afterQuote) {
      const plain = parseNatural(call, rest, { wholeQuotes: true });
      return plain && plain.kind !== 'error' ? plain : read;
    }
    return read ?? parseNatural(call, rest) ?? notUnderstood(rest);
  }
  const prefix = /^(\/[a-z]+)\b\s*(.*)$/is.exec(text);
  if (prefix && LEGACY_PREFIX[prefix[1]!.toLowerCase()]) {
    const noun = LEGACY_PREFIX[prefix[1]!.toLowerCase()]!;
    const words = prefix[2]!.trim();
    return parseGrammar(call, words ? `${noun} ${words}` : noun, 'legacy') ?? notUnderstood(text);
  }
  if (prefix && LEGACY_VERB.test(text)) return parseGrammar(call, text.slice(1), 'legacy') ?? notUnderstood(text);
  if (prefix) return notUnderstood(text);
  // A bare plan number, "plan 2", "2번 plan": select that plan (the older Flow's habit).
  const planNo = /^(?:plan\s*#?\s*(\d{1,3})|#?(\d{1,3})\s*(?:번\s*)?(?:plan|플랜|계획)?)$/i.exec(text);
  if (planNo) return parseGrammar(call, `use plan ${planNo[1] ?? planNo[2]}`, 'legacy') ?? notUnderstood(text);
  return parseNatural(call, text) ?? notUnderstood(text);
}

function notUnderstood(text: string): Parsed {
  return {
    kind: 'error',
    unread: true,
    message: `Could not read "${clip(text)}" as a command.`,
    hint: 'Try /flow help for the forms, e.g. /flow add task "Write tests" --priority high, /flow done <task>, /flow next, /flow search "retry policy".',
  };
}
