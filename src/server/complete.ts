// Id completion for prompt arguments and resource templates: flow ids (and names) that start with
// what the user typed, at most 100 as the protocol allows.
import type { Ctx } from '../core/kernel/workspace.js';
import { flowNames } from '../store/flows.js';

export function completeFlowIds(ctx: Ctx, typed: string): string[] {
  const t = typed.toLowerCase();
  return flowNames(ctx.ws.db)
    .filter((f) => f.id.startsWith(t) || f.name.toLowerCase().startsWith(t))
    .map((f) => f.id)
    .slice(0, 100);
}
