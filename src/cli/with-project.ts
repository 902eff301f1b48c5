// Opens the project for one CLI command and closes it after, whatever happens in between. The
// agent the event log records is FLOW_AGENT, else the face's own name.
import type { Call } from '../core/kernel/workspace.js';
import { accessSync, constants, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openProject, projectDir, whereFrom, type ProjectDir } from '../project.js';
import { FlowError } from '../model/errors.js';
import { log } from '../log.js';
import { asFlowError } from '../tools/dispatch.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';
import { hooksMayExist } from '../core/hooks/hooks-configured.js';
import { inThrowawayProject } from './command-reads.js';

/**
 * How long a one-shot command may spend delivering post hooks (its own changes' and any left over)
 * before it exits; what is left is delivered by the next flowmcp process that runs (a server delivers
 * in the background for as long as it runs).
 */
export const CLI_HOOK_BUDGET_MS = 3_000;

/**
 * A command that only reads (a list, a search, a dry run) in a folder with no project answers that there is
 * none and makes nothing: a `flowmcp task list` typed in the wrong folder used to leave a new `.flow/` there.
 */
function noProjectToRead(where: ProjectDir, instead?: NoProjectWords): FlowError | undefined {
  const dir = resolve(where.dir);
  try {
    accessSync(dir, constants.R_OK | constants.X_OK);
  } catch {
    return undefined; // a folder that is missing or cannot be read is said by opening it, with what to do
  }
  if (existsSync(join(dir, '.flow'))) return undefined;
  if (instead) return new FlowError('not_found', instead.message(dir), instead.hint);
  return new FlowError(
    'not_found',
    `There is no flowmcp project in ${dir} (no .flow/ there${where.source === 'cwd' ? ' nor in a folder above it' : ''}), so there is nothing to read. Nothing was created.`,
    'Run it in the project folder or pass --dir /path/to/project; to start a project here, create something in it (e.g. flowmcp flow create "My work").',
  );
}

/** What a command that only reads says in place of "nothing to read", when that is not what it does. */
export interface NoProjectWords {
  message: (dir: string) => string;
  hint: string;
}

/**
 * `readsOnly` may be a question asked only when there is no project (a command line's text, which takes
 * reading to tell: command-reads.ts).
 */
export async function withProject(
  dir: string | undefined,
  fn: (call: Call) => Promise<number>,
  face = 'cli',
  opts: { readsOnly?: boolean | (() => Promise<boolean | 'alone'>); noProject?: NoProjectWords } = {},
): Promise<number> {
  let call: Call;
  try {
    const where = projectDir(dir);
    const none = opts.readsOnly ? noProjectToRead(where, opts.noProject) : undefined;
    const judged = none && typeof opts.readsOnly === 'function' ? await opts.readsOnly() : opts.readsOnly;
    // Help or a refusal, where there is no project: answered by an empty one in the temp folder.
    if (none && judged === 'alone') return await inThrowawayProject(fn);
    if (none && judged) throw none;
    // A command run in a subfolder works on the project above it: said, so nobody wonders whose flows these are.
    if (where.source === 'parent') log.info(`project ${where.dir} (${whereFrom(where)})`);
    call = openProject(where, process.env.FLOW_AGENT ?? face);
  } catch (e) {
    process.stderr.write(renderError(cliError(asFlowError(e))) + '\n');
    return 1;
  }
  try {
    // Before the command's own change, so that change is delivered to a hook configured just now.
    if (hooksMayExist(call.ws)) (await import('../core/hooks/delivery.js')).primeHookCursors(call.ws);
    const code = await fn(call);
    // Asked again: the command may have written a config file (hooks add).
    if (hooksMayExist(call.ws)) await (await import('../core/hooks/hook-worker.js')).deliverPending(call.ws, CLI_HOOK_BUDGET_MS);
    return code;
  } catch (e) {
    // Whatever escaped the command (a damaged row, a storage fault) is said like every other refusal, never as a stack.
    process.stderr.write(renderError(cliError(asFlowError(e))) + '\n');
    return 1;
  } finally {
    call.ws.close();
  }
}
