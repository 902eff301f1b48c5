// What a tool is: a noun with actions, each action a zod input schema plus the core call it makes.
// From these definitions come the advertised MCP schema, the dispatcher, and the CLI's arguments.
import type { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Ctx } from '../core/kernel/workspace.js';

export interface ActionSpec<S extends z.ZodObject = z.ZodObject> {
  schema: S;
  run: (ctx: Ctx, input: z.infer<S>) => object | Promise<object>;
  /** CLI positional arguments, in order (e.g. ["id", "status"] for `task set_status t-ab12 done`). */
  args?: readonly string[];
  /** List-valued arguments whose items are sentences: the CLI never splits them at commas. */
  text?: readonly string[];
}

export interface ToolSpec {
  name: string;
  title: string;
  description: string;
  annotations: ToolAnnotations;
  actions: Record<string, ActionSpec>;
  /** A tool with one job (search, command) takes its arguments directly: no `action` argument. */
  actionless?: boolean;
  /** Every property of every action's result, all optional; published as outputSchema. */
  output: z.ZodObject;
}

/** Keeps each action's run() typed by its own schema while storing them side by side. */
export function action<S extends z.ZodObject>(
  schema: S,
  run: (ctx: Ctx, input: z.infer<S>) => object | Promise<object>,
  args?: readonly string[],
  text?: readonly string[],
): ActionSpec {
  return { schema, run, args, text } as unknown as ActionSpec;
}
