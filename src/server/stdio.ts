// Serves MCP over stdin/stdout until the client goes away.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { log } from '../log.js';
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
  if (process.stdin.isTTY) {
    // Someone ran this by hand: say what it is waiting for instead of sitting silent.
    log.info('serving MCP on stdio: connect an MCP client to this command (see README), Ctrl-C to stop');
  } else {
    // Said at start: the project folder is only chosen when the client connects (its roots may name it).
    log.info(`serving MCP on stdio (pid ${process.pid}); the project folder is chosen when the client connects: --dir, else FLOW_DIR, else the client's first root, else the working directory`);
  }
}
