// Turns `flowmcp task set_status t-ab12 done --expected-revision 3` into the same arguments an MCP
// client would send ({action, id, status, expected_revision}), typed by the tool's published schema.
// Validation then happens in one place: the tool's own action schema.
import { FlowError } from '../model/errors.js';
import { actionJsonSchema } from '../tools/advertise.js';
import type { ToolSpec } from '../tools/define.js';
import type { ParsedArgs } from './args.js';

export type Prop = { type?: string; anyOf?: Prop[] };

function typesOf(p: Prop | undefined): string[] {
  if (!p) return [];
  if (p.anyOf) return p.anyOf.flatMap(typesOf);
  return p.type ? [p.type] : [];
}

function coerce(key: string, raw: string | true, types: string[], freeText = false): unknown {
  if (raw === true) {
    if (types.includes('boolean')) return true;
    throw new FlowError('invalid_input', `--${key.replace(/_/g, '-')} needs a value.`, `Write --${key.replace(/_/g, '-')} <value>.`);
  }
  if (types.includes('boolean') && /^(true|false|yes|no)$/i.test(raw)) return /^(true|yes)$/i.test(raw);
  if (types.includes('integer') || types.includes('number')) {
    const n = Number(raw);
    if (raw.trim() !== '' && Number.isFinite(n)) return n;
    return raw; // left as text: the schema then says what it expected
  }
  if (types.includes('array')) {
    if (raw.trim().startsWith('{')) {
      try {
        return [JSON.parse(raw)];
      } catch {
        throw new FlowError('invalid_input', `--${key} is not valid JSON: ${raw.slice(0, 80)}`, 'Pass a JSON object like {"what": "...", "why": "..."}, or plain text.');
      }
    }
    if (freeText && !raw.trim().startsWith('[')) return [raw]; // sentences keep their commas
    if (raw.trim().startsWith('[')) {
      try {
        return JSON.parse(raw);
      } catch {
        throw new FlowError('invalid_input', `--${key} is not valid JSON: ${raw.slice(0, 80)}`, 'Pass a JSON array, or a comma-separated list of values.');
      }
    }
    return raw.split(',').map((s) => s.trim()).filter(Boolean);
  }
  return raw;
}

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
    if (isLast && types.includes('array') && pos.length > 1) out[name] = pos.splice(0).flatMap((p) => coerce(name, p, types) as unknown[]);
    else out[name] = coerce(name, pos.shift()!, types, freeText.has(name));
  }
  if (pos.length) {
    throw new FlowError(
      'invalid_input',
      `Too many arguments for ${spec.name} ${action}: ${pos.map((p) => JSON.stringify(p)).join(' ')}.`,
      names.length ? `It takes ${names.map((n) => `<${n}>`).join(' ')} then --flags; quote titles with spaces.` : 'It takes only --flags.',
    );
  }
  return { ...out, ...coerceFlags(props, parsed.flags, freeText) };
}

/** --flags typed by the JSON Schema properties of the tool action they are for. */
export function coerceFlags(props: Record<string, Prop>, flags: ParsedArgs['flags'], freeText: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flags)) {
    const types = typesOf(props[key]);
    if (Array.isArray(value)) out[key] = value.flatMap((v) => coerce(key, v, types, freeText.has(key)));
    else out[key] = coerce(key, value, types, freeText.has(key));
  }
  return out;
}
