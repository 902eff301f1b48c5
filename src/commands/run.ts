// One command line, start to end: read it (grammar, else plain language through the configured
// translator), run it through the tools (or, with dry_run, say what it would do), and turn a refusal
// into an error like any tool's. A model's reading of plain language is previewed, never run.
import { runParsed, type ToolPort } from './bus.js';
import { parseCommand } from './parse.js';
import { translateUnread } from './translate.js';
import type { CommandInputV } from '../core/schemas/command.js';
import type { CommandResultV } from '../core/schemas/command-results.js';
import type { Call } from '../core/kernel/workspace.js';
import { FlowError, type ErrorBody } from '../model/errors.js';
import { recordCommand } from '../core/hooks/command-event.js';

export async function runCommandText(call: Call, input: CommandInputV, tools: ToolPort): Promise<CommandResultV> {
  let parsed = parseCommand(call, input.text);
  if (parsed.kind === 'error' && parsed.unread) {
    const t = await translateUnread(call, input.text, parsed);
    if (t.kind === 'translated') {
      // A model's reading is shown with what it would do, never run: the caller sends it back to run it.
      const preview = await runParsed(call, t.parsed, tools, { dry_run: true });
      return { translated_from: input.text, ...(preview.structured as CommandResultV), needs_confirmation: true, changed: false };
    }
    parsed = t;
  }
  const r = await runParsed(call, parsed, tools, { dry_run: input.dry_run });
  // A command that ran (not help, a question back, or a preview) is an event for on_command hooks.
  if (!input.dry_run && parsed.kind !== 'help' && parsed.kind !== 'choose' && parsed.kind !== 'error' && !r.structured.dry_run) {
    recordCommand(call, input.text, r.isError ? String((r.structured.error as ErrorBody | undefined)?.code ?? 'error') : 'ok');
  }
  // The bus types what it returns loosely (it carries other tools' results); its shape is CommandResult,
  // which the result check under test asserts on every call.
  if (!r.isError) return r.structured as CommandResultV;
  // A refused command is an error result like any tool's, with the command it was read as.
  const { error, ...rest } = r.structured as { error: ErrorBody; result?: unknown };
  // The tool's own refusal is this error: said once, not again inside `result` (a model reads both).
  if (rest.result && typeof rest.result === 'object' && 'error' in rest.result) {
    const { error: _said, action: _named, ...other } = rest.result as Record<string, unknown>;
    if (Object.keys(other).length) rest.result = other;
    else delete rest.result;
  }
  const details = { ...error.details, ...rest };
  throw new FlowError(error.code, error.message, error.hint, Object.keys(details).length ? details : undefined);
}
