// `flowmcp shell`: an interactive prompt for /flow commands and plain language, with completion of
// verbs, nouns and ids, and history kept in .flow/shell_history across sessions.
import { z } from 'zod';
import { appendFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { COMMANDS, NOUNS, SPECIAL_VERBS } from '../commands/grammar.js';
import { completeIds } from '../core/kernel/name-completion.js';
import { readShellHistory, shellHistoryFile } from '../core/kernel/shell-history.js';
import { nearestWord } from '../core/kernel/suggest.js';
import { openProject, projectDir } from '../project.js';
import { startHookWorker } from '../core/hooks/hook-worker.js';
import { primeHookCursors } from '../core/hooks/delivery.js';
import { defineCommand } from './command.js';
import { asFlowError, dispatchAsync, errorOutcome, type ToolOutcome } from '../tools/dispatch.js';
import type { ToolSpec } from '../tools/define.js';
import { findToolSpec, TOOLS } from '../tools/registry.js';
import { splitWords } from '../commands/words.js';
import type { Call } from '../core/kernel/workspace.js';
import { parseArgs, type ParsedArgs } from './args.js';
import { actionOf, cliToolArgs } from './tool.js';
import { ALIASES, SWITCHES } from './tool-words.js';
import { renderError, renderResult } from './render.js';
import { cliError, cliResult } from './wording.js';

const HISTORY_KEPT = 1000;
const VERBS = new Set([...COMMANDS.flatMap((d) => d.verbs), ...SPECIAL_VERBS]);
/** Ids offered per kind for one tab press: more than a terminal shows usefully, and a bound on the reads. */
const IDS_PER_KIND = 100;

/**
 * Completions for the word being typed: verbs and nouns first, then ids of flows, plans, tasks and
 * snapshots (`ids` is given the word, so only ids starting with it are read).
 */
export function completeLine(line: string, ids: (prefix: string) => string[]): [string[], string] {
  const words = line.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  const pool =
    words.length <= 1
      ? ['/flow']
      : words.length === 2
        ? [...new Set([...COMMANDS.flatMap((d) => d.verbs), ...NOUNS, ...SPECIAL_VERBS])]
        : [...new Set([...NOUNS, ...COMMANDS.flatMap((d) => d.verbs), ...ids(last), ...Object.keys(COMMANDS.reduce((a, d) => ({ ...a, ...d.flags }), {})).map((f) => `--${f.replace(/_/g, '-')}`)])];
  return [pool.filter((w) => w.startsWith(last)).sort(), last];
}

/**
 * The CLI's own order works here too: `task list --status todo` runs as `flowmcp task list` would;
 * anything else (`/flow …`, `list tasks`, plain language) goes to the command tool.
 */
export function cliLine(text: string): { spec: ToolSpec; action: string; flags: ParsedArgs['flags']; positionals: string[] } | undefined {
  if (text.startsWith('/')) return undefined;
  const words = splitWords(text);
  const noun = words[0]?.toLowerCase();
  const spec = TOOLS.find((t) => !t.actionless && (t.name === noun || (ALIASES[t.name] ?? []).includes(noun ?? '')));
  if (!spec || words.length < 2) return undefined;
  const line = parseArgs(words.slice(1), SWITCHES);
  const { action, positionals } = actionOf(spec, line.positionals);
  if (!action) return undefined;
  // A mistyped action (`snapshot restor s-1`) is answered "did you mean restore?", as on the command
  // line, rather than read as plain language (which would make a snapshot labelled "restor s-1"); a
  // word the /flow grammar knows as a verb (`task add …`) is still the grammar's.
  if (!spec.actions[action] && (VERBS.has(action) || !nearestWord(action, Object.keys(spec.actions)))) return undefined;
  const { dir: _dir, json: _json, help: _help, ...flags } = line.flags;
  return { spec, action, flags, positionals };
}

async function answer(call: Call, commandSpec: ToolSpec, text: string): Promise<ToolOutcome> {
  const cli = cliLine(text);
  if (!cli) return dispatchAsync(commandSpec, call, { text });
  let args: Record<string, unknown>;
  try {
    args = cliToolArgs(cli.spec, cli.action, cli.positionals, cli.flags);
  } catch (e) {
    return errorOutcome(cli.action, asFlowError(e));
  }
  return dispatchAsync(cli.spec, call, args);
}

export async function shell(dir: string | undefined): Promise<number> {
  const call = openProject(projectDir(dir), process.env.FLOW_AGENT ?? 'shell');
  const ws = call.ws;
  // A session that stays open delivers post hooks in the background, as a server does.
  primeHookCursors(ws);
  startHookWorker(ws);
  const historyFile = shellHistoryFile(ws.flowDir);
  const history = readShellHistory(ws.flowDir, HISTORY_KEPT);
  const ids = (prefix: string) => completeIds(call, prefix, IDS_PER_KIND);
  const rl = createInterface({ input: process.stdin, output: process.stdout, history, historySize: HISTORY_KEPT, completer: (line: string) => completeLine(line, ids), terminal: process.stdin.isTTY });
  const spec = findToolSpec('command')!;
  process.stdout.write('flowmcp shell — /flow help for commands, plain language works too, Ctrl-D to leave.\n');
  rl.setPrompt('flow> ');
  rl.prompt();
  for await (const line of rl) {
    const text = line.trim();
    if (text === 'exit' || text === 'quit') break;
    if (text) {
      appendFileSync(historyFile, text + '\n');
      const o = await answer(call, spec, text);
      const out = o.structured as Record<string, unknown>;
      if (o.isError) process.stdout.write(renderError(cliError(out.error as { message: string; hint?: string }, 'shell')) + '\n');
      else process.stdout.write((typeof out.help === 'string' ? out.help : renderResult(cliResult(out, 'shell'))) + '\n');
    }
    rl.prompt();
  }
  rl.close();
  ws.close();
  return 0;
}

export const shellCommand = defineCommand({
  name: 'shell',
  summary: ['an interactive /flow prompt with completion and history'],
  flags: z.object({}),
  run: (_, global) => shell(global.dir),
});
