// Spawns the built server (dist/cli.js serve) as a real child process and connects the SDK's real
// Client to it over stdio. The process inherits the worker's FLOWMCP_TEST_CHILD mark (env below is
// built from process.env), so it is killed after the test whatever happens (helpers/children.ts).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CreateMessageRequestSchema, ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkToolResult } from './result-schema.js';

export const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build (npm test does it first)`);
}

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  stderr: () => string;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent: Record<string, any> }>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  dir?: string;
  env?: Record<string, string>;
  args?: string[];
  name?: string;
  /** Working directory of the server process. */
  cwd?: string;
  /** Directories the client offers as MCP roots (the client then declares the roots capability). */
  roots?: string[];
  /** A script to run in place of dist/cli.js, taking the same arguments (e.g. as-nobody.mjs). */
  entry?: string;
  /** The client offers sampling: its "model" answers each request with this function's text. */
  sampling?: (userText: string, systemPrompt: string) => string;
}

export async function connect(opts: ConnectOptions = {}): Promise<Connected> {
  assertBuilt();
  const args = [opts.entry ?? CLI, 'serve', ...(opts.dir ? ['--dir', opts.dir] : []), ...(opts.args ?? [])];
  const env: Record<string, string> = { ...(process.env as Record<string, string>), ...(opts.env ?? {}) };
  delete env.FLOW_DIR;
  if (opts.env?.FLOW_DIR) env.FLOW_DIR = opts.env.FLOW_DIR;
  const transport = new StdioClientTransport({ command: process.execPath, args, env, stderr: 'pipe', cwd: opts.cwd });
  let err = '';
  transport.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const capabilities = { ...(opts.roots ? { roots: { listChanged: true } } : {}), ...(opts.sampling ? { sampling: {} } : {}) };
  const client = new Client({ name: opts.name ?? 'flowmcp-test', version: '1.0.0' }, { capabilities });
  if (opts.sampling) {
    const answer = opts.sampling;
    client.setRequestHandler(CreateMessageRequestSchema, (req) => {
      const parts = [req.params.messages[0]!.content].flat();
      const text = parts.map((c) => (c.type === 'text' ? c.text : '')).join('');
      return { role: 'assistant', model: 'test-model', content: { type: 'text', text: answer(text, req.params.systemPrompt ?? '') } };
    });
  }
  if (opts.roots) {
    const roots = opts.roots;
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: roots.map((r) => ({ uri: pathToFileURL(r).href, name: r })) }));
  }
  await client.connect(transport);
  // listTools primes the client's output-schema validators, so every callTool below is checked
  // against the published outputSchema by the SDK itself.
  await client.listTools();
  return {
    client,
    transport,
    stderr: () => err,
    call: async (name, a) => {
      const r = (await client.callTool({ name, arguments: a })) as CallToolResult & { structuredContent: Record<string, any> };
      // Beyond the SDK's check against the published schema: the schema of the action that answered.
      checkToolResult(name, r.structuredContent, r.isError);
      return r;
    },
    close: () => client.close(),
  };
}
