// Streamable HTTP's two answer modes for a call that streams nothing (issue 17): SSE (an event stream per
// request, the default, and what flowmcp uses so `document index` can stream progress) against
// enableJsonResponse (one JSON body). A bare SDK server on 127.0.0.1 with one echo tool, modes interleaved.
// Measured and not adopted: JSON mode is per transport (per session) in SDK 1.x, and in it a request's
// progress notifications have no stream to go on; the gain (below) did not justify losing them.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { z } from 'zod';
import { median, ms, percentile, printTable } from './stats.js';
async function run(json: boolean): Promise<number[]> {
  const transports = new Map<string, StreamableHTTPServerTransport>();
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = []; for await (const c of req) chunks.push(c as Buffer);
    const body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : undefined;
    const sid = req.headers['mcp-session-id'] as string | undefined;
    let t = sid ? transports.get(sid) : undefined;
    if (!t) {
      t = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), enableJsonResponse: json, onsessioninitialized: (id) => void transports.set(id, t!) });
      const s = new McpServer({ name: 'bare', version: '1' });
      s.registerTool('echo', { inputSchema: { id: z.string() } }, ({ id }) => ({ content: [{ type: 'text', text: id }] }));
      await s.connect(t);
    }
    await t.handleRequest(req, res, body);
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as any).port;
  const c = new Client({ name: 'b', version: '1' });
  await c.connect(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`)));
  const xs: number[] = [];
  for (let i = 0; i < 400; i++) { const t0 = performance.now(); await c.callTool({ name: 'echo', arguments: { id: 'x' } }); if (i >= 50) xs.push(performance.now() - t0); }
  await c.close(); http.close(); http.closeAllConnections();
  return xs;
}
export async function httpModesBench(): Promise<void> {
  const sse: number[] = [];
  const json: number[] = [];
  for (let round = 0; round < 3; round++) {
    sse.push(...(await run(false)));
    json.push(...(await run(true)));
  }
  printTable('Streamable HTTP answer modes, bare SDK server, echo tool (ms per call, 3 interleaved rounds of 350)', ['mode', 'p50', 'p95'], [
    ['SSE (default; flowmcp)', ms(median(sse)), ms(percentile(sse, 95))],
    ['JSON response', ms(median(json)), ms(percentile(json, 95))],
    ['JSON ÷ SSE (p50)', (median(json) / median(sse)).toFixed(2), ''],
  ]);
}
