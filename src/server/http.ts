// Team mode: MCP over Streamable HTTP. One workspace for the process, one MCP server + transport per
// client session (each with its own current flow/plan), sessions idle too long closed, /metrics for
// Prometheus, and a shutdown that stops taking requests, lets the ones in flight finish, then closes.
import { MAX_JSON_DEPTH, tooDeepAt } from '../json-depth.js';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import { log } from '../log.js';
import type { ProjectDir } from '../project.js';
import { startProject } from './start-project.js';
import { clip } from '../model/error-text.js';
import { HttpGuard, isLoopback } from './http-guard.js';
import { capConnections } from './connection-cap.js';
import { Metrics } from './metrics.js';
import { buildServer } from './server.js';
import { FlowError } from '../model/errors.js';
import { EventStreams } from './event-stream.js';
import type { Workspace } from '../core/kernel/workspace.js';

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
  /** Largest request body in bytes (default DEFAULT_MAX_BODY_BYTES); past it: 413 and the connection closed. */
  maxBodyBytes?: number;
  /** Most bytes of unfinished request bodies held at once, all requests together (default DEFAULT_BODY_BUFFER_BYTES); past it: 503. */
  bodyBufferBytes?: number;
  /** A request whose headers or body stop arriving for this long gets 408 (default DEFAULT_BODY_TIMEOUT_SECONDS). */
  bodyTimeoutSeconds?: number;
  /** Most simultaneous connections (default DEFAULT_MAX_CONNECTIONS); past it a newcomer replaces the longest idle one (connection-cap.ts). */
  maxConnections?: number;
  /** Most GET /events streams at once (default DEFAULT_MAX_EVENT_STREAMS); past it: 503. */
  maxEventStreams?: number;
  /**
   * A face served beside MCP (the web page, src/web/): given the workspace and the port, it answers the
   * paths it owns. Passed in by the CLI, so this folder never imports another face.
   */
  face?: (ws: Workspace, port: number, hooks: FaceHooks) => HttpFace;
  /** The face's sign-in cookie is marked Secure (--secure-cookie: the page is reached over https through a proxy). */
  secureCookie?: boolean;
}

/** What the server tells a face it mounts, and what the face may tell the server. */
export interface FaceHooks {
  /** A sign-in of the face ended (sign-out): the event streams opened with it are closed now. */
  signInEnded(): void;
  /** Whether the face's cookie is marked Secure (HttpOptions.secureCookie). */
  secureCookie: boolean;
  /** Whether a bearer token is set (then no sign-in link is logged: the page says how to ask for one). */
  tokenSet: boolean;
}

/** What the server asks of a face it mounts (the web face implements it). */
export interface HttpFace {
  owns(path: string): boolean;
  /** Answers a request the server's guard let through (Host, Origin; no bearer token asked: the face signs people in itself). */
  handle(req: IncomingMessage, res: ServerResponse, readBody: () => Promise<unknown>): Promise<void>;
  /**
   * The request's own sign-in of the face, as a check of whether it is still good, or undefined (then
   * GET /events needs the bearer token when one is set; with it, the stream ends when the sign-in does).
   */
  signIn(req: IncomingMessage): (() => boolean) | undefined;
  /** Headers every answer on the face's paths carries (its CSP and the like), refusals included. */
  readonly headers: Record<string, string>;
  /** A fresh one-time sign-in link under a base URL. */
  loginLink(base: string): string;
}

