// Runs one hook once: a program (argv, no shell, cwd the project root, a minimal environment, the
// event as JSON on stdin) or an HTTP POST (JSON body, HMAC-SHA256 signature from a secret in the
// environment). Everything is asynchronous and bounded by the hook's timeout; a program still running
// then is killed with its process group. The answer is ok, refused (a program's non-zero exit, an HTTP
// 4xx: only pre hooks can refuse) or failed (timed out, crashed, could not start, 5xx, unreachable).
import { findProgram } from '../../find-program.js';
import { spawn } from 'node:child_process';
import { nodeCrypto } from '../../node-crypto.js';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { clip } from '../../model/error-text.js';
import { VERSION } from '../../version.js';
import type { HookDefV } from '../schemas/hooks.js';

export interface HookOutcome {
  kind: 'ok' | 'refused' | 'failed';
  /** Why it refused or failed, in one short line. */
  message?: string;
  latencyMs: number;
}

export const DEFAULT_TIMEOUT_MS = { pre: 5_000, post: 10_000 } as const;
/** What a hook's output is read up to: enough for the line a refusal quotes. */
const OUTPUT_BYTES = 16 * 1024;
const MESSAGE_CHARS = 300;
/** After a program exits, how long its output may take to arrive before the answer is given without the rest. */
const EXIT_GRACE_MS = 200;

export function timeoutOf(def: HookDefV): number {
  return def.timeout_ms ?? DEFAULT_TIMEOUT_MS[def.when];
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '');
  return clip((line ?? '').trim(), MESSAGE_CHARS);
}

/**
 * The environment a program hook gets: not the parent's (which holds the user's keys), only PATH,
 * HOME, the FLOWMCP_* variables describing the event, and the variables its definition lists in env.
 */
export function hookEnv(def: HookDefV, vars: { event: string; project: string; phase: 'pre' | 'post'; seq?: number }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    FLOWMCP_HOOK: def.name,
    FLOWMCP_EVENT: vars.event,
    FLOWMCP_PHASE: vars.phase,
    FLOWMCP_PROJECT: vars.project,
  };
  if (process.env.HOME !== undefined) env.HOME = process.env.HOME;
  if (process.platform === 'win32' && process.env.SystemRoot) env.SystemRoot = process.env.SystemRoot;
  if (vars.seq !== undefined) env.FLOWMCP_SEQ = String(vars.seq);
  for (const name of def.env ?? []) if (process.env[name] !== undefined) env[name] = process.env[name];
  return env;
}

export interface RunOptions {
  project: string;
  event: string;
  seq?: number;
  /** Aborting kills the program / drops the request; the outcome is then failed ("stopped"). */
  signal?: AbortSignal;
}

/**
 * One outcome a run: the first of an answer (`done`), the timeout and flowmcp closing (opts.signal)
 * wins, the rest are ignored. `stop` ends what still runs (kills the program, drops the request) and
 * settles it as failed with the message it is given.
 */
function outcomeOnce(resolve: (o: HookOutcome) => void, opts: RunOptions, timeout: number, stop: (message: string) => void) {
  const started = performance.now();
  let settled = false;
  const timer = setTimeout(() => stop(`timed out after ${timeout} ms`), timeout);
  const onAbort = () => stop('stopped: flowmcp was closing');
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  return {
    settled: () => settled,
    done(kind: HookOutcome['kind'], message?: string): void {
      // Stryker disable next-line ConditionalExpression,BlockStatement: a promise settles once, and clearing a cleared timer or a removed listener again does nothing
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ kind, ...(message !== undefined ? { message } : {}), latencyMs: performance.now() - started });
    },
  };
}

export function runHook(def: HookDefV, body: string, opts: RunOptions): Promise<HookOutcome> {
  return def.run ? runProgram(def, def.run, body, opts) : postHttp(def, def.url!, body, opts);
}

