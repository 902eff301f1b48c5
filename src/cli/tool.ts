// The tool nouns as CLI commands (`flowmcp task set_status t-ab12 done`): one generic runner driven
// by the tool definitions the MCP server publishes, so the CLI takes exactly what a tool call takes.
// The flags of an action are its schema's properties; the action's own zod schema validates them.
import { z } from 'zod';
import type { ToolSpec } from '../tools/define.js';
import { actionJsonSchema } from '../tools/advertise.js';
import { asFlowError, dispatchAsync, errorOutcome, pickAction } from '../tools/dispatch.js';
import { nearestWord } from '../core/kernel/suggest.js';
import { issueText } from '../core/schemas/issue-text.js';
import { clip } from '../model/error-text.js';
import { FlowError } from '../model/errors.js';
import { READ_ACTIONS } from '../model/vocab.js';
import { allowedValues, flagName, isOptional, splitGlobal, unknownFlag, helpLines, type CliCommand } from './command.js';
import { actionUsage, eitherUsage, toolHelp, toolUsage } from './help.js';
import { emit, emitUsage } from './output.js';
import { progressBar } from './progress.js';
import type { ParsedArgs } from './args.js';
import { toolArgs } from './tool-args.js';
import { ALIASES, aliasWords, EITHER, SWITCHES } from './tool-words.js';
import { withProject } from './with-project.js';
import { commandOnlyReads } from './command-reads.js';

export function toolCommand(spec: ToolSpec): CliCommand {
  return {
    name: spec.name,
    aliases: ALIASES[spec.name] ?? [],
    switches: SWITCHES,
    help: () => helpLines(`${toolUsage(spec)} ...`, [spec.title]),
    detail: () => toolHelp(spec),
    async start(line) {
      const { global, own: flags } = splitGlobal(line.flags);
      const { action, positionals } = actionOf(spec, line.positionals);
      // `flowmcp task --jsn list`: the flag took the action as its value, so no action is left.
      const early = Object.keys(flags)[0];
      if (!global.help && !action && early !== undefined) {
        return emitUsage(`${spec.name}: ${flagName(early)} came before the action, and took the next word as its value.`, `Write the action first: flowmcp ${spec.name} <action> [--flags]; actions: ${Object.keys(spec.actions).join(', ')}.`);
      }
      // `flowmcp search` alone goes on, to be told what is missing (`query is required: …`) as any command is.
      if (global.help || !action) {
        process.stdout.write(toolHelp(spec) + '\n');
        return global.help ? 0 : 2;
      }
      let args: Record<string, unknown>;
      const docWrite = spec.name === 'document' && action === 'write';
      try {
        // Text piped in without `--content -` is not read: a caller whose stdin pipe stays open would
        // wait forever. It is pointed to the flag instead.
        if (docWrite && flags.content === undefined && positionals.length <= 1 && !process.stdin.isTTY) {
          throw new FlowError('invalid_input', 'document write: --content is required; to take the text from standard input, write --content -.', 'flowmcp doc write notes/x.md --content - < x.md');
        }
        // `task create --tasks - < batch.json`: a batch too big for the command line (hundreds of tasks
        // hit the system's argument limit) comes from standard input, as a document's text does.
        const batchIn = spec.name === 'task' && action === 'create' && flags.tasks === '-';
        args = cliToolArgs(spec, action, positionals, batchIn ? { ...flags, tasks: await readStdin() } : flags);
        // `flowmcp doc write notes/x.md --content - < x.md`: the content comes from standard input.
        if (docWrite && args.content === '-') args.content = await readStdin();
      } catch (e) {
        emit(errorOutcome(action, asFlowError(e)), global.json);
        return 2;
      }
      const notes = readAs(spec, action, args);
      // The command tool's text says whether it reads only once it is read (command-reads.ts).
      const readsOnly = READ_ACTIONS.has(action) || args.dry_run === true || (spec.name === 'command' && typeof args.text === 'string' ? () => commandOnlyReads(args.text as string) : false);
      return withProject(global.dir, async (call) => {
        const outcome = await dispatchAsync(spec, { ...call, progress: progressBar(global.json) }, args);
        // Said after the result, so `task set_status t-ab12 finished` does not set done silently.
        const noted = notes.length && !outcome.isError && !global.json ? { ...outcome, structured: { ...outcome.structured, notes: [...[outcome.structured.notes ?? []].flat(), ...notes] } } : outcome;
        const code = emit(noted, global.json);
        // Nothing claimed is nothing done: `while flowmcp task claim me; do …; done` stops when the work does.
        return code === 0 && spec.name === 'task' && action === 'claim' && noted.structured.task === null ? 1 : code;
      }, 'cli', { readsOnly });
    },
  };
}