export interface HttpHandle {
  url: string;
  /** A fresh one-time sign-in link for the web page, when a face is mounted. */
  loginLink?: () => string;
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

// What one caller may hold while a request is received, so that it cannot stall or exhaust everyone
// else (README, "Team mode"). A body is kept in memory until it is whole (it is one JSON-RPC message),
// so the bytes of unfinished bodies are capped per request and across all of them; a body that stops
// arriving is timed out; connections are capped.
export const DEFAULT_MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Four bodies at the largest size at once; beyond that a newcomer's large body gets 503 + Retry-After. */
export const DEFAULT_BODY_BUFFER_BYTES = 64 * 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_SECONDS = 30;
/** A connected client holds one to three (its event stream, one or two for requests); sockets are cheap, bodies are not. */
export const DEFAULT_MAX_CONNECTIONS = 1_024;
/**
 * The first bytes of every body never count against the shared budget, so ordinary calls (initialize,
 * ping, tools/call with a few arguments: well under this) are never refused because others hold large
 * unfinished bodies. What that leaves unbudgeted is at most maxConnections × this (16 MB by default).
 */
const SMALL_BODY = 16 * 1024;
/** The whole request (headers and body) must arrive within this (Node's default is 300 s). */
const REQUEST_TIMEOUT_MS = 120_000;
/**
 * How long a connection may sit idle between requests (Node's default is 5 s). One process serves
 * everyone and a long call (a big /flow import) holds it: a request another client sent meanwhile on its
 * kept-alive connection waits unread, and once the long call ends Node's timers run before the socket is
 * read, so a short idle timeout closed that connection under the waiting request (ECONNRESET). Idle
 * connections stay bounded by maxConnections.
 */
const KEEP_ALIVE_MS = 120_000;
/** Most bytes of a request's address and headers together (Node's default is 16 KB). */
const MAX_HEADER_BYTES = 64 * 1024;
/** How long a refused body's connection still drops incoming bytes after its answer, before it is destroyed. */
const LINGER_MS = 2_000;
/** The longest session id taken (the server's are 36-character UUIDs). */
const MAX_SESSION_ID = 128;
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
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The client hung up (mid-body, or before its answer was written): an ordinary disconnect, not a fault. */
class Disconnected extends Error {}

function isDisconnect(e: unknown, req: IncomingMessage): boolean {
  if (e instanceof Disconnected || req.socket.destroyed) return true;
  const code = (e as { code?: string } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ERR_STREAM_PREMATURE_CLOSE' || (e as Error)?.message === 'aborted';
}

/** Bytes of unfinished bodies held across all requests, against a cap. */
interface BodyBudget {
  readonly max: number;
  bytes: number;
  count: number;
}

interface BodyLimits {
  maxBytes: number;
  timeoutMs: number;
}

const mb = (bytes: number) => `${+(bytes / 1024 / 1024).toFixed(2)} MB`;

/**
 * The request's JSON body. Refused (with the connection closed, see sendError) rather than read on:
 * 413 once it is, or says it will be, over the limit; 503 when it would take the shared budget past
 * its cap; 408 when it stops arriving for the timeout. A hang-up rejects with Disconnected.
 */
function readBody(req: IncomingMessage, limits: BodyLimits, budget: BodyBudget): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const tooBig = () => new HttpError(413, `Request body over ${mb(limits.maxBytes)}; send large documents in parts or index them from files.`);
    const full = () =>
      new HttpError(503, `Too many large request bodies are being received at once (${mb(budget.max)} held): try again in a moment.`, -32000, {
        'retry-after': '5',
      });
    const length = req.headers['content-length'];
    const declared = length === undefined ? undefined : Number(length); // Node has checked it is a number
    if (declared !== undefined && declared > limits.maxBytes) return reject(tooBig());
    let held = 0; // bytes of this body charged to the budget
    /** Charges the budget for a body of `total` bytes (its first SMALL_BODY are free); false if over the cap. */
    const charge = (total: number): boolean => {
      const need = total - SMALL_BODY - held;
      if (need <= 0) return true;
      if (budget.bytes + need > budget.max) return false;
      budget.bytes += need;
      held += need;
      return true;
    };
    // A declared length is reserved whole at once, so a newcomer is refused before it sends anything.
    if (declared !== undefined && !charge(declared)) return reject(full());
    budget.count++;
    let parts: Buffer[] = [];
    let size = 0;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (then: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.off('data', onData);
      budget.bytes -= held;
      budget.count--;
      held = 0;
      then();
    };
    /**
     * Drops what was kept and rejects. What is already on its way is read and dropped (not kept) only
     * until the answer is out and the socket destroyed (see sendError): closing with unread bytes would
     * reset the connection, and the client might lose the answer.
     */
    const refuse = (e: HttpError) =>
      settle(() => {
        parts = [];
        req.resume();
        reject(e);
      });
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(
        () => refuse(new HttpError(408, `The request body stopped arriving for ${limits.timeoutMs / 1000} s: send the whole body at once.`)),
        limits.timeoutMs,
      );
    };
    const onData = (b: Buffer) => {
      size += b.length;
      if (size > limits.maxBytes) return refuse(tooBig());
      if (!charge(size)) return refuse(full());
      parts.push(b);
      arm();
    };
    arm();
    req.on('data', onData);
    req.on('end', () =>
      settle(() => {
        const text = Buffer.concat(parts).toString('utf8');
        parts = [];
        if (tooDeepAt(text) !== undefined) {
          reject(new HttpError(400, `The body nests deeper than ${MAX_JSON_DEPTH} levels: send one JSON-RPC message (or a JSON object for the web page's API).`, -32700));
          return;
        }
        try {
          resolve(JSON.parse(text));
        } catch {
          // Not JSON.parse's own message: it quotes the body back.
          reject(new HttpError(400, 'The body is not valid JSON: send one JSON-RPC message (or a JSON object for the web page\'s API).', -32700));
        }
      }),
    );
    // 'close' before 'end': the client hung up mid-body (an 'error' of "aborted" comes with it).
    req.on('error', () => settle(() => reject(new Disconnected())));
    req.on('close', () => settle(() => reject(new Disconnected())));
  });
}

