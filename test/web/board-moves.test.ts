// The board's writes as a person makes them in a hurry, in a real browser against a real `flowmcp serve
// --http` process: quick presses of ] queue up (one move per task on its way, the next with the fresh
// revision), the create form keeps its plan across live redraws and refuses a plan deleted meanwhile,
// one task per create however often Enter is pressed, focus back on the card opened, the status menu's
// label free of raw direction characters, and a move to Done said with its warnings. The DOM types are
// for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { afterEach, describe, expect, it } from 'vitest';
import { sharedBrowser } from '../helpers/browser.js';
import { startHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';
import { seed, signIn, storedTask, until, type Seeded } from '../helpers/web.js';

const shared = sharedBrowser();
let dir: string;
let server: HttpServerProcess | undefined;
let mcp: Connected | undefined;
afterEach(async () => {
  await mcp?.close().catch(() => undefined);
  await server?.stop('SIGKILL');
  server = mcp = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const PLANS = {
  Release: [{ title: 'Write the release notes', priority: 'high' }, { title: 'Tag the version', depends_on: ['#1'] }],
  Docs: [{ title: 'Screenshots for the README' }],
};

async function start(plans: Parameters<typeof seed>[1] = PLANS): Promise<Seeded & { page: Page; port: number }> {
  dir = tempDir();
  const s = seed(dir, plans);
  server = await startHttpServer(dir);
  const page = await shared.page();
  await signIn(page, server.port);
  return { ...s, page, port: server.port };
}

const inColumn = (page: Page, status: string, id: string) => page.$(`section[data-status="${status}"] a[data-id="${id}"]`);
const alertText = (page: Page) => page.$eval('#alert-box', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? ''));

/** Holds the page's requests to a path until released (the answer is "on its way" meanwhile). */
async function holdRequests(page: Page, path: string): Promise<{ release(): void; sent: () => number; stop(): Promise<void> }> {
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  let sent = 0;
  const hold = (req: HTTPRequest) => {
    if (req.isInterceptResolutionHandled()) return;
    if (new URL(req.url()).pathname === path && req.method() === 'POST') {
      sent++;
      void held.then(() => req.continue());
    } else void req.continue();
  };
  await page.setRequestInterception(true);
  page.on('request', hold);
  return {
    release,
    sent: () => sent,
    async stop() {
      page.off('request', hold);
      await page.setRequestInterception(false);
    },
  };
}

describe('moving a task quickly', () => {
  it('three quick presses of ] while the first move is on its way take the task three steps (To do → Review), with no conflict', async () => {
    const { page, tasks } = await start();
    const id = tasks.get('Screenshots for the README')!;
    const hold = await holdRequests(page, '/api/task/status');
    await page.focus(`a[data-id="${id}"]`);
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    await page.keyboard.press(']');
    hold.release();
    await until('the status stored as review', () => storedTask(dir, id).status === 'review');
    await until('the card in Review', () => inColumn(page, 'review', id));
    await until('the move said', () => page.$eval('#notice', (e) => /is now Review/.test(e.textContent ?? '')));
    expect(await alertText(page)).toBe('');
    await hold.stop();
  });
});
