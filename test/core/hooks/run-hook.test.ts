// One run of one hook, in-process with real programs and a real loopback HTTP receiver: what a program
// is given (stdin, cwd, a minimal environment), how its answer reads (exit 0 ok; a non-zero exit refuses
// with the first line it printed; a signal, a timeout, flowmcp closing or a missing program fail, with the
// process group killed), and what an HTTP hook sends (headers, signature) and how a status reads.
import { createHmac } from 'node:crypto';
import { getEventListeners } from 'node:events';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_TIMEOUT_MS, hookEnv, runHook, signBody, timeoutOf } from '../../../src/core/hooks/run-hook.js';
import { HookDef, type HookDefV } from '../../../src/core/schemas/hooks.js';
import { VERSION } from '../../../src/version.js';
import { isAlive, waitGone } from '../../helpers/children.js';
import { waitFor } from '../../helpers/hooks.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest('flowmcp-run-hook-');
let dir: string;
beforeEach(() => {
  dir = scratch();
});
afterEach(() => vi.unstubAllEnvs());

const node = process.execPath;
// The worker's mark goes along, so whatever a test leaves running is killed with it (helpers/children.ts).
const MARK = ['FLOWMCP_TEST_CHILD'];

function program(code: string, over: Record<string, unknown> = {}): HookDefV {
  return HookDef.parse({ name: 'p', when: 'post', events: ['task.created'], run: [node, '-e', code], env: MARK, ...over });
}

const opts = (over: Record<string, unknown> = {}) => ({ project: dir, event: 'task.created', ...over });

describe('timeouts and environment', () => {
  it('a hook without timeout_ms gets 5 s before a change and 10 s after; its own timeout_ms wins', () => {
    expect(DEFAULT_TIMEOUT_MS).toEqual({ pre: 5_000, post: 10_000 });
    expect(timeoutOf(HookDef.parse({ name: 'a', when: 'pre', events: ['*'], run: ['x'] }))).toBe(5_000);
    expect(timeoutOf(HookDef.parse({ name: 'a', when: 'post', events: ['*'], run: ['x'] }))).toBe(10_000);
    expect(timeoutOf(HookDef.parse({ name: 'a', when: 'post', events: ['*'], run: ['x'], timeout_ms: 250 }))).toBe(250);
  });

  it('a program gets PATH, HOME, the FLOWMCP_* of its event and the variables it lists that are set, nothing else', () => {
    vi.stubEnv('HOME', '/home/someone');
    vi.stubEnv('LISTED_VAR', 'given');
    vi.stubEnv('SECRET_PARENT_VAR', 'not given');
    vi.stubEnv('SystemRoot', 'C:\\Windows');
    const def = HookDef.parse({ name: 'h1', when: 'post', events: ['*'], run: ['x'], env: ['LISTED_VAR', 'UNSET_VAR'] });
    expect(hookEnv(def, { event: 'task.created', project: '/p', phase: 'post', seq: 7 })).toStrictEqual({
      PATH: process.env.PATH,
      HOME: '/home/someone',
      FLOWMCP_HOOK: 'h1',
      FLOWMCP_EVENT: 'task.created',
      FLOWMCP_PHASE: 'post',
      FLOWMCP_PROJECT: '/p',
      FLOWMCP_SEQ: '7',
      LISTED_VAR: 'given',
    });
  });

  it('sequence number 0 (a test event) is given; no sequence (a pre hook), no FLOWMCP_SEQ; no HOME or PATH set, a default PATH', () => {
    const def = HookDef.parse({ name: 'h1', when: 'pre', events: ['*'], run: ['x'] });
    expect(hookEnv(def, { event: 'e', project: '/p', phase: 'post', seq: 0 }).FLOWMCP_SEQ).toBe('0');
    vi.stubEnv('HOME', undefined);
    vi.stubEnv('PATH', undefined);
    const env = hookEnv(def, { event: 'e', project: '/p', phase: 'pre' });
    expect(Object.keys(env).sort()).toEqual(['FLOWMCP_EVENT', 'FLOWMCP_HOOK', 'FLOWMCP_PHASE', 'FLOWMCP_PROJECT', 'PATH']);
    expect(env.PATH).toBe('/usr/local/bin:/usr/bin:/bin');
    expect(env.FLOWMCP_PHASE).toBe('pre');
  });
});

