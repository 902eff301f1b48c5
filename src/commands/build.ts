// A command's meaning → the tool call it makes: names resolved (ids, plan numbers, title words), arguments
// and flags checked against the grammar, and the same command written back with ids, or the candidates
// when a name fits several things. Both readers (the grammar in parse.ts, plain language in natural.ts)
// end here, so neither imports the other.
import { clip, listSome, LIST_ITEMS } from '../model/error-text.js';
import { nameBudget, resolveName, type NameBudget } from '../core/kernel/resolve-name.js';
import { lookupName, nearestNames, otherKindId, planNumberMiss } from '../core/kernel/names.js';
import type { ErrorCode } from '../model/errors.js';
import { didYouMean } from '../core/kernel/suggest.js';
import type { Call } from '../core/kernel/workspace.js';
import { usage, type CommandDef } from './grammar.js';
import { waitingNote } from '../core/work/waiting.js';

export interface Command {
  tool: string;
  args: Record<string, unknown>;
  /** The same command in the grammar, ids resolved: what a person would type to run it again. */
  text: string;
  destructive: boolean;
  /** Said beside the result: a name resolved in another flow than the session's current one. */
  notes?: string[];
}

export type Parsed =
  | { kind: 'run'; command: Command; dry_run: boolean; from: 'grammar' | 'legacy' | 'plain language' }
  | {
      kind: 'choose';
      message: string;
      candidates: { id: string; title: string; command: string }[];
      /** Each candidate's command deletes or restores: it needs --confirm. */
      destructive?: boolean;
      /** A name fit its one candidate only in part: the words may have been read wrong as a whole. */
      partial?: true;
    }
  | { kind: 'help'; text: string }
  | { kind: 'status'; dry_run: boolean }
  | { kind: 'undo'; what: 'restore' | 'delete' | 'import'; dry_run: boolean; confirm: boolean }
  | {
      kind: 'error';
      message: string;
      hint: string;
      /** Not a command at all (rather than a command with a wrong part). */
      unread?: boolean;
      /** Words stood beside a quoted title (a quoted title is the whole title). */
      afterQuote?: boolean;
      /** The error's code when it is not a malformed command (a name that names nothing: not_found). */
      code?: ErrorCode;
    };

/** What a command means before names are resolved: a definition, its raw words, its flags. */
export interface Intent {
  def: CommandDef;
  positionals: string[];
  flags: Record<string, string | true>;
  /** Per positional: it was quoted, so it is a whole title or name, verbatim (the grammar's words). */
  quoted?: boolean[];
}

