// The web page's test kit: a project seeded through the tool specs (as an assistant would), the real
// server process with its page, a fresh one-time sign-in link, and the database read back directly.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { startHttpServer, type HttpServerProcess } from './http-server.js';
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

/**
 * A real server per test on a project folder of its own: stopped, and the folder removed, after the
 * test however it ended.
 */
export function serverPerTest(): { serve(dir: string): Promise<HttpServerProcess> } {
  let dir: string | undefined;
  let server: HttpServerProcess | undefined;
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  return {
    async serve(d) {
      dir = d;
      server = await startHttpServer(d);
      return server;
    },
  };
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
