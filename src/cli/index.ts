#!/usr/bin/env node
// flowmcp entry point: finds the command in the table (commands.ts), splits the line with that
// command's switches, and lets it parse and run. With no command it serves MCP on stdio when started
// by a client (stdin not a terminal), and shows help to a person.
import { nearestWord } from '../core/kernel/suggest.js';
import { isFlowError } from '../model/errors.js';
import { parseArgs } from './args.js';
import { UsageError } from './command.js';
import { hoistGlobals } from './command-word.js';
import { allCommands, commandNames, findCommand } from './commands.js';
import { mainHelp } from './help.js';
import { emitUsage } from './output.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';

async function main(args: string[]): Promise<number> {
  const argv = hoistGlobals(args, () => process.stdin.isTTY);
  const [name, ...rest] = argv;
  if (name === undefined) {
    if (!process.stdin.isTTY) return (await findCommand('serve')!.load()).start({ positionals: [], flags: {} });
    process.stdout.write(mainHelp(await allCommands()) + '\n');
    return 0;
  }
  const found = findCommand(name);
  if (!found) {
    const near = nearestWord(name, commandNames());
    return emitUsage(`unknown command "${name}".${near ? ` Did you mean ${near}?` : ''}`, 'Run flowmcp help for the commands.');
  }
  const command = await found.load();
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
