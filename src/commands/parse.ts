// Text → a typed command: the /flow grammar (verb and noun in either order), the older Flow forms
// (/task add, /start, /done, /skip, a bare plan number, "1번 plan"), and plain language (natural.ts).
// Names are resolved here; when more than one thing fits, the result lists the candidates with the
// exact command for each instead of choosing.
import { clip, listSome, LIST_ITEMS } from '../model/error-text.js';
import { MAX_COMMAND_CHARS } from '../core/schemas/command.js';
import type { Ctx } from '../core/kernel/workspace.js';
import { COMMANDS, NOUN_ALIASES, NOUNS, helpText, usage, type CommandDef, type Noun } from './grammar.js';
import { parseNatural } from './natural.js';
import { nameBudget, resolveRef, type NameBudget } from './refs.js';
import { splitFlags, splitWords } from './words.js';

export interface Command {
  tool: string;
  args: Record<string, unknown>;
  /** The same command in the grammar, ids resolved: what a person would type to run it again. */
  text: string;
  destructive: boolean;
}

export type Parsed =
  | { kind: 'run'; command: Command; dry_run: boolean; from: 'grammar' | 'legacy' | 'plain language' }
  | { kind: 'choose'; message: string; candidates: { id: string; title: string; command: string }[] }
  | { kind: 'help'; text: string }
  | { kind: 'status'; dry_run: boolean }
  | { kind: 'undo'; what: 'restore' | 'delete' | 'import'; dry_run: boolean; confirm: boolean }
  | { kind: 'error'; message: string; hint: string; /** Not a command at all (rather than a command with a wrong part). */ unread?: boolean };

const BOOLEAN_FLAGS = new Set(['confirm', 'dry_run', 'pinned', 'yes']);

/** What a command means before names are resolved: a definition, its raw words, its flags. */
export interface Intent {
  def: CommandDef;
  positionals: string[];
  flags: Record<string, string | true>;
}

