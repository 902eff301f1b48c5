// MCP prompts: `resume`, which clients show as a slash command that briefs a new session on a flow
// (the same briefing as context resume), with completion of flow ids.
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { completable } from '@modelcontextprotocol/sdk/server/completable.js';
import { z } from 'zod';
import { resumeContext } from '../core/context.js';
import type { Ctx } from '../core/workspace.js';
import { completeFlowIds } from './complete.js';

export function registerPrompts(mcp: McpServer, context: () => Promise<Ctx>): void {
  mcp.registerPrompt(
    'resume',
    {
      title: 'Resume a flow',
      description: "Brief this session on a flow: its plan, tasks in progress and next, the last summary, recent decisions and open questions.",
      argsSchema: {
        flow_id: completable(z.string().optional(), async (value) => completeFlowIds(await context(), value ?? '')),
        budget_tokens: z.string().optional(),
      },
    },
    async ({ flow_id, budget_tokens }) => {
      const ctx = await context();
      const budget = budget_tokens ? Number(budget_tokens) : undefined;
      const r = resumeContext(ctx, {
        ...(flow_id ? { flow_id } : {}),
        ...(budget && Number.isInteger(budget) ? { budget_tokens: Math.min(20_000, Math.max(200, budget)) } : {}),
      });
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
