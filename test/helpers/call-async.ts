// Like caller(), for actions that may be asynchronous (documents, search).
import type { Call } from '../../src/core/kernel/workspace.js';
import { dispatchAsync } from '../../src/tools/dispatch.js';
import { findToolSpec } from '../../src/tools/registry.js';
import type { Result } from './call.js';

export function asyncCaller(call: Call) {
  const raw = (tool: string, args: Record<string, unknown>) => dispatchAsync(findToolSpec(tool)!, call, args);
  const ok = async (tool: string, args: Record<string, unknown>): Promise<Result> => {
    const o = await raw(tool, args);
    if (o.isError) throw new Error(`${tool} ${String(args.action ?? '')} failed: ${JSON.stringify(o.structured.error)}`);
    return o.structured;
  };
  const fail = async (tool: string, args: Record<string, unknown>) => {
    const o = await raw(tool, args);
    if (!o.isError) throw new Error(`${tool} ${String(args.action ?? '')} unexpectedly succeeded: ${JSON.stringify(o.structured)}`);
    return o.structured.error as { code: string; message: string; hint?: string };
  };
  return { raw, ok, fail };
}

/** A flow "F" with a plan "P", both current in the call's session: where documents link by default. */
export async function flowWithPlan(call: Call): Promise<void> {
  const { ok } = asyncCaller(call);
  await ok('flow', { action: 'create', name: 'F' });
  await ok('plan', { action: 'create', title: 'P' });
}