/** The action a tool's command line names, and the arguments after it. */
export function actionOf(spec: ToolSpec, words: readonly string[]): { action: string | undefined; positionals: string[] } {
  // `set-status` for set_status: the flags are written with hyphens, so actions may be too.
  const given = spec.actionless ? Object.keys(spec.actions)[0]! : words[0];
  const action = given && !spec.actions[given] && spec.actions[given.replace(/-/g, '_')] ? given.replace(/-/g, '_') : given;
  // `flowmcp search query "…"` (the action's name, as MCP knows it) is the same as `flowmcp search "…"`.
  const positionals = !spec.actionless ? words.slice(1) : words.length > 1 && words[0] === action ? words.slice(1) : [...words];
  return { action, positionals };
}

/** The arguments of a tool call from its command line (checked, in CLI words), or a FlowError. */
export function cliToolArgs(spec: ToolSpec, action: string, positionals: string[], flags: ParsedArgs['flags']): Record<string, unknown> {
  // An unknown action is named with the closest one (the dispatcher's own check) before anything else
  // is read: arguments after a mistyped action must not turn the answer into "too many arguments".
  pickAction(spec, { action });
  // `context save --decision X --why Y`, as /flow save context takes it: the decision's reason as its own
  // flag, rather than JSON in --decision.
  const { why, ...rest } = flags;
  const saving = spec.name === 'context' && action === 'save' && why !== undefined;
  if (saving && (typeof flags.decision !== 'string' || typeof why !== 'string')) {
    throw new FlowError('invalid_input', '--why is the reason for a --decision: give both, once each.', 'flowmcp context save --decision "Use Postgres" --why "we need JSONB"');
  }
  const given = saving ? rest : flags;
  // --why is context save's own flag (above): named among the flags it takes, after --decision, as help shows it.
  const known = Object.keys(actionJsonSchema(spec, action).properties ?? {})
    .filter((k) => k !== 'action')
    .flatMap((k) => (k === 'decision' && spec.name === 'context' && action === 'save' ? [k, 'why'] : [k]));
  const refusal = unknownFlag(spec.actionless ? spec.name : `${spec.name} ${action}`, Object.keys(given), known);
  if (refusal) throw new FlowError('invalid_input', refusal.message, refusal.hint);
  swappedClaimArgs(spec, action, positionals);
  const args = toolArgs(spec, action, { positionals, flags: given });
  if (saving) args.decision = { what: flags.decision as string, why: why as string };
  if (spec.actionless) delete args.action;
  refuseInvalid(spec, action, args, positionals.length);
  return args;
}

/** A task id as flowmcp makes them. */
const TASK_ID = /^t-[0-9a-z]{2,40}$/i;

/**
 * `task claim` takes the agent first (its task is optional: without one it claims the next ready task),
 * `task release` the task first: the other order, a task id where the agent goes and a name where the
 * task goes, is said with the order rather than "No task bob". Never swapped silently.
 */
function swappedClaimArgs(spec: ToolSpec, action: string, positionals: string[]): void {
  if (spec.name !== 'task' || positionals.length !== 2) return;
  const [a, b] = positionals as [string, string];
  if (action === 'claim' && TASK_ID.test(a) && !TASK_ID.test(b)) {
    throw new FlowError('invalid_input', `task claim takes the agent first, then the task; "${clip(a, 60)}" looks like the task. Nothing was claimed.`, `flowmcp task claim ${b} ${a}`);
  }
  if (action === 'release' && TASK_ID.test(b) && !TASK_ID.test(a)) {
    throw new FlowError('invalid_input', `task release takes the task first, then the agent; "${clip(b, 60)}" looks like the task. Nothing was released.`, `flowmcp task release ${b} ${a}`);
  }
}

