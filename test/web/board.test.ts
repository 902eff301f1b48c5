// The web page in a real browser (Debian's chromium via puppeteer-core) against a real `flowmcp serve
// --http` process: sign in with the one-time link, the board, a keyboard status change that lands in
// the database, a change by a separate MCP client appearing live without a reload, a stale revision
// shown as a conflict, hostile text rendered inertly, a write from another origin refused, and axe-core
// finding no serious or critical accessibility problem. Screenshots go to test-artifacts/web/.
// The DOM types are for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ARTIFACTS, sharedBrowser } from '../helpers/browser.js';
import { seed, serverPerTest, signIn, storedTask, tool, until } from '../helpers/web.js';
import { Workspace } from '../../src/core/kernel/workspace.js';

const shared = sharedBrowser();
const served = serverPerTest();
let dir: string;

async function start(plans: Parameters<typeof seed>[1]) {
  const s = await served.board(await shared.page(), plans);
  dir = s.dir;
  return s;
}

const inColumn = (page: Page, status: string, id: string) => page.$(`section[data-status="${status}"] a[data-id="${id}"]`);

const PLANS = {
  Release: [
    { title: 'Write the release notes', priority: 'high' },
    { title: 'Tag the version', description: 'After **the notes**: see [the checklist](https://example.com/release).', depends_on: ['#1'] },
  ],
  Docs: [{ title: 'Screenshots for the README', priority: 'low' }],
};

