// Serves MCP over stdin/stdout until the client goes away.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { log } from '../log.js';
import { clip } from '../model/error-text.js';
import { buildServer, type ServerOptions } from './server.js';

export async function serveStdio(opts: ServerOptions): Promise<void> {
  const { mcp, close } = buildServer(opts);
  const transport = new StdioServerTransport();
  let closed = false;
  const shutdown = () => {
    if (closed) return;
    closed = true;
    close();
    process.exit(0);
  };
  transport.onclose = shutdown;
  process.stdin.on('end', shutdown);
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  await mcp.connect(transport);
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