/**
 * Checks the arguments with the action's own schema before anything opens, so a refusal speaks of
 * what was typed: `status is required: flowmcp task set_status <id> <status>`, `--status: "tod" is
 * not one of …` (the flag, not the schema's path `status.0`). The tool checks them again, unchanged.
 */
function refuseInvalid(spec: ToolSpec, action: string, args: Record<string, unknown>, given: number): void {
  const { action: _omit, ...input } = args;
  const parsed = spec.actions[action]!.schema.safeParse(input, { reportInput: true });
  if (parsed.success) return;
  const positional = spec.actions[action]!.args ?? [];
  const shape = spec.actions[action]!.schema.shape as Record<string, z.ZodType>;
  const where = spec.actionless ? `flowmcp ${spec.name}` : `flowmcp ${spec.name} ${action}`;
  const required = Object.keys(shape).filter((k) => !positional.includes(k) && !isOptional(shape[k]!));
  const usage = [where, ...positional.map((p) => (isOptional(shape[p]!) ? `[<${p}>]` : `<${p}>`)), ...required.map((k) => `${flagName(k)} <${k}>`)].join(' ');
  // Neither of two arguments one of which is needed: said as the choice it is, not "title is required".
  const either = eitherUsage(spec, action);
  const eitherKeys: readonly string[] = EITHER[`${spec.name} ${action}`] ?? [];
  const neither = either !== undefined && eitherKeys.every((k) => input[k] === undefined);
  const missing: string[] = [];
  const problems = parsed.error.issues.slice(0, 5).flatMap((issue) => {
    const key = issue.path.length ? String(issue.path[0]) : undefined;
    if (key === undefined) return `${where}: ${issueText(issue)}`;
    // Written as an argument (typed at its place) or as a flag: named the way it was given.
    const atPlace = positional.includes(key) && positional.indexOf(key) < given;
    const shown = positional.includes(key) && (atPlace || input[key] === undefined) ? key : flagName(key);
    if (input[key] === undefined) {
      if (neither && eitherKeys.includes(key)) return [];
      if (!missing.includes(shown)) missing.push(shown);
      return [];
    }
    const named = shown === key ? `<${key}>` : shown;
    if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
      const options = issue.values.map(String);
      const near = nearestWord(issue.input, options);
      const others = aliasWords(options);
      return `${where} ${named}: ${JSON.stringify(clip(issue.input))} is not one of ${options.join(', ')}${near ? ` (did you mean ${near}?)` : ''}${others ? `; ${others}` : ''}`;
    }
    return `${where} ${named}: ${issueText(issue)}`;
  });
  throw new FlowError(
    'invalid_input',
    `${[...(neither ? [`${either.words}: ${where} ${either.usage}`] : []), ...(missing.length ? [`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} required: ${usage}`] : []), ...problems].join('; ')}. Nothing was changed.`,
    `Write ${`${where} ${actionUsage(spec, action)}`.trimEnd()}; flowmcp help ${spec.name} shows every action.`,
  );
}

/**
 * Words of a closed set given in another spelling the schema reads as one of them (`finished` for
 * done, `normal` for medium): `status: read "finished" as done`, one note each, so nothing is
 * changed to a word the person did not type without saying so.
 */
export function readAs(spec: ToolSpec, action: string, args: Record<string, unknown>): string[] {
  const shape = spec.actions[action]!.schema.shape as Record<string, z.ZodType>;
  const notes: string[] = [];
  for (const [key, raw] of Object.entries(args)) {
    const schema = shape[key];
    const allowed = schema && allowedValues(schema);
    if (!allowed) continue;
    for (const word of [raw].flat()) {
      if (typeof word !== 'string' || allowed.includes(word)) continue;
      const read = schema.safeParse(Array.isArray(raw) ? [word] : word);
      const value = read.success ? [read.data].flat()[0] : undefined;
      if (typeof value === 'string' && value !== word) notes.push(`${(spec.actions[action]!.args ?? []).includes(key) ? key : flagName(key)}: read ${JSON.stringify(clip(word))} as ${value}`);
    }
  }
  return notes;
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    process.stdin.on('data', (d: Buffer) => parts.push(d));
    process.stdin.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    process.stdin.on('error', reject);
  });
}
