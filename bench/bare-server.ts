// The floor for a tool call: a bare MCP SDK server over stdio with one tool that returns a small
// structured result at once, so a flowmcp call can be put beside the protocol's own cost in the same run.
// Started by bench/latency.ts as `tsx bench/bare-server.ts`.
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

const server = new McpServer({ name: 'bare', version: '1' });
server.registerTool(
  'echo',
  { description: 'Returns what it was given.', inputSchema: { id: z.string() }, outputSchema: { id: z.string(), ok: z.boolean() } },
  ({ id }) => ({ content: [{ type: 'text', text: JSON.stringify({ id, ok: true }) }], structuredContent: { id, ok: true } }),
);
await server.connect(new StdioServerTransport());
