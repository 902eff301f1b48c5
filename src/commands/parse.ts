// Text → a typed command: the /flow grammar (verb and noun in either order), the older Flow forms
// (/task add, /start, /done, /skip, a bare plan number, "1번 plan"), and plain language (natural.ts).
// Either reading ends in build.ts, which resolves the names; when more than one thing fits, the result
// lists the candidates with the exact command for each instead of choosing. A line neither reads, whose
// verb or noun is one slip from a grammar word, is answered with the command it was probably meant to be.
import { clip, count } from '../model/error-text.js';
import { MAX_COMMAND_CHARS } from '../core/schemas/command.js';
import type { Call } from '../core/kernel/workspace.js';
import { buildCommand, type Parsed } from './build.js';
import { COMMANDS, NOUN_ALIASES, NOUNS, SPECIAL_VERBS, helpText, isHelpTopic, type CommandDef, type Noun } from './grammar.js';
import { slips } from '../core/kernel/suggest.js';
import { parseNatural } from './natural.js';
import { quotedSpans, splitFlags, splitQuotedWords } from './words.js';

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
  if (w0 === 'help' || w0 === '?') {
    // An unknown topic is a refusal (exit 1 on the command line), not help that happens to say so.
    const topic = positionals[1];
    if (topic && !isHelpTopic(topic)) return { kind: 'error', message: helpText(topic), hint: 'See /flow help for every command.' };
    return { kind: 'help', text: helpText(topic) };
  }
  if (w0 === 'status') return { kind: 'status', dry_run: dry };
  if (w0 === 'undo') {
    // "/flow undo the last restore": the words around what is undone are how people say it.
    const said = positionals.slice(1).map((w) => w.toLowerCase()).filter((w) => !/^(?:the|my|last|that|this|latest|previous)$/.test(w));
    const what = (said[0] ?? 'restore').replace(/^deletion$/, 'delete');
    if (what !== 'restore' && what !== 'delete' && what !== 'import') return { kind: 'error', message: `Cannot undo "${clip(said[0] ?? w1 ?? '')}".`, hint: 'Forms: /flow undo restore, /flow undo delete, /flow undo import.' };
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
  // A verb only tasks have, its noun left out, with a flag that takes a value ("/flow release t-ab12
  // --agent alice"): read as plain language it named the task and dropped the flag, releasing as the wrong
  // agent. Otherwise plain language reads it ("/flow claim X for bob --dry-run" previews what it runs; a
  // yes/no flag mid-line is refused by parseCommandText). The verb alone too: "/flow claim" takes the next
  // ready task.
  else if (!n1 && TASK_ONLY_VERBS.has(w0) && (Object.keys(flags).some((f) => !BOOLEAN_FLAGS.has(f)) || positionals.length === 1)) [def, used] = [findDef('task', w0), 1];
  if (!def) return undefined;
  return buildCommand(call, { def, positionals: positionals.slice(used), flags, quoted: quoted.slice(used) }, from);
}

/** Verbs of task commands that no other noun's command has (claim, release, depend, …). */
const TASK_ONLY_VERBS = new Set(COMMANDS.filter((d) => d.noun === 'task').flatMap((d) => d.verbs).filter((v) => COMMANDS.every((d) => d.noun === 'task' || !d.verbs.includes(v))));

const LEGACY_PREFIX: Record<string, string> = { '/task': 'task', '/plan': 'plan', '/snapshot': 'snapshot', '/doc': 'doc', '/context': 'context' };
const LEGACY_VERB = /^\/(start|done|skip|next|status|help|search|resume)\b/i;

/** "dry-run" said in some form outside quotes (--dry-run=…, —dry-run, ",--dry-run", "dry run"). */
const DRY_SAID = /(?:^|[^\p{L}\p{N}])dry[-_ ]?run(?![\p{L}\p{N}])/iu;

export function parseCommand(call: Call, input: string): Parsed {
  const parsed = parseCommandText(call, input);
  // A preview asked for in a way no reader took (a dash of another kind, glued to a word): the command it
  // was read as must not run for real. Quoted titles aside ("add task "test the dry run"").
  if (parsed.kind === 'run' && !parsed.dry_run && DRY_SAID.test(unquoted(input)) && !freeTextHolds(parsed, input)) {
    return { kind: 'error', message: 'This asks for a dry run, but not in a form that was read as one; nothing was done.', hint: 'Put --dry-run at the end, on its own (e.g. /flow done <task> --dry-run).' };
  }
  return parsed;
}

/** The text with its quoted spans taken out. */
function unquoted(text: string): string {
  let out = '';
  let at = 0;
  for (const q of quotedSpans(text, { unclosedToEnd: true })) {
    out += text.slice(at, q.start) + ' ';
    at = q.end;
  }
  return out + text.slice(at);
}

