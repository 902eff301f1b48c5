// Failures of the server's non-tool requests (resources, prompts, subscriptions, completions) as
// JSON-RPC errors that say what the tools would say. Whatever a handler throws, the SDK answers with
// its code and message as they are: a damaged flow.db read by a resource came out as a bare
// "database disk image is malformed" (-32603), where a tool call says "damaged: run flowmcp recover".
import type { Call } from '../core/kernel/workspace.js';
import { asFlowError } from '../tools/dispatch.js';

/** JSON-RPC's "resource not found" (the MCP spec's code for it). */
export const RESOURCE_NOT_FOUND = -32002;
/** JSON-RPC's "internal error": what the SDK answers for anything a handler throws without a code. */
const INTERNAL_ERROR = -32603;

/**
 * A JSON-RPC error with this code and message as they are (the SDK's McpError puts "MCP error <code>:"
 * in front of the message, and clients add it again).
 */
export function rpcError(code: number, message: string, data?: unknown): Error {
  return Object.assign(new Error(message), { code, data });
}

/** Any failure as the tools say it (asFlowError), with what to do in the message and its code in the data. */
export function asRpcError(e: unknown): Error {
  const fe = asFlowError(e);
  return rpcError(INTERNAL_ERROR, fe.hint ? `${fe.message} ${fe.hint}` : fe.message, { code: fe.code });
}

/** Runs a handler's work; what it throws is said as asRpcError says it (errors already JSON-RPC's pass as they are). */
export async function guarded<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (Number.isSafeInteger((e as { code?: unknown } | null)?.code)) throw e;
    throw asRpcError(e);
  }
}

/** The project, opened (or why it cannot be), for a handler. */
export function opened(context: () => Promise<Call>): Promise<Call> {
  return guarded(context);
}

/** A listing or a completion read from the project, its failures said as asRpcError says them. */
export async function listed<T>(context: () => Promise<Call>, read: (call: Call) => T): Promise<T> {
  const call = await opened(context);
  return guarded(() => read(call));
}
