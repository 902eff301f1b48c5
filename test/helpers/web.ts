// The web page's test kit: a project seeded through the tool specs (as an assistant would), the real
// server process with its page, a fresh one-time sign-in link, and the database read back directly.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startHttpServer, type HttpServerProcess } from './http-server.js';
import { connect, type Connected } from './server.js';
import { tempDir } from './workspace.js';
import type { Page } from 'puppeteer-core';
import { Workspace, type Call } from '../../src/core/kernel/workspace.js';
import { dispatch } from '../../src/tools/dispatch.js';
import { findToolSpec } from '../../src/tools/registry.js';

/** One tool call in-process on a real workspace (the server process is not running yet, or runs beside it). */
export function tool(call: Call, name: string, args: Record<string, unknown>): Record<string, any> {
  const out = dispatch(findToolSpec(name)!, call, args);
  if (out.isError) throw new Error(`${name} ${String(args.action)}: ${JSON.stringify(out.structured.error)}`);
  return out.structured;
}

export interface Seeded {
  flow: string;
  plans: string[];
  /** Task ids by title. */
  tasks: Map<string, string>;
}

/** A flow with plans and tasks, written to the project's .flow/ and closed again. */
export function seed(dir: string, plans: Record<string, { title: string; description?: string; priority?: string; depends_on?: string[] }[]>): Seeded {
  const ws = Workspace.open(dir);
  try {
    const call: Call = { ws, session: ws.session('seed') };
    const flow = tool(call, 'flow', { action: 'create', name: 'Checkout' }).flow.id as string;
    const out: Seeded = { flow, plans: [], tasks: new Map() };
    for (const [title, tasks] of Object.entries(plans)) {
      const plan = tool(call, 'plan', { action: 'create', title, flow_id: flow }).plan.id as string;
      out.plans.push(plan);
      for (let i = 0; i < tasks.length; i += 500) {
        const r = tool(call, 'task', { action: 'create', plan_id: plan, tasks: tasks.slice(i, i + 500) });
        const rows = (r.tasks ?? [r.task]) as { id: string; title: string }[];
        for (const t of rows) out.tasks.set(t.title, t.id);
      }
    }
    return out;
  } finally {
    ws.close();
  }
}

/** A task's row as stored, read straight from flow.db. */
export function storedTask(dir: string, id: string): { status: string; title: string; revision: number; priority: string; description: string | null } {
  const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
  try {
    return db.prepare('SELECT status, title, revision, priority, description FROM tasks WHERE id = ?').get(id) as ReturnType<typeof storedTask>;
  } finally {
    db.close();
  }
}

/** A fresh one-time sign-in link, asked of the server as curl would (POST /ui/link). */
export async function newLink(port: number, token?: string): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${port}/ui/link`, { method: 'POST', headers: token ? { authorization: `Bearer ${token}` } : {} });
  if (r.status !== 200) throw new Error(`POST /ui/link: ${r.status} ${await r.text()}`);
  return ((await r.json()) as { url: string }).url;
}

/** Opens the sign-in link in the page and waits until the board is drawn. */
export async function signIn(page: Page, port: number): Promise<void> {
  await page.goto(await newLink(port));
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
}

/**
 * Resolves when the condition holds, polling; fails with the message after a generous deadline. A check
 * that throws counts as "not yet" (a page being redrawn has no element to read for a moment); the last
 * error is named if time runs out.
 */
export async function until<T>(what: string, check: () => T | undefined | false | null | Promise<T | undefined | false | null>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface ServedPerTest {
  /** A fresh project folder for this test. */
  project(): string;
  /** `flowmcp serve --http` on the folder (flags and environment as startHttpServer takes them). */
  serve(dir: string, args?: string[], env?: Record<string, string>): Promise<HttpServerProcess>;
  /** The server this test started last. */
  readonly server: HttpServerProcess;
  /** A separate MCP client on the project over stdio (its own process, beside the web server). */
  connect(dir: string): Promise<Connected>;
  /** A fresh project seeded with the plans, its server, and the page signed in to its board. */
  board(page: Page, plans: Parameters<typeof seed>[1]): Promise<Seeded & { dir: string; page: Page; port: number }>;
}

/**
 * Real servers per test on project folders of their own: after the test, however it ended, the MCP
 * clients are closed, the servers killed and the folders (made here or served) removed.
 */
export function serverPerTest(): ServedPerTest {
  const dirs: string[] = [];
  const servers: HttpServerProcess[] = [];
  const clients: Connected[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) await c.close().catch(() => undefined);
    for (const s of servers.splice(0)) await s.stop('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const served: ServedPerTest = {
    project() {
      const d = tempDir();
      dirs.push(d);
      return d;
    },
    async serve(dir, args = [], env = {}) {
      if (!dirs.includes(dir)) dirs.push(dir);
      const s = await startHttpServer(dir, args, env);
      servers.push(s);
      return s;
    },
    get server() {
      const s = servers.at(-1);
      if (!s) throw new Error('no server started in this test (serve first)');
      return s;
    },
    async connect(dir) {
      const c = await connect({ dir });
      clients.push(c);
      return c;
    },
    async board(page, plans) {
      const dir = served.project();
      const s = seed(dir, plans);
      const { port } = await served.serve(dir);
      await signIn(page, port);
      return { ...s, dir, page, port };
    },
  };
  return served;
}

/** Signs in as a page would, without a browser: the cookie header and the CSRF token for API calls. */
export async function apiSession(port: number): Promise<{ cookie: string; csrf: string; get: (path: string) => Promise<{ status: number; body: any }> }> {
  const r = await fetch(await newLink(port), { redirect: 'manual' });
  if (r.status !== 303) throw new Error(`sign-in link: ${r.status}`);
  const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
  const { csrf } = (await (await fetch(`http://127.0.0.1:${port}/api/session`, { headers: { cookie } })).json()) as { csrf: string };
  const get = async (path: string) => {
    const a = await fetch(`http://127.0.0.1:${port}${path}`, { headers: { cookie, 'x-flowmcp-csrf': csrf } });
    return { status: a.status, body: await a.json() };
  };
  return { cookie, csrf, get };
}

/** A request as no browser would send it (fetch will not forge Host, Origin or Sec-Fetch-Site): the status, headers and body. */
export function rawRequest(port: number, method: string, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
