// Team mode: MCP over Streamable HTTP. One workspace for the process, one MCP server + transport per
// client session (each with its own current flow/plan), sessions idle too long closed, /metrics for
// Prometheus, and a shutdown that stops taking requests, lets the ones in flight finish, then closes.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { log } from '../log.js';
import { startProject, type ProjectDir } from '../project.js';
import { HttpGuard, isLoopback } from './http-guard.js';
import { Metrics } from './metrics.js';
import { buildServer } from './server.js';
import { FlowError } from '../model/errors.js';

export interface HttpOptions {
  /** The project directory (fixed for the whole server: clients do not choose it). */
  dir: string;
  /** Why that directory (for the start-up log line); the CLI passes where it came from. */
  dirSource?: ProjectDir['source'];
  host: string;
  port: number;
  token?: string;
  /** Close a session after this long without a request (and none open). */
  idleSeconds: number;
  /** How long shutdown waits for requests in flight. */
  drainSeconds: number;
  allowedHosts: string[];
  allowedOrigins: string[];
  /** Most sessions held at once (default DEFAULT_MAX_SESSIONS); a newcomer past it replaces an idle one. */
  maxSessions?: number;
}

export interface HttpHandle {
  url: string;
  /** Stops taking requests, waits for those in flight (up to drainSeconds), closes sessions and the project. */
  close(): Promise<void>;
}

interface Session {
  transport: StreamableHTTPServerTransport;
  close: () => Promise<void>;
  lastSeen: number;
  /** POSTs of this session still being answered. An open GET stream does not count: a session
   * whose client only listens, and has sent nothing for the idle time, is idle. */
  open: number;
  /** Whether the client made a request after initialize (notifications do not count). */
  used: boolean;
}

const MAX_BODY = 16 * 1024 * 1024;
// Each session holds an MCP server and its state; a client that opens sessions in a loop must not be
// able to take the process down, nor lock everyone else out: at the cap, a newcomer replaces the least
// recently used idle session (see evictFor).
export const DEFAULT_MAX_SESSIONS = 1_000;

/**
 * A refusal at the HTTP transport (unknown session, body too large, shutting down): an HTTP status and a
 * JSON-RPC error code, answered before any tool runs. Deliberately not a FlowError: tool errors are
 * `isError` results inside a 200 answer, these are the transport's own statuses.
 */
class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly rpcCode = -32000,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (b: Buffer) => {
      size += b.length;
      // Past the limit the rest is read and dropped (not kept), so the 413 can still be sent.
      if (size <= MAX_BODY) parts.push(b);
    });
    req.on('end', () => {
      if (size > MAX_BODY) {
        reject(new HttpError(413, `Request body over ${MAX_BODY / 1024 / 1024} MB; send large documents in parts or index them from files.`));
        return;
      }
      const text = Buffer.concat(parts).toString('utf8');
      try {
        resolve(JSON.parse(text));
      } catch (e) {
        reject(new HttpError(400, `Body is not JSON: ${(e as Error).message}`, -32700));
      }
    });
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, message: string, rpcCode = -32000, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: rpcCode, message }, id: null }));
}

/** Whether a POST body holds a request (not only notifications or responses): a session in use. */
function isCall(body: unknown): boolean {
  const calls = (m: unknown) => typeof m === 'object' && m !== null && 'method' in m && 'id' in m;
  return Array.isArray(body) ? body.some(calls) : calls(body);
}

export function checkBindOptions(o: Pick<HttpOptions, 'host' | 'token'>): string | undefined {
  if (!isLoopback(o.host) && !o.token) {
    return `Listening on ${o.host} (beyond this machine) needs a token: set FLOW_TOKEN to a long random string and give it to clients as "Authorization: Bearer <token>". Or leave --host out to listen on 127.0.0.1 only.`;
  }
  return undefined;
}

