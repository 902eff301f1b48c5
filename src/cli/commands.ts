// The command table: every top-level command, in the order `flowmcp --help` lists them. Parsing,
// running and help all start from this one list.
import { nearestWord } from '../core/kernel/suggest.js';
import { clip } from '../model/error-text.js';
import { TOOLS } from '../tools/registry.js';
import { VERSION } from '../version.js';
import { helpLines, splitGlobal, type CliCommand } from './command.js';
import { eventsCommand } from './events.js';
import { exportCommand } from './export.js';
import { mainHelp } from './help.js';
import { emitUsage } from './output.js';
import { hooksCommand } from './hooks.js';
import { importCommand } from './import.js';
import { logCommand } from './log.js';
import { recoverCommand } from './recover.js';
import { runCommand } from './run.js';
import { serveCommand } from './serve.js';
import { shellCommand } from './shell.js';
import { toolCommand } from './tool.js';
import { uiCommand } from './ui.js';

/** `flowmcp help [command]`: the whole table, or one command's flags. */
const helpCommand: CliCommand = {
  name: 'help',
  aliases: ['--help', '-h'],
  switches: new Set(['json', 'help']),
  help: () => helpLines('flowmcp help <command>', ['actions and flags of one command']),
  detail: () => mainHelp(COMMANDS),
  async start(line) {
    splitGlobal(line.flags);
    const asked = line.positionals[0];
    const one = asked === undefined ? undefined : findCommand(asked);
    if (asked !== undefined && !one) {
      const names = COMMANDS.flatMap((c) => [c.name, ...c.aliases]).filter((n) => !n.startsWith('-'));
      const near = nearestWord(asked, names);
      return emitUsage(`no help topic "${clip(asked, 40)}".${near ? ` Did you mean ${near}?` : ''}`, 'flowmcp help lists every command.');
    }
    process.stdout.write((one && one !== helpCommand ? one.detail() : mainHelp(COMMANDS)) + '\n');
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

export const COMMANDS: readonly CliCommand[] = [
  serveCommand,
  uiCommand,
  ...TOOLS.map(toolCommand),
  runCommand,
  shellCommand,
  logCommand,
  eventsCommand,
  hooksCommand,
  importCommand,
  exportCommand,
  recoverCommand,
  helpCommand,
  versionCommand,
];

export function findCommand(name: string): CliCommand | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}
