// Debian's chromium, driven by puppeteer-core (which never downloads a browser), for the web page's
// tests. One browser per test file: launched in beforeAll, closed in afterAll whatever happened; a
// missing chromium fails the file loudly (never a silent skip). The browser's processes carry a mark of
// their own (FLOWMCP_TEST_CHILD=<worker mark>-browser): the per-test kill (helpers/children.ts) leaves
// them alone, since chromium starts helper processes while a test runs, and the run's global teardown
// still kills any that outlive the file.
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { afterAll, beforeAll } from 'vitest';
import { CHILD_MARK, killPids, markedPids, waitGone, workerMark } from './children.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Screenshots of the main views (gitignored; CI keeps them as artifacts). */
export const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/web/', import.meta.url));

export interface SharedBrowser {
  /** The browser (after beforeAll). */
  readonly browser: Browser;
  /** A new page (tab); closed after the file if the test left it open. */
  page(): Promise<Page>;
}

export function sharedBrowser(): SharedBrowser {
  let browser: Browser | undefined;
  const pages: Page[] = [];
  const mark = `${workerMark()}-browser`;
  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`chromium is not at ${CHROMIUM}: install Debian's chromium (apt-get install chromium; .ci/run does) or set CHROMIUM_PATH. The web page's tests need a real browser.`);
    }
    mkdirSync(ARTIFACTS, { recursive: true });
    browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      // --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu', '--no-first-run', '--window-size=1400,900'],
      defaultViewport: { width: 1400, height: 900 },
      env: { ...(process.env as Record<string, string>), [CHILD_MARK]: mark },
      timeout: 60_000,
    });
  }, 90_000);
  afterAll(async () => {
    for (const p of pages) await p.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await waitGone(killPids(markedPids(mark)));
  }, 60_000);
  return {
    get browser() {
      if (!browser) throw new Error('the browser did not start (see beforeAll)');
      return browser;
    },
    async page() {
      if (!browser) throw new Error('the browser did not start (see beforeAll)');
      const p = await browser.newPage();
      pages.push(p);
      return p;
    },
  };
}
