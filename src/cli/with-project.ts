// Opens the project for one CLI command and closes it after, whatever happens in between. The
// agent the event log records is FLOW_AGENT, else the face's own name.
import type { Call } from '../core/kernel/workspace.js';
import { openProject, projectDir, whereFrom } from '../project.js';
import { log } from '../log.js';
import { asFlowError } from '../tools/dispatch.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';
import { hooksMayExist } from '../core/hooks/hooks-configured.js';

/**
 * How long a one-shot command may spend delivering post hooks (its own changes' and any left over)
 * before it exits; what is left is delivered by the next flowmcp process that runs (a server delivers
 * in the background for as long as it runs).
 */
export const CLI_HOOK_BUDGET_MS = 3_000;

export async function withProject(dir: string | undefined, fn: (call: Call) => Promise<number>, face = 'cli'): Promise<number> {
  let call: Call;
  try {
    const where = projectDir(dir);
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
