// How answers reach the terminal: results on stdout (a table or text for people, JSON with --json),
// refusals on stderr with what to do next, and nothing else on stdout so scripts can pipe it.
import { FlowError } from '../model/errors.js';
import { errorOutcome, type ToolOutcome } from '../tools/dispatch.js';
import { renderError, renderResult } from './render.js';
import { cliError, cliResult } from './wording.js';

/**
 * Writes a tool outcome; 0 when it was done, 1 when it was refused — or when nothing ran because the
 * answer is a question back (several things fit; a destructive step waits for --confirm), so a script
 * never takes "nothing happened" for success.
 */
export function emit(outcome: ToolOutcome, json: boolean): number {
  if (json) {
    // An error's message and hint are for the person at the terminal: in CLI words here too.
    const structured = outcome.isError ? { ...outcome.structured, error: cliError(outcome.structured.error as { message: string; hint?: string }) } : outcome.structured;
    (outcome.isError ? process.stderr : process.stdout).write(JSON.stringify(structured, null, 2) + '\n');
  } else if (outcome.isError) {
    process.stderr.write(renderError(cliError(outcome.structured.error as { message: string; hint?: string })) + '\n');
  } else {
    process.stdout.write(renderResult(cliResult(outcome.structured)) + '\n');
  }
  const s = outcome.structured as { ambiguous?: unknown; needs_confirmation?: unknown };
  return outcome.isError || s.ambiguous === true || s.needs_confirmation === true ? 1 : 0;
}

/** Writes a core result that is not a tool call (import, recover): 0. */
export function emitResult(result: object, json: boolean): number {
  process.stdout.write((json ? JSON.stringify(result, null, 2) : renderResult(cliResult(result as Record<string, unknown>))) + '\n');
  return 0;
}

/** Writes a refusal of `what` (a command name) the way a tool's refusal is written: 1. */
export function emitError(what: string, e: FlowError, json: boolean): number {
  return emit(errorOutcome(what, e), json);
}

/** A malformed command line: always text, because no command ran to answer in JSON. */
export function emitUsage(message: string, hint: string): number {
  process.stderr.write(renderError(cliError(new FlowError('invalid_input', message, hint))) + '\n');
  return 2;
}