/** The web page API's error code for a refusal the server itself makes (before the page's routes run). */
const API_CODE: Record<number, string> = {
  400: 'invalid_input',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'timeout',
  413: 'too_large',
  415: 'unsupported_media_type',
  429: 'busy',
  500: 'internal',
  503: 'unavailable',
};

/**
 * An error answer (JSON-RPC's shape, or the web page API's on /api/); nothing is written to a connection
 * already gone. A request whose body was not read to its end is answered with Connection: close and its
 * socket destroyed once the answer is out (or after 10 s if the client will not take it), so an unread
 * body is never read on.
 */
function sendError(req: IncomingMessage, res: ServerResponse, status: number, message: string, rpcCode = -32000, headers: Record<string, string> = {}): void {
  if (res.destroyed || res.writableEnded || req.socket.destroyed) return;
  if (res.headersSent) {
    res.end();
    return;
  }
  const cut = !req.complete;
  // The web page's API answers in its own shape ({"error":{"code","message"}}, as its routes do); MCP's
  // paths in JSON-RPC's.
  const api = (req.url ?? '').startsWith('/api/');
  const text = JSON.stringify(api ? { error: { code: API_CODE[status] ?? 'error', message } } : { jsonrpc: '2.0', error: { code: rpcCode, message }, id: null });
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers, ...(cut ? { connection: 'close' } : {}) });
  res.end(text);
  if (cut) lingerThenClose(req.socket);
}

/**
 * How the socket of a refused body is closed once its answer is out. Node ends a `Connection: close`
 * answer with socket.destroySoon(), which destroys the socket as soon as the answer is written; with
 * the unread rest of the body still arriving, that resets the connection, and a client still sending
 * (any client uploading a large body) gets ECONNRESET instead of the 413. So: send FIN after the answer,
 * drop (never keep) whatever still arrives for at most LINGER_MS, then destroy.
 */
function lingerThenClose(socket: Socket): void {
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    socket.once('close', () => clearTimeout(timer));
  };
}

/** The one session id a request names, if any; a repeated, over-long or malformed header is a 400. */
function sessionIdOf(req: IncomingMessage): string | undefined {
  const all = req.headersDistinct['mcp-session-id'];
  if (!all || all.length === 0) return undefined;
  if (all.length > 1) {
    throw new HttpError(400, `Send one Mcp-Session-Id header (this request had ${all.length}): the id the server returned from initialize.`);
  }
  const id = all[0]!;
  if (id.length > MAX_SESSION_ID || !/^[\x21-\x7E]+$/.test(id)) {
    throw new HttpError(
      400,
      `Mcp-Session-Id "${clip(id, 40)}" (${id.length} characters) is not an id this server gives: send the one returned from initialize, or start a new session with initialize.`,
    );
  }
  return id;
}

