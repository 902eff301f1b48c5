// The `command` tool: one line of the /flow grammar or plain language (English, Korean), run through
// the same tools and core as every other call; dry_run shows what it would do and changes nothing.
// It is given the tools to run rather than importing the registry, which lists it (no import circle).
import type { ToolPort } from '../commands/bus.js';
import { runCommandText } from '../commands/run.js';
import { CommandInput } from '../core/schemas/command.js';
import { CommandResult } from '../core/schemas/command-results.js';
import { action, type ToolSpec } from './define.js';

/** The command tool over the tools it runs (the registry's port: tools/registry.ts). */
export const commandTool = (toolPort: ToolPort): ToolSpec => ({
  name: 'command',
  title: 'Run a /flow command or a plain-language request',
  description:
    'One line of /flow grammar (/flow add task "Write tests" --priority high, /flow done <task>, /flow help) or plain language ("mark the login task done", Korean too). ' +
    'Names: ids or title words; if several fit, candidates return and nothing runs. dry_run previews.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  open: true,
  actionless: true,
  actions: {
    run: action(CommandInput, CommandResult, (call, input) => runCommandText(call, input, toolPort), ['text']),
  },
});
