// Real hooks for tests: a user config naming them, small node programs written by the test that record
// what they were given, and a loopback HTTP receiver that can be down and come back on the same port.
// Waits are for conditions (with generous deadlines), never sleeps.
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, vi } from 'vitest';
import { CLI } from './server.js';
import { tempDir, tempWorkspace, type TempWorkspace } from './workspace.js';

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/**
 * For in-process hook tests: per test, a fresh workspace and a folder of its own for the user's config,
 * with FLOWMCP_CONFIG pointing at config.json in it (no hooks until a test writes one); the environment
 * restored and both removed after each test. Call at the top of a test file; read the pair in a beforeEach.
 */
export function userConfigWorkspacePerTest(): () => { t: TempWorkspace; cfg: string } {
  let t: TempWorkspace;
  let cfg: string;
  beforeEach(() => {
    t = tempWorkspace();
    cfg = tempDir('flowmcp-cfg-');
    vi.stubEnv('FLOWMCP_CONFIG', join(cfg, 'config.json'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    t.cleanup();
    rmSync(cfg, { recursive: true, force: true });
  });
  return () => ({ t, cfg });
}

/** Writes the user's own config (trusted) with these hooks; returns the env that points flowmcp at it. */
export function userConfig(dir: string, hooks: unknown[]): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ hooks }, null, 2));
  return { FLOWMCP_CONFIG: file };
}

/**
 * A program hook that appends {payload, env} as one JSON line to `out` (its first argument), then
 * behaves as `mode` says: ok (exit 0), refuse (print a message, exit 1), hang, crash (SIGKILL itself),
 * block (write <out>.started, wait for <out>.go).
 */
export function recorder(dir: string): string {
  const file = join(dir, 'recorder.mjs');
  writeFileSync(
    file,
    `import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
const [out, mode = 'ok', message = 'refused by the test hook'] = process.argv.slice(2);
let text = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (text += d));
process.stdin.on('end', () => {
  const payload = JSON.parse(text);
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('FLOWMCP_') || ['PATH', 'HOME', 'SECRET_PARENT_VAR'].includes(k)));
  appendFileSync(out, JSON.stringify({ payload, env }) + '\\n');
  if (mode === 'refuse') { console.log(message); process.exit(1); }
  if (mode === 'hang') setInterval(() => {}, 1000);
  if (mode === 'crash') process.kill(process.pid, 'SIGKILL');
  if (mode === 'block') {
    writeFileSync(out + '.started', '');
    const t = setInterval(() => { if (existsSync(out + '.go')) { clearInterval(t); process.exit(0); } }, 20);
  }
});
`,
  );
  return file;
}

export interface Recorded {
  payload: Record<string, any>;
  env: Record<string, string>;
}

export function readRecorded(out: string): Recorded[] {
  if (!existsSync(out)) return [];
  return readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Recorded);
}

export interface Delivery {
  body: string;
  json: Record<string, any>;
  headers: Record<string, string | string[] | undefined>;
}

/** A loopback HTTP receiver: records each POST, answers 200 (or what `answer` says). */
export class Receiver {
  readonly got: Delivery[] = [];
  private server: Server | undefined;
  port = 0;
  answer: (d: Delivery) => number = () => 200;

  async start(port = 0): Promise<this> {
    this.server = createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const d: Delivery = { body, json: JSON.parse(body) as Record<string, any>, headers: req.headers };
        this.got.push(d);
        res.writeHead(this.answer(d)).end('thanks');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
    return this;
  }

  async stop(): Promise<void> {
    const s = this.server;
    this.server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook`;
  }
}

/**
 * A port nothing listens on (taken, then let go), below the system's ephemeral range: every other socket
 * of the suite is bound to port 0 or connects out, and so takes its port from that range; a port from it
 * could be handed to another test's server before this one's receiver comes back on it.
 */
export async function freePort(): Promise<number> {
  let low = 32_768; // Linux's default start of the range
  try {
    low = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]) || low;
  } catch {
    // not Linux: its default
  }
  for (;;) {
    const port = low > 11_024 ? low - 10_000 + Math.floor(Math.random() * 10_000) : 0; // (no room below: any free port)
    const probe = createNetServer();
    const free = await new Promise<boolean>((resolve) => {
      probe.once('error', () => resolve(false));
      probe.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (free) {
      const got = (probe.address() as { port: number }).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      return got;
    }
  }
}

/** The hook_state row of a hook, read straight from flow.db (read-only, beside the running servers). */
export function hookRow(project: string, name: string): Record<string, any> | undefined {
  const db = new Database(join(project, '.flow', 'flow.db'), { readonly: true, fileMustExist: true });
  try {
    const has = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'hook_state'").get();
    return has ? (db.prepare('SELECT * FROM hook_state WHERE name = ?').get(name) as Record<string, any> | undefined) : undefined;
  } finally {
    db.close();
  }
}

/** Runs the CLI on a project with this env (FLOWMCP_CONFIG and friends). */
export function cli(project: string, env: Record<string, string>, ...args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', project], { encoding: 'utf8', input: '', env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** What flowmcp writes on stderr from now on (warnings, the hook worker's lines), until vi.restoreAllMocks. */
export function captureStderr(): string[] {
  const out: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out.push(String(chunk));
    return true;
  });
  return out;
}