function runProgram(def: HookDefV, argv: string[], body: string, opts: RunOptions): Promise<HookOutcome> {
  const timeout = timeoutOf(def);
  const env = hookEnv(def, { event: opts.event, project: opts.project, phase: def.when, seq: opts.seq });
  // Found through the PATH the program gets, in its absolute folders only (find-program.ts).
  const program = findProgram(argv[0]!, env);
  if (!program) return Promise.resolve({ kind: 'failed', message: `could not start ${clip(argv[0]!, 120)}: not found in PATH's folders (only absolute ones are searched)`, latencyMs: 0 });
  return new Promise((resolve) => {
    const outcome = outcomeOnce(resolve, opts, timeout, (message) => {
      kill();
      finish('failed', message);
    });
    const group = process.platform !== 'win32';
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, argv.slice(1), {
        cwd: opts.project,
        env,
        stdio: ['pipe', 'pipe', 'pipe'],
        // Its own process group, so a timeout kills what it started too.
        detached: group,
        windowsHide: true,
      });
    } catch (e) {
      // Refused before it started (an argument holding a NUL; a .cmd on Windows, which needs a shell):
      // an outcome like any other, settled now, so the timer that would kill it never fires.
      outcome.done('failed', `could not start ${clip(argv[0]!, 120)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
      return;
    }
    const kill = () => {
      try {
        if (group && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGKILL');
      } catch {
        // already gone
      }
    };
    // Settled when the timer fires or the program exits, never by waiting for its pipes to close: a
    // process it started that left the group (setsid) may hold them open for as long as it likes.
    const finish = (kind: HookOutcome['kind'], message?: string) => {
      // Stryker disable next-line ConditionalExpression,BlockStatement: once settled, done does nothing and the pipes are already destroyed; what is left (clearing the grace timer, unref) is idempotent
      if (outcome.settled()) return;
      outcome.done(kind, message);
      clearTimeout(grace);
      for (const s of [child.stdin, child.stdout, child.stderr]) s?.destroy();
      child.unref();
    };
    let grace: NodeJS.Timeout | undefined;
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      if (out.length < OUTPUT_BYTES) out += d.toString('utf8');
    });
    child.stderr!.on('data', (d: Buffer) => {
      if (err.length < OUTPUT_BYTES) err += d.toString('utf8');
    });
    // A program that exits without reading its input closes the pipe: that is its business.
    child.stdin!.on('error', () => undefined);
    child.stdin!.end(body);
    child.once('error', (e: NodeJS.ErrnoException) => finish('failed', `could not start ${clip(argv[0]!, 120)}: ${e.code ?? e.message}`));
    const answer = (code: number | null, signal: NodeJS.Signals | null) => {
      if (signal) return finish('failed', `crashed (killed by ${signal})${firstLine(err) ? `: ${firstLine(err)}` : ''}`);
      if (code === 0) return finish('ok');
      finish('refused', firstLine(out) || firstLine(err) || `exited with code ${code}`);
    };
    // 'close' (output all read) answers at once; after 'exit', output still in the pipes gets a short
    // grace (bounded by the timeout), then the answer is given with what was read.
    child.once('close', answer);
    child.once('exit', (code, signal) => {
      if (outcome.settled()) return;
      grace = setTimeout(() => answer(code, signal), EXIT_GRACE_MS);
    });
  });
}

export function signBody(secret: string, body: string): string {
  return `sha256=${nodeCrypto().createHmac('sha256', secret).update(body).digest('hex')}`;
}

function postHttp(def: HookDefV, url: string, body: string, opts: RunOptions): Promise<HookOutcome> {
  const timeout = timeoutOf(def);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': `flowmcp/${VERSION}`,
    'x-flowmcp-hook': def.name,
    'x-flowmcp-event': opts.event,
  };
  if (opts.seq !== undefined) headers['x-flowmcp-delivery'] = `${def.name}:${opts.seq}`;
  if (def.secret_env) {
    const secret = process.env[def.secret_env];
    // Never sent unsigned when a signature was asked for: the receiver would have to accept anything.
    if (!secret) return Promise.resolve({ kind: 'failed', message: `the secret variable ${def.secret_env} is not set, so nothing was sent`, latencyMs: 0 });
    headers['x-flowmcp-signature'] = signBody(secret, body);
  }
  return new Promise((resolve) => {
    const { done } = outcomeOnce(resolve, opts, timeout, (message) => {
      req.destroy();
      done('failed', message);
    });
    const target = new URL(url);
    // A connection of its own, closed after: nothing pooled keeps a one-shot CLI alive.
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        if (text.length < OUTPUT_BYTES) text += d;
      });
      res.on('error', () => done('failed', `the answer from ${target.host} broke off`));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) return done('ok');
        const said = firstLine(text);
        if (status >= 400 && status < 500) return done('refused', said || `HTTP ${status}`);
        done('failed', `HTTP ${status}${said ? `: ${said}` : ''}`);
      });
    });
    req.on('error', (e: NodeJS.ErrnoException) => done('failed', `${target.host} unreachable: ${e.code ?? clip(e.message, 120)}`));
    req.end(body);
  });
}
