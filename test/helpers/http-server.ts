// Starts the built server as a real process in HTTP mode (`flowmcp serve --http --port 0`), reads the
// address it prints, and connects the SDK's real Client over Streamable HTTP. The process runs in its
// own process group and is killed with it after the test, whatever happens (helpers/children.ts).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ChildProcess } from 'node:child_process';
import { request } from 'node:http';
import { afterEach } from 'vitest';
import { spawnTracked } from './children.js';
import { CLI, assertBuilt } from './server.js';

export interface HttpServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stderr: () => string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startHttpServer(dir: string, args: string[] = [], env: Record<string, string> = {}): Promise<HttpServerProcess> {
  assertBuilt();
  const e: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
  if (!env.FLOW_TOKEN) delete e.FLOW_TOKEN;
  // Any free port, unless the test names one (a restart on the port a page already uses).
  const port = args.includes('--port') ? [] : ['--port', '0'];
  const child = spawnTracked(process.execPath, [CLI, 'serve', '--http', ...port, '--dir', dir, ...args], { env: e, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /serving MCP at (http:\/\/\S+\/mcp)/.exec(err);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening: ${err}`)));
  });
  return {
    url,
    port: Number(new URL(url).port),
    child,
    stderr: () => err,
    exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface HttpConnected {
  client: Client;
  transport: StreamableHTTPClientTransport;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent: Record<string, any> }>;
  close(): Promise<void>;
}

export async function connectHttp(url: string, opts: { token?: string; name?: string } = {}): Promise<HttpConnected> {
  const transport = new StreamableHTTPClientTransport(new URL(url), {
    requestInit: opts.token ? { headers: { authorization: `Bearer ${opts.token}` } } : {},
  });
  const client = new Client({ name: opts.name ?? 'flowmcp-http-test', version: '1.0.0' });
  await client.connect(transport);
  await client.listTools();
  return {
    client,
    transport,
    call: async (name, a) => (await client.callTool({ name, arguments: a })) as CallToolResult & { structuredContent: Record<string, any> },
    close: () => client.close(),
  };
}

/**
 * A POST to /mcp with headers fetch refuses to set or would merge (Host, a repeated header): plain
 * node:http, answering the status and the body as text.
 */
export function postWithHeaders(port: number, headers: Record<string, string | string[]>, body: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/mcp', method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/**
 * HTTP servers and their sessions for each test of a file: after each test, whatever happened, the
 * sessions are closed and the servers killed.
 */
export function httpServersPerTest(): { start: typeof startHttpServer; connect: typeof connectHttp } {
  const servers: HttpServerProcess[] = [];
  const clients: HttpConnected[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    for (const s of servers.splice(0)) await s.stop('SIGKILL');
  });
  return {
    start: async (...a) => {
      const s = await startHttpServer(...a);
      servers.push(s);
      return s;
    },
    connect: async (...a) => {
      const c = await connectHttp(...a);
      clients.push(c);
      return c;
    },
  };
}