describe('program hooks', () => {
  it('a program named by its bare name is never one in the project folder, even with a relative PATH entry', async () => {
    const planted = join(dir, 'node_modules', '.bin');
    mkdirSync(planted, { recursive: true });
    const ran = join(dir, 'ran.txt');
    writeFileSync(join(planted, 'flowmcp-test-notifier'), `#!/bin/sh\necho planted > '${ran}'\n`);
    chmodSync(join(planted, 'flowmcp-test-notifier'), 0o755);
    vi.stubEnv('PATH', `node_modules/.bin:${process.env.PATH ?? ''}`);
    const o = await runHook(HookDef.parse({ name: 'n', when: 'post', events: ['*'], run: ['flowmcp-test-notifier', 'hi'] }), '{}', opts());
    expect(o.kind).toBe('failed');
    expect(o.message).toContain('not found in PATH');
    expect(existsSync(ran)).toBe(false);
  });

  it('a program the system refuses to start (an argument holding a NUL) fails as an outcome; nothing throws later', async () => {
    const o = await runHook(HookDef.parse({ name: 'z', when: 'post', events: ['*'], run: [node, 'a\u0000b'], timeout_ms: 200, env: MARK }), '{}', opts());
    expect(o.kind).toBe('failed');
    expect(o.message).toMatch(/^could not start /);
    // The timeout would have fired by now: it was cleared, so no kill of a program that never started.
    await new Promise((r) => setTimeout(r, 400));
  });

  it('exit 0 is ok; the program reads the event on stdin, runs in the project folder with its environment', async () => {
    const out = join(dir, 'seen.json');
    const code = `let t='';process.stdin.on('data',d=>t+=d);process.stdin.on('end',()=>{require('fs').writeFileSync(${JSON.stringify(out)},JSON.stringify({stdin:t,cwd:process.cwd(),seq:process.env.FLOWMCP_SEQ,event:process.env.FLOWMCP_EVENT}))})`;
    const o = await runHook(program(code), '{"hello":"hook"}', opts({ seq: 3 }));
    expect(o).toStrictEqual({ kind: 'ok', latencyMs: expect.any(Number) });
    expect(o.latencyMs).toBeGreaterThan(0);
    expect(JSON.parse(readFileSync(out, 'utf8'))).toEqual({ stdin: '{"hello":"hook"}', cwd: realpathSync(dir), seq: '3', event: 'task.created' });
  });

  it('a non-zero exit refuses with the first non-blank line of stdout, trimmed, else of stderr, else the exit code', async () => {
    const said = await runHook(program(`console.log('\\n  \\r\\n  not today  \\nsecond line'); console.error('err line'); process.exit(1)`), '{}', opts());
    expect(said).toMatchObject({ kind: 'refused', message: 'not today' });
    const stderrOnly = await runHook(program(`console.error('\\nfrom stderr\\nmore'); process.exit(2)`), '{}', opts());
    expect(stderrOnly).toMatchObject({ kind: 'refused', message: 'from stderr' });
    const silent = await runHook(program('process.exit(3)'), '{}', opts());
    expect(silent).toMatchObject({ kind: 'refused', message: 'exited with code 3' });
  });

  it('a refusal message is cut to 300 characters', async () => {
    const o = await runHook(program(`console.log('x'.repeat(1000)); process.exit(1)`), '{}', opts());
    expect(o.kind).toBe('refused');
    expect(o.message).toBe(`${'x'.repeat(299)}…`);
  });

  it('output is read up to a bound: a line printed after a megabyte of blank lines is not read', async () => {
    const code = `process.stdout.write('\\n'.repeat(1 << 20) + 'late out\\n'); process.stderr.write('\\n'.repeat(1 << 20) + 'late err\\n', () => process.exit(1))`;
    const o = await runHook(program(code), '{}', opts());
    expect(o).toMatchObject({ kind: 'refused', message: 'exited with code 1' });
  });

  it('killed by a signal is a failure naming the signal, with the first line of stderr when there is one', async () => {
    const quiet = await runHook(program(`process.kill(process.pid, 'SIGKILL')`), '{}', opts());
    expect(quiet).toMatchObject({ kind: 'failed', message: 'crashed (killed by SIGKILL)' });
    const told = await runHook(program(`console.error('dying now'); setTimeout(() => process.kill(process.pid, 'SIGTERM'), 50)`), '{}', opts());
    expect(told).toMatchObject({ kind: 'failed', message: 'crashed (killed by SIGTERM): dying now' });
  });

  it('a program that does not exist fails, saying it could not start and why', async () => {
    const def = HookDef.parse({ name: 'p', when: 'post', events: ['*'], run: [join(dir, 'no-such-program')] });
    const o = await runHook(def, '{}', opts());
    expect(o).toMatchObject({ kind: 'failed', message: `could not start ${join(dir, 'no-such-program')}: ENOENT` });
  });

  it('a program that exits without reading its input is answered as it exited', async () => {
    const o = await runHook(program('process.exit(0)'), 'x'.repeat(1 << 20), opts());
    expect(o.kind).toBe('ok');
  });

  it('a program still running at its timeout fails, saying after how long', async () => {
    const o = await runHook(program('setInterval(()=>{},1000)', { timeout_ms: 300 }), '{}', opts());
    expect(o).toMatchObject({ kind: 'failed', message: 'timed out after 300 ms' });
    expect(o.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('flowmcp closing (the signal) stops a running program: it and what it started are killed, and the run fails as stopped', async () => {
    const pids = join(dir, 'pids');
    // The program starts a child (in the program's process group), writes both pids, then waits forever.
    const code = `const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:'ignore'});require('fs').writeFileSync(${JSON.stringify(pids)},process.pid+' '+c.pid);setInterval(()=>{},1000)`;
    const ac = new AbortController();
    const run = runHook(program(code), '{}', opts({ signal: ac.signal }));
    const [p, c] = await waitFor('the program and its child', () => {
      try {
        const both = readFileSync(pids, 'utf8').split(' ').map(Number);
        return both.length === 2 && both;
      } catch {
        return undefined;
      }
    });
    ac.abort();
    expect(await run).toMatchObject({ kind: 'failed', message: 'stopped: flowmcp was closing' });
    await waitGone([p!, c!]); // SIGKILLed: a wait for the kernel, bounded by the test's timeout
    expect(isAlive(p!) || isAlive(c!)).toBe(false);
  });

  it('a run leaves nothing listening on the signal it was given (a worker uses one for every delivery)', async () => {
    const ac = new AbortController();
    for (const code of ['process.exit(0)', 'process.exit(1)']) await runHook(program(code), '{}', opts({ signal: ac.signal }));
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
  });

  it('a program is answered as soon as it has exited and its output is read, without waiting out any timer', async () => {
    // Timers are held still: only the program's own end can answer.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const o = await runHook(program(`console.log('done'); process.exit(5)`), '{}', opts());
      expect(o).toMatchObject({ kind: 'refused', message: 'done' });
      // Nothing is left to fire later (a one-shot command would wait for it before it exits).
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a program that exits while something it started keeps its output open is answered at its exit, not at its timeout', async () => {
    const pidFile = join(dir, 'held');
    // The grandchild leaves the group (detached: setsid) and inherits stdout, so the pipe stays open.
    const code = `const c=require('child_process').spawn(process.execPath,['-e','setInterval(()=>{},1000)'],{stdio:['ignore','inherit','inherit'],detached:true});require('fs').writeFileSync(${JSON.stringify(pidFile)},String(c.pid));c.unref();console.log('bye');process.exit(4)`;
    const o = await runHook(program(code, { timeout_ms: 30_000 }), '{}', opts());
    const held = Number(readFileSync(pidFile, 'utf8'));
    try {
      expect(o).toMatchObject({ kind: 'refused', message: 'bye' });
    } finally {
      process.kill(held, 'SIGKILL');
    }
  });
});

/** A loopback server answering each POST with what `answer` says; records what it got. */
class Http {
  got: { headers: IncomingMessage['headers']; body: string }[] = [];
  /** Requests the client gave up on before an answer was sent. */
  dropped = 0;
  answer: (res: ServerResponse) => void = (res) => res.writeHead(200).end();
  private server: Server | undefined;
  port = 0;
  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      res.on('close', () => {
        if (!res.writableEnded) this.dropped++;
      });
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        this.got.push({ headers: req.headers, body });
        this.answer(res);
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }
  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server!.close(() => r()));
  }
  url(scheme = 'http'): string {
    return `${scheme}://127.0.0.1:${this.port}/hook`;
  }
}

