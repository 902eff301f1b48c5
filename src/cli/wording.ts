// Refusals and hints are written for MCP clients (`Call again with confirm: true`, `next_step`); on
// the command line the same words are flags (`--confirm`, `--next-step`). Every place the CLI shows
// an error or a hint passes it through here, so the MCP wording stays for MCP and the CLI says flags.
// The CLI has two faces: the OS shell, where a command starts with `flowmcp`, and `flowmcp shell`,
// where the same line is typed without it (`task list`) and help is `/flow help`.
import { flagName } from './command.js';
import { ALIASES, ARGUMENT_NAMES, TOOL_NOUNS } from './tool-words.js';

/** Lists of values (`is not one of todo, in_progress, …`) are values, not flags: left as they are. */
const VALUE_LIST = /((?:is not one of|expected one of)\s+)([^.;()]*)/g;

function translate(text: string): string {
  return (
    text
      // `Start one with flow create (name)` → `flowmcp flow create "<name>"`; `task list (with query)` →
      // `flowmcp task list --query "<words>"`: what a shell user types, not the tool's call
      .replace(/(?<!flowmcp )\b(flow|plan|task) create \((name|title)\)/g, (_m, noun: string, arg: string) => `flowmcp ${noun} create "<${arg}>"`)
      .replace(/(?<!flowmcp )\b(flow|plan|task) list \(with (query)\)/g, (_m, noun: string, arg: string) => `flowmcp ${noun} list --${arg} "<words>"`)
      // `snapshot restore s-ab12 (confirm: true)` → `snapshot restore s-ab12 --confirm`
      .replace(/\s*\(([a-z]+(?:_[a-z]+)*): true\)/g, (m, k: string) => (ARGUMENT_NAMES.has(k) ? ` ${flagName(k)}` : m))
      // `Call again with confirm: true` → `Call again with --confirm`
      .replace(/\b([a-z]+(?:_[a-z]+)*): true\b/g, (m, k: string) => (ARGUMENT_NAMES.has(k) ? flagName(k) : m))
      // `snapshot diff with from: s-ab12` → `snapshot diff with --from s-ab12`
      .replace(/\bwith ([a-z]+(?:_[a-z]+)*): (?=\S)/g, (m, k: string) => (ARGUMENT_NAMES.has(k) ? `with ${flagName(k)} ` : m))
      // `give at least one of summary, decision, next_step` → `--summary, --decision, --next-step`
      // (a comma list only: `id and status are required` names arguments typed in place)
      .replace(/\b[a-z]+(?:_[a-z]+)*\??(?:(?:, or |, and |, | or | and )[a-z]+(?:_[a-z]+)*\??)+/g, (list) => {
        const parts = list.split(/(, or |, and |, | or | and )/);
        const items = parts.filter((_, i) => i % 2 === 0).map((w) => w.replace(/\?$/, ''));
        if (!list.includes(', ') || !items.every((w) => ARGUMENT_NAMES.has(w))) return list;
        return parts.map((w, i) => (i % 2 ? w : w.endsWith('?') ? `[${flagName(w.slice(0, -1))}]` : flagName(w))).join('');
      })
      // any other argument written in snake_case (`next_step`, `expected_revision`) → `--next-step`;
      // not one typed in place, as usage shows it (`task move <id> <plan_id>`), nor a value in a list of
      // values (`--kind summary|decision|next_step`)
      .replace(/(?<![\w\-./`<|])([a-z]+(?:_[a-z]+)+)(?![\w\-(|])/g, (m, k: string) => (ARGUMENT_NAMES.has(k) ? flagName(k) : m))
  );
}

/** Where the words are read: typed at the OS shell (`flowmcp task list`) or inside `flowmcp shell` (`task list`). */
export type Face = 'cli' | 'shell';

const NOUNS = new Set(TOOL_NOUNS);
/** `flowmcp task …`, `flowmcp doc …`: the commands the shell takes without the program's name. */
const NOUN_COMMAND = new RegExp(`\\bflowmcp (?=(?:${[...NOUNS, ...Object.values(ALIASES).flat()].join('|')})\\b)`, 'g');
/**
 * Inside `flowmcp shell` a tool command is typed without `flowmcp` and help is `/flow help`; commands
 * the shell does not take (`flowmcp recover`, `flowmcp import`) stay as they are: they are run outside it.
 */
function forFace(text: string, face: Face): string {
  if (face === 'cli') return text;
  return text.replace(/\bflowmcp help\b/g, '/flow help').replace(NOUN_COMMAND, '');
}

/** MCP wording in CLI terms, leaving lists of values alone. */
export function cliWording(text: string, face: Face = 'cli'): string {
  let out = '';
  let at = 0;
  for (const m of text.matchAll(VALUE_LIST)) {
    out += translate(text.slice(at, m.index + m[1]!.length)) + m[2]!;
    at = m.index + m[0].length;
  }
  return forFace(out + translate(text.slice(at)), face);
}

/** An error body (message, hint) as the CLI shows it. */
export function cliError<E extends { message: string; hint?: string }>(error: E, face: Face = 'cli'): E {
  return { ...error, message: cliWording(error.message, face), ...(error.hint !== undefined ? { hint: cliWording(error.hint, face) } : {}) };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A result as the CLI shows it: its `undo` and `hint` say the command to type — wherever they sit, so
 * the result of a /flow command (`flowmcp run "/flow undo restore"`, the tool's answer nested under
 * `result`) says `flowmcp snapshot restore s-ab12 --confirm` as the snapshot command itself does.
 */
export function cliResult(result: Record<string, unknown>, face: Face = 'cli'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(result)) {
    if ((key === 'undo' || key === 'hint') && typeof v === 'string') {
      const worded = cliWording(v, face);
      out[key] = key === 'undo' && face === 'cli' && NOUNS.has(worded.split(' ')[0]!) ? `flowmcp ${worded}` : worded;
    } else if (key === 'warnings' && Array.isArray(v)) {
      // Only the command a warning gives (`task delete t-ab12 (confirm: true)`): the rest quotes titles,
      // whose snake_case words are no arguments.
      out[key] = v.map((x) => (typeof x === 'string' ? x.replace(/\s*\(confirm: true\)/g, ' --confirm') : x));
    } else if (isRecord(v)) out[key] = cliResult(v, face);
    else if (Array.isArray(v)) out[key] = v.map((x) => (isRecord(x) ? cliResult(x, face) : x));
    else out[key] = v;
  }
  return out;
}
