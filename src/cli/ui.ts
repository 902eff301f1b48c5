// `flowmcp ui`: the web page for a local project. Starts the HTTP server on loopback (MCP, events and
// the page, as `serve --http`) and prints a one-time sign-in link; with --open, hands it to the desktop's opener (xdg-open, open, or url.dll).
// Runs until Ctrl-C. Never opens a browser unless asked.
import { spawn } from 'node:child_process';
import { findProgram } from '../find-program.js';
import { z } from 'zod';
import { FlowError } from '../model/errors.js';
import { projectDir } from '../project.js';
import { defineCommand, onOff } from './command.js';
import { renderError } from './render.js';
import { cliError } from './wording.js';

const UiFlags = z.object({
  port: z.coerce.number({ error: '--port takes a number' }).int().min(0).max(65535, '--port must be 0-65535').optional().meta({ value: 'P', help: 'port on 127.0.0.1 (any free one by default)' }),
  open: onOff('open', 'open the link in the default browser (xdg-open; open on macOS)'),
});

export const uiCommand = defineCommand({
  name: 'ui',
  summary: ['the web page for this project on 127.0.0.1: prints a one-time sign-in link (--open opens it); until Ctrl-C'],
  flags: UiFlags,
  async run({ flags }, global) {
    const { serveHttp } = await import('../server/http.js');
    const { webFace } = await import('./web-face.js');
    const where = projectDir(global.dir);
    let handle;
    try {
      handle = await serveHttp({
        dir: where.dir,
        dirSource: where.source,
        host: '127.0.0.1',
        port: flags.port ?? 0,
        ...(process.env.FLOW_TOKEN ? { token: process.env.FLOW_TOKEN } : {}),
        idleSeconds: 1800,
        drainSeconds: 5,
        allowedHosts: [],
        allowedOrigins: [],
        face: webFace,
      });
    } catch (e) {
      const err = e as { code?: string; message: string };
      if (err.code === 'EADDRINUSE') process.stderr.write(`flowmcp: port ${flags.port} is in use: pick another with --port, or leave it out for any free one\n`);
      else if (e instanceof FlowError) process.stderr.write(renderError(cliError(e)) + '\n');
      else process.stderr.write(`flowmcp: cannot serve: ${err.message}\n`);
      return 1;
    }
    const link = handle.loginLink!();
    process.stdout.write(`Open ${link}\n(a one-time link, valid 5 minutes; MCP is at ${handle.url}; Ctrl-C stops)\n`);
    if (flags.open) {
      const [name, args] = browserOpener(process.platform, link);
      // By its place on PATH, never a program of that name in the project (find-program.ts).
      const program = findProgram(name);
      if (!program) process.stderr.write(`flowmcp: --open: ${name} is not available; open the link yourself\n`);
      else {
        const child = spawn(program, args, { stdio: 'ignore', detached: true });
        child.on('error', () => process.stderr.write(`flowmcp: --open: ${name} is not available; open the link yourself\n`));
        // An opener that is there but finds no browser (xdg-open on a machine without a desktop) exits with a code.
        child.on('exit', (code) => {
          if (code) process.stderr.write(`flowmcp: --open: ${name} could not open a browser (exit ${code}); open the link yourself\n`);
        });
        child.unref();
      }
    }
    const stop = () => void handle.close().then(() => process.exit(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    return -1;
  },
});

/**
 * The desktop's own way to open a link in the default browser, found on the user's PATH (never a
 * program named by the project). On Windows through url.dll, not `cmd /c start`: cmd would read the
 * link's `&` as a command separator.
 */
export function browserOpener(platform: NodeJS.Platform, link: string): [string, string[]] {
  if (platform === 'darwin') return ['open', [link]];
  if (platform === 'win32') return ['rundll32', ['url.dll,FileProtocolHandler', link]];
  return ['xdg-open', [link]];
}
