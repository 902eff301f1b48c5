#!/usr/bin/env node
// flowmcp entry point: finds the command in the table (commands.ts), splits the line with that
// command's switches, and lets it parse and run. With no command it serves MCP on stdio when started
// by a client (stdin not a terminal), and shows help to a person.
import { nearestWord } from '../core/kernel/suggest.js';
import { isFlowError } from '../model/errors.js';
import { parseArgs } from './args.js';
import { UsageError } from './command.js';
import { COMMANDS, findCommand } from './commands.js';
import { mainHelp } from './help.js';
import { emitUsage } from './output.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';

/**
 * `--dir DIR` and `--json` are global: written before the command (`flowmcp --dir ~/p task list`)
 * they are moved after it, where every command parses them.
 */
function hoistGlobals(argv: string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json' || a.startsWith('--dir=')) globals.push(a);
    else if (a === '--dir' && i + 1 < argv.length) globals.push(a, argv[++i]!);
    else break;
  }
  if (i === argv.length) return globals.length ? [process.stdin.isTTY ? 'help' : 'serve', ...globals] : argv;
  return [argv[i]!, ...argv.slice(i + 1), ...globals];
}

async function main(args: string[]): Promise<number> {
  const argv = hoistGlobals(args);
  const [name, ...rest] = argv;
  if (name === undefined) {
    if (!process.stdin.isTTY) return findCommand('serve')!.start({ positionals: [], flags: {} });
    process.stdout.write(mainHelp(COMMANDS) + '\n');
    return 0;
  }
  const command = findCommand(name);
  if (!command) {
    const names = COMMANDS.flatMap((c) => [c.name, ...c.aliases]).filter((n) => !n.startsWith('-'));
    const near = nearestWord(name, names);
    return emitUsage(`unknown command "${name}".${near ? ` Did you mean ${near}?` : ''}`, 'Run flowmcp help for the commands.');
  }
  try {
    return await command.start(parseArgs(rest, command.switches));
  } catch (e) {
    if (e instanceof UsageError) return emitUsage(e.message, e.hint);
    if (isFlowError(e)) {
      process.stderr.write(renderError(cliError({ message: e.message, hint: e.hint })) + '\n');
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