/** Whether a POST body holds a request (not only notifications or responses): a session in use. */
function isCall(body: unknown): boolean {
  const calls = (m: unknown) => typeof m === 'object' && m !== null && 'method' in m && 'id' in m;
  return Array.isArray(body) ? body.some(calls) : calls(body);
}

/**
 * The host to name this server by in the log and the links it prints: the bound address, except that a
 * wildcard (0.0.0.0, ::) is no address a client can use (nor one the guard accepts): then the first
 * --allowed-hosts name, or loopback.
 */
function shownHost(address: AddressInfo, allowedHosts: string[]): string {
  if (address.address === '0.0.0.0' || address.address === '::') {
    const first = allowedHosts[0]?.trim();
    if (first?.startsWith('[')) return first.slice(0, first.indexOf(']') + 1);
    if (first && first.split(':').length > 2) return `[${first}]`; // a bare IPv6 address
    if (first) return first.replace(/:\d+$/, '');
    return address.address === '::' ? '[::1]' : '127.0.0.1';
  }
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/** "http://<host>" for a Host header that is only a host name (or address) and a port, else undefined. */
/**
 * The base of a sign-in link: the name the client reached the server by (the Host the guard accepted:
 * on 0.0.0.0 the bind address would be a link the guard itself refuses), with the port the server is
 * really bound to (a Host header's port is whatever the client wrote: "localhost:9999" would give a link
 * to another program).
 */
function linkBase(host: string | undefined, port: number): string | undefined {
  const m = host ? /^((?:[a-z0-9](?:[a-z0-9.-]{0,252})|\[[0-9a-f:.]{2,45}\]))(?::\d{1,5})?$/i.exec(host) : null;
  return m ? `http://${m[1]!.toLowerCase()}:${port}` : undefined;
}

/** The shortest token a server listening beyond this machine accepts: anyone who can reach it may guess. */
export const MIN_REMOTE_TOKEN = 16;

export function checkBindOptions(o: Pick<HttpOptions, 'host' | 'token'>): string | undefined {
  if (!isLoopback(o.host) && !o.token) {
    return `Listening on ${o.host} (beyond this machine) needs a token: set FLOW_TOKEN to a long random string and give it to clients as "Authorization: Bearer <token>". Or leave --host out to listen on 127.0.0.1 only.`;
  }
  if (!isLoopback(o.host) && o.token && o.token.length < MIN_REMOTE_TOKEN) {
    return `Listening on ${o.host} (beyond this machine) needs a token of at least ${MIN_REMOTE_TOKEN} characters (FLOW_TOKEN has ${o.token.length}): set it to a long random string, e.g. the output of: openssl rand -hex 24. Or leave --host out to listen on 127.0.0.1 only.`;
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
  let face: HttpFace | undefined; // made once the port is known (the face's cookie is named for it)
  let base = '';
  let draining = false;
  let inFlight = 0; // POST and DELETE requests being answered: what shutdown waits for
  let drained: (() => void) | undefined;
  const budget: BodyBudget = { max: opts.bodyBufferBytes ?? DEFAULT_BODY_BUFFER_BYTES, bytes: 0, count: 0 };
  const bodyTimeoutMs = (opts.bodyTimeoutSeconds ?? DEFAULT_BODY_TIMEOUT_SECONDS) * 1000;
  const limits: BodyLimits = { maxBytes: opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, timeoutMs: bodyTimeoutMs };
  metrics.watchBodies(() => ({ bytes: budget.bytes, count: budget.count }));
  const streams = new EventStreams(ws, opts.maxEventStreams);
  metrics.watchEventStreams(() => streams.count);

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

  // Opening a session is work on the one thread every session shares. A burst of initializes (a client
  // opening sessions in a loop, a team reconnecting after a restart) takes turns, a few at a time and each
  // turn handed on after pending I/O, so requests of open sessions are answered in between.
  const STARTING_AT_ONCE = 4;
  let startingNow = 0;
  const waitingToStart: (() => void)[] = [];
  const startTurn = (): Promise<void> => {
    if (startingNow < STARTING_AT_ONCE) {
      startingNow++;
      return Promise.resolve();
    }
    return new Promise((resolve) => waitingToStart.push(resolve));
  };
  const endTurn = (): void => {
    const next = waitingToStart.shift();
    if (next) setImmediate(next); // the turn passes on, after pending I/O
    else startingNow--;
  };

  const startSession = async (req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> => {
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
  };

  const handleMcp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // The session is checked before the body is read: a request for no session is not worth reading.
    const sid = sessionIdOf(req);
    const session = sid ? sessions.get(sid) : undefined;
    if (sid && !session) throw new HttpError(404, `Session ${clip(sid, 40)} is unknown or was closed (idle too long, or the server restarted): start a new one with initialize.`);
    const body = req.method === 'POST' ? await readBody(req, limits, budget) : undefined;
    if (!session) {
      if (req.method !== 'POST' || !isInitializeRequest(body)) {
        throw new HttpError(400, 'No Mcp-Session-Id header: the first request of a session must be initialize.');
      }
      if (draining) throw new HttpError(503, 'The server is shutting down; connect again when it is back.');
      await startTurn();
      try {
        if (req.socket.destroyed) throw new Disconnected(); // gave up while waiting its turn
        await startSession(req, res, body);
      } finally {
        endTurn();
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

  const server: HttpServer = createServer(
    {
      // Node's own limits on a request's arrival, in line with the body timeout above: headers must be
      // whole within it, the whole request within REQUEST_TIMEOUT_MS, checked at least every 5 s.
      requestTimeout: Math.max(REQUEST_TIMEOUT_MS, bodyTimeoutMs),
      headersTimeout: bodyTimeoutMs,
      connectionsCheckingInterval: Math.min(5_000, bodyTimeoutMs),
      // Room for a long address (a search of a long text, a batch of ids) to reach the schema, whose
      // refusal says what is too long; past this, clientError below answers 431 in the same JSON shape.
      maxHeaderSize: MAX_HEADER_BYTES,
    },
    (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const tracked = req.method === 'POST' || req.method === 'DELETE';
    res.on('close', () => metrics.httpRequest(req.method ?? '', res.statusCode));
    // /ui/link is the server's own (it mints links for token holders): never the face's, whatever it claims.
    const faceOwns = face !== undefined && path !== '/ui/link' && face.owns(path);
    // Every answer on the face's paths (refusals, body errors, a 500, shutdown) carries its headers:
    // set here, they are merged into whatever writeHead is called with later.
    if (face && (faceOwns || path === '/ui/link')) for (const [k, v] of Object.entries(face.headers)) res.setHeader(k, v);
    const signIn = path === '/events' && face !== undefined ? face.signIn(req) : undefined;
    const refused = guard.check(req, faceOwns || signIn !== undefined);
    if (refused) {
      sendError(req, res, refused.status, refused.message, -32000, refused.status === 401 ? { 'www-authenticate': 'Bearer realm="flowmcp"' } : {});
      return;
    }
    if (path === '/ui/link') {
      // A new one-time sign-in link, for whoever holds the token (or, without one, any local program):
      // never for a browser, which could otherwise be walked through it by another page.
      if (!face) return sendError(req, res, 404, 'This server has no web page.');
      if (req.method !== 'POST') return sendError(req, res, 405, 'POST /ui/link for a one-time sign-in link.', -32000, { allow: 'POST' });
      if (req.headers.origin !== undefined || req.headers['sec-fetch-site'] !== undefined) return sendError(req, res, 403, 'Sign-in links are not handed to browsers: ask for one with curl or `flowmcp ui`.');
      // The link names the server as this client reached it (the Host the guard has just accepted), not
      // the bind address: on 0.0.0.0 that would be a link the guard itself refuses.
      const reached = linkBase(req.headers.host, (server.address() as AddressInfo).port);
      if (!reached) return sendError(req, res, 400, `Host "${clip(req.headers.host ?? '')}" is not a host name and port: ask for the link at the address you reach this server by.`);
      const text = JSON.stringify({ url: face.loginLink(reached) });
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(text);
      return;
    }
    if (faceOwns) {
      if (draining) return sendError(req, res, 503, 'The server is shutting down; connect again when it is back.', -32000, { connection: 'close' });
      if (tracked) inFlight++;
      let counted = tracked;
      res.on('close', () => {
        if (!counted) return;
        counted = false;
        inFlight--;
        if (inFlight === 0) drained?.();
      });
      face!.handle(req, res, () => readBody(req, limits, budget)).catch((e: unknown) => {
        if (e instanceof HttpError) sendError(req, res, e.status, e.message, e.rpcCode, e.headers);
        else if (!isDisconnect(e, req)) {
          log.error(`HTTP ${req.method} ${clip(path, 40)}: ${(e as Error).stack ?? String(e)}`);
          sendError(req, res, 500, `flowmcp hit a bug answering this request (${clip(String((e as Error)?.name ?? typeof e), 40)}); please report it with the log.`, -32603);
        }
      });
      return;
    }
    if (path === '/metrics' && req.method === 'GET') {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(metrics.render());
      return;
    }
    if (path === '/events') {
      const no = draining ? { status: 503, message: 'The server is shutting down; connect again when it is back.' } : streams.open(req, res, new URLSearchParams((req.url ?? '').split('?')[1] ?? ''), signIn);
      if (no) sendError(req, res, no.status, no.message, -32000, 'headers' in no ? no.headers : undefined);
      return;
    }
    if (path !== '/mcp') {
      sendError(req, res, 404, `Nothing at ${clip(path)}: MCP is served at /mcp, the event stream at /events, Prometheus metrics at /metrics${face ? ', the web page at /' : ''}.`);
      return;
    }
    if (draining && tracked) {
      sendError(req, res, 503, 'The server is shutting down; connect again when it is back.', -32000, { connection: 'close' });
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
      if (e instanceof HttpError) sendError(req, res, e.status, e.message, e.rpcCode, e.headers);
      else if (isDisconnect(e, req)) {
        // Anyone can hang up mid-request, as often as they like: one debug line, nothing written back.
        log.debug(`HTTP ${req.method} ${clip(path, 40)}: the client went away (${clip(String((e as Error)?.message ?? e), 60)})`);
      } else {
        log.error(`HTTP ${req.method} ${clip(path, 40)}: ${(e as Error).stack ?? String(e)}`);
        // Not an HTTP refusal: a bug (tool errors are results, never thrown this far). Logged above with its stack.
        sendError(req, res, 500, `flowmcp hit a bug answering this request (${clip(String((e as Error)?.name ?? typeof e), 40)}); please report it with the log.`, -32603);
      }
      done();
    });
  },
  );
  capConnections(server, opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS);
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // A request Node cannot parse never reaches the handler: answered here, a header block past
  // MAX_HEADER_BYTES gets the same JSON refusal (and the page's security headers) as any other, not a
  // bare 431; anything else unparsable a plain 400, as Node would.
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return void socket.destroy();
    const tooLong = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLong ? 431 : 400;
    const body = JSON.stringify({
      error: {
        code: 'invalid_input',
        message: tooLong ? `The request's address or headers are too long (more than ${MAX_HEADER_BYTES / 1024} KB): ask for less at once.` : 'The request is not valid HTTP.',
      },
    });
    const headers = { ...(face?.headers ?? {}), 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
    socket.end(`HTTP/1.1 ${status} ${tooLong ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body}`);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  guard = new HttpGuard(opts);
  base = `http://${shownHost(address, opts.allowedHosts)}:${address.port}`;
  const url = `${base}/mcp`;
  face = opts.face?.(ws, address.port, { signInEnded: () => streams.recheck(), secureCookie: opts.secureCookie === true, tokenSet: Boolean(opts.token) });

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
      streams.closeAll();
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

  return { url, close, ...(face ? { loginLink: () => face!.loginLink(base) } : {}) };
}