describe('the board', () => {
  it('shows the tasks by status and plan; a keyboard move lands in the database', async () => {
    const { page, tasks } = await start(PLANS);
    const id = tasks.get('Write the release notes')!;
    expect(await inColumn(page, 'todo', id)).not.toBeNull();
    const planRows = await page.$$eval('section[data-status="todo"] .plan-title', (els) => els.map((e) => e.textContent));
    expect(planRows).toEqual(['Release', 'Docs']);
    // A plan heading is one line right above its first card: no empty band.
    const gap = await page.$eval('section[data-status="todo"] .plan-row', (p) => {
      const next = p.nextElementSibling!.getBoundingClientRect();
      return { band: next.top - p.getBoundingClientRect().bottom, height: p.getBoundingClientRect().height };
    });
    expect(gap.band).toBeLessThan(10);
    expect(gap.height).toBeLessThan(40);
    expect(await page.$eval(`[data-task="${tasks.get('Tag the version')!}"] .waiting`, (e) => e.textContent)).toBe('waiting on 1');
    await page.screenshot({ path: join(ARTIFACTS, 'board.png') });

    await page.focus(`a[data-id="${id}"]`);
    await page.keyboard.press(']');
    await until('the task in the In progress column', () => inColumn(page, 'in_progress', id));
    await until('the status stored', () => storedTask(dir, id).status === 'in_progress');
    // Focus follows the task, so the next key moves it on.
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe(id);
    // The next move's answer is held back while the person goes on to type a filter: when it lands,
    // focus stays in the filter box (it used to jump back to the card, and the rest of the word went there).
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    const hold = (req: HTTPRequest) => {
      if (req.url().endsWith('/api/task/status')) void held.then(() => req.continue());
      else void req.continue();
    };
    await page.setRequestInterception(true);
    page.on('request', hold);
    await page.keyboard.press(']');
    await page.type('#text', 't');
    release();
    await until('the status stored as blocked', () => storedTask(dir, id).status === 'blocked');
    await until('the move answered', () => page.$eval('#notice', (e) => /is now Blocked/.test(e.textContent ?? '')));
    await page.keyboard.type('ag'); // where focus is, as a person's keys go
    page.off('request', hold);
    await page.setRequestInterception(false);

    // Filters: text, then plan, then status.
    const shown = () => page.$$eval('a.title', (as) => as.map((a) => a.textContent).sort());
    const showsOnly = (titles: string[]) => until(`the board showing only ${titles.join(', ')}`, async () => JSON.stringify(await shown()) === JSON.stringify(titles));
    expect(await page.$eval('#text', (e) => e === document.activeElement && (e as HTMLInputElement).value)).toBe('tag');
    await showsOnly(['Tag the version']);
    await page.$eval('#text', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('#text', ' ');
    await page.select('#plan', (await page.$eval('#plan option:last-child', (o) => (o as HTMLOptionElement).value)));
    await showsOnly(['Screenshots for the README']);
    await page.select('#plan', '');
    await page.select('#status', 'blocked');
    await showsOnly(['Write the release notes']);

    // Signing out: the page says so, and the cookie no longer opens it.
    await page.click('#sign-out');
    // The live stream may see the session end (401) before the sign-out call answers: either way the
    // page says it was this sign-out.
    await until('signed out', () => page.$eval('#signed-out-why', (e) => e.textContent));
    // Said once, plainly; the controls of the signed-in page (the flow chooser too) are gone.
    expect(await page.$eval('#signed-out-why', (e) => e.textContent)).toBe('You signed out of this page.');
    expect(await page.$eval('#flow-choice', (e) => getComputedStyle(e).display)).toBe('none');
    const again = await page.reload();
    expect(again?.status()).toBe(401);
  });

  it('shows a change made by a separate MCP client live, without reloading the board', async () => {
    const { page, tasks } = await start(PLANS);
    const id = tasks.get('Tag the version')!;
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    await until('the stream open', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
    const mcp = await served.connect(dir);
    const r = await mcp.call('task', { action: 'set_status', id, status: 'review' });
    expect(r.isError).toBeFalsy();
    await until('the card in the Review column', () => inColumn(page, 'review', id));
    expect(await inColumn(page, 'todo', id)).toBeNull();
    // A dependency done: the card waiting on it follows (not only the card that changed).
    expect(await page.$eval(`[data-task="${id}"] .waiting`, (e) => e.textContent)).toBe('waiting on 1');
    // Done (an assistant may finish a task before its dependency): a card in Done says it waits on nothing.
    await mcp.call('task', { action: 'set_status', id, status: 'done' });
    await until('the card in the Done column', () => inColumn(page, 'done', id));
    expect(await page.$eval(`[data-task="${id}"]`, (e) => e.querySelector('.waiting'))).toBeNull();
    await mcp.call('task', { action: 'set_status', id, status: 'review' });
    await until('the card back in Review, waiting again', () => page.$eval(`section[data-status="review"] [data-task="${id}"] .waiting`, (e) => e.textContent === 'waiting on 1'));
    await mcp.call('task', { action: 'set_status', id: tasks.get('Write the release notes')!, status: 'done' });
    await until('the dependent card no longer waiting', () => page.$eval(`[data-task="${id}"]`, (e) => e.querySelector('.waiting') === null));
    // A claim shows who holds the task and how long the lease has left.
    const ready = tasks.get('Screenshots for the README')!;
    const claimed = await mcp.call('task', { action: 'claim', agent: 'claude-a', id: ready, lease_seconds: 1800 });
    expect(claimed.structuredContent.claim?.agent, JSON.stringify(claimed.structuredContent)).toBe('claude-a');
    const claim = await until('the claim on the card', () => page.$eval(`[data-task="${ready}"] .claim`, (e) => e.textContent));
    expect(claim).toMatch(/^held by claude-a · 29 min left$/);
    // On a desktop-wide board the whole claim fits inside its card (it wraps, it is not cut off).
    await page.setViewport({ width: 1280, height: 900 });
    expect((await mcp.call('task', { action: 'release', agent: 'claude-a', id: ready })).isError).toBeFalsy();
    expect((await mcp.call('task', { action: 'claim', agent: 'agent-with-a-rather-long-name', id: ready, lease_seconds: 1800 })).isError).toBeFalsy();
    const fit = await until('the new claim on the card', () =>
      page.$eval(`[data-task="${ready}"] .claim`, (e) => {
        const c = e.getBoundingClientRect();
        const card = e.closest('.card')!.getBoundingClientRect();
        return e.textContent?.includes('agent-with-a-rather-long-name') && { text: e.textContent, inside: c.left >= card.left && c.right <= card.right && c.bottom <= card.bottom, full: e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight };
      }),
    );
    expect(fit, JSON.stringify(fit)).toMatchObject({ inside: true, full: true });
    // A short lease counts down in seconds, and once it ran out the claim goes from the card (the task
    // is free again) with no change on the stream to say so.
    const short = id;
    const shortClaim = await mcp.call('task', { action: 'claim', agent: 'claude-b', id: short, lease_seconds: 10 });
    expect(shortClaim.isError, JSON.stringify(shortClaim.structuredContent)).toBeFalsy();
    expect(await until('the short claim', () => page.$eval(`[data-task="${short}"] .claim`, (e) => e.textContent))).toMatch(/^held by claude-b · \d s left$|^held by claude-b · 10 s left$/);
    await until('the claim gone once the lease ran out', () => page.$eval(`[data-task="${short}"]`, (e) => e.querySelector('.claim') === null), 60_000);
    await mcp.call('task', { action: 'create', title: 'Added by an assistant', plan_id: (await mcp.call('task', { action: 'get', id })).structuredContent.task.plan_id });
    await until('the new card', () => page.$$eval('a.title', (as) => as.some((a) => a.textContent === 'Added by an assistant')));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'board-live.png') });

    // An open task page follows as well.
    await page.goto(page.url().split('#')[0] + `#/task/${id}`);
    await page.waitForSelector('#task-title');
    await mcp.call('task', { action: 'update', id, description: 'Changed by **an assistant**.' });
    await until('the new description', () => page.$eval('.description', (e) => e.textContent === 'Changed by an assistant.'));
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);

    // A board loaded afresh shows the lease too (read with the board's rows: no read per claimed card).
    await page.goto(page.url().split('#')[0] + '#/');
    const perTask: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/api/task') perTask.push(r.url());
    });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.$eval(`[data-task="${ready}"] .claim`, (e) => e.textContent)).toMatch(/^held by agent-with-a-rather-long-name · 29 min left$/);
    expect(perTask).toEqual([]);
  });

  it("counts a claim's lease on the server's clock, whatever the browser's clock says", async () => {
    dir = served.project();
    const { tasks } = seed(dir, PLANS);
    const server = await served.serve(dir);
    const mcp = await served.connect(dir);
    const id = tasks.get('Screenshots for the README')!;
    expect((await mcp.call('task', { action: 'claim', agent: 'claude-a', id, lease_seconds: 1800 })).isError).toBeFalsy();
    // Two browsers whose clocks are two hours off, one each way.
    for (const hours of [2, -2]) {
      const page = await shared.page();
      await page.evaluateOnNewDocument(`(() => { const real = Date.now; Date.now = () => real() + ${hours} * 3600e3; })()`);
      await signIn(page, server.port);
      expect(await page.$eval(`[data-task="${id}"] .claim`, (e) => e.textContent), `a browser ${hours} h off`).toMatch(/^held by claude-a · (29|30) min left$/);
      await page.goto(`${page.url().split('#')[0]}#/task/${encodeURIComponent(id)}`);
      expect(await until('the task page', () => page.$eval('#task-view', (e) => e.textContent?.includes('held by claude-a') && e.textContent))).toMatch(/held by claude-a \((29|30) min left\)/);
      await page.close();
    }
  });

  it("goes on following changes after the server's event log was replaced (its seqs start over below the page's)", async () => {
    const { page, tasks, port } = await start(PLANS);
    await page.close();
    // The board this page reads says it is 1,000 events ahead of the log: as after a database was
    // replaced by an older copy. The stream then says "reset", and the page must not take the changes
    // that follow (numbered below where it was) for ones it has already seen.
    const fresh = await shared.page();
    await fresh.setRequestInterception(true);
    fresh.on('request', (req) => {
      if (!req.url().includes('/api/board')) return void req.continue();
      void (async () => {
        const cookies = (await fresh.cookies(req.url())).map((c) => `${c.name}=${c.value}`).join('; ');
        const r = await fetch(req.url(), { headers: { ...req.headers(), cookie: cookies } });
        const board = (await r.json()) as { seq: number };
        await req.respond({ status: r.status, contentType: 'application/json', body: JSON.stringify({ ...board, seq: board.seq + 1000 }) });
      })();
    });
    await signIn(fresh, port);
    await until('the stream open', async () => (await fresh.$eval('#live', (e) => e.textContent)) === 'Live');
    const mcp = await served.connect(dir);
    const id = tasks.get('Tag the version')!;
    expect((await mcp.call('task', { action: 'set_status', id, status: 'review' })).isError).toBeFalsy();
    await until('the card in the Review column', () => inColumn(fresh, 'review', id));
  });

  it('says it is not live while the server does not answer (a stream can stay open and silent), and Live again once it does', async () => {
    const { page } = await start(PLANS);
    await until('the stream open', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
    served.server.child.kill('SIGSTOP');
    try {
      expect(await until('not live', () => page.$eval('#live', (e) => /^Not live: the server does not answer/.test(e.textContent ?? '') && e.textContent), 90_000)).toMatch(/asked again every 10 s/);
    } finally {
      served.server.child.kill('SIGCONT');
    }
    await until('live again', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live', 90_000);
  }, 240_000); // the page itself takes up to 25 s to say "not live" and 10 s more to see it live again: the file's 60 s left a loaded machine little

  it('eight tabs share one live connection: all say Live, the 8th loads, a search answers, and a change reaches every tab (also after the leading tab closed)', async () => {
    const { page, port, tasks } = await start(PLANS);
    const base = page.url().split('#')[0]!;
    const tabs = [page];
    // A browser allows 6 connections per origin over HTTP/1.1: a stream per tab left the 7th hanging.
    for (let i = 1; i < 8; i++) {
      const p = await shared.page();
      await p.goto(base);
      await p.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      tabs.push(p);
    }
    for (const t of tabs) await until('every tab live', async () => (await t.$eval('#live', (e) => e.textContent)) === 'Live', 60_000);
    const last = tabs[7]!;
    await last.goto(`${base}#/search`);
    await last.waitForSelector('#search-q');
    await last.type('#search-q', 'release');
    await last.keyboard.press('Enter');
    expect(await until('the search answered', () => last.$eval('#search-view', (e) => /\d+ results? \(/.test(e.textContent ?? '') && e.textContent), 60_000)).toMatch(/release notes/i);
    const mcp = await served.connect(dir);
    const id = tasks.get('Write the release notes')!;
    await mcp.call('task', { action: 'set_status', id, status: 'review' });
    for (const t of tabs.slice(0, 7)) await until('the change in every tab', () => inColumn(t, 'review', id), 60_000);
    // The tab that leads goes: another takes over the stream from the last change seen.
    for (const t of tabs.slice(0, 4)) await t.close();
    await mcp.call('task', { action: 'set_status', id, status: 'done' });
    for (const t of tabs.slice(4, 7)) await until('the change after the leader left', () => inColumn(t, 'done', id), 60_000);
    expect(port).toBeGreaterThan(0);
  }, 240_000);

  it('a claim that runs out leaves a trace: the card says "claim ran out — free to take" (also after a reload), and an open briefing drops "claimed by" by itself', async () => {
    const { page, tasks } = await start(PLANS);
    const id = tasks.get('Screenshots for the README')!;
    await until('the stream open', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
    const briefing = await shared.page();
    await briefing.goto(page.url().split('#')[0] + '#/briefing');
    await briefing.waitForSelector('#briefing-view h2');
    const mcp = await served.connect(dir);
    // A lease long enough to be seen held however slow the pages are; only then cut to the shortest there is.
    const claimed = await mcp.call('task', { action: 'claim', agent: 'claude-c', id, lease_seconds: 600 });
    expect(claimed.isError, JSON.stringify(claimed.structuredContent)).toBeFalsy();
    await until('the claim on the card', () => page.$eval(`[data-task="${id}"] .claim`, (e) => /held by claude-c/.test(e.textContent ?? '')));
    await until('the briefing naming the holder', () => briefing.$eval('#briefing-view', (e) => e.textContent?.includes('(claimed by claude-c)')));
    const renewed = await mcp.call('task', { action: 'claim', agent: 'claude-c', id, lease_seconds: 10 });
    expect(renewed.structuredContent.claim, JSON.stringify(renewed.structuredContent)).toMatchObject({ agent: 'claude-c', renewed: true });
    const ranOut = (p: Page) => p.$eval(`[data-task="${id}"] .claim`, (e) => e.textContent === 'claim ran out — free to take');
    await until('the card saying the claim ran out', () => ranOut(page), 60_000);
    const text = await until('the briefing drawn again', () => briefing.$eval('#briefing-view', (e) => !e.textContent?.includes('claimed by') && e.textContent?.includes('In progress') && e.textContent), 60_000);
    expect(text).toContain('(claim ran out, free to take)');
    // Said once: not also under Next ready.
    expect(text.split(id).length - 1).toBe(1);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await ranOut(page)).toBe(true);

    // At 1280 px "waiting on N" is read whole (the meta row wraps), with a long status and priority.
    await page.setViewport({ width: 1280, height: 900 });
    const waiting = tasks.get('Tag the version')!;
    await mcp.call('task', { action: 'update', id: waiting, priority: 'urgent', title: 'Tag the version and write a rather long title that needs two lines' });
    await mcp.call('task', { action: 'set_status', id: waiting, status: 'in_progress' });
    const fit = await until('the waiting card in progress', () =>
      page.$eval(`section[data-status="in_progress"] [data-task="${waiting}"] .waiting`, (e) => {
        const w = e.getBoundingClientRect();
        const card = e.closest('.card')!.getBoundingClientRect();
        return { text: e.textContent, full: e.scrollWidth <= e.clientWidth, inside: w.left >= card.left && w.right <= card.right && w.bottom <= card.bottom && w.top >= card.top };
      }),
    );
    expect(fit).toEqual({ text: 'waiting on 1', full: true, inside: true });
    await page.screenshot({ path: join(ARTIFACTS, 'board-1280-waiting.png') });
  }, 180_000);

  it('keyboard: a skip link, one tab stop per card, and a status menu that writes only on Enter (not per arrow key)', async () => {
    const { page, tasks } = await start(PLANS);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const active = () => page.evaluate(() => {
      const a = document.activeElement as HTMLElement | null;
      return { tag: a?.tagName.toLowerCase(), id: a?.id, dataId: a?.dataset.id, text: a?.textContent?.trim() };
    });
    // Freshly loaded, the first Tab is the skip link.
    await page.keyboard.press('Tab');
    expect(await active()).toMatchObject({ tag: 'a', text: 'Skip to content' });
    await page.keyboard.press('Enter');
    expect(await active()).toMatchObject({ tag: 'main', id: 'app-main' });
    expect(page.url()).not.toContain('#app-main');

    // From one card, Tab goes to the next card: the status menus are not tab stops.
    const first = tasks.get('Write the release notes')!;
    await page.focus(`a[data-id="${first}"]`);
    await page.keyboard.press('Tab');
    const next = await active();
    expect(next.tag).toBe('a');
    expect(next.dataId, JSON.stringify(next)).toBeTruthy();
    expect(next.dataId!.endsWith('-status')).toBe(false);
    expect(await page.$$eval('.card select', (els) => els.every((e) => e.getAttribute('tabindex') === '-1'))).toBe(true);

    // ArrowRight reaches the card's status menu; two arrows move the choice and write nothing; Enter writes once.
    const before = storedTask(dir, first);
    await page.focus(`a[data-id="${first}"]`);
    await page.keyboard.press('ArrowRight');
    expect((await active()).dataId).toBe(`${first}-status`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.$eval(`select[data-id="${first}-status"]`, (e) => (e as HTMLSelectElement).value)).toBe('blocked');
    await page.keyboard.press('Enter');
    await until('the status stored', () => storedTask(dir, first).status === 'blocked');
    expect(storedTask(dir, first).revision).toBe(before.revision + 1);
    await until('the card in the Blocked column', () => inColumn(page, 'blocked', first));
    // Escape puts the status back and returns to the card.
    await until('focus back on the card', async () => (await active()).dataId === first);
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Escape');
    expect((await active()).dataId).toBe(first);
    expect(storedTask(dir, first).status).toBe('blocked');
    expect(await page.$eval(`select[data-id="${first}-status"]`, (e) => (e as HTMLSelectElement).value)).toBe('blocked');
    expect(errors).toEqual([]);
  });

  it('says it is signed out (not "Live") once the server restarted and forgot the session, and how to get back in; unsaved edits are shown to copy and come back after signing in again', async () => {
    const { page, port, tasks } = await start(PLANS);
    const id = tasks.get('Tag the version')!;
    await page.goto(page.url().split('#')[0] + `#/task/${id}`);
    await page.waitForSelector('#edit-description');
    await until('the stream open', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
    await page.type('#edit-description', ' Typed before the restart.');
    await served.server.stop('SIGKILL');
    await served.serve(dir, ['--port', String(port)]);
    await until('signed out', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Signed out', 60_000);
    const text = await page.$eval('#signed-out', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? ''));
    expect(text).toContain('flowmcp ui');
    expect(await page.$eval('#board-view', (e) => (e as HTMLElement).hidden)).toBe(true);
    // The typed text is on screen, read-only, to copy.
    expect(await page.$eval('#signed-out-edits textarea[data-field="description"]', (e) => (e as HTMLTextAreaElement).value)).toContain('Typed before the restart.');
    // Signed in again (a new link, in a new tab): the form of that task has the text back, and says so.
    const again = await shared.page();
    await signIn(again, port);
    await again.goto(again.url().split('#')[0] + `#/task/${id}`);
    await again.waitForSelector('#edit-description');
    expect(await again.$eval('#edit-description', (e) => (e as HTMLTextAreaElement).value)).toContain('Typed before the restart.');
    expect(await again.$eval('#kept-note', (e) => e.textContent)).toMatch(/from before the session ended/);
  });

  it('shows a stale revision as a conflict, with the task as it is now, and overwrites nothing', async () => {
    const page = await shared.page();
    // This page hears nothing live, so what it shows goes stale.
    await page.setRequestInterception(true);
    page.on('request', (r) => void (new URL(r.url()).pathname === '/events' ? r.abort() : r.continue()));
    const s = await served.board(page, PLANS);
    dir = s.dir;
    const id = s.tasks.get('Write the release notes')!;
    const mcp = await served.connect(dir);
    await mcp.call('task', { action: 'set_status', id, status: 'blocked' });
    await page.focus(`a[data-id="${id}"]`);
    await page.keyboard.press(']');
    const alert = await until('the conflict message', async () => {
      const t = await page.$eval('#alert', (e) => e.textContent ?? '');
      return t.includes('someone else changed') ? t : undefined;
    });
    expect(alert).toContain('Write the release notes');
    expect(alert).toContain('Blocked');
    expect(storedTask(dir, id).status).toBe('blocked');
    await until('the card shown as it is now', () => inColumn(page, 'blocked', id));
    await page.screenshot({ path: join(ARTIFACTS, 'conflict.png') });
  });
});

describe('creating and editing', () => {
  it('adds a task from the board, edits it on its page, and refuses a stale edit', async () => {
    const { page } = await start(PLANS);
    await page.type('#new-title', 'Announce the release');
    await page.select('#new-priority', 'urgent');
    await page.click('#create button[type="submit"]');
    const link = await until('the new card', () => page.$('xpath/.//a[contains(@class, "title") and text()="Announce the release"]'));
    const id = (await link.evaluate((a) => (a as HTMLElement).dataset.id))!;
    expect(storedTask(dir, id)).toMatchObject({ title: 'Announce the release', status: 'todo' });

    // Opened by its address (the card itself may be redrawn at any moment by the live stream).
    expect(await page.$eval('#notice', (e) => e.textContent)).toBe('Created "Announce the release".');
    await page.goto(page.url().split('#')[0] + `#/task/${id}`);
    await page.waitForSelector('#edit-title');
    // The board's news does not follow to the task page.
    expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden)).toBe(true);
    await page.$eval('#edit-title', (e) => ((e as HTMLInputElement).value = ''));
    await page.type('#edit-title', 'Announce the release on the blog');
    await page.click('form.edit button[type="submit"]');
    await until('the title stored', () => storedTask(dir, id).title === 'Announce the release on the blog');
    await until('the page showing it', async () => (await page.$eval('#task-title', (e) => e.textContent)) === 'Announce the release on the blog');
    // A save says so (a polite status), and the created-on-the-board notice did not follow to this page.
    expect(await page.$eval('#notice', (e) => e.textContent)).toMatch(/^Saved "Announce the release on the blog"/);
    // Its status, from its own page.
    await page.select('#task-status', 'review');
    await until('the status stored', () => storedTask(dir, id).status === 'review');
    let revision = storedTask(dir, id).revision;
    await until('the page redrawn at the new revision', () => page.$eval('#task-view .meta', (e, r) => e.textContent?.includes(`revision ${r}`), revision));
    // By keyboard: an arrow moves the choice, Enter writes it once (no second write with a stale
    // revision, so no false conflict and no "kept edits" note).
    const statusWrites: string[] = [];
    const countWrite = (r: { url(): string; method(): string }) => void (new URL(r.url()).pathname === '/api/task/status' && statusWrites.push(r.method()));
    page.on('request', countWrite);
    await page.focus('#task-status');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await until('the status stored', () => storedTask(dir, id).status === 'done');
    revision = storedTask(dir, id).revision;
    await until('the page redrawn at the new revision', () => page.$eval('#task-view .meta', (e, r) => e.textContent?.includes(`revision ${r}`), revision));
    await until('focus back on the status menu', () => page.evaluate(() => document.activeElement?.id === 'task-status'));
    await page.keyboard.press('Tab');
    page.off('request', countWrite);
    expect(statusWrites).toEqual(['POST']);
    expect(storedTask(dir, id).revision).toBe(revision);
    expect(await page.$eval('#alert-box', (e) => (e as HTMLElement).hidden)).toBe(true);
    expect(await page.$('#kept-note')).toBeNull();

    // The person starts an edit; meanwhile someone else edits the task. The page says so (it does not
    // redraw over unsaved edits), and saving is refused as a conflict.
    await page.focus('#edit-title');
    await page.keyboard.press('End');
    await page.keyboard.type(' (mine)');
    const mcp = await served.connect(dir);
    await mcp.call('task', { action: 'update', id, title: 'Renamed by an assistant' });
    await until('the notice', () => page.$eval('#alert', (e) => e.textContent?.includes('changed meanwhile')));
    expect(await page.$eval('#edit-title', (e) => (e as HTMLInputElement).value)).toBe('Announce the release on the blog (mine)');
    await page.click('form.edit button[type="submit"]');
    const alert = await until('the conflict message', async () => {
      const t = await page.$eval('#alert', (e) => e.textContent ?? '');
      return t.includes('someone else changed') ? t : undefined;
    });
    // It names the field that changed (not the status), who changed it, and shows the task as it is now,
    // the person's own text still in the form.
    expect(alert).toMatch(/title \(now "Renamed by an assistant"\)/);
    expect(alert).not.toContain('status');
    expect(alert).toMatch(/ by \S+ at \d{4}-\d\d-\d\d /);
    await until('the page at the current version', async () => (await page.$eval('#task-title', (e) => e.textContent)) === 'Renamed by an assistant');
    expect(await page.$eval('#edit-title', (e) => (e as HTMLInputElement).value)).toBe('Announce the release on the blog (mine)');
    expect(await page.$eval('#kept-note', (e) => e.textContent)).toContain('(title)');
    // The news of the earlier save is gone beside the refusal.
    expect(await page.$eval('#notice', (e) => (e as HTMLElement).hidden)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'task-conflict.png'), fullPage: true });
    expect(storedTask(dir, id).title).toBe('Renamed by an assistant');
    // Saving again puts the person's title over it; the conflict banner goes and the save is confirmed.
    await page.click('form.edit button[type="submit"]');
    await until('the title stored', () => storedTask(dir, id).title === 'Announce the release on the blog (mine)');
    await until('the save confirmed', () => page.$eval('#notice', (e) => !(e as HTMLElement).hidden && e.textContent?.startsWith('Saved')));
    expect(await page.$eval('#alert-box', (e) => (e as HTMLElement).hidden)).toBe(true);

    // Only what the person edited is sent: they edit the description while an assistant lowers the
    // priority; one Save puts the description on top of the assistant's version (no field of theirs
    // touched), keeps the assistant's priority, and says it merged.
    expect(storedTask(dir, id).priority).toBe('urgent');
    // The page draws the task again after a save (the form stays while it reads it): wait for the form
    // of the version stored now before clearing it.
    revision = storedTask(dir, id).revision;
    await until('the page redrawn at the saved revision', () => page.$eval('#task-view .meta', (e, r) => e.textContent?.includes(`revision ${r}`), revision));
    await page.waitForSelector('#edit-description');
    await page.$eval('#edit-description', (e) => ((e as HTMLTextAreaElement).value = ''));
    await page.type('#edit-description', 'Written on the page.');
    await mcp.call('task', { action: 'update', id, priority: 'low' });
    await until('the notice of the change', () => page.$eval('#alert', (e) => e.textContent?.includes('changed meanwhile')));
    await page.click('form.edit button[type="submit"]');
    await until('the description stored', () => storedTask(dir, id).description === 'Written on the page.');
    expect(storedTask(dir, id)).toMatchObject({ priority: 'low', title: 'Announce the release on the blog (mine)' });
    expect(await until('the merged notice', () => page.$eval('#notice', (e) => !(e as HTMLElement).hidden && e.textContent))).toMatch(/merged: someone else changed priority meanwhile; your description went on top/);
    await until('the form at the version stored now', () => page.$eval('#edit-priority', (e) => (e as HTMLSelectElement).value === 'low'));
  });

  it('moves a task by dragging its card to another column', async () => {
    const { page, tasks } = await start(PLANS);
    const id = tasks.get('Screenshots for the README')!;
    await page.setDragInterception(true);
    const card = (await page.$(`[data-task="${id}"]`))!;
    const target = (await page.$('section[data-status="done"] .scroller'))!;
    await card.dragAndDrop(target);
    await until('the status stored', () => storedTask(dir, id).status === 'done');
    await until('the card in the Done column', () => inColumn(page, 'done', id));
  });
});

