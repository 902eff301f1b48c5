// Runs one tool call: picks the action, parses its arguments with that action's schema (the only
// place input is validated), calls the core, and shapes success or failure into one result object.
import { parseJsonBounded } from '../json-depth.js';
import { z } from 'zod';
import { issueText } from '../core/schemas/issue-text.js';
import { errorBody, FlowError, isFlowError } from '../model/errors.js';
import { storageError } from '../model/storage-faults.js';
import { clip, LIST_ITEMS, listSome } from '../model/error-text.js';
import { log } from '../log.js';
import { nearestWord } from '../core/kernel/suggest.js';
import { normalizeWord, TASK_STATUSES, TASK_STATUS_ALIASES, TASK_STATUS_VERBS, type TaskStatus } from '../model/vocab.js';
import type { Call } from '../core/kernel/workspace.js';
import type { ToolSpec } from './define.js';
import { checkResult, checkResults } from './result-check.js';
import { nudgeHooks } from '../core/hooks/hook-nudge.js';
import { preEvents } from '../core/hooks/hook-events.js';
import { hooksMayExist } from '../core/hooks/hooks-configured.js';
import { callAnswered } from '../background-turns.js';

export interface ToolOutcome {
  structured: Record<string, unknown>;
  isError: boolean;
}

function argList(spec: ToolSpec, action: string): string {
  const shape = spec.actions[action]!.schema.shape as Record<string, z.ZodType>;
  return Object.entries(shape)
    .map(([k, v]) => (v instanceof z.ZodOptional ? `${k}?` : k))
    .join(', ');
}

/**
 * Names a caller uses for an argument that is spelled otherwise here, too far apart for "nearest" to
 * find: a flow has a name where a plan or task has a title, search counts with k and filters by kind.
 */
const SAME_MEANING: Readonly<Record<string, readonly string[]>> = {
  name: ['title'],
  title: ['name'],
  limit: ['k'],
  top_k: ['k'],
  type: ['kind'],
  text: ['content', 'query'],
};

/**
 * An argument the action does not take, with what was likely meant: the nearest one it takes (`plan` →
 * plan_id), else the action of this tool that takes it (`status` on task update → set_status), so a
 * model's next call is the right one rather than another guess.
 */
function unknownArgument(spec: ToolSpec, action: string, key: string): string {
  const shapeOf = (a: string) => spec.actions[a]!.schema.shape as Record<string, unknown>;
  const own = Object.keys(shapeOf(action));
  const near = (Object.hasOwn(SAME_MEANING, key) ? SAME_MEANING[key]!.find((k) => own.includes(k)) : undefined) ?? nearestWord(key, own);
  if (near) return `${key} (did you mean ${near}?)`;
  // An action that needs it is what was meant (status: set_status, not list, where it filters).
  const takers = Object.keys(spec.actions).filter((a) => a !== action && Object.hasOwn(shapeOf(a), key));
  const elsewhere = takers.find((a) => !(shapeOf(a)[key] instanceof z.ZodOptional)) ?? takers[0];
  return elsewhere ? `${key} (${spec.name} ${elsewhere} takes it)` : key;
}

