// The `command` tool: one line of the /flow grammar or plain language (English, Korean), run through
// the same tools and core as every other call; dry_run shows what it would do and changes nothing.
// It is given the tools to run rather than importing the registry, which lists it (no import circle).
import { z } from 'zod';
import { runParsed, type ToolPort } from '../commands/bus.js';
import { parseCommand } from '../commands/parse.js';
import { translateUnread } from '../commands/translate.js';
import { CommandInput } from '../core/schemas/command.js';
import { ErrorView } from '../core/schemas/results.js';
import { FlowError, type ErrorCode } from '../model/errors.js';
import { action, type ToolSpec } from './define.js';

/** The command tool over the tools it runs (the registry's port: tools/registry.ts). */
export const commandTool = (toolPort: ToolPort): ToolSpec => ({
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
        const { error, ...rest } = r.structured as { error: { code: ErrorCode; message: string; hint?: string } };
        throw new FlowError(error.code, error.message, error.hint, Object.keys(rest).length ? rest : undefined);
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
});
