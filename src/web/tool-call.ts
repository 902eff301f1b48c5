// One tool action run for the web page exactly as the MCP server runs it (dispatchAsync: the same
// schema, pre hooks that may veto, post hooks nudged), its refusal turned into an HTTP status with the
// tool's own error body.
import type { Call } from '../core/kernel/workspace.js';
import type { ErrorBody } from '../model/errors.js';
import { dispatchAsync } from '../tools/dispatch.js';
import { findToolSpec } from '../tools/registry.js';

/** The HTTP status of each refusal (anything else is a 500: a storage fault or a bug, said in its body). */
const STATUS_OF: Partial<Record<ErrorBody['code'], number>> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  cycle: 409,
  claimed: 409,
  not_ready: 409,
  confirm_required: 400,
  no_current: 404,
  refused: 403,
  busy: 503,
  read_only: 503,
  disk_full: 507,
};

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('api');
  }
}

/** Runs one tool action as the MCP tool would; a refusal becomes an ApiError with the tool's error body. */
export async function run(call: Call, tool: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  // dispatchAsync, as the MCP server runs tools: pre hooks may veto a change, post hooks are nudged.
  const out = await dispatchAsync(findToolSpec(tool)!, call, args);
  if (out.isError) {
    const error = out.structured.error as ErrorBody;
    throw new ApiError(STATUS_OF[error.code] ?? 500, { error });
  }
  return out.structured;
}

