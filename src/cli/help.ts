// Help text, generated from what parses: the command table for `flowmcp --help`, the tool
// definitions the server publishes for `flowmcp help <tool>`.
import { z } from 'zod';
import type { ToolSpec } from '../tools/define.js';
import { flagName, GlobalFlags, type CliCommand } from './command.js';

/** `flowmcp task <action>`, or `flowmcp search <query>` for a tool with one job. */
export function toolUsage(spec: ToolSpec): string {
  if (!spec.actionless) return `flowmcp ${spec.name} <action>`;
  const only = Object.values(spec.actions)[0]!;
  return `flowmcp ${spec.name} ${(only.args ?? []).map((a) => `<${a}>`).join(' ')}`.trimEnd();
}

export function toolHelp(spec: ToolSpec): string {
  const lines = [`${toolUsage(spec)}${spec.actionless ? '' : ' [args]'} [--flags] [--json]`, '', spec.title, ''];
  for (const [name, a] of Object.entries(spec.actions)) {
    const positional = a.args ?? [];
    const shape = a.schema.shape as Record<string, z.ZodType>;
    const flags = Object.entries(shape)
      .filter(([k]) => !positional.includes(k))
      .map(([k, v]) => `${flagName(k)}${v instanceof z.ZodOptional ? '' : ' (required)'}`);
    // A tool with one job is called without its action's name: `flowmcp search <query>`.
    lines.push(`  ${spec.actionless ? `flowmcp ${spec.name}` : name} ${positional.map((p) => `<${p}>`).join(' ')}${flags.length ? '  ' + flags.join(' ') : ''}`.trimEnd());
  }
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
