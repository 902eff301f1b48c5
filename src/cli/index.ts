#!/usr/bin/env node
// flowmcp entry point: finds the command in the table (commands.ts), splits the line with that
// command's switches, and lets it parse and run. With no command it serves MCP on stdio when started
// by a client (stdin not a terminal), and shows help to a person.
import { closest } from '../core/kernel/suggest.js';
import { isFlowError } from '../model/errors.js';
import { parseArgs } from './args.js';
import { UsageError } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { mainHelp } from './help.js';
import { emitUsage } from './output.js';
import { renderError } from './render.js';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    if (!process.stdin.isTTY) return findCommand('serve')!.start({ positionals: [], flags: {} });
    process.stdout.write(mainHelp(COMMANDS) + '\n');
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    const names = COMMANDS.flatMap((c) => [c.name, ...c.aliases]).filter((n) => !n.startsWith('-'));
    const near = closest(name, names.map((n) => ({ id: n, name: n })), 1)[0];
    return emitUsage(`unknown command "${name}".${near ? ` Did you mean ${near.id}?` : ''}`, 'Run flowmcp help for the commands.');
  }
  try {
    return await command.start(parseArgs(rest, command.switches));
  } catch (e) {
    if (e instanceof UsageError) return emitUsage(e.message, e.hint);
    if (isFlowError(e)) {
      process.stderr.write(renderError(e) + '\n');
      return 1;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`flowmcp: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
