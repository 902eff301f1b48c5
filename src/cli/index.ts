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

/** Commands a newcomer tries first that flowmcp spells otherwise: where each of them is. */
const FIRST_GUESSES: Readonly<Record<string, string>> = {
  status: 'The current flow, plan and the next task: flowmcp run "/flow status".',
  next: 'The next task to work on: flowmcp task next.',
  init: 'Nothing to set up: a project is made here on first use. Start with flowmcp flow create <name>.',
  list: 'Lists are per kind: flowmcp task list, plan list, flow list, doc list, snapshot list.',
  add: 'Add a task: flowmcp task create <title> (or flowmcp run "/flow add task <title>").',
  done: 'Mark a task done: flowmcp task set_status <task> done (or flowmcp run "/flow done <task>").',
  start: 'The MCP server: flowmcp serve. A task in progress: flowmcp task set_status <task> in_progress.',
};

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
    // A command's flag written before the command (flowmcp --priority high task create X).
    if (name.startsWith('-')) return emitUsage(`${name} is not a flag that comes before the command; only --dir and --json do.`, `Write it after the command: flowmcp <command> ... ${name}${rest[0] && !rest[0].startsWith('-') ? ` ${rest[0]}` : ''}.`);
    const guess = FIRST_GUESSES[name.toLowerCase()];
    const near = guess ? undefined : nearestWord(name, commandNames());
    return emitUsage(`unknown command "${name}".${guess ? ` ${guess}` : near ? ` Did you mean ${near}?` : ''}`, 'Run flowmcp help for the commands.');
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
