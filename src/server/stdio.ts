// Serves MCP over stdin/stdout until the client goes away.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { log } from '../log.js';
import { cwdProject, fixedProjectDir, whereFrom, type ProjectDir } from '../project.js';
import { clip, count } from '../model/error-text.js';
import { buildServer, type ServerOptions } from './server.js';
import { DEFAULT_MAX_BODY_BYTES } from './http.js';
import { boundedLines, trailingId } from './stdio-lines.js';

/** How long requests in flight may take to finish once stdin has ended (as serve --http's --drain-seconds default). */
const DRAIN_MS = 10_000;
/** The longest message read, as over HTTP (a request body). */
const MAX_MESSAGE_BYTES = DEFAULT_MAX_BODY_BYTES;

export async function serveStdio(opts: ServerOptions): Promise<void> {
  const { mcp, close } = buildServer(opts);
  // A message past the bound is answered with an error and the session goes on (stdio-lines.ts).
  const mb = `${MAX_MESSAGE_BYTES / 1024 / 1024} MB`;
  const lines = boundedLines(MAX_MESSAGE_BYTES, ({ bytes, tail }) => {
    log.warn(`a message on stdin of ${bytes} bytes is over ${mb}: not read, answered with an error`);
    const id = trailingId(tail);
    if (id === undefined) return;
    void transport.send({
      jsonrpc: '2.0',
      id,
      error: { code: -32600, message: `The message is over ${mb} (${count(bytes)} bytes), so it was not read. Nothing was changed. Send large text in parts (several documents), or index files with document index.` },
    });
  });
  process.stdin.pipe(lines);
  const transport = new StdioServerTransport(lines, process.stdout, { maxBufferSize: MAX_MESSAGE_BYTES + 1 });
  let closed = false;
  const shutdown = () => {
    if (closed) return;
    closed = true;
    close();
    process.exit(0);
  };
  transport.onclose = shutdown;
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  await mcp.connect(transport);
  // stdin ending is the client saying it has sent everything, not that it wants no answers: a script
  // piping requests in whole ended stdin while the first still ran, and the server exited without
  // answering (an index cut off part-way). Requests in flight are answered first, for up to DRAIN_MS.
  const inFlight = new Set<string | number>();
  let ending = false;
  const onmessage = transport.onmessage;
  transport.onmessage = (m: JSONRPCMessage) => {
    line = undefined; // read: nothing to refuse
    if ('method' in m && 'id' in m) inFlight.add(m.id);
    onmessage?.(m);
  };
  const send = transport.send.bind(transport);
  transport.send = async (m: JSONRPCMessage) => {
    await send(m);
    if (('result' in m || 'error' in m) && m.id !== undefined && inFlight.delete(m.id) && ending && inFlight.size === 0) shutdown();
  };
  lines.on('end', () => {
    ending = true;
    if (inFlight.size === 0) shutdown();
    else setTimeout(shutdown, DRAIN_MS).unref();
  });
  // The SDK drops a line that is not a JSON-RPC message without a word; a client (or a person) sending
  // something else would see nothing happen. Say it where logs go; stdout stays the protocol's.
  mcp.server.onerror = (e) => log.warn(`a message on stdin could not be read and was ignored: ${clip(e.message)}`);
  // A request it cannot read is dropped by the SDK too, with its id: the client would wait for an answer
  // that never comes. The transport reads one line per 'data' event (boundedLines pushes whole lines) and
  // reports a line it cannot read while that event is handled, so the line at hand is the one refused.
  let line: Buffer | undefined;
  lines.prependListener('data', (b: Buffer) => (line = b));
  const reported = transport.onerror;
  transport.onerror = (e: Error) => {
    reported?.(e);
    const id = unreadRequestId(line);
    line = undefined;
    if (id === undefined) return;
    void transport.send({
      jsonrpc: '2.0',
      id,
      error: {
        code: -32600,
        message: `The request is not a JSON-RPC 2.0 message MCP can read (${clip(requestProblems(e), 300)}), so nothing was run. Send {"jsonrpc": "2.0", "id": …, "method": "…", "params": {…}} as the MCP schema gives it.`,
      },
    });
  };
  if (process.stdin.isTTY) {
    // Someone ran this by hand: say what it is waiting for instead of sitting silent.
    log.info('serving MCP on stdio: connect an MCP client to this command (see README), Ctrl-C to stop');
  } else {
    // Said at start: the project folder is only chosen when the client connects (its roots may name it).
    // Which folder that will be, as far as it is known now: a newcomer running `npm start` in the flowmcp
    // checkout itself should see that, with no root from the client, the checkout becomes the project.
    log.info(`serving MCP on stdio (pid ${process.pid}); the project folder is chosen when the client connects: ${projectFolderNote(opts.dir)}`);
  }
}

/**
 * Which folder will be the project, as far as it is known before the client connects, as findProjectDir
 * will choose it: --dir, else FLOW_DIR, else the client's first root, else the working directory's
 * project, which is the nearest folder above it holding .flow/ when there is one (cwdProject), not the
 * working directory itself.
 */
export function projectFolderNote(dir: string | undefined, env: NodeJS.ProcessEnv = process.env, fallback: () => ProjectDir = () => cwdProject()): string {
  const fixed = fixedProjectDir(dir, env);
  if (fixed) return `${fixed.source === 'flag' ? '--dir' : 'FLOW_DIR'} ${fixed.dir}`;
  const cwd = fallback();
  return `the client's first root, else ${cwd.source === 'parent' ? `${cwd.dir} (${whereFrom(cwd)})` : `the working directory ${cwd.dir}`}`;
}

/** The id of a line that holds a JSON object with an id and no result or error (a request, not a response), if it does. */
function unreadRequestId(line: Buffer | undefined): string | number | undefined {
  if (!line) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(line.toString('utf8'));
  } catch {
    return undefined; // not JSON: no id to answer to
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v) || 'result' in v || 'error' in v) return undefined;
  const id = (v as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : undefined;
}

type Issue = { path: PropertyKey[]; message: string; code?: string; errors?: Issue[][] };

/**
 * What is wrong with a request, field by field. The SDK's schema is a union (request, notification,
 * result, error) whose first member is the request: its issues are the ones that concern a request.
 */
function requestProblems(e: Error): string {
  let issues = (e as { issues?: Issue[] }).issues;
  if (issues?.[0]?.code === 'invalid_union' && issues[0].errors?.[0]) issues = issues[0].errors[0];
  if (!issues?.length) return e.message.replace(/\s+/g, ' ');
  return issues.map((i) => `${i.path.map(String).join('.') || 'message'}: ${i.message}`).join('; ');
}