const quote = (s: string) => (/^[\p{L}\p{N}_./:#-]+$/u.test(s) ? s : JSON.stringify(s));

function findDef(noun: Noun | null, verb: string): CommandDef | undefined {
  return COMMANDS.find((d) => d.noun === noun && d.verbs.includes(verb));
}

/** Resolves an intent's names and builds the tool call, or says which names are ambiguous or unknown. */
export function buildCommand(ctx: Ctx, intent: Intent, from: 'grammar' | 'legacy' | 'plain language', budget: NameBudget = nameBudget()): Parsed {
  const { def, flags } = intent;
  const words = [...intent.positionals];
  const values: Record<string, unknown> = {};
  const shown: string[] = [def.noun === null ? def.verbs[0]! : `${def.verbs[0]} ${def.noun}`];
  const tryEach = (
    kind: NonNullable<CommandDef['args'][number]['ref']>,
    raw: string,
    slot: (id: string) => void,
    instead: (id: string) => Intent,
  ): Parsed | undefined => {
    const r = resolveRef(ctx, kind, raw, budget);
    if (r.ok) {
      slot(r.id);
      return undefined;
    }
    if (r.refused) return { kind: 'error', message: r.refused, hint: `Name it by its id (/flow list ${kind}s shows them). Form: ${usage(def)}` };
    if (r.candidates.length === 0) {
      return {
        kind: 'error',
        message: `No ${kind} matches "${clip(raw)}".`,
        hint: `Use an id or words from its title; /flow list ${kind === 'task' ? 'task' : kind}s shows them. Form: ${usage(def)}`,
      };
    }
    // Several fit: the exact command for each, nothing run.
    return {
      kind: 'choose',
      message: `"${clip(raw)}" fits ${r.candidates.length} ${kind}s; say which one.`,
      candidates: r.candidates.map((c) => {
        const again = buildCommand(ctx, instead(c.id), from, budget);
        return { id: c.id, title: c.name, command: again.kind === 'run' ? again.command.text : `${usage(def)} (${c.id})` };
      }),
    };
  };
  for (let i = 0; i < def.args.length; i++) {
    const a = def.args[i]!;
    const at = intent.positionals.length - words.length; // where this argument's words start
    const last = i === def.args.length - 1;
    if (words.length === 0) {
      if (a.optional) continue;
      return { kind: 'error', message: `${a.name} is missing.`, hint: `Form: ${usage(def)}` };
    }
    if (a.list) {
      const raw = words.splice(0);
      if (a.ref) {
        const ids: string[] = [];
        for (const [k, r] of raw.entries()) {
          const bad = tryEach(a.ref, r, (id) => ids.push(id), (id) => ({ ...intent, positionals: intent.positionals.map((p, j) => (j === at + k ? id : p)) }));
          if (bad) return bad;
        }
        values[a.name] = ids;
      } else values[a.name] = raw;
      shown.push(...(values[a.name] as string[]).map(quote));
      continue;
    }
    const raw = a.rest || last ? words.splice(0).join(' ') : words.shift()!;
    if (a.ref) {
      const taken = intent.positionals.length - words.length - at;
      const bad = tryEach(a.ref, raw, (id) => (values[a.name] = id), (id) => ({
        ...intent,
        positionals: [...intent.positionals.slice(0, at), id, ...intent.positionals.slice(at + taken)],
      }));
      if (bad) return bad;
    } else values[a.name] = raw;
    shown.push(quote(String(values[a.name])));
  }
  if (words.length) return { kind: 'error', message: `Unexpected words: ${listSome(words.map(quote), LIST_ITEMS, ' ')}.`, hint: `Form: ${usage(def)} (quote titles with spaces)` };
  for (const [name, v] of Object.entries(flags)) {
    if (name === 'dry_run' || name === 'confirm' || name === 'yes') continue;
    const f = def.flags?.[name];
    if (!f) return { kind: 'error', message: `--${clip(name.replace(/_/g, '-'))} is not a flag of this command.`, hint: `Form: ${usage(def)}` };
    if (f.type === 'boolean') values[f.to] = v === true || /^(true|yes|1)$/i.test(String(v));
    else if (v === true) return { kind: 'error', message: `--${name.replace(/_/g, '-')} needs a value.`, hint: `Form: ${usage(def)}` };
    else if (f.type === 'number') values[f.to] = Number(v);
    else if (f.type === 'list') {
      const ids: string[] = [];
      for (const part of String(v).split(',').map((s) => s.trim()).filter(Boolean)) {
        if (f.ref) {
          const bad = tryEach(f.ref, part, (id) => ids.push(id), (id) => ({ ...intent, flags: { ...flags, [name]: String(v).replace(part, id) } }));
          if (bad) return bad;
        } else ids.push(part);
      }
      values[f.to] = ids;
    } else if (f.ref) {
      const bad = tryEach(f.ref, String(v), (id) => (values[f.to] = id), (id) => ({ ...intent, flags: { ...flags, [name]: id } }));
      if (bad) return bad;
    } else values[f.to] = v;
    shown.push(`--${name.replace(/_/g, '-')}${f.type === 'boolean' ? '' : ' ' + quote(String(values[f.to]))}`);
  }
  const confirm = flags.confirm === true || flags.yes === true;
  if (def.destructive && confirm) values.confirm = true;
  if (def.destructive) shown.push('--confirm');
  const args = Object.fromEntries(Object.entries(def.build(values)).filter(([, v]) => v !== undefined));
  return {
    kind: 'run',
    command: { tool: def.tool, args, text: `/flow ${shown.join(' ')}`, destructive: !!def.destructive },
    dry_run: flags.dry_run === true,
    from,
  };
}

const nounOf = (w: string | undefined): Noun | undefined => {
  if (!w) return undefined;
  const l = w.toLowerCase();
  return (NOUNS as string[]).includes(l) ? (l as Noun) : NOUN_ALIASES[l];
};

/** The words after `/flow`, read by the grammar; undefined when they are not grammar at all. */
function parseGrammar(ctx: Ctx, rest: string, from: 'grammar' | 'legacy'): Parsed | undefined {
  const { positionals, flags } = splitFlags(splitWords(rest), BOOLEAN_FLAGS);
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
  return buildCommand(ctx, { def, positionals: positionals.slice(used), flags }, from);
}

const LEGACY_PREFIX: Record<string, string> = { '/task': 'task', '/plan': 'plan', '/snapshot': 'snapshot', '/doc': 'doc', '/context': 'context' };
const LEGACY_VERB = /^\/(start|done|skip|next|status|help|search|resume)\b/i;

export function parseCommand(ctx: Ctx, input: string): Parsed {
  // Before any pattern or name lookup sees it: every face (tool, prompt, CLI) gets the same bound.
  if (input.length > MAX_COMMAND_CHARS) {
    return {
      kind: 'error',
      message: `The command is ${input.length.toLocaleString('en-US')} characters; commands are at most ${MAX_COMMAND_CHARS.toLocaleString('en-US')}.`,
      hint: 'Name things by id and keep long text for a document (document write) or a task description (task update).',
    };
  }
  const text = input.trim().replace(/[\u200b\ufeff]/g, '');
  if (!text) return { kind: 'help', text: helpText() };
  const flowForm = /^\/flow\b\s*(.*)$/is.exec(text);
  if (flowForm) {
    const rest = flowForm[1]!;
    return parseGrammar(ctx, rest, 'grammar') ?? parseNatural(ctx, rest) ?? notUnderstood(rest);
  }
  const prefix = /^(\/[a-z]+)\b\s*(.*)$/is.exec(text);
  if (prefix && LEGACY_PREFIX[prefix[1]!.toLowerCase()]) {
    const noun = LEGACY_PREFIX[prefix[1]!.toLowerCase()]!;
    const words = prefix[2]!.trim();
    return parseGrammar(ctx, words ? `${noun} ${words}` : noun, 'legacy') ?? notUnderstood(text);
  }
  if (prefix && LEGACY_VERB.test(text)) return parseGrammar(ctx, text.slice(1), 'legacy') ?? notUnderstood(text);
  if (prefix) return notUnderstood(text);
  // A bare plan number, "plan 2", "2번 plan": select that plan (the older Flow's habit).
  const planNo = /^(?:plan\s*#?\s*(\d{1,3})|#?(\d{1,3})\s*(?:번\s*)?(?:plan|플랜|계획)?)$/i.exec(text);
  if (planNo) return parseGrammar(ctx, `use plan ${planNo[1] ?? planNo[2]}`, 'legacy') ?? notUnderstood(text);
  return parseNatural(ctx, text) ?? notUnderstood(text);
}

function notUnderstood(text: string): Parsed {
  return {
    kind: 'error',
    unread: true,
    message: `Could not read "${clip(text)}" as a command.`,
    hint: 'Try /flow help for the forms, e.g. /flow add task "Write tests" --priority high, /flow done <task>, /flow next, /flow search "retry policy".',
  };
}
