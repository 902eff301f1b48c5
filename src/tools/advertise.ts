// Builds what tools/list publishes from the tool definitions: one flat input object per tool (an
// `action` enum plus every argument any action takes — clients reject top-level oneOf, and one flat
// object costs far fewer tokens), and the output schema. Computed once and cached.
import { z } from 'zod';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { toolOutput, type ToolSpec } from './define.js';

type JsonSchema = Record<string, unknown>;

function toJson(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

// Every client pays for tools/list in tokens on every turn, so the published schemas keep what a
// model needs to form a call (names, types, enums, required) and drop what the server checks
// anyway with a clear error (lengths, patterns, bounds).
const DROP = new Set(['minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'minimum', 'maximum', 'description']);

function slim(node: unknown, depth: number, maxDepth: number): unknown {
  if (Array.isArray(node)) return node.map((n) => slim(n, depth, maxDepth));
  if (typeof node !== 'object' || node === null) return node;
  const src = node as JsonSchema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(src)) {
    if (DROP.has(k) || (k === 'additionalProperties' && depth > 0)) continue;
    if (k === 'properties' && typeof v === 'object' && v !== null) {
      if (depth >= maxDepth) continue; // deeper shapes are documented by the result itself
      out[k] = Object.fromEntries(Object.entries(v as JsonSchema).map(([pk, pv]) => [pk, slim(pv, depth + 1, maxDepth)]));
    } else if (k === 'required' && depth >= maxDepth) {
      continue;
    } else {
      out[k] = slim(v, depth, maxDepth);
    }
  }
  return out;
}

/**
 * The flat advertised input: `action` plus every argument any action takes. Where actions type the
 * same argument differently (task list takes a status list, set_status one status), both forms are
 * published with anyOf, so a model following the schema never builds a call one action refuses.
 */
export function flatInputSchema(spec: ToolSpec): JsonSchema {
  const forms = new Map<string, Map<string, JsonSchema>>();
  for (const a of Object.values(spec.actions)) {
    const props = (slim(toJson(a.schema), 0, 3) as { properties?: Record<string, JsonSchema> }).properties ?? {};
    for (const [key, schema] of Object.entries(props)) {
      const seen = forms.get(key) ?? new Map<string, JsonSchema>();
      seen.set(JSON.stringify(schema), schema);
      forms.set(key, seen);
    }
  }
  const properties: Record<string, JsonSchema> = spec.actionless ? {} : { action: { type: 'string', enum: Object.keys(spec.actions) } };
  for (const [key, seen] of forms) {
    const list = [...seen.values()];
    properties[key] = list.length === 1 ? list[0]! : { anyOf: list };
  }
  const required = spec.actionless
    ? ((slim(toJson(Object.values(spec.actions)[0]!.schema), 0, 3) as { required?: string[] }).required ?? [])
    : ['action'];
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * One top-level output property as published: where actions type it differently the forms are
 * merged (nested anyOf flattened, repeats dropped, plain types joined into one type list; shapes that
 * differ further leave the property untyped), and record key constraints are left out (keys are
 * strings in JSON anyway).
 */
function compactProperty(node: JsonSchema): JsonSchema {
  const { propertyNames: _keys, ...rest } = node;
  if (!Array.isArray(rest.anyOf)) return rest;
  const flat: JsonSchema[] = [];
  const add = (n: JsonSchema) => (Array.isArray(n.anyOf) ? (n.anyOf as JsonSchema[]).forEach(add) : flat.push(compactProperty(n)));
  (rest.anyOf as JsonSchema[]).forEach(add);
  const unique = [...new Map(flat.map((n) => [JSON.stringify(n), n])).values()];
  if (unique.length === 1) return unique[0]!;
  if (unique.every((n) => Object.keys(n).length === 1 && n.type !== undefined)) {
    return { type: [...new Set(unique.flatMap((n) => n.type as string | string[]))] };
  }
  // Shapes that differ beyond their type (a list here, an object there): the result documents itself.
  return {};
}

/** The published output schema: the tool's derived output object, one level deep, each property compact. */
export function outputJsonSchema(spec: ToolSpec): JsonSchema {
  const top = slim(toJson(toolOutput(spec)), 0, 1) as JsonSchema & { properties: Record<string, JsonSchema> };
  const { additionalProperties: _open, ...rest } = top;
  return { ...rest, properties: Object.fromEntries(Object.entries(top.properties).map(([k, v]) => [k, compactProperty(v)])) };
}

const cache = new WeakMap<ToolSpec, Tool>();

export function advertise(spec: ToolSpec): Tool {
  let t = cache.get(spec);
  if (!t) {
    t = {
      name: spec.name,
      title: spec.title,
      description: spec.description,
      inputSchema: flatInputSchema(spec) as Tool['inputSchema'],
      outputSchema: outputJsonSchema(spec) as Tool['outputSchema'],
      annotations: { title: spec.title, ...spec.annotations },
    };
    cache.set(spec, t);
  }
  return t;
}

const actionCache = new WeakMap<ToolSpec, Map<string, JsonSchema>>();

/**
 * JSON Schema of one action's own arguments, slimmed like the published one (for the CLI and tests).
 * Kept once made: a command line reads it to check its flags and again to type them, and zod's
 * conversion is a visible part of a command's start.
 */
export function actionJsonSchema(spec: ToolSpec, action: string): JsonSchema {
  let bySpec = actionCache.get(spec);
  if (!bySpec) actionCache.set(spec, (bySpec = new Map()));
  let schema = bySpec.get(action);
  if (!schema) bySpec.set(action, (schema = slim(toJson(spec.actions[action]!.schema), 0, 3) as JsonSchema));
  return schema;
}
