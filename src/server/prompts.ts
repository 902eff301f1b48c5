// MCP prompts: `resume`, which clients show as a slash command that briefs a new session on a flow
// (the same briefing as context resume), with completion of flow ids.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { z } from 'zod';
import { resumeContext } from '../core/memory/context.js';
import type { Call } from '../core/kernel/workspace.js';
import { completeFlowIds } from '../core/kernel/name-completion.js';
import { runParsed } from '../commands/bus.js';
import { parseCommand } from '../commands/parse.js';
import { toolPort } from '../tools/registry.js';
import { isFlowError } from '../model/errors.js';
import { asRpcError, guarded, listed, opened, rpcError } from './rpc-errors.js';

/** JSON-RPC's "invalid params": a prompt argument that names nothing is the caller's to fix. */
const INVALID_PARAMS = -32602;

/**
 * A prompt whose arguments the core refuses (a flow that does not exist, no current flow) answers the
 * refusal's message and what to do, as invalid params; never the SDK's catch-all "internal error".
 */
function refusedAsParams<T>(run: () => T): T {
  try {
    return run();
  } catch (e) {
    if (isFlowError(e)) throw rpcError(INVALID_PARAMS, e.hint ? `${e.message} ${e.hint}` : e.message, { code: e.code, ...(e.details ? { details: e.details } : {}) });
    throw asRpcError(e);
  }
}

/** The command with its confirmation (an undo's preview already names the restore it would confirm). */
const confirmed = (command: string) => (command.endsWith('--confirm') ? command : `${command} --confirm`);

export function registerPrompts(mcp: McpServer, context: () => Promise<Call>): void {
  // `/flow …` as a slash command: the client's text is read (never run here) and handed to the model
  // as the exact command tool call to make, with a preview of what it would do.
  mcp.registerPrompt(
    'flow',
    {
      title: 'flow command',
      description: 'Run a /flow command or a plain-language request ("add task …", "mark … done", "what\'s next?").',
      argsSchema: { command: z.string().describe('e.g. add task "Write tests" --priority high') },
    },
    async ({ command }) => {
      const call = await opened(context);
      const text = /^\s*\//.test(command) ? command.trim() : `/flow ${command.trim()}`;
      const parsed = await guarded(() => parseCommand(call, text));
      const preview = await runParsed(call, parsed, toolPort, { dry_run: true });
      const s = preview.structured as { command?: string; would?: string; candidates?: { title: string; command: string }[]; help?: string; error?: { message: string; hint?: string } };
      const what = s.help
        ? s.help
        : s.candidates
          ? // Picking one is not saying yes to deleting it: for a delete or restore the confirmation is asked for as well.
            `${parsed.kind === 'choose' && parsed.destructive ? 'More than one thing fits, and this changes or removes stored work. Ask the user which one, and to confirm it; only if they do, run its command with --confirm' : 'More than one thing fits; ask which one, then run its command'}:\n${s.candidates.map((c) => `- ${c.title}: ${c.command}`).join('\n')}`
          : s.error
            ? `It cannot run as written: ${s.error.message} ${s.error.hint ?? ''}`
            : (parsed.kind === 'run' && parsed.command.destructive && !parsed.command.text.endsWith('--confirm')) || (parsed.kind === 'undo' && !parsed.confirm)
              ? // A delete or restore (an undo is one) is run only once the person has said yes to what it does:
                // the model is told to ask, never handed a confirmation nobody gave.
                `This changes or removes stored work: ${s.would ? `it would ${s.would}` : (s.command ?? text)}. Ask the user to confirm it first; only if they do, call the flowmcp \`command\` tool with text: ${confirmed(s.command ?? text)}`
              : `Call the flowmcp \`command\` tool with text: ${s.command ?? text}\n(${s.would ? `it would ${s.would}` : 'preview unavailable'})`;
      return { description: `flow: ${text}`, messages: [{ role: 'user', content: { type: 'text', text: what } }] };
    },
  );

  mcp.registerPrompt(
    'resume',
    {
      title: 'Resume a flow',
      description: "Brief this session on a flow: its plan, tasks in progress and next, the last summary, recent decisions and open questions.",
      argsSchema: {
        flow_id: completable(z.string().optional(), (value) => listed(context, (call) => completeFlowIds(call, value ?? ''))),
        budget_tokens: z.string().optional(),
      },
    },
    async ({ flow_id, budget_tokens }) => {
      const call = await opened(context);
      const budget = budget_tokens ? Number(budget_tokens) : undefined;
      const r = refusedAsParams(() =>
        resumeContext(call, {
          ...(flow_id ? { flow_id } : {}),
          ...(budget && Number.isInteger(budget) ? { budget_tokens: Math.min(20_000, Math.max(200, budget)) } : {}),
        }),
      );
      return {
        description: `Resume ${r.flow_id}`,
        messages: [
          {
            role: 'user',
            content: {
              type: 'text',
              text:
                `${r.text}\n\n` +
                'Continue this work. Use the flowmcp tools: task next / task set_status as you go, and context save for decisions ' +
                'and, before you stop, a summary of where things stand.',
            },
          },
        ],
      };
    },
  );
}
