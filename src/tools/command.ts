// The `command` tool: one line of the /flow grammar or plain language (English, Korean), run through
// the same tools and core as every other call; dry_run shows what it would do and changes nothing.
import { z } from 'zod';
import { runParsed, type ToolPort } from '../commands/bus.js';
import { parseCommand } from '../commands/parse.js';
import { translateUnread } from '../commands/translate.js';
import { CommandInput } from '../core/schemas/command.js';
import { ErrorView } from '../core/schemas/results.js';
import { FlowError, type ErrorBody } from '../model/errors.js';
import { action, type ToolSpec } from './define.js';
import { dispatchAsync, validateCall } from './dispatch.js';
import { findToolSpec } from './registry.js';

export const toolPort: ToolPort = {
  validate: (tool, args) => {
    const spec = findToolSpec(tool);
    return spec ? validateCall(spec, args) : `No tool ${tool}.`;
  },
  call: (ctx, tool, args) => dispatchAsync(findToolSpec(tool)!, ctx, args),
};

export const commandTool: ToolSpec = {
  name: 'command',
  title: 'Run a /flow command or a plain-language request',
  description:
    'One line of /flow grammar (/flow add task "Write tests" --priority high, /flow done <task>, /flow help) or plain language ("mark the login task done", Korean too). ' +
    'Names: ids or title words; if several fit, candidates return and nothing runs. dry_run previews.',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actionless: true,
  actions: {
    run: action(
      CommandInput,
      async (ctx, input) => {
        let parsed = parseCommand(ctx, input.text);
        if (parsed.kind === 'error' && parsed.unread) {
          const t = await translateUnread(ctx, input.text, parsed);
          if (t.kind === 'translated') {
            // A model's reading is shown with what it would do, never run: the caller sends it back to run it.
            const preview = await runParsed(ctx, t.parsed, toolPort, { dry_run: true });
            return { translated_from: input.text, ...preview.structured, needs_confirmation: true, changed: false };
          }
          parsed = t;
        }
        const r = await runParsed(ctx, parsed, toolPort, { dry_run: input.dry_run });
        if (!r.isError) return r.structured;
        // A refused command is an error result like any tool's, with the command it was read as.
        const { error, ...rest } = r.structured as { error: ErrorBody };
        const details = { ...error.details, ...rest };
        throw new FlowError(error.code, error.message, error.hint, Object.keys(details).length ? details : undefined);
      },
      ['text'],
    ),
  },
  output: z
    .object({
      command: z.string().optional(),
      result: z.record(z.string(), z.unknown()).optional(),
      candidates: z.array(z.object({ id: z.string(), title: z.string(), command: z.string() })).optional(),
      error: ErrorView.optional(),
    })
    .catchall(z.unknown()),
};