export async function serveHttp(opts: HttpOptions): Promise<HttpHandle> {
  const refusal = checkBindOptions(opts);
  if (refusal) throw new FlowError('invalid_input', refusal);
  const { ws } = startProject({ dir: opts.dir, source: opts.dirSource ?? 'flag' }, 'http');

  const sessions = new Map<string, Session>();
  const maxSessions = opts.maxSessions ?? DEFAULT_MAX_SESSIONS;
  let starting = 0; // sessions being initialized, not yet in `sessions`
  const metrics = new Metrics(ws, () => sessions.size);
  let guard: HttpGuard;
  let draining = false;
  let inFlight = 0; // POST and DELETE requests being answered: what shutdown waits for
  let drained: (() => void) | undefined;

  const newSession = async (): Promise<StreamableHTTPServerTransport> => {
    const { mcp, close } = buildServer({ workspace: ws, onToolCall: (c) => metrics.toolCall(c) });
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        sessions.set(id, { transport, close: () => mcp.close(), lastSeen: Date.now(), open: 0, used: false });
        log.debug(`session ${id} opened`);
      },
    });
    transport.onclose = () => {
      const id = transport.sessionId;
      if (id && sessions.delete(id)) log.debug(`session ${id} closed`);
      close();
    };
    await mcp.connect(transport);
    return transport;
  };

  /**
   * Makes room for one more session by closing the least recently used idle one (no request being
   * answered), preferring sessions that never made a call after initialize. False if every session is busy.
   * Its client's next request gets the usual 404 and starts a new session.
   */
  const evictFor = (): boolean => {
    let victim: [string, Session] | undefined;
    for (const entry of sessions) {
      const s = entry[1];
      if (s.open > 0) continue;
      const v = victim?.[1];
      if (!v || (v.used && !s.used) || (v.used === s.used && s.lastSeen < v.lastSeen)) victim = entry;
    }
    if (!victim) return false;
    const [id, s] = victim;
    log.info(`session ${id} closed to make room (${maxSessions} sessions open; it was the least recently used idle one)`);
    sessions.delete(id);
    void s.close();
    return true;
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const id = req.headers['mcp-session-id'];
    const sid = Array.isArray(id) ? id[0] : id;
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const session = sid ? sessions.get(sid) : undefined;
    if (sid && !session) throw new HttpError(404, `Session ${sid} is unknown or was closed (idle too long, or the server restarted): start a new one with initialize.`);
    if (!session) {
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        throw new HttpError(400, 'No Mcp-Session-Id header: the first request of a session must be initialize.');
      }
      if (draining) throw new HttpError(503, 'The server is shutting down; connect again when it is back.');
      if (sessions.size + starting >= maxSessions && !evictFor()) {
        throw new HttpError(
          503,
          `All ${maxSessions} sessions are busy answering requests: try again in a moment, or close unused sessions (DELETE /mcp with their Mcp-Session-Id).`,
        );
      }
      starting++;
      try {
        const transport = await newSession();
        await transport.handleRequest(req, res, body);
      } finally {
        starting--;
      }
      return;
    }
    session.lastSeen = Date.now();
    if (req.method === 'POST') {
      if (!session.used && isCall(body)) session.used = true;
      session.open++;
      res.on('close', () => {
        session.open--;
        session.lastSeen = Date.now();
      });
    }
    await session.transport.handleRequest(req, res, body);
  };

  const server: HttpServer = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const tracked = req.method === 'POST' || req.method === 'DELETE';
    res.on('close', () => metrics.httpRequest(req.method ?? '', res.statusCode));
    const refused = guard.check(req);
    if (refused) {
      sendError(res, refused.status, refused.message, -32000, refused.status === 401 ? { 'www-authenticate': 'Bearer realm="flowmcp"' } : {});
      return;
    }
    if (path === '/metrics' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render());
      return;
    }
    if (path !== '/mcp') {
      sendError(res, 404, `Nothing at ${path}: MCP is served at /mcp, Prometheus metrics at /metrics.`);
      return;
    }
    if (draining && tracked) {
      sendError(res, 503, 'The server is shutting down; connect again when it is back.', -32000, { connection: 'close' });
      return;
    }
    if (tracked) inFlight++;
    let counted = tracked;
    const done = () => {
      if (!counted) return;
      counted = false;
      inFlight--;
      if (inFlight === 0) drained?.();
    };
    res.on('close', done);
    handleMcp(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) sendError(res, e.status, e.message, e.rpcCode);
      else {
        log.error(`HTTP ${req.method} ${path}: ${(e as Error).stack ?? String(e)}`);
        // Not an HTTP refusal: a bug (tool errors are results, never thrown this far). Logged above with its stack.
        sendError(res, 500, `flowmcp hit a bug answering this request (${(e as Error)?.name ?? typeof e}); please report it with the log.`, -32603);
      }
      done();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  guard = new HttpGuard(opts);
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}/mcp`;

  const sweep = setInterval(
    () => {
      const limit = Date.now() - opts.idleSeconds * 1000;
      for (const [id, s] of sessions) {
        if (s.open === 0 && s.lastSeen < limit) {
          log.info(`session ${id} idle for over ${opts.idleSeconds} s: closed`);
          sessions.delete(id);
          void s.close();
        }
      }
    },
    Math.min(60_000, Math.max(250, (opts.idleSeconds * 1000) / 4)),
  );
  sweep.unref();

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      draining = true;
      clearInterval(sweep);
      server.close(); // no new connections
      server.closeIdleConnections();
      if (inFlight > 0) {
        log.info(`shutting down: waiting for ${inFlight} request(s) in flight`);
        await new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, opts.drainSeconds * 1000).unref();
        });
      }
      for (const s of [...sessions.values()]) await s.close().catch(() => undefined);
      sessions.clear();
      server.closeAllConnections();
      ws.close();
    })());

  return { url, close };
}
