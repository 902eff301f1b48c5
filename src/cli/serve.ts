// `flowmcp serve`: the MCP server, on stdio (what MCP clients start) or, with --http, over Streamable
// HTTP for a team, stopping gracefully on SIGINT/SIGTERM (a second signal stops at once).
import { FlowError } from '../model/errors.js';
import { fixedProjectDir, projectDir, projectDirProblem } from '../project.js';
import { defineCommand } from './command.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';
import { ServeFlags, serveMode } from './serve-args.js';

export const serveCommand = defineCommand({
  name: 'serve',
  summary: [
    'MCP server on stdio (the default when stdin is not a terminal); with --http, Streamable HTTP at /mcp',
    '(127.0.0.1:8765 by default), events (SSE) at /events, metrics at /metrics; FLOW_TOKEN=<secret> requires',
    '"Authorization: Bearer <secret>" (needed beyond loopback)',
  ],
  flags: ServeFlags,
  async run({ flags }, global) {
    const mode = serveMode(flags);
    if (mode.mode === 'stdio') {
      // Said now, on stderr (stdout is the protocol); the handshake is still answered, and each call
      // is refused with the same reason.
      const problem = projectDirProblem(fixedProjectDir(global.dir));
      if (problem) process.stderr.write(`flowmcp: ${problem}\n`);
      const { serveStdio } = await import('../server/stdio.js');
      await serveStdio({ dir: global.dir });
      return -1; // keep running: the transport decides when the process ends
    }
    const { serveHttp } = await import('../server/http.js');
    const { webFace } = await import('./web-face.js');
    const where = projectDir(global.dir);
    let handle;
    try {
      handle = await serveHttp({ ...mode.options, dir: where.dir, dirSource: where.source, face: webFace });
    } catch (e) {
      const err = e as { code?: string; message: string };
      if (err.code === 'EADDRINUSE') process.stderr.write(`flowmcp: port ${mode.options.port} is in use: pick another with --port, or stop the server already on it\n`);
      else if (e instanceof FlowError) process.stderr.write(renderError(cliError(e)) + '\n');
      else process.stderr.write(`flowmcp: cannot serve: ${err.message}\n`);
      return 1;
    }
    process.stderr.write(`flowmcp: serving MCP at ${handle.url} for ${where.dir}${mode.options.token ? ' (bearer token required)' : ''}\n`);
    // A sign-in link for the person at this console: good once, for a few minutes. With a token (a team
    // server, whose log may be kept and read by others) none is logged: token holders ask POST /ui/link.
    const base = handle.url.replace(/\/mcp$/, '');
    if (mode.options.token) process.stderr.write(`flowmcp: web page at ${base}/: get a one-time sign-in link with POST ${base}/ui/link and the token\n`);
    else process.stderr.write(`flowmcp: web page: open ${handle.loginLink!()} (a one-time link, valid 5 minutes)\n`);
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        // A second signal: the person means it. Each write is one SQLite transaction, so stopping now
        // loses only what was not yet committed (and not yet acknowledged).
        process.stderr.write(`flowmcp: ${signal} again: stopping now\n`);
        process.exit(1);
      }
      stopping = true;
      process.stderr.write(`flowmcp: ${signal}: finishing requests in flight, then stopping (again to stop at once)\n`);
      void handle.close().then(() => process.exit(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    return -1;
  },
});
