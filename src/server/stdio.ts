// Serves MCP over stdin/stdout until the client goes away.
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { log } from '../log.js';
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
  if (process.stdin.isTTY) {
    // Someone ran this by hand: say what it is waiting for instead of sitting silent.
    log.info('serving MCP on stdio: connect an MCP client to this command (see README), Ctrl-C to stop');
  } else {
    log.debug(`serving on stdio (pid ${process.pid})`);
  }
}
