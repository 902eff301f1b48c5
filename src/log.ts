// Diagnostics go to stderr, always: in stdio mode stdout carries the MCP protocol and nothing else.
// A diagnostic may quote the project's files (a config key, a hook's name): printable, as the CLI prints.
import { printable } from './model/error-text.js';

const LEVELS = { error: 0, warn: 1, info: 2, debug: 3 } as const;
type Level = keyof typeof LEVELS;

function threshold(): number {
  const v = (process.env.FLOW_LOG ?? 'info').toLowerCase() as Level;
  return LEVELS[v] ?? LEVELS.info;
}

function write(level: Level, msg: string): void {
  if (LEVELS[level] > threshold()) return;
  process.stderr.write(`flowmcp ${level}: ${printable(msg)}\n`);
}

export const log = {
  error: (m: string) => write('error', m),
  warn: (m: string) => write('warn', m),
  info: (m: string) => write('info', m),
  debug: (m: string) => write('debug', m),
};
