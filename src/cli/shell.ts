// `flowmcp shell`: an interactive prompt for /flow commands and plain language, with completion of
// verbs, nouns and ids, and history kept in .flow/shell_history across sessions.
import { z } from 'zod';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { COMMANDS, NOUNS, SPECIAL_VERBS } from '../commands/grammar.js';
import { openProject, projectDir } from '../project.js';
import { defineCommand } from './command.js';
import { dispatchAsync } from '../tools/dispatch.js';
import { findToolSpec } from '../tools/registry.js';
import { renderError, renderResult } from './render.js';
import { flowNames } from '../store/flows.js';
import { planTitles } from '../store/plans.js';
import { taskTitles } from '../store/tasks.js';
import { listSnapshots } from '../store/snapshots.js';

const HISTORY_KEPT = 1000;

/** Completions for the word being typed: verbs and nouns first, then ids of flows, plans, tasks and snapshots. */
export function completeLine(line: string, ids: () => string[]): [string[], string] {
  const words = line.split(/\s+/);
  const last = words[words.length - 1] ?? '';
  const pool =
    words.length <= 1
      ? ['/flow']
      : words.length === 2
        ? [...new Set([...COMMANDS.flatMap((d) => d.verbs), ...NOUNS, ...SPECIAL_VERBS])]
        : [...new Set([...NOUNS, ...COMMANDS.flatMap((d) => d.verbs), ...ids(), ...Object.keys(COMMANDS.reduce((a, d) => ({ ...a, ...d.flags }), {})).map((f) => `--${f.replace(/_/g, '-')}`)])];
  return [pool.filter((w) => w.startsWith(last)).sort(), last];
}

export async function shell(dir: string | undefined): Promise<number> {
  const ctx = openProject(projectDir(dir).dir, process.env.FLOW_AGENT ?? 'shell');
  const ws = ctx.ws;
  const historyFile = join(ws.flowDir, 'shell_history');
  const history = existsSync(historyFile) ? readFileSync(historyFile, 'utf8').split('\n').filter(Boolean).slice(-HISTORY_KEPT).reverse() : [];
  const ids = () => [
    ...flowNames(ws.db).map((f) => f.id),
    ...planTitles(ws.db).map((p) => p.id),
    ...taskTitles(ws.db, ctx.session.current().flowId ?? undefined).map((t) => t.id),
    ...listSnapshots(ws.db, 0, 50).map((s) => s.id),
  ];
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
      const o = await dispatchAsync(spec, ctx, { text: text.startsWith('/') ? text : text });
      const out = o.structured as Record<string, unknown>;
      if (o.isError) process.stdout.write(renderError(out.error as { message: string; hint?: string }) + '\n');
      else process.stdout.write((typeof out.help === 'string' ? out.help : renderResult(out)) + '\n');
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
