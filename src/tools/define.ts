// What a tool is: a noun with actions, each action a zod input schema, the zod schema of its result,
// and the core call it makes. From these definitions come the advertised MCP schemas (input and
// output), the dispatcher, and the CLI's arguments.
import { z } from 'zod';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { Call } from '../core/kernel/workspace.js';
import { ErrorView } from '../core/schemas/results.js';

/** A result schema: an object, or a union of objects (an action whose result has several forms). */
export type ResultSchema = z.ZodObject | z.ZodUnion<readonly z.ZodObject[]>;

export interface ActionSpec<I extends z.ZodObject = z.ZodObject, O extends ResultSchema = ResultSchema> {
  schema: I;
  /** What run returns (before the dispatcher adds `action`). */
  output: O;
  // The one place types are erased: `run` is declared as a method, so TypeScript compares its
  // parameter bivariantly and a table of actions (Record<string, ActionSpec>) can hold actions with
  // different input types. Each action is still checked where it is built: action() ties run's input
  // to its input schema and run's return to its output schema.
  run(call: Call, input: z.infer<I>): z.infer<O> | Promise<z.infer<O>>;
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
  /**
   * Results differ a lot by action (or by form): the published output schema names only the fields
   * several of them share and lets the rest through, to keep tools/list small.
   */
  open?: boolean;
}

/** One action: its input schema, its result schema, and the core call, which must return that result. */
export function action<I extends z.ZodObject, O extends ResultSchema>(
  schema: I,
  output: O,
  run: (call: Call, input: z.infer<I>) => z.infer<O> | Promise<z.infer<O>>,
  args?: readonly string[],
  text?: readonly string[],
): ActionSpec<I, O> {
  return { schema, output, run, args, text };
}

/** The object forms an action's result takes. */
function forms(s: ResultSchema): z.ZodObject[] {
  return s instanceof z.ZodUnion ? [...s.options] : [s];
}

const published = new WeakMap<ToolSpec, z.ZodObject>();

/**
 * The tool's one output schema (MCP allows one per tool): every property any action's result has (for
 * an `open` tool, every property at least two result forms share), each optional (a property typed
 * differently by different actions is any of those types), plus `action` and `error`. It is an open
 * object: a property it does not name is allowed. Derived from the actions' own result schemas, so it
 * cannot drift from what they return.
 */
export function toolOutput(spec: ToolSpec): z.ZodObject {
  let out = published.get(spec);
  if (!out) {
    const props = new Map<string, { schemas: z.ZodType[]; forms: number }>();
    for (const a of Object.values(spec.actions)) {
      for (const form of forms(a.output)) {
        for (const [key, schema] of Object.entries(form.shape as Record<string, z.ZodType>)) {
          const p = props.get(key) ?? { schemas: [], forms: 0 };
          const inner = schema instanceof z.ZodOptional ? (schema.unwrap() as z.ZodType) : schema;
          if (!p.schemas.includes(inner)) p.schemas.push(inner);
          p.forms++;
          props.set(key, p);
        }
      }
    }
    const shape: Record<string, z.ZodType> = spec.actionless ? {} : { action: z.string().optional() };
    for (const [key, p] of props) {
      if (spec.open && p.forms < 2) continue;
      shape[key] = (p.schemas.length === 1 ? p.schemas[0]! : z.union(p.schemas)).optional();
    }
    shape.error = ErrorView.optional();
    out = z.object(shape);
    published.set(spec, out);
  }
  return out;
}
