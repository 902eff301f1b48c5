// Help text, generated from the same tool definitions the server publishes.
import { z } from 'zod';
import { TOOLS } from '../tools/registry.js';
import type { ToolSpec } from '../tools/define.js';

export function toolHelp(spec: ToolSpec): string {
  const lines = [`flowmcp ${spec.name} <action> [args] [--flags] [--json]`, '', spec.title, ''];
  for (const [name, a] of Object.entries(spec.actions)) {
    const positional = a.args ?? [];
    const shape = a.schema.shape as Record<string, z.ZodType>;
    const flags = Object.entries(shape)
      .filter(([k]) => !positional.includes(k))
      .map(([k, v]) => `--${k.replace(/_/g, '-')}${v instanceof z.ZodOptional ? '' : ' (required)'}`);
    lines.push(`  ${name} ${positional.map((p) => `<${p}>`).join(' ')}${flags.length ? '  ' + flags.join(' ') : ''}`.trimEnd());
  }
  return lines.join('\n');
}

export function mainHelp(): string {
  return [
    'flowmcp — durable project memory for AI coding assistants (flows → plans → tasks), over MCP and this CLI.',
    '',
    'usage:',
    '  flowmcp serve [--dir DIR]          MCP server on stdio (the default when stdin is not a terminal)',
    '  flowmcp serve --http [--host H] [--port P] [--idle-seconds S] [--max-sessions N] [--allowed-hosts a,b] [--allowed-origins o]',
    '                                     MCP over Streamable HTTP at /mcp (127.0.0.1:8765 by default), metrics at /metrics;',
    '                                     FLOW_TOKEN=<secret> requires "Authorization: Bearer <secret>" (needed beyond loopback)',
    '                                     limits: [--max-body-mb 16] [--body-buffer-mb 64] [--body-timeout-seconds 30] [--max-connections 1024]',
    ...TOOLS.map((t) => `  flowmcp ${t.name} <action> ...${' '.repeat(Math.max(1, 22 - t.name.length))}${t.title}`),
    '  flowmcp log [--flow-id F] [--entity-id ID] [--limit N]   history of changes, newest first',
    '  flowmcp help <tool>                 actions and flags of one tool',
    '',
    'global flags: --dir DIR (project root; else FLOW_DIR, else the current directory), --json (machine-readable output)',
    'exit codes: 0 ok, 1 the operation was refused (message says why), 2 bad command line',
  ].join('\n');
}
