// Turns `flowmcp task set_status t-ab12 done --expected-revision 3` into the same arguments an MCP
// client would send ({action, id, status, expected_revision}), typed by the tool's published schema.
// Validation then happens in one place: the tool's own action schema.
import { clip } from '../model/error-text.js';
import { FlowError } from '../model/errors.js';
import { actionJsonSchema } from '../tools/advertise.js';
import type { ToolSpec } from '../tools/define.js';
import type { ParsedArgs } from './args.js';

export type Prop = { type?: string; anyOf?: Prop[]; items?: Prop };

function typesOf(p: Prop | undefined): string[] {
  if (!p) return [];
  if (p.anyOf) return p.anyOf.flatMap(typesOf);
  return p.type ? [p.type] : [];
}

/** The item types of a list-valued property (`object` for `--tasks`). */
function itemTypesOf(p: Prop | undefined): string[] {
  if (!p) return [];
  if (p.anyOf) return p.anyOf.flatMap(itemTypesOf);
  return p.items ? typesOf(p.items) : [];
}

const refuse = (message: string, hint: string) => new FlowError('invalid_input', message, hint);

/**
 * One word of the command line as the value the tool takes, by the type its schema publishes. A word
 * that cannot be that type is refused here, in CLI words (`--limit must be a number, got "abc"`),
 * rather than left for the schema to say "expected number, received string".
 */
function coerce(key: string, raw: string | true, prop: Prop | undefined, freeText = false, positional = false): unknown {
  const types = typesOf(prop);
  const name = positional ? `<${key}>` : `--${key.replace(/_/g, '-')}`;
  const shown = JSON.stringify(clip(String(raw), 40));
  if (raw === true) {
    if (types.includes('boolean')) return true;
    throw refuse(`${name} needs a value.`, `Write ${name} <value>.`);
  }
  if (types.includes('boolean') && /^(true|false|yes|no)$/i.test(raw)) return /^(true|yes)$/i.test(raw);
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(n)) return n;
    if (!types.includes('string')) {
      throw refuse(`${name} must be a number, got ${shown}.`, `Write ${name} 10.`);
    }
    return raw;
  }
  if (types.includes('boolean') && !types.includes('string')) throw refuse(`${name} must be true or false, got ${shown}.`, `Write ${name} true.`);
  if (types.includes('array')) {
    const of = itemTypesOf(prop);
    const objects = of.includes('object') && !of.includes('string');
    const list = objects ? `a JSON list of ${key.replace(/_/g, ' ')}` : 'a JSON list';
    const writeObjects = `Write ${name} '[{"title": "..."}]'.`;
    const trimmed = raw.trim();
    if (trimmed.startsWith('{')) {
      try {
        return [JSON.parse(raw)];
      } catch {
        throw refuse(`${name} must be ${objects ? `${list} or one JSON object` : 'a JSON object or plain text'} (it is not valid JSON): ${clip(raw, 80)}`, objects ? writeObjects : 'Pass a JSON object like {"what": "...", "why": "..."}, or plain text.');
      }
    }
    if (trimmed.startsWith('[')) {
      try {
        return JSON.parse(raw);
      } catch {
        throw refuse(`${name} must be ${list}${objects ? '' : ' or comma-separated values'} (it is not valid JSON): ${clip(raw, 80)}`, objects ? writeObjects : 'Pass a JSON array, or a comma-separated list of values.');
      }
    }
    // A list of objects has no plain-text spelling: a word here is a mistake, said as one.
    if (objects && !freeText) throw refuse(`${name} must be ${list} (it is not valid JSON): ${clip(raw, 80)}`, writeObjects);
    if (freeText) return [raw]; // sentences keep their commas
    return raw.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return raw;
}

/** The flag that carries an action's body of text, by "tool action". */
const TEXT_FLAGS: Readonly<Record<string, string>> = { 'document write': 'content', 'context save': 'summary' };

export function toolArgs(spec: ToolSpec, action: string, parsed: ParsedArgs): Record<string, unknown> {
  const props = (spec.actions[action] ? (actionJsonSchema(spec, action).properties ?? {}) : {}) as Record<string, Prop>;
  const names = spec.actions[action]?.args ?? [];
  const freeText = new Set(spec.actions[action]?.text ?? []);
  const out: Record<string, unknown> = { action };
  const pos = [...parsed.positionals];
  for (const name of names) {
    if (pos.length === 0) break;
    // The last declared positional soaks up the rest for list-valued arguments (depend t-a t-b t-c).
    const isLast = name === names[names.length - 1];
    const types = typesOf(props[name]);
    if (isLast && types.includes('array') && pos.length > 1) out[name] = pos.splice(0).flatMap((p) => coerce(name, p, props[name], false, true) as unknown[]);
    else out[name] = coerce(name, pos.shift()!, props[name], freeText.has(name), true);
  }
  if (pos.length) {
    // -s, -p: a short flag is read as a word; flags are written in full.
    const short = pos.find((p) => /^-[A-Za-z]/.test(p));
    if (short) {
      // The flags that begin with its letter are what was most likely meant (-k: --k; -s: --status).
      const letter = short[1]!.toLowerCase();
      const meant = Object.keys(props).filter((k) => k.startsWith(letter)).map((k) => `--${k.replace(/_/g, '-')}`);
      const command = `flowmcp ${spec.name}${Object.keys(spec.actions).length > 1 ? ` ${action}` : ''}`;
      throw new FlowError(
        'invalid_input',
        `${short} is not a flag: flags are written in full${meant.length ? ` (did you mean ${meant.slice(0, 3).join(' or ')}?)` : ' (--status, --plan-id, ...)'}.`,
        `${command} --help lists them.`,
      );
    }
    // Text after the arguments is most often the body the action takes as a flag (doc write n.md "text").
    const body = TEXT_FLAGS[`${spec.name} ${action}`];
    const bodyHint = body && parsed.flags[body] === undefined ? ` Text goes in --${body} "…"${spec.name === 'document' ? ' (or --content - to read it from standard input)' : ''}.` : '';
    throw new FlowError(
      'invalid_input',
      `Too many arguments for ${spec.name} ${action}: ${pos.map((p) => JSON.stringify(p)).join(' ')}.`,
      (names.length ? `It takes ${names.map((n) => `<${n}>`).join(' ')} then --flags; quote titles with spaces.` : 'It takes only --flags.') + bodyHint,
    );
  }
  return { ...out, ...coerceFlags(props, parsed.flags, freeText) };
}

/** --flags typed by the JSON Schema properties of the tool action they are for. */
export function coerceFlags(props: Record<string, Prop>, flags: ParsedArgs['flags'], freeText: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    if (Array.isArray(value)) out[key] = value.flatMap((v) => coerce(key, v, props[key], freeText.has(key)));
    else out[key] = coerce(key, value, props[key], freeText.has(key));
  }
  return out;
}
