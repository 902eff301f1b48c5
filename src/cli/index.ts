#!/usr/bin/env node
// flowmcp entry point: `serve` (MCP over stdio), the tool nouns as CLI commands, `log`, `help`.
// The CLI runs the very same tool definitions and core calls as the MCP server.
import { parseArgs } from './args.js';
import { mainHelp, toolHelp } from './help.js';
import { renderError, renderResult, table } from './render.js';
import { coerceFlags, toolArgs, type Prop } from './tool-args.js';
import { z } from 'zod';
import { readLog } from '../core/kernel/event-log.js';
import { LogList } from '../core/schemas/log.js';
import { Workspace, type Ctx } from '../core/kernel/workspace.js';
import { asFlowError, dispatchAsync, errorOutcome, type ToolOutcome } from '../tools/dispatch.js';
import { findToolSpec } from '../tools/registry.js';
import { fixedProjectDir } from '../server/project-dir.js';
import { VERSION } from '../version.js';
import { FlowError } from '../model/errors.js';
import { importFile } from '../core/transfer/import-file.js';
import { exportState } from '../core/transfer/export.js';
import { writeFileAtomic } from '../store/atomic-file.js';
import { recover } from '../core/transfer/recover.js';
import { shell } from './shell.js';
import { serveMode, type ServeMode } from './serve-args.js';

const GLOBAL_BOOLEANS = new Set(['json', 'help', 'confirm', 'version', 'dry-run', 'force', 'http']);

/** The CLI's project: --dir, else FLOW_DIR, else the working directory (no MCP roots here). */
function projectDir(dir: string | undefined): string {
  return (fixedProjectDir(dir) ?? { dir: process.cwd() }).dir;
}

function openCtx(dir: string | undefined): Ctx {
  const ws = Workspace.open(projectDir(dir));
  return { ws, session: ws.session(process.env.FLOW_AGENT ?? 'cli') };
}

