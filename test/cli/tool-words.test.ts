// The command line's own copy of the tool nouns and argument names (src/cli/tool-words.ts, written
// out so a command does not load every tool to word a message) is exactly what the tools take, and
// the command table lists the tool nouns in the order the server lists its tools.
import type { z } from 'zod';
import { expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.js';
import { ARGUMENT_NAMES, TOOL_NOUNS } from '../../src/cli/tool-words.js';
import { TOOLS } from '../../src/tools/registry.js';

it('the argument names are every argument some tool action takes, and no other', () => {
  const taken = new Set<string>();
  for (const spec of TOOLS) for (const a of Object.values(spec.actions)) for (const k of Object.keys(a.schema.shape as Record<string, z.ZodType>)) taken.add(k);
  taken.delete('action');
  expect([...ARGUMENT_NAMES].sort()).toEqual([...taken].sort());
});

it('the tool nouns are the tools, in the server order, and the command table has them in that order', async () => {
  expect(TOOL_NOUNS).toEqual(TOOLS.map((t) => t.name));
  expect(COMMANDS.map((c) => c.name).filter((n) => TOOL_NOUNS.includes(n))).toEqual(TOOL_NOUNS);
});

it('every command in the table loads as the command it is named for, with the same other names', async () => {
  for (const entry of COMMANDS) {
    const command = await entry.load();
    expect(command.name, entry.name).toBe(entry.name);
    expect(command.aliases).toEqual(entry.aliases);
  }
});
