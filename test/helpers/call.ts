// Calls a tool in-process exactly as the MCP server does (dispatch: parse → core), for unit tests.
import type { Call } from '../../src/core/kernel/workspace.js';
import { dispatch } from '../../src/tools/dispatch.js';
import { findToolSpec } from '../../src/tools/registry.js';

export type Result = Record<string, any>;

export function caller(call: Call) {
  const raw = (tool: string, args: Record<string, unknown>) => {
    const spec = findToolSpec(tool);
    if (!spec) throw new Error(`no tool ${tool}`);
    return dispatch(spec, call, args);
  };
  /** Succeeds or throws with the error message. */
  const ok = (tool: string, args: Record<string, unknown>): Result => {
    const o = raw(tool, args);
    if (o.isError) throw new Error(`${tool} ${String(args.action)} failed: ${JSON.stringify(o.structured.error)}`);
    return o.structured;
  };
  /** Fails, returning the error object; throws if it unexpectedly succeeded. */
  const fail = (tool: string, args: Record<string, unknown>): { code: string; message: string; hint?: string; details?: Result } => {
    const o = raw(tool, args);
    if (!o.isError) throw new Error(`${tool} ${String(args.action)} unexpectedly succeeded: ${JSON.stringify(o.structured)}`);
    return o.structured.error as { code: string; message: string; hint?: string; details?: Result };
  };
  return { raw, ok, fail };
}
