// The one error type the core throws. Every face (MCP tool result, CLI exit) renders it the same way:
// a message that says what went wrong, and a hint that says what to do instead.
import { clip, ERROR_TEXT_CHARS } from './error-text.js';

export type ErrorCode =
  | 'invalid_input'
  | 'not_found'
  | 'conflict'
  | 'cycle'
  | 'claimed'
  | 'not_ready'
  | 'confirm_required'
  | 'no_current'
  | 'storage';

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
