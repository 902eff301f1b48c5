// MCP resources: `flow://flows/{id}/context`, a flow's context as JSON (the same as context get),
// listed for every flow and with id completion.
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { getContext } from '../core/memory/context.js';
import type { Call } from '../core/kernel/workspace.js';
import { completeFlowIds, someFlowNames } from '../core/kernel/name-completion.js';

const LISTED = 200;

export function registerResources(mcp: McpServer, context: () => Promise<Call>): void {
  mcp.registerResource(
    'flow-context',
    new ResourceTemplate('flow://flows/{id}/context', {
      list: async () => ({
        resources: someFlowNames(await context(), LISTED).map((f) => ({ uri: `flow://flows/${f.id}/context`, name: `${f.name} — context`, mimeType: 'application/json' })),
      }),
      complete: { id: async (value) => completeFlowIds(await context(), value) },
    }),
    {
      title: 'Flow context',
      description: "A flow's summary, decisions, open questions, next steps and files touched (as context get returns them).",
      mimeType: 'application/json',
    },
    async (uri, { id }) => {
      const call = await context();
      const doc = getContext(call, { flow_id: String(id) });
      return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(doc, null, 2) }] };
    },
  );
}