function describeIssue(issue: z.core.$ZodIssue, spec: ToolSpec, action: string): string {
  const path = issue.path.length ? issue.path.map(String).join('.') : '';
  if (issue.code === 'unrecognized_keys') {
    // Keys inside an item (tasks[0].plan) are not the action's own arguments: named as they are.
    // Only those shown are looked up (a call may carry thousands).
    const named = issue.path.length ? issue.keys : issue.keys.map((k, i) => (i < LIST_ITEMS ? unknownArgument(spec, action, k) : k));
    return `${path ? `${path}: ` : ''}unknown argument${issue.keys.length > 1 ? 's' : ''} ${listSome(named)}`;
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${path} is required`;
  if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
    const options = issue.values.map(String);
    const near = nearestWord(issue.input, options);
    return `${path}: ${JSON.stringify(clip(issue.input))} is not one of ${options.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`;
  }
  return path ? `${path}: ${issueText(issue)}` : issueText(issue);
}

function invalid(spec: ToolSpec, action: string, error: z.ZodError, fromJson: string[] = []): FlowError {
  const problems = error.issues.slice(0, 5).map((i) => {
    const text = describeIssue(i, spec, action);
    const key = i.path[0];
    return typeof key === 'string' && fromJson.includes(key) ? `${text} (${key} came as a JSON string and was read as JSON)` : text;
  });
  const name = spec.actionless ? spec.name : `${spec.name} ${action}`;
  return new FlowError(
    'invalid_input',
    `${name}: ${problems.join('; ')}. Nothing was changed.`,
    `${name} takes (${argList(spec, action)}).`,
    { issues: error.issues.slice(0, 5).map((i) => ({ path: i.path.slice(0, 10).map((p) => clip(String(p))), message: clip(i.message, 200) })) },
  );
}

/** The action a call names, or a refusal naming the closest one (used by the CLI too, before it reads arguments). */
export function pickAction(spec: ToolSpec, args: Record<string, unknown>): string {
  const actions = Object.keys(spec.actions);
  const a = args.action;
  if (typeof a === 'string' && actions.includes(a)) return a;
  // A status said as the action ("task done t-1", action "start"): the action that sets it, rather
  // than the nearest spelling ("done" is nearest to "move").
  const status = spec.name === 'task' && typeof a === 'string' ? normalizeWord(a, TASK_STATUSES, STATUS_VERBS) : undefined;
  const near = typeof a === 'string' && !status ? nearestWord(a, actions) : undefined;
  throw new FlowError(
    'invalid_input',
    a === undefined
      ? `${spec.name}: action is required.`
      : `${spec.name}: unknown action ${JSON.stringify(typeof a === 'string' ? clip(a) : a)}.${status ? ` A task's status is set by set_status: status "${status}" (or /flow ${FLOW_STATUS_VERB(status)} <task>).` : near ? ` Did you mean ${near}?` : ''}`,
    `Valid actions: ${actions.join(', ')}.`,
  );
}

/** The /flow line that sets each status (commands/grammar.ts: `done` is also a verb of its own). */
const FLOW_STATUS_VERB = (s: TaskStatus) => (s === 'done' ? 'done' : `task ${TASK_STATUS_VERBS[s][0]}`);

/** Status words and the verbs people use for them, as a task action would be said. */
const STATUS_VERBS: Readonly<Record<string, TaskStatus>> = {
  ...TASK_STATUS_ALIASES,
  ...Object.fromEntries(TASK_STATUSES.flatMap((s) => TASK_STATUS_VERBS[s].map((v) => [v, s]))),
};

export function errorOutcome(action: string | undefined, e: FlowError): ToolOutcome {
  const error = errorBody(e);
  return { structured: action ? { action, error } : { error }, isError: true };
}

/**
 * The last resort, which keeps the server answering. Every fault a person can act on is a FlowError
 * from where it happened (store/ names storage faults, search/ embedder faults), so anything else that
 * gets here is a flowmcp bug: it is logged to stderr with its stack and answered as one, never dressed
 * up as advice. The answer names the error's kind but quotes no message: a message may carry text from
 * a file or another program (a JSON parser quotes its input), and the log has it all.
 *
 * Storage faults are named here too, wherever they were met: a read can land on a damaged page of
 * flow.db (or the disk can fail under it) in any of hundreds of queries, and none of those is a bug
 * the person should report; it is damage they can recover from (the same fault met by a write said so).
 */
export function asFlowError(e: unknown): FlowError {
  if (isFlowError(e)) return e;
  const fault = storageError(e);
  if (fault) return fault;
  const err = e as { name?: unknown; code?: unknown; message?: unknown; stack?: unknown } | null | undefined;
  const name = clip(typeof err?.name === 'string' ? err.name : typeof e, 80);
  const code = typeof err?.code === 'string' || typeof err?.code === 'number' ? clip(String(err.code), 80) : undefined;
  log.error(`bug: ${typeof err?.stack === 'string' ? err.stack : `${name}: ${String(err?.message ?? e)}`}`);
  return new FlowError(
    'bug',
    `flowmcp hit a bug: an unexpected ${name}${code ? ` (${code})` : ''}. Nothing was changed; please report it.`,
    'Report it with the call you made and the stack trace flowmcp wrote to its log (stderr); the same call will likely fail the same way until it is fixed.',
    { error: name, ...(code ? { code } : {}) },
  );
}

/** Whether a schema accepts objects or arrays ('structured') or strings ('string') at its top. */
function takes(schema: z.ZodType, kind: 'structured' | 'string'): boolean {
  const def = (schema as unknown as { _zod: { def: Record<string, unknown> & { type: string } } })._zod.def;
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'readonly':
    case 'catch':
    case 'nonoptional':
      return takes(def.innerType as z.ZodType, kind);
    case 'union':
      return (def.options as z.ZodType[]).some((o) => takes(o, kind));
    case 'pipe': {
      const from = def.in as z.ZodType;
      // z.preprocess(fn, schema) is a pipe from a transform: what it takes is what the schema takes
      return (from as unknown as { _zod: { def: { type: string } } })._zod.def.type === 'transform' ? takes(def.out as z.ZodType, kind) : takes(from, kind);
    }
    case 'object':
    case 'array':
    case 'record':
    case 'tuple':
      return kind === 'structured';
    case 'string':
      return kind === 'string';
    default:
      return false;
  }
}

/**
 * Some clients (the MCP Inspector CLI among them) send an object- or array-valued argument as its JSON
 * text. Such a string is read as JSON here, once, for every argument whose schema takes an object or an
 * array, so it is never stored as the literal text. A string that is not JSON is refused when the
 * argument cannot be text; where text is also allowed (a decision may be plain words) it stays text.
 */
function readJsonStrings(spec: ToolSpec, action: string, args: Record<string, unknown>): { args: Record<string, unknown>; fromJson: string[] } {
  const shape = (spec.actions[action]!.schema as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if (!shape) return { args, fromJson: [] };
  const fromJson: string[] = [];
  let out = args;
  for (const [key, value] of Object.entries(args)) {
    const schema = shape[key];
    if (!schema || typeof value !== 'string' || !takes(schema, 'structured')) continue;
    const text = value.trim();
    if (!text.startsWith('{') && !text.startsWith('[')) continue;
    let parsed: unknown;
    try {
      parsed = parseJsonBounded(text);
    } catch {
      if (takes(schema, 'string')) continue;
      const name = spec.actionless ? spec.name : `${spec.name} ${action}`;
      throw new FlowError(
        'invalid_input',
        `${name}: ${key} came as a string that is not valid JSON. Nothing was changed.`,
        `Send ${key} as a JSON object or array (or as its exact JSON text); ${name} takes (${argList(spec, action)}).`,
        { issues: [{ path: [clip(key)], message: 'not valid JSON' }] },
      );
    }
    if (out === args) out = { ...args };
    out[key] = parsed;
    fromJson.push(key);
  }
  return { args: out, fromJson };
}

function parse(spec: ToolSpec, rawArgs: unknown): { action: string; input: unknown } {
  if (typeof rawArgs !== 'object' || rawArgs === null || Array.isArray(rawArgs)) {
    throw new FlowError('invalid_input', `${spec.name}: arguments must be an object.`, `Send {"action": "...", ...}; actions: ${Object.keys(spec.actions).join(', ')}.`);
  }
  const args = rawArgs as Record<string, unknown>;
  if (spec.actionless) {
    const only = Object.keys(spec.actions)[0]!;
    const read = readJsonStrings(spec, only, args);
    const parsed = spec.actions[only]!.schema.safeParse(read.args, { reportInput: true });
    if (!parsed.success) throw invalid(spec, only, parsed.error, read.fromJson);
    return { action: only, input: parsed.data };
  }
  const action = pickAction(spec, args);
  const { action: _omit, ...rest } = args;
  const read = readJsonStrings(spec, action, rest);
  const parsed = spec.actions[action]!.schema.safeParse(read.args, { reportInput: true });
  if (!parsed.success) throw invalid(spec, action, parsed.error, read.fromJson);
  return { action, input: parsed.data };
}

/** The action named in the arguments, if it is one of the tool's (for naming it in an error). */
function namedAction(spec: ToolSpec, rawArgs: unknown): string | undefined {
  if (spec.actionless) return undefined;
  const a = (rawArgs as { action?: unknown } | null)?.action;
  return typeof a === 'string' && a in spec.actions ? a : undefined;
}

/** The entity a call names, as its tool's get action shows it (for pre hooks), when the tool has one. */
async function currentOf(spec: ToolSpec, call: Call, input: unknown): Promise<Record<string, unknown> | undefined> {
  const get = spec.actions.get;
  const id = (input as { id?: unknown }).id;
  if (!get || typeof id !== 'string') return undefined;
  const r = (await get.run(call, { id } as never)) as Record<string, unknown>;
  const row = r[spec.name];
  return row && typeof row === 'object' ? (row as Record<string, unknown>) : undefined;
}

/** Runs a tool call whose action may be asynchronous (search, indexing). */
export async function dispatchAsync(spec: ToolSpec, call: Call, rawArgs: unknown): Promise<ToolOutcome> {
  try {
    return await runAsync(spec, call, rawArgs);
  } finally {
    callAnswered(); // a server's background work lets the caller's next request in first (background-turns.ts)
  }
}

async function runAsync(spec: ToolSpec, call: Call, rawArgs: unknown): Promise<ToolOutcome> {
  let action: string | undefined;
  try {
    const p = parse(spec, rawArgs);
    action = p.action;
    // Only a change can be hooked, and only where a config file exists; then the hook machinery is loaded.
    if (preEvents(spec.name, action, p.input as Record<string, unknown>).length && hooksMayExist(call.ws)) {
      // A post hook configured while this process runs gets its cursor before this change, not after it.
      (await import('../core/hooks/delivery.js')).primeHookCursors(call.ws);
      // pre hooks see the validated call before its transaction, and may refuse it (nothing is changed then).
      const { runPreHooks } = await import('../core/hooks/pre-hooks.js');
      await runPreHooks(call, spec.name, action, p.input as Record<string, unknown>, () => currentOf(spec, call, p.input));
    }
    const result = await spec.actions[action]!.run(call, p.input as never);
    if (checkResults) checkResult(spec, action, result);
    nudgeHooks(call.ws);
    return { structured: spec.actionless ? { ...result } : { action, ...result }, isError: false };
  } catch (e) {
    return errorOutcome(spec.actionless ? undefined : (action ?? namedAction(spec, rawArgs)), asFlowError(e));
  }
}

/**
 * Runs a tool call synchronously; for actions that complete without waiting (everything but search and
 * indexing). In-process only — benchmarks (bench/) and tests seed data with it: it runs no pre hooks
 * (they are asynchronous) and nudges no post delivery, so no face (MCP, CLI, /flow, shell) may use it;
 * they all go through dispatchAsync.
 */
export function dispatch(spec: ToolSpec, call: Call, rawArgs: unknown): ToolOutcome {
  let action: string | undefined;
  try {
    const p = parse(spec, rawArgs);
    action = p.action;
    const result = spec.actions[action]!.run(call, p.input as never);
    if (result instanceof Promise) throw new Error(`${spec.name} ${action} is asynchronous: use dispatchAsync`);
    if (checkResults) checkResult(spec, action, result);
    return { structured: spec.actionless ? { ...result } : { action, ...result }, isError: false };
  } catch (e) {
    return errorOutcome(spec.actionless ? undefined : (action ?? namedAction(spec, rawArgs)), asFlowError(e));
  }
}

/** Checks a call's arguments as dispatch would, without running it: the problem, or undefined. */
export function validateCall(spec: ToolSpec, rawArgs: unknown): string | undefined {
  try {
    parse(spec, rawArgs);
    return undefined;
  } catch (e) {
    const f = asFlowError(e);
    return f.message;
  }
}