const HOSTILE_TITLE = '<script>window.pwned = "title"</script><img src=x onerror="window.pwned=1">';
const SPOOFED_TITLE = 'RTL \u202Egnp.exe\u202C';
const HOSTILE_DESCRIPTION = [
  '# Plan <img src=x onerror="window.pwned=2">',
  '',
  'Click [here](javascript:window.pwned=3) or [there](JaVaScRiPt:alert(1)) or [data](data:text/html,<script>alert(1)</script>).',
  '',
  '<script>window.pwned = 4</script>',
  '<a href="javascript:window.pwned=5">raw html link</a> <iframe src="https://example.com"></iframe>',
  '',
  '- a **bold** item with `<b>code</b>`',
  '- a [good link](https://example.com/docs)',
].join('\n');

describe('hostile text', () => {
  it('from titles, descriptions and linked documents is shown as text: nothing runs, no element is injected, no javascript: link', async () => {
    const { page, tasks } = await start({ '<img src=x onerror=alert(1)> plan': [{ title: HOSTILE_TITLE, description: HOSTILE_DESCRIPTION }, { title: 'javascript:alert(1)' }, { title: SPOOFED_TITLE }] });
    // A bidi override cannot make "gnp.exe" read as "exe.png": it is shown as a visible marker, on the
    // board and on the task page.
    const spoofed = tasks.get(SPOOFED_TITLE)!;
    expect(await page.$eval(`a[data-id="${spoofed}"]`, (a) => a.textContent)).toBe('RTL ⟨U+202E⟩gnp.exe⟨U+202C⟩');
    await page.goto(page.url().split('#')[0] + `#/task/${spoofed}`);
    await until('the spoofed title shown with its markers', () => page.$eval('#task-title', (e) => e.textContent === 'RTL ⟨U+202E⟩gnp.exe⟨U+202C⟩'));
    // The edit field holds the raw text (reordered by the browser): a note beside it names the characters.
    expect(await page.$eval('#edit-title-marks', (e) => !(e as HTMLElement).hidden && e.textContent)).toMatch(/direction-changing characters.*⟨U\+202E⟩ ⟨U\+202C⟩\.$/);
    expect(await page.$eval('#edit-description-marks', (e) => (e as HTMLElement).hidden)).toBe(true);
    // The edit form keeps the title as stored (saving does not write the markers in).
    expect(await page.$eval('#edit-title', (e) => (e as HTMLInputElement).value)).toBe(SPOOFED_TITLE);
    await page.goto(page.url().split('#')[0] + '#/');
    await page.waitForSelector(`a[data-id="${spoofed}"]`, { visible: true });
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    const id = tasks.get(HOSTILE_TITLE)!;
    expect(await page.$eval(`a[data-id="${id}"]`, (a) => a.textContent)).toBe(HOSTILE_TITLE);
    // A linked document with the same kind of text, written by another process while the page is open.
    const ws = Workspace.open(dir);
    try {
      tool({ ws, session: ws.session('assistant') }, 'document', { action: 'write', path: 'notes/hostile.md', task_id: id, content: HOSTILE_DESCRIPTION });
    } finally {
      ws.close();
    }
    await page.goto(page.url().split('#')[0] + `#/task/${id}`);
    await page.waitForSelector('#task-title');
    const look = await page.evaluate(() => ({
      pwned: (window as unknown as { pwned?: unknown }).pwned,
      scripts: [...document.scripts].map((s) => s.src),
      images: document.images.length,
      iframes: document.querySelectorAll('iframe').length,
      hrefs: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href') ?? ''),
      title: document.getElementById('task-title')?.textContent,
      description: document.querySelector('.description')?.textContent ?? '',
      links: [...document.querySelectorAll('.description a')].map((a) => [a.textContent, a.getAttribute('href')]),
      heading: document.querySelector('.description h3')?.textContent,
    }));
    expect(look.pwned).toBeUndefined();
    expect(look.scripts).toEqual([expect.stringMatching(/\/assets\/app\.js$/)]);
    expect(look.images).toBe(0);
    expect(look.iframes).toBe(0);
    expect(look.hrefs.filter((h) => !/^(#|https?:)/i.test(h))).toEqual([]);
    expect(look.title).toBe(HOSTILE_TITLE);
    expect(look.heading).toBe('Plan <img src=x onerror="window.pwned=2">');
    expect(look.description).toContain('<script>window.pwned = 4</script>');
    expect(look.links).toEqual([['good link', 'https://example.com/docs']]);
    expect(dialogs).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'task-hostile.png'), fullPage: true });

    // Its linked document, opened from the task page, is rendered the same safe way.
    await page.click('.docs a');
    await page.waitForSelector('#doc-title');
    const doc = await page.evaluate(() => ({
      pwned: (window as unknown as { pwned?: unknown }).pwned,
      images: document.images.length,
      hrefs: [...document.querySelectorAll('.description a')].map((a) => a.getAttribute('href')),
      text: document.querySelector('.description')?.textContent ?? '',
    }));
    expect(doc.pwned).toBeUndefined();
    expect(doc).toMatchObject({ images: 0, hrefs: ['https://example.com/docs'] });
    expect(doc.text).toContain('<script>window.pwned = 4</script>');
    expect(dialogs).toEqual([]);
    // Its back link names the task it came from and goes back there (not to the board).
    expect(await page.$eval('#doc-back', (e) => e.textContent)).toBe(`← ${HOSTILE_TITLE}`);
    await page.click('#doc-back');
    await until('back on the task', async () => page.url().endsWith(`#/task/${id}`) && (await page.$eval('#task-title', (e) => e.textContent)) === HOSTILE_TITLE);
  });
});