/** Whether the words "dry run" are part of a text the command keeps (a title, a note): then they are words. */
function freeTextHolds(parsed: Extract<Parsed, { kind: 'run' }>, input: string): boolean {
  const kept = Object.values(parsed.command.args).filter((v): v is string => typeof v === 'string');
  return kept.some((v) => DRY_SAID.test(v)) && !/--dry|—dry|–dry/i.test(input);
}

function parseCommandText(call: Call, input: string): Parsed {
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
    if (read) return read;
    // Flags the grammar did not take, where plain language would drop them (a --dry-run mid-line ran the
    // change for real): refused, saying the form.
    const flags = flagsSaid(rest);
    if (flags.length) return { kind: 'error', message: `Could not read "${clip(rest)}" with its flags (${flags.slice(0, 3).join(', ')}); nothing was done.`, hint: 'Check the form with /flow help (e.g. /flow claim task <task> --agent bob --dry-run).' };
    return plainWithFlags(rest, (t) => parseNatural(call, t, { grammar: true })) ?? notUnderstood(rest, nearCommand(rest, '/flow '));
  }
  const prefix = /^(\/[a-z]+)\b\s*(.*)$/is.exec(text);
  if (prefix && LEGACY_PREFIX[prefix[1]!.toLowerCase()]) {
    const noun = LEGACY_PREFIX[prefix[1]!.toLowerCase()]!;
    const words = prefix[2]!.trim();
    return parseGrammar(call, words ? `${noun} ${words}` : noun, 'legacy') ?? notUnderstood(text, words ? nearCommand(`${noun} ${words}`, '/flow ') : undefined);
  }
  if (prefix && LEGACY_VERB.test(text)) return parseGrammar(call, text.slice(1), 'legacy') ?? notUnderstood(text);
  if (prefix) return notUnderstood(text, nearCommand(text.slice(1), '/flow ')); // "/serch retry"
  // A bare plan number, "plan 2", "2번 plan": select that plan (the older Flow's habit).
  const planNo = /^(?:plan\s*#?\s*(\d{1,3})|#?(\d{1,3})\s*(?:번\s*)?(?:plan|플랜|계획)?)$/i.exec(text);
  if (planNo) return parseGrammar(call, `use plan ${planNo[1] ?? planNo[2]}`, 'legacy') ?? notUnderstood(text);
  // Flags said with plain words ("release X --agent alice", "add task Foo --priority high"): the words are
  // read as the grammar, which takes flags; plain language would drop them or read them as words of a title.
  const flags = flagsSaid(text);
  if (flags.length) {
    return (
      parseGrammar(call, text, 'grammar') ?? {
        kind: 'error',
        message: `Plain language does not take flags (${flags.slice(0, 3).join(', ')}): they would be dropped or read as words. Nothing was done.`,
        hint: 'Write it as a /flow command (e.g. /flow release task <task> --agent alice; /flow help lists the forms), or say it without the flag.',
      }
    );
  }
  return plainWithFlags(text, (t) => parseNatural(call, t)) ?? notUnderstood(text, nearCommand(text, '/flow ')); // "serch retry"
}

/** The --flags of a line outside quotes, but those plain language takes at its end (--confirm, --yes, --dry-run). */
function flagsSaid(text: string): string[] {
  const bare = unquoted(text).replace(/(?:\s--(?:confirm|yes|dry[-_]run))+\s*$/i, '');
  return [...bare.matchAll(/(?:^|\s)(--[a-z][a-z-]*)/gi)].map((m) => m[1]!);
}

/**
 * Plain language with the flags a person adds as on the command line at its end ("remove the old login
 * task --confirm", `flowmcp run "undo the last restore" --confirm`): they are flags, not words of the
 * request (read as words, "--confirm" made a title match ambiguous and a confirmed undo stay unconfirmed).
 * --confirm (or --yes) confirms what needs it, and is written into each candidate's command when several
 * things fit; --dry-run previews.
 */
const TRAILING_FLAG = /\s--(confirm|yes|dry[-_]run)\s*$/i;

