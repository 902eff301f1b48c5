// The command table: every top-level command, in the order `flowmcp --help` lists them, by name and
// other names, each loaded only when it runs (`await import`), so a command's start evaluates its
// own code and not every other command's schemas and core (the build keeps such modules lazy).
// Parsing, running and help all start from this one list.
import { nearestWord } from '../core/kernel/suggest.js';
import { clip } from '../model/error-text.js';
import type { ToolSpec } from '../tools/define.js';
import { VERSION } from '../version.js';
import { helpLines, splitGlobal, type CliCommand } from './command.js';
import { mainHelp } from './help.js';
import { emitUsage } from './output.js';
import { ALIASES } from './tool-words.js';

/** A command as the table knows it before it is loaded: its names, and how to load it. */
export interface CommandEntry {
  name: string;
  aliases: readonly string[];
  load(): Promise<CliCommand>;
}

const entry = (name: string, load: () => Promise<CliCommand>, aliases: readonly string[] = []): CommandEntry => ({ name, aliases, load });
/** A tool noun as a command (`flowmcp task list`): the tool's definition, run by the generic runner. */
const tool = (name: string, load: () => Promise<ToolSpec>): CommandEntry =>
  entry(name, async () => (await import('./tool.js')).toolCommand(await load()), ALIASES[name] ?? []);

/** `flowmcp help [command]`: the whole table, or one command's flags. */
const helpCommand: CliCommand = {
  name: 'help',
  aliases: ['--help', '-h'],
  switches: new Set(['json', 'help']),
  help: () => helpLines('flowmcp help <command>', ['actions and flags of one command']),
  detail: () => helpCommand.help().join('\n'),
  async start(line) {
    splitGlobal(line.flags);
    const asked = line.positionals[0];
    const one = asked === undefined ? undefined : findCommand(asked);
    if (asked !== undefined && !one) {
      const near = nearestWord(asked, commandNames());
      return emitUsage(`no help topic "${clip(asked, 40)}".${near ? ` Did you mean ${near}?` : ''}`, 'flowmcp help lists every command.');
    }
    process.stdout.write((one && one.name !== 'help' ? (await one.load()).detail() : mainHelp(await allCommands())) + '\n');
    return 0;
  },
};

const versionCommand: CliCommand = {
  name: 'version',
  aliases: ['--version', '-v'],
  switches: new Set(['json', 'help']),
  help: () => helpLines('flowmcp --version, -v', ['the version of flowmcp']),
  detail: () => helpLines('flowmcp --version', ['the version of flowmcp']).join('\n'),
  async start() {
    process.stdout.write(VERSION + '\n');
    return 0;
  },
};

// The tool nouns in the order the MCP server lists its tools (src/tools/registry.ts; a test holds
// the two to the same order).
export const COMMANDS: readonly CommandEntry[] = [
  entry('serve', async () => (await import('./serve.js')).serveCommand),
  entry('ui', async () => (await import('./ui.js')).uiCommand),
  tool('flow', async () => (await import('../tools/flow.js')).flowTool),
  tool('plan', async () => (await import('../tools/plan.js')).planTool),
  tool('task', async () => (await import('../tools/task.js')).taskTool),
  tool('snapshot', async () => (await import('../tools/snapshot.js')).snapshotTool),
  tool('document', async () => (await import('../tools/document.js')).documentTool),
  tool('search', async () => (await import('../tools/search.js')).searchTool),
  tool('context', async () => (await import('../tools/context.js')).contextTool),
  // The command tool runs the others (the /flow grammar), so it comes with the whole registry.
  tool('command', async () => (await import('../tools/registry.js')).findToolSpec('command')!),
  entry('run', async () => (await import('./run.js')).runCommand),
  entry('shell', async () => (await import('./shell.js')).shellCommand),
  entry('log', async () => (await import('./log.js')).logCommand),
  entry('events', async () => (await import('./events.js')).eventsCommand),
  entry('hooks', async () => (await import('./hooks.js')).hooksCommand),
  entry('import', async () => (await import('./import.js')).importCommand),
  entry('export', async () => (await import('./export.js')).exportCommand),
  entry('recover', async () => (await import('./recover.js')).recoverCommand),
  entry('help', async () => helpCommand, helpCommand.aliases),
  entry('version', async () => versionCommand, versionCommand.aliases),
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}

/** The names a person types, for "did you mean": no `--help`-style spellings. */
export function commandNames(): string[] {
  return COMMANDS.flatMap((c) => [c.name, ...c.aliases]).filter((n) => !n.startsWith('-'));
}

/** Every command, loaded: for the whole help. */
export function allCommands(): Promise<CliCommand[]> {
  return Promise.all(COMMANDS.map((c) => c.load()));
}
