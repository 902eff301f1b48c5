// The command table and its declarations: help is made from what parses, unknown flags are refused
// with the closest one, and every command in the table is in `flowmcp --help`.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseArgs } from '../../src/cli/args.js';
import { defineCommand, onOff, UsageError } from '../../src/cli/command.js';
import { allCommands, findCommand } from '../../src/cli/commands.js';
import { mainHelp } from '../../src/cli/help.js';

function demo() {
  const seen: unknown[] = [];
  const command = defineCommand({
    name: 'demo',
    args: '<file>',
    summary: ['a command for this test'],
    flags: z.object({ out: z.string().optional().meta({ value: 'FILE' }), dry_run: onOff('dry-run') }),
    positionals: z.array(z.string()).length(1, 'demo needs one file'),
    async run(input, global) {
      seen.push({ ...input, global });
      return 0;
    },
  });
  const start = (...argv: string[]) => command.start(parseArgs(argv, command.switches));
  return { command, start, seen };
}

describe('a declared command', () => {
  it('its help line shows every flag it parses', () => {
    expect(demo().command.help().join('\n')).toMatch(/^ {2}flowmcp demo <file> \[--out FILE\] \[--dry-run\]\s+a command for this test$/);
  });

  it('parses flags and arguments once, switches taking no value', async () => {
    const { start, seen } = demo();
    expect(await start('--dry-run', 'a.json', '--out', 'b.json', '--json')).toBe(0);
    expect(seen[0]).toMatchObject({ flags: { out: 'b.json', dry_run: true }, args: ['a.json'], global: { json: true } });
  });

  it('refuses an unknown flag with the closest known one, a missing value, and wrong arguments', async () => {
    const { start, seen } = demo();
    await expect(start('a.json', '--otu', 'x')).rejects.toThrow(/unknown flag --otu\. Did you mean --out\?/);
    await expect(start('a.json', '--out')).rejects.toThrow(/--out needs a value/);
    await expect(start()).rejects.toThrow(/demo needs one file/);
    await expect(start('a.json', '--dir')).rejects.toBeInstanceOf(UsageError);
    expect(seen).toEqual([]);
  });
});

describe('the command table', () => {
  it('every command is in flowmcp --help, and found by its name and aliases', async () => {
    const commands = await allCommands();
    const help = mainHelp(commands);
    for (const c of commands) {
      expect(help, c.name).toMatch(new RegExp(`^ {2}flowmcp (${[c.name, ...c.aliases].join('|')})\\b`, 'm'));
      for (const n of [c.name, ...c.aliases]) expect(findCommand(n)?.name).toBe(c.name);
    }
    expect(findCommand('doc')?.name).toBe('document');
  });
});
