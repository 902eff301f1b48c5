// The one error type every layer throws. Every face (MCP tool result, CLI exit, /flow command) renders
// it the same way (errorBody): a code a program can act on, a message that says what went wrong, and a
// hint that says what to do instead. Faults are named where they happen (store/ names storage faults,
// search/ names embedder faults); nothing upstream guesses from another library's error text.
import { clip, ERROR_TEXT_CHARS } from './error-text.js';

export type ErrorCode =
  // the call itself: fix the arguments or the state they refer to
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'cycle'
  | 'claimed'
  | 'not_ready'
  | 'confirm_required'
  | 'no_current'
  /** A pre hook (core/hooks/) refused the change; its message says why. Nothing was changed. */
  | 'refused'
  // the place the data lives: the same call may work once the fault is gone
  /** Another process held the database's write lock past the busy timeout: retry in a moment. */
  | 'busy'
  /** The disk holding .flow/ is full (or over quota): free space, then retry. */
  | 'disk_full'
  /** .flow/ may not be written by this process: reads still work. */
  | 'read_only'
  /** flow.db or a file under .flow/ is not as flowmcp wrote it (corrupt, truncated, an untrusted name). */
  | 'damaged'
  /** flow.db was written by a newer flowmcp: upgrade flowmcp; the file is left untouched. */
  | 'schema_too_new'
  /** Any other storage fault (an I/O error, a project folder in a state that needs a person). */
  | 'storage'
  /** The configured embedding server failed or answered something unusable. */
  | 'embedder'
  /** Nothing above: a flowmcp bug. Logged with its stack; the answer says so and asks for a report. */
  | 'bug';

export class FlowError extends Error {
  constructor(
    public readonly code: ErrorCode,
    message: string,
    public readonly hint?: string,
    /** Machine-readable extras, e.g. the current row on a conflict or candidate ids. */
    public readonly details?: Record<string, unknown>,
  ) {
    // Call sites bound what they quote (error-text.ts); this keeps any one that forgot from sending megabytes.
    super(clip(message, ERROR_TEXT_CHARS));
    if (hint !== undefined) this.hint = clip(hint, ERROR_TEXT_CHARS);
    this.name = 'FlowError';
  }
}

export function isFlowError(e: unknown): e is FlowError {
  return e instanceof FlowError;
}

/** The shape an error takes in every result (MCP structuredContent, CLI --json, /flow commands). */
export interface ErrorBody {
  code: ErrorCode;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

/** The one renderer from a FlowError to the error object results carry. */
export function errorBody(e: FlowError): ErrorBody {
  const body: ErrorBody = { code: e.code, message: e.message };
  if (e.hint) body.hint = e.hint;
  if (e.details) body.details = e.details;
  return body;
}
