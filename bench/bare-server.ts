// The floor for a tool call: a bare MCP SDK server over stdio that answers at once, so a flowmcp call can
// be put beside the protocol's own cost in the same run. Started by bench/latency.ts as
// `tsx bench/bare-server.ts`.
// - `echo` returns a small structured result: the floor of any call.
// - `keep` stores a value; `give` then returns it the way flowmcp answers (the JSON as text and as
//   structured content). That is the floor of a call whose answer has the same bytes as a flowmcp answer
//   (a list's first page is ~5–7 KB): what the protocol alone costs to move and check those bytes.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare', version: '1' });
server.registerTool(
  'echo',
  { description: 'Returns what it was given.', inputSchema: { id: z.string() }, outputSchema: { id: z.string(), ok: z.boolean() } },
  ({ id }) => ({ content: [{ type: 'text', text: JSON.stringify({ id, ok: true }) }], structuredContent: { id, ok: true } }),
);
let kept: Record<string, unknown> = {};
server.registerTool('keep', { description: 'Stores a value for give.', inputSchema: { value: z.record(z.string(), z.unknown()) } }, ({ value }) => {
  kept = value;
  return { content: [{ type: 'text', text: 'kept' }] };
});
server.registerTool('give', { description: 'Returns the value keep stored.' }, () => ({
  content: [{ type: 'text', text: JSON.stringify(kept) }],
  structuredContent: kept,
}));
await server.connect(new StdioServerTransport());