function plainWithFlags(text: string, read: (text: string) => Parsed | undefined): Parsed | undefined {
  let rest = text;
  let confirm = false;
  let dry = false;
  // A flag inside quotes is words of a title, and so is one after a quote never closed (it runs to the end,
  // as the readers take it): `delete the task "old --confirm` must not confirm the deletion of "old".
  const quotedTo = (t: string) => quotedSpans(t, { unclosedToEnd: true }).at(-1)?.end ?? 0;
  for (let padded = ` ${rest}`, m; (m = TRAILING_FLAG.exec(padded)) && m.index >= quotedTo(padded); padded = ` ${rest}`) {
    rest = padded.slice(0, m.index).trim();
    if (/^dry/i.test(m[1]!)) dry = true;
    else confirm = true;
  }
  if (rest === text.trim()) return read(text);
  if (!rest) return undefined;
  const parsed = read(rest);
  if (!parsed) return undefined;
  switch (parsed.kind) {
    case 'run': {
      const c = parsed.command;
      const confirmed = confirm && c.destructive && !c.args.confirm;
      return {
        ...parsed,
        dry_run: parsed.dry_run || dry,
        command: confirmed ? { ...c, args: { ...c.args, confirm: true }, text: `${c.text} --confirm` } : c,
      };
    }
    case 'undo':
      return { ...parsed, confirm: parsed.confirm || confirm, dry_run: parsed.dry_run || dry };
    case 'status':
      return { ...parsed, dry_run: parsed.dry_run || dry };
    case 'choose':
      // A preview asked for (--dry-run) hands out no command that would delete for real.
      return confirm && !dry && parsed.destructive
        ? { ...parsed, candidates: parsed.candidates.map((k) => (/\s--confirm\b/.test(k.command) ? k : { ...k, command: `${k.command} --confirm` })) }
        : parsed;
    default:
      return parsed;
  }
}

function notUnderstood(text: string, near?: string): Parsed {
  return {
    kind: 'error',
    unread: true,
    message: `Could not read "${clip(text)}" as a command.${near ? ` Did you mean ${clip(near, 200)}?` : ''}`,
    hint: near
      ? `Nothing was run. Send ${clip(near, 200)} to run it, or see /flow help for the forms.`
      : 'Try /flow help for the forms, e.g. /flow add task "Write tests" --priority high, /flow done <task>, /flow next, /flow search "retry policy".',
  };
}

/** Every word the grammar reads as a verb, and as a noun. */
const VERB_WORDS = [...new Set([...COMMANDS.flatMap((d) => d.verbs), ...SPECIAL_VERBS])];
const NOUN_WORDS = [...NOUNS, ...Object.keys(NOUN_ALIASES)];

/**
 * The grammar word a mistyped one was probably meant to be ("serch" → search, "tsk" → task): one edit
 * in a word of 3 to 6 letters, two in a longer one (a swap of neighbours counts as one). The nearest;
 * none when two are equally near.
 */
function nearGrammarWord(word: string, words: readonly string[]): string | undefined {
  if (words.includes(word)) return word;
  const k = word.length < 3 ? 0 : word.length < 7 ? 1 : 2;
  if (k === 0) return undefined;
  let best: string | undefined;
  let bestD = k + 1;
  let tie = false;
  for (const w of words) {
    const d = slips(word, w, k);
    if (d < bestD) [best, bestD, tie] = [w, d, false];
    else if (d === bestD && d <= k) tie = true;
  }
  return bestD <= k && !tie ? best : undefined;
}

/**
 * The command a line that did not parse was probably meant to be, with its verb or noun spelled right
 * (`/flow serch retry` → `/flow search retry`, `/flow add tsk "foo"` → `/flow add task "foo"`): said,
 * never run. The rest of the line is kept as it was typed. Undefined when no such reading exists.
 */
function nearCommand(rest: string, prefix: string): string | undefined {
  // The first two words as typed, and the spaces between: only those two are respelled.
  const m = /^\s*(\S+)(?:(\s+)(\S+))?/.exec(rest);
  if (!m || m[1]!.startsWith('--')) return undefined;
  const [w0, w1] = [m[1]!.toLowerCase(), m[3]?.toLowerCase()];
  const tail = rest.slice(m[0].length);
  const line = (a: string, b?: string) => `${prefix}${a}${b !== undefined ? `${m[2]}${b}` : ''}${tail}`.trimEnd();
  const v0 = nearGrammarWord(w0, VERB_WORDS);
  const n0 = nearGrammarWord(w0, NOUN_WORDS);
  const v1 = w1 !== undefined && !w1.startsWith('--') ? nearGrammarWord(w1, VERB_WORDS) : undefined;
  const n1 = w1 !== undefined && !w1.startsWith('--') ? nearGrammarWord(w1, NOUN_WORDS) : undefined;
  if (v0 && n1 && (v0 !== w0 || n1 !== w1) && findDef(nounOf(n1)!, v0)) return line(v0, n1); // verb noun
  if (n0 && v1 && (n0 !== w0 || v1 !== w1) && findDef(nounOf(n0)!, v1)) return line(n0, v1); // noun verb
  if (v0 && v0 !== w0 && (findDef(null, v0) || SPECIAL_VERBS.includes(v0))) return line(v0, m[3]); // verb alone
  if (n0 && n0 !== w0 && !w1) return line(n0); // "/flow tsks"
  return undefined;
}