describe('another origin', () => {
  it('a page on another port of this machine (same site, other origin) cannot change a task, even with the cookie', async () => {
    const { page, tasks, port } = await start(PLANS);
    const id = tasks.get('Write the release notes')!;
    const before = storedTask(dir, id);
    // The attacker's page: simple requests (no preflight), credentials included, a form post too.
    const other = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><form id=f method=post action="http://127.0.0.1:${port}/api/task/status" enctype="text/plain"><input name='{"id":"${id}","status":"done","x":"' value='"}'></form>
<script>
fetch("http://127.0.0.1:${port}/api/task/status", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: JSON.stringify({ id: "${id}", status: "done" }) })
  .finally(() => { document.title = "sent"; document.getElementById("f").submit(); });
</script>`);
    });
    onTestFinished(() => void other.close());
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const attacker = await shared.page();
    // The fetch's answer is withheld from the attacker by the browser (Cross-Origin-Resource-Policy), so
    // it ends as a failed request; the form post's answer is a page: 403.
    const ended: string[] = [];
    const statuses: number[] = [];
    attacker.on('requestfinished', (r) => {
      if (!r.url().includes('/api/task/status')) return;
      ended.push('finished');
      statuses.push(r.response()?.status() ?? 0);
    });
    attacker.on('requestfailed', (r) => {
      if (r.url().includes('/api/task/status')) ended.push(r.failure()?.errorText ?? 'failed');
    });
    await attacker.goto(`http://127.0.0.1:${(other.address() as AddressInfo).port}/`);
    await until('both attempts answered', () => ended.length >= 2);
    expect(statuses).toEqual([403]);
    expect(storedTask(dir, id)).toEqual(before);
    // The page itself still can.
    await page.focus(`a[data-id="${id}"]`);
    await page.keyboard.press(']');
    await until('the status stored', () => storedTask(dir, id).status === 'in_progress');
  });
});

describe('accessibility', () => {
  it('axe-core finds no serious or critical violation on the board or the task page', async () => {
    const { tasks, port } = await start(PLANS);
    // axe is injected as a script of the test's own; the page's CSP (no inline script) would block it,
    // so this one page, in this one test, bypasses CSP. Every other test runs under the real CSP.
    const page = await shared.page();
    await page.setBypassCSP(true);
    await signIn(page, port);
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    const check = async (what: string) => {
      await page.addScriptTag({ content: axe });
      const found = (await page.evaluate(async () => {
        const r = await (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {});
        return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
      })) as { id: string; impact: string }[];
      expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical'), what).toEqual([]);
    };
    await check('board');
    await page.goto(page.url().split('#')[0] + `#/task/${tasks.get('Tag the version')!}`);
    await page.waitForSelector('#task-title');
    // Dependencies both ways: this task waits for the notes; the notes' page says what it is needed by.
    expect(await page.$$eval('.deps', (els) => els.map((e) => e.textContent))).toEqual(['Waits forWrite the release notes To do Remove', 'Needed bynone']);
    await check('task page');
    await page.screenshot({ path: join(ARTIFACTS, 'task.png'), fullPage: true });
  });
});