// Bare when it reads back as the same one word; quoted otherwise (spaces, quote marks, or a leading
// "--", which would read back as a flag).
// A text holding straight double quotes is shown in marks it does not hold, so it reads back whole
// (the tokenizer has no escapes).
const quote = (s: string) => {
  if (/^(?!--)[\p{L}\p{N}_./:#-]+$/u.test(s)) return s;
  if (!s.includes('"')) return JSON.stringify(s);
  if (!s.includes('”')) return `“${s}”`;
  if (!s.includes('」')) return `「${s}」`;
  return JSON.stringify(s);
};

/** Resolves an intent's names and builds the tool call, or says which names are ambiguous or unknown. */
export function buildCommand(call: Call, intent: Intent, from: 'grammar' | 'legacy' | 'plain language', budget: NameBudget = nameBudget()): Parsed {
  const { def, flags } = intent;
  const words = [...intent.positionals];
  const values: Record<string, unknown> = {};
  const shown: string[] = [def.noun === null ? def.verbs[0]! : `${def.verbs[0]} ${def.noun}`];
  const notes: string[] = [];
  /** Names whose one best fit holds only part of their words: a change waits for the user to say it. */
  const partials: { kind: string; raw: string; id: string; name: string; missing: string[]; command: () => string }[] = [];
  // A list of names given as bare words ("/flow task depend t-1 write api docs") is one name per word,
  // unless every word names something but some name the same thing, and all of them together name one:
  // then they are that one title ("write api docs" → one task, not the same task three times, or also
  // "Publish docs" for "docs"). A word that names nothing is still said, as before.
  const wholeName = (kind: NonNullable<CommandDef['args'][number]['ref']>, raw: string[], quoted: boolean[] = []): string | undefined => {
    if (raw.length < 2 || quoted.some(Boolean)) return undefined;
    const each = raw.map((r) => resolveName(call, kind, r, budget));
    // A word that is an id names that thing itself, never a word of a title: a candidate's command
    // ("… write api t-pub1") must depend on that candidate, not on the title its other words fit.
    if (each.some((r, i) => r.ok && r.id === raw[i]!.toLowerCase())) return undefined;
    if (!each.every((r) => r.ok) || new Set(each.map((r) => r.ok && r.id)).size === raw.length) return undefined;
    const all = resolveName(call, kind, raw.join(' '), budget);
    // A fit in part is no reading of the words as one title: each word is then a name of its own.
    return all.ok && !all.partial ? all.id : undefined;
  };
  const tryEach = (
    kind: NonNullable<CommandDef['args'][number]['ref']>,
    raw: string,
    slot: (id: string) => void,
    instead: (id: string) => Intent,
    /** Where a list is asked: words holding several whole titles ("the refund flow and the stripe webhook") give each. */
    list = false,
  ): Parsed | undefined => {
    function again(id: string): string {
      const b = buildCommand(call, instead(id), from, budget);
      return b.kind === 'run' ? b.command.text : `${usage(def)} (${id})`;
    }
    const r = resolveName(call, kind, raw, budget);
    if (r.ok) {
      slot(r.id);
      if (r.partial?.length) partials.push({ kind, raw, id: r.id, name: r.name, missing: r.partial, command: () => again(r.id) });
      return undefined;
    }
    if (list && r.several) {
      for (const c of r.several) slot(c.id);
      return undefined;
    }
    // Words naming several things are, for this place, a name that fits nothing (not_found): plain
    // language then reads the sentence by the things it names ("X can't start until Y is done").
    if (r.refused) return { kind: 'error', ...(r.several ? { code: 'not_found' as const } : {}), message: r.refused, hint: `${r.hint ?? `Name it by its id (/flow list ${kind}s shows them).`} Form: ${usage(def)}` };
    const where = r.elsewhere ?? [];
    // An exact title in another flow: a status change or a look acts on it there, as the tools do (and
    // says so); a destructive command does not act on a thing outside the current flow by its title.
    if (where.length === 1 && where[0]!.exact && !def.destructive) {
      const e = where[0]!;
      slot(e.id);
      // `use plan` makes the plan's flow current; everything else leaves the session where it is.
      const after = def.verbs[0] === 'use' ? `using it makes flow ${e.flowId} current` : 'the current flow is unchanged';
      notes.push(`${kind} ${e.id} ("${clip(e.name, 60)}") is in flow ${e.flowId} ("${clip(e.flowName, 60)}"), not in the current flow${currentFlowName(call)}; ${after}.`);
      return undefined;
    }
    if (where.length > 0) {
      const listed = where.slice(0, 3).map((e) => `${e.id} ("${clip(e.name, 60)}") in flow ${e.flowId} ("${clip(e.flowName, 60)}")`);
      const commands = where.slice(0, 3).map((e) => again(e.id));
      return {
        kind: 'error',
        code: 'not_found',
        message: `No ${kind} matches "${clip(raw)}" in the current flow${currentFlowName(call)}. ${where.length === 1 ? `It fits ${kind} ${listed[0]}` : `It fits ${where.length} ${kind}s in other flows: ${listed.join('; ')}${where.length > 3 ? '; …' : ''}`}.${def.destructive ? ` A ${def.verbs[0]} acts on a ${kind} outside the current flow only by its id.` : ''}`,
        hint: `To act on ${where.length === 1 ? 'it' : 'one'} there, by id: ${commands.join(' or ')}`,
      };
    }
    if (r.candidates.length === 0) {
      const other = otherKindId(call, kind, raw);
      if (other) {
        // Said in this face's words: the /flow command that shows it, where there is one.
        const show = other.known && (other.kind === 'flow' || other.kind === 'plan' || other.kind === 'task' || other.kind === 'snapshot') ? `/flow show ${other.kind} ${other.known.id} shows that ${other.kind}.` : other.hint;
        return { kind: 'error', code: 'not_found', message: other.message, hint: `${show} Form: ${usage(def)}` };
      }
      const number = kind === 'plan' ? planNumberMiss(call, raw) : undefined;
      if (number) return { kind: 'error', code: 'not_found', message: number.message, hint: `${number.hint ?? ''} Form: ${usage(def)}`.trim() };
      return {
        kind: 'error',
        code: 'not_found',
        message: `No ${kind} matches "${clip(raw)}".${didYouMean(nearestNames(call, kind, raw))}`,
        hint: `Use an id or words from its title; /flow list ${kind === 'task' ? 'task' : kind}s shows them. Form: ${usage(def)}`,
      };
    }
    // Several fit: the exact command for each, nothing run.
    return {
      kind: 'choose',
      message:
        (r.total ?? r.candidates.length) > r.candidates.length
          ? `"${clip(raw)}" fits ${r.total} ${kind}s equally well; the first ${r.candidates.length} are listed. Say which one, by id or by more words of its title.`
          : `"${clip(raw)}" fits ${r.candidates.length} ${kind}s; say which one.`,
      candidates: r.candidates.map((c) => ({ id: c.id, title: c.name, command: again(c.id) })),
      ...(def.destructive ? { destructive: true } : {}),
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
        const ref = a.ref;
        const whole = wholeName(ref, raw, intent.quoted?.slice(at));
        // "wait for the stripe webhook and the login page": each task whose whole title the words hold.
        const joined = whole || ref !== 'task' ? undefined : resolveName(call, ref, raw.join(' '), budget);
        const together = joined && !joined.ok && joined.several ? joined.several.map((c) => c.id) : [];
        const ids: string[] = whole ? [whole] : together;
        for (const [k, r] of whole || together.length ? [] : raw.entries()) {
          const bad = tryEach(ref, r, (id) => ids.includes(id) || ids.push(id), (id) => ({ ...intent, positionals: intent.positionals.map((p, j) => (j === at + k ? id : p)) }));
          if (bad) return bad;
        }
        values[a.name] = ids;
      } else values[a.name] = raw;
      shown.push(...(values[a.name] as string[]).map(quote));
      continue;
    }
    if ((a.rest || last) && !a.ref && words.length > 1 && intent.quoted?.slice(at).some(Boolean)) {
      const title = intent.quoted!.indexOf(true, at) - at;
      const others = words.filter((_, k) => k !== title);
      return {
        kind: 'error',
        afterQuote: true,
        message: `A quoted ${a.name} is the whole ${a.name}; these words stand outside it: ${listSome(others.map(quote), LIST_ITEMS, ' ')}.`,
        hint: `Put them inside the quotes, or use a flag. Form: ${usage(def)}`,
      };
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
          // "--depends-on 'the refund flow and the stripe webhook'": each task whose whole title it holds.
          const bad = tryEach(f.ref, part, (id) => ids.push(id), (id) => ({ ...intent, flags: { ...flags, [name]: String(v).replace(part, id) } }), f.ref === 'task');
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
  // The command written back says --confirm only when it was given: it is what an assistant is told to
  // run (the flow prompt), and a confirmation it never got must not be handed to it.
  if (def.destructive && confirm) {
    values.confirm = true;
    shown.push('--confirm');
  }
  const args = Object.fromEntries(Object.entries(def.build(values)).filter(([, v]) => v !== undefined));
  const partly = (p: (typeof partials)[number]) => `"${clip(p.raw, 80)}" fits ${p.kind} ${p.id} ("${clip(p.name, 60)}") only in part: its title does not hold ${listSome(p.missing.map((m) => `"${m}"`), LIST_ITEMS, ', ')}`;
  if (partials.length && !READS.has(String(args.action))) {
    // "cancel the partial refunds task" with only "Refund API" near it: acting would change a task the
    // user may never have meant, with nothing to undo it by. The command that would run is shown instead.
    return {
      kind: 'choose',
      message: `${partials.map(partly).join('; ')}. Nothing was changed; to go ahead, run the command below, or name it by more words of its title.`,
      candidates: partials.map((p) => ({ id: p.id, title: p.name, command: p.command() })),
      ...(def.destructive ? { destructive: true } : {}),
      partial: true,
    };
  }
  for (const p of partials) notes.push(`${partly(p)}.`);
  // A claim or release said without --agent is this session's agent (the MCP client's name, FLOW_AGENT,
  // the face): a shared "me" let any other process release a claim it never took.
  if (def.tool === 'task' && (args.action === 'claim' || args.action === 'release') && args.agent === undefined) args.agent = call.session.agent;
  // "What's blocked?" also means what waits on unfinished work: said beside the list (core/work/waiting.ts).
  if (def.tool === 'task' && args.action === 'list' && String(args.status ?? '').split(',').includes('blocked')) {
    const note = waitingNote(call, args as { flow_id?: string; plan_id?: string });
    if (note) notes.push(note);
  }
  return {
    kind: 'run',
    command: { tool: def.tool, args, text: `/flow ${shown.join(' ')}`, destructive: !!def.destructive, ...(notes.length ? { notes } : {}) },
    dry_run: flags.dry_run === true,
    from,
  };
}

/** Actions that only look (or choose where to look): a name that fits in part may be read, with a note. */
const READS = new Set(['get', 'list', 'show', 'read', 'diff', 'history', 'next', 'resume', 'switch', 'use']);

/** ` f-ab12 ("Name")`: the session's current flow, as a refusal names it ("" when none is current). */
function currentFlowName(call: Call): string {
  const id = call.session.current().flowId;
  const flow = id ? lookupName(call, 'flow', id) : undefined;
  return flow ? ` ${flow.id} ("${clip(flow.name, 60)}")` : '';
}