describe('HTTP hooks', () => {
  let http: Http;
  beforeEach(async () => {
    http = await new Http().start();
  });
  afterEach(() => http.stop());

  const hook = (over: Record<string, unknown> = {}) => HookDef.parse({ name: 'web', when: 'post', events: ['*'], url: http.url(), ...over });

  it('POSTs the event as JSON with the hook, event and delivery named, signed with the secret when one is asked for', async () => {
    vi.stubEnv('MY_HOOK_SECRET', 's3cret');
    const body = JSON.stringify({ event: 'task.created', n: 'é' });
    const o = await runHook(hook({ secret_env: 'MY_HOOK_SECRET' }), body, opts({ seq: 0 }));
    expect(o).toStrictEqual({ kind: 'ok', latencyMs: expect.any(Number) });
    expect(http.got).toHaveLength(1);
    const { headers, body: got } = http.got[0]!;
    expect(got).toBe(body);
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'content-length': String(Buffer.byteLength(body)),
      'user-agent': `flowmcp/${VERSION}`,
      'x-flowmcp-hook': 'web',
      'x-flowmcp-event': 'task.created',
      'x-flowmcp-delivery': 'web:0',
    });
    const mac = `sha256=${createHmac('sha256', 's3cret').update(body).digest('hex')}`;
    expect(headers['x-flowmcp-signature']).toBe(mac);
    expect(signBody('s3cret', body)).toBe(mac);
  });

  it('without a sequence (a pre hook) there is no delivery id; without secret_env no signature', async () => {
    await runHook(hook(), '{}', opts());
    expect(http.got[0]!.headers['x-flowmcp-delivery']).toBeUndefined();
    expect(http.got[0]!.headers['x-flowmcp-signature']).toBeUndefined();
  });

  it('a secret asked for but not set: nothing is sent, and the failure says which variable', async () => {
    vi.stubEnv('MY_HOOK_SECRET', '');
    const o = await runHook(hook({ secret_env: 'MY_HOOK_SECRET' }), '{}', opts({ seq: 1 }));
    expect(o).toEqual({ kind: 'failed', message: 'the secret variable MY_HOOK_SECRET is not set, so nothing was sent', latencyMs: 0 });
    expect(http.got).toHaveLength(0);
  });

  it('2xx is ok; 4xx refuses with the first line of the answer, or the status; 3xx and 5xx fail with the status', async () => {
    const cases: [number, string, Record<string, unknown>][] = [
      [200, 'fine', { kind: 'ok' }],
      [299, '', { kind: 'ok' }],
      [300, '', { kind: 'failed', message: 'HTTP 300' }],
      [400, '\n  no thanks \nmore', { kind: 'refused', message: 'no thanks' }],
      [499, '', { kind: 'refused', message: 'HTTP 499' }],
      [500, 'boom', { kind: 'failed', message: 'HTTP 500: boom' }],
      [503, '', { kind: 'failed', message: 'HTTP 503' }],
    ];
    for (const [status, text, want] of cases) {
      http.answer = (res) => res.writeHead(status).end(text);
      const o = await runHook(hook(), '{}', opts());
      expect({ status, ...o }).toMatchObject({ status, ...want });
      if (want.kind === 'ok') expect(o.message).toBeUndefined();
    }
  });

  it('an answer is read up to a bound: a reason after a megabyte of blank lines is not read', async () => {
    http.answer = (res) => res.writeHead(400).end('\n'.repeat(1 << 20) + 'late reason');
    expect(await runHook(hook(), '{}', opts())).toMatchObject({ kind: 'refused', message: 'HTTP 400' });
  });

  it('a receiver nobody listens on is unreachable, named by its host', async () => {
    const port = http.port;
    await http.stop();
    const o = await runHook(hook(), '{}', opts());
    expect(o).toMatchObject({ kind: 'failed', message: `127.0.0.1:${port} unreachable: ECONNREFUSED` });
  });

  it('an https:// hook speaks TLS: a plain HTTP receiver gets no request from it', async () => {
    const o = await runHook(hook({ url: http.url('https') }), '{}', opts());
    expect(o.kind).toBe('failed');
    expect(o.message).toContain(`127.0.0.1:${http.port} unreachable`);
    expect(http.got).toHaveLength(0);
  });

  it('a receiver that does not answer in time fails as timed out; one that breaks off its answer fails as such', async () => {
    http.answer = () => undefined; // never answers
    expect(await runHook(hook({ timeout_ms: 300 }), '{}', opts())).toMatchObject({ kind: 'failed', message: 'timed out after 300 ms' });
    // The request is dropped, not left open on the receiver.
    await waitFor('the request to be dropped', () => http.dropped === 1);
    http.answer = (res) => {
      res.writeHead(200, { 'content-length': '100' });
      res.write('partial', () => res.socket?.destroy());
    };
    expect(await runHook(hook(), '{}', opts())).toMatchObject({ kind: 'failed', message: `the answer from 127.0.0.1:${http.port} broke off` });
  });

  it('flowmcp closing drops a request in flight: it fails as stopped', async () => {
    http.answer = () => undefined;
    const ac = new AbortController();
    const run = runHook(hook(), '{}', opts({ signal: ac.signal }));
    await waitFor('the request to arrive', () => http.got.length === 1);
    ac.abort();
    expect(await run).toMatchObject({ kind: 'failed', message: 'stopped: flowmcp was closing' });
    expect(getEventListeners(ac.signal, 'abort')).toHaveLength(0);
    await waitFor('the request to be dropped', () => http.dropped === 1);
  });
});
