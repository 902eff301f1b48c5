// Opens the project for one CLI command and closes it after, whatever happens in between. The
// agent the event log records is FLOW_AGENT, else the face's own name.
import type { Ctx } from '../core/kernel/workspace.js';
import { openProject, projectDir } from '../project.js';
import { asFlowError } from '../tools/dispatch.js';
import { renderError } from './render.js';

export async function withProject(dir: string | undefined, fn: (ctx: Ctx) => Promise<number>, face = 'cli'): Promise<number> {
  let ctx: Ctx;
  try {
    ctx = openProject(projectDir(dir).dir, process.env.FLOW_AGENT ?? face);
  } catch (e) {
    process.stderr.write(renderError(asFlowError(e)) + '\n');
    return 1;
  }
  try {
    return await fn(ctx);
  } catch (e) {
    // Whatever escaped the command (a damaged row, a storage fault) is said like every other refusal, never as a stack.
    process.stderr.write(renderError(asFlowError(e)) + '\n');
    return 1;
  } finally {
    ctx.ws.close();
  }
}