function emit(outcome: ToolOutcome, json: boolean): number {
  if (json) {
    (outcome.isError ? process.stderr : process.stdout).write(JSON.stringify(outcome.structured, null, 2) + '\n');
  } else if (outcome.isError) {
    process.stderr.write(renderError(outcome.structured.error as { message: string; hint?: string }) + '\n');
  } else {
    process.stdout.write(renderResult(outcome.structured) + '\n');
  }
  return outcome.isError ? 1 : 0;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const parsed = parseArgs(rest, GLOBAL_BOOLEANS);
  const { dir, json, help, ...flags } = parsed.flags;
  const dirFlag = typeof dir === 'string' ? dir : undefined;
  const asJson = json === true;

  if (command === undefined) {
    if (!process.stdin.isTTY) return serve(dirFlag);
    process.stdout.write(mainHelp() + '\n');
    return 0;
  }
  if (command === 'serve') return serve(dirFlag, flags);
  if (command === '--version' || command === 'version') {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    const spec = parsed.positionals[0] ? findToolSpec(parsed.positionals[0]) : undefined;
    process.stdout.write((spec ? toolHelp(spec) : mainHelp()) + '\n');
    return 0;
  }
  if (command === 'log') {
    let input;
    try {
      input = LogList.safeParse(coerceFlags((z.toJSONSchema(LogList).properties ?? {}) as Record<string, Prop>, flags));
    } catch (e) {
      return usage(asFlowError(e).message);
    }
    if (!input.success) return usage(`log: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return withCtxAsync(dirFlag, async (ctx) => {
      const r = readLog(ctx, input.data);
      if (asJson) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
      else process.stdout.write(table(r.events as unknown as Record<string, unknown>[], ['seq', 'at', 'agent', 'action', 'entity_id', 'summary']) + (r.next_cursor ? `\nmore: add --cursor ${r.next_cursor}` : '') + '\n');
      return 0;
    });
  }
  if (command === 'shell') return shell(dirFlag);
  if (command === 'run') {
    // `flowmcp run /flow add task "Write tests"`: the shell split the line; put it back together.
    const words = parsed.positionals.length === 1 ? parsed.positionals : parsed.positionals.map((p) => (/\s/.test(p) ? JSON.stringify(p) : p));
    const passed = Object.entries(flags)
      .filter(([k]) => k !== 'dry-run' && k !== 'dry_run')
      .map(([k, v]) => (v === true ? `--${k}` : `--${k} ${/\s/.test(String(v)) ? JSON.stringify(v) : String(v)}`));
    const text = [...words, ...passed].join(' ');
    if (!text) return usage('run needs a command: flowmcp run "/flow next"');
    const spec = findToolSpec('command')!;
    const dry = flags['dry-run'] === true || flags.dry_run === true;
    return withCtxAsync(dirFlag, async (ctx) => emit(await dispatchAsync(spec, ctx, { text, ...(dry ? { dry_run: true } : {}) }), asJson));
  }
  if (command === 'recover') {
    try {
      const r = recover(projectDir(dirFlag), { force: flags.force === true });
      process.stdout.write((asJson ? JSON.stringify(r, null, 2) : renderResult(r as unknown as Record<string, unknown>)) + '\n');
      return 0;
    } catch (e) {
      return emit(errorOutcome('recover', asFlowError(e)), asJson);
    }
  }
  if (command === 'export') {
    return withCtxAsync(dirFlag, async (ctx) => {
      try {
        const text = exportState(ctx, { flow_id: typeof flags.flow === 'string' ? flags.flow : undefined });
        if (typeof flags.out === 'string') {
          writeFileAtomic(flags.out, text);
          process.stderr.write(`exported to ${flags.out}\n`);
        } else process.stdout.write(text);
        return 0;
      } catch (e) {
        return emit(errorOutcome('export', asFlowError(e)), asJson);
      }
    });
  }
  if (command === 'import') {
    const file = parsed.positionals[0];
    if (!file) return usage('import needs a file: flowmcp import .ai-brain/context.json [--flow <id>] [--dry-run]');
    return withCtxAsync(dirFlag, async (ctx) => {
      try {
        const r = importFile(ctx, file, { flow_id: typeof flags.flow === 'string' ? flags.flow : undefined, dry_run: flags['dry-run'] === true || flags.dry_run === true });
        process.stdout.write((asJson ? JSON.stringify(r, null, 2) : renderResult(r as unknown as Record<string, unknown>)) + '\n');
        return 0;
      } catch (e) {
        return emit(errorOutcome('import', asFlowError(e)), asJson);
      }
    });
  }
  const spec = findToolSpec(ALIASES[command] ?? command);
  if (!spec) return usage(`unknown command "${command}".`);
  const action = spec.actionless ? Object.keys(spec.actions)[0]! : parsed.positionals[0];
  const positionals = spec.actionless ? parsed.positionals : parsed.positionals.slice(1);
  if (help || !action || (spec.actionless && positionals.length === 0 && Object.keys(flags).length === 0)) {
    process.stdout.write(toolHelp(spec) + '\n');
    return help ? 0 : 2;
  }
  let args: Record<string, unknown>;
  try {
    args = toolArgs(spec, action, { positionals, flags });
    if (spec.actionless) delete args.action;
    // `flowmcp doc write notes/x.md < x.md`: the content comes from standard input.
    if (spec.name === 'document' && action === 'write' && args.content === undefined && !process.stdin.isTTY) {
      args.content = await readStdin();
    }
  } catch (e) {
    emit(errorOutcome(action, asFlowError(e)), asJson);
    return 2;
  }
  return withCtxAsync(dirFlag, async (ctx) => emit(await dispatchAsync(spec, { ...ctx, progress: progressBar(asJson) }, args), asJson));
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    process.stdin.on('data', (d: Buffer) => parts.push(d));
    process.stdin.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    process.stdin.on('error', reject);
  });
}

const ALIASES: Record<string, string> = { doc: 'document', docs: 'document' };

/** A one-line progress bar on stderr for long work, only when a person is watching. */
function progressBar(json: boolean): Ctx['progress'] {
  if (json || !process.stderr.isTTY) return undefined;
  return (done, total, message) => {
    const width = 30;
    const filled = total ? Math.round((done / total) * width) : 0;
    process.stderr.write(`\r${message ?? 'working'} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
    if (done >= total) process.stderr.write('\n');
  };
}

async function withCtxAsync(dir: string | undefined, fn: (ctx: Ctx) => Promise<number>): Promise<number> {
  let ctx: Ctx;
  try {
    ctx = openCtx(dir);
  } catch (e) {
    process.stderr.write(renderError(asFlowError(e)) + '\n');
    return 1;
  }
  try {
    return await fn(ctx);
  } catch (e) {
    // Whatever escaped the command (a damaged row, a storage fault) is said like every other refusal, never as a stack.
    process.stderr.write(renderError(asFlowError(e)) + '\n');
    return 1;
  } finally {
    ctx.ws.close();
  }
}


function usage(message: string): number {
  process.stderr.write(renderError(new FlowError('invalid_input', message, 'Run flowmcp help for the commands.')) + '\n');
  return 2;
}

async function serve(dir: string | undefined, flags: Record<string, unknown> = {}): Promise<number> {
  let mode: ServeMode;
  try {
    mode = serveMode(flags);
  } catch (e) {
    return usage(`serve: ${(e as Error).message}`);
  }
  if (mode.mode === 'stdio') {
    const { serveStdio } = await import('../server/stdio.js');
    await serveStdio({ dir });
    return -1; // keep running: the transport decides when the process ends
  }
  const { serveHttp } = await import('../server/http.js');
  const root = projectDir(dir);
  let handle;
  try {
    handle = await serveHttp({ ...mode.options, dir: root });
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code === 'EADDRINUSE') process.stderr.write(`flowmcp: port ${mode.options.port} is in use: pick another with --port, or stop the server already on it\n`);
    else if (e instanceof FlowError) process.stderr.write(renderError(e) + '\n');
    else process.stderr.write(`flowmcp: cannot serve: ${err.message}\n`);
    return 1;
  }
  process.stderr.write(`flowmcp: serving MCP at ${handle.url} for ${root}${mode.options.token ? ' (bearer token required)' : ''}\n`);
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
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`flowmcp: ${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 1;
  },
);
