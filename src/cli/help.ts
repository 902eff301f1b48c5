// Help text, generated from what parses: the command table for `flowmcp --help`, the tool
// definitions the server publishes for `flowmcp help <tool>`.
import { z } from 'zod';
import type { ToolSpec } from '../tools/define.js';
import { allowedValues, flagName, GlobalFlags, isOptional, valueUsage, type CliCommand } from './command.js';
import { CLI_EXTRA, EITHER, SWITCHES } from './tool-words.js';

/** `flowmcp task <action>`, or `flowmcp search <query>` for a tool with one job. */
export function toolUsage(spec: ToolSpec): string {
  if (!spec.actionless) return `flowmcp ${spec.name} <action>`;
  const only = Object.values(spec.actions)[0]!;
  return `flowmcp ${spec.name} ${(only.args ?? []).map((a) => `<${a}>`).join(' ')}`.trimEnd();
}

/**
 * One action's arguments as help shows them, from the action's own zod schema: `<id>` required,
 * `[<to>]` and `[--limit N]` optional, and a closed set of values spelled out (`--priority
 * low|medium|high|urgent`, `<status: todo|in_progress|…>`).
 */
export function actionUsage(spec: ToolSpec, action: string): string {
  const a = spec.actions[action]!;
  const positional = a.args ?? [];
  const shape = a.schema.shape as Record<string, z.ZodType>;
  const optional = (k: string) => isOptional(shape[k]!);
  const either = EITHER[`${spec.name} ${action}`];
  const bare = (k: string) => {
    if (positional.includes(k)) {
      const values = allowedValues(shape[k]!);
      // The last argument, when it is a list, takes every word left (`depend t-a t-b t-c`).
      const many = k === positional[positional.length - 1] && placeholder(shape[k]!, k).endsWith(',…') ? '…' : '';
      return `<${k}${many}${values ? `: ${values.join('|')}` : ''}>`;
    }
    return `${flagName(k)}${SWITCHES.has(k) ? '' : ` ${valueUsage(shape[k]!, placeholder(shape[k]!, k))}`}`;
  };
  // One of two is needed (`(<title> | --tasks JSON)`): shown together, where the first would be.
  const shown = (k: string) => (either?.[0] === k ? `(${bare(k)} | ${bare(either[1])})` : optional(k) ? `[${bare(k)}]` : bare(k));
  const extra = CLI_EXTRA[`${spec.name} ${action}`] ?? {};
  const part = (k: string) => (extra[k] ? `${shown(k)} ${extra[k]}` : shown(k));
  const keys = [...positional, ...Object.keys(shape).filter((k) => !positional.includes(k))].filter((k) => k !== either?.[1]);
  return keys.map(part).join(' ');
}

/** `<title> | --tasks JSON` for an action that needs one of two arguments, else undefined. */
export function eitherUsage(spec: ToolSpec, action: string): { words: string; usage: string } | undefined {
  const either = EITHER[`${spec.name} ${action}`];
  if (!either) return undefined;
  const [a, b] = either;
  const usage = actionUsage(spec, action).match(/^\((.*?)\)/)?.[1] ?? `<${a}> | ${flagName(b)}`;
  return { words: `give a ${a.replace(/_/g, ' ')} or ${flagName(b)}`, usage };
}

/** A value's name in help: `N` for numbers, `true|false`, `KEY,…` for lists, else the key in capitals. */
function placeholder(schema: z.ZodType, key: string): string {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as { type?: string | string[]; items?: { type?: string | string[] } };
  const types = [json.type].flat();
  if (types.includes('boolean')) return 'true|false';
  if (types.includes('integer') || types.includes('number')) return 'N';
  if (types.includes('array')) return json.items && [json.items.type].flat().includes('object') ? 'JSON' : `${key.toUpperCase()},…`;
  return key.toUpperCase();
}

export function toolHelp(spec: ToolSpec): string {
  const lines = [`${toolUsage(spec)}${spec.actionless ? '' : ' [args]'} [--flags] [--json]`, '', spec.title, ''];
  const names = Object.keys(spec.actions);
  const width = Math.max(...names.map((n) => n.length));
  // A tool with one job is called without its action's name: `flowmcp search <query>`.
  for (const name of names) lines.push(`  ${spec.actionless ? `flowmcp ${spec.name}` : name.padEnd(width)} ${actionUsage(spec, name)}`.trimEnd());
  lines.push('', '<arg> is required, [optional]; a|b lists the values allowed. --dir DIR and --json work everywhere.');
  return lines.join('\n');
}

export function mainHelp(commands: readonly CliCommand[]): string {
  const global = Object.entries(GlobalFlags.shape as Record<string, z.ZodType>).map(([k, s]) => {
    const meta = s.meta() ?? {};
    return `${flagName(k)}${meta.value ? ` ${meta.value as string}` : ''} (${meta.help as string})`;
  });
  return [
    'flowmcp — durable project memory for AI coding assistants (flows → plans → tasks), over MCP and this CLI.',
    '',
    'usage:',
    ...commands.flatMap((c) => c.help()),
    '',
    `global flags: ${global.join(', ')}`,
    'exit codes: 0 ok, 1 the operation was refused (message says why), 2 bad command line',
  ].join('\n');
}
