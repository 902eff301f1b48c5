// The search and briefing views in a real browser against a real server: search across tasks and
// context with the query's words marked and hostile text shown as text; the resume briefing with the
// flow's decisions and open questions; axe-core on both. Screenshots go to test-artifacts/web/.
// The DOM types are for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { ARTIFACTS, sharedBrowser } from '../helpers/browser.js';
import { CLI } from '../helpers/server.js';
import { seed, serverPerTest, signIn, tool, until } from '../helpers/web.js';

const shared = sharedBrowser();
let dir: string;
const served = serverPerTest();

/** 500 characters with nowhere to break: it must not make any view scroll sideways. */
const LONG_TITLE = 'Unbroken'.repeat(62) + 'Xxxx';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function start(bypassCsp = false): Promise<{ page: Page; tasks: Map<string, string>; flow: string }> {
  dir = served.project();
  const s = seed(dir, {
    Payments: [
      { title: 'Retry failed invoice payments', description: '## Retry policy\nBack off exponentially, at most 5 retries. <img src=x onerror="window.pwned=1">' },
      { title: 'Refund flow' },
      { title: LONG_TITLE },
    ],
  });
  const ws = Workspace.open(dir);
  try {
    const call = { ws, session: ws.session('seed') };
    tool(call, 'context', { action: 'save', flow_id: s.flow, decision: { what: 'Retries back off exponentially', why: 'the provider rate-limits <b>bursts</b>' } });
    tool(call, 'document', { action: 'write', path: 'payments/retries.md', flow_id: s.flow, content: '# Payments\n\nIntro.\n\n## Retry policy\n\nWe **retry** a failed `charge` after 1, 5 and [30 minutes](https://example.com/policy).\n' });
    tool(call, 'context', { action: 'save', flow_id: s.flow, question: 'Who approves refunds over 1000 EUR?', summary: 'Payments: retries designed, refunds next.' });
    // A project document, in no flow (as `document index "docs/*.md"` makes them).
    tool(call, 'document', { action: 'write', path: 'docs/uploads.md', content: '# Upload limits\n\nA failed upload is retried with exponential backoff.\n' });
  } finally {
    ws.close();
  }
  const server = await served.serve(dir);
  const page = await shared.page();
  if (bypassCsp) await page.setBypassCSP(true);
  await signIn(page, server.port);
  return { page, tasks: s.tasks, flow: s.flow };
}

async function noSeriousViolations(page: Page, what: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const found = (await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run: (d: Document) => Promise<{ violations: { id: string; impact: string }[] }> } }).axe.run(document);
    return r.violations.map((v) => ({ id: v.id, impact: v.impact }));
  })) as { id: string; impact: string }[];
  expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical'), what).toEqual([]);
}

describe('search', () => {
  it('opened at a search address (as another page could open it), only fills the box: nothing is searched until Enter; a malformed address shows the board', async () => {
    const { page } = await start();
    const home = page.url().split('#')[0]!;
    const searches: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/search')) searches.push(r.url());
    });
    await page.goto('about:blank');
    await page.goto(home + '#/search?q=refund');
    await page.waitForSelector('#search-q');
    await until('the box filled from the address', async () => (await page.$eval('#search-q', (i) => (i as HTMLInputElement).value)) === 'refund');
    expect(await page.$('#search-results p')).toBeNull();
    await page.keyboard.press('Enter');
    await until('results', () => page.$('.hits li'));
    // The one search is the one the person asked for.
    expect(searches).toHaveLength(1);
    await page.goto('about:blank');
    await page.goto(home + '#/search?q=%');
    await until('the board, with a word on the address', async () =>
      page.evaluate(() => !document.getElementById('board-view')!.hidden && /malformed/.test(document.getElementById('alert')!.textContent ?? '')),
    );
  });

  it('finds tasks, documents and context, marks the words, names the matched heading, and shows hostile text as text', async () => {
    const { page, tasks } = await start();
    await page.goto(page.url().split('#')[0] + '#/search');
    await page.waitForSelector('#search-q');
    await page.type('#search-q', 'retry');
    await page.keyboard.press('Enter');
    const hits = await until('results', async () => {
      const h = await page.$$eval('.hits li', (lis) => lis.map((li) => ({ text: li.textContent ?? '', marks: [...li.querySelectorAll('mark')].map((m) => m.textContent), href: li.querySelector('a')?.getAttribute('href') })));
      return h.length ? h : undefined;
    });
    const task = hits.find((x) => x.href === `#/task/${tasks.get('Retry failed invoice payments')!}`);
    expect(task, JSON.stringify(hits)).toBeDefined();
    expect(task!.marks.map((m) => m!.toLowerCase())).toContain('retry');
    // The title shows the words marked too (a hit may have matched by its title alone).
    expect(await page.$eval(`.hits a[href="${task!.href}"]`, (a) => [...a.querySelectorAll('mark')].map((m) => m.textContent?.toLowerCase()))).toEqual(['retry']);
    expect(hits.some((x) => x.text.startsWith('context'))).toBe(true);
    const doc = hits.find((x) => x.text.startsWith('document') && x.text.includes('payments/retries.md'));
    expect(doc, JSON.stringify(hits)).toBeDefined();
    // By default the search is the project's, as `flowmcp search` is: a project document (in no flow) is found too.
    expect(await page.$eval('#search-flow', (e) => (e as HTMLInputElement).checked)).toBe(false);
    // Linked by id: a note and a project file may share a path.
    expect(hits.find((x) => x.text.includes('docs/uploads.md'))?.href, JSON.stringify(hits)).toMatch(/^#\/doc\/d-[a-z0-9]+$/);
    expect(await page.$$eval('.hits .heading', (els) => els.map((e) => e.textContent))).toContain('Payments › Retry policy');
    // Snippets read as text: no markdown marks, the words still marked.
    const snippets = await page.$$eval('.hits .snippet', (els) => els.map((e) => e.textContent ?? ''));
    expect(snippets.join(' ')).toContain('30 minutes');
    for (const t of snippets) expect(t, t).not.toMatch(/\*\*|`|\]\(|(^|\s)#{1,6}\s/);
    expect(await page.evaluate(() => ({ pwned: (window as unknown as { pwned?: unknown }).pwned, images: document.images.length }))).toEqual({ pwned: undefined, images: 0 });
    expect(page.url()).toMatch(/#\/search\?q=retry$/);
    // Each hit says how it was found and how relevant it is (a hit found by meaning alone has no word to mark).
    const found = await page.$$eval('.hits li', (lis) => lis.map((li) => li.querySelector('.found-by')?.textContent ?? ''));
    expect(found.length).toBe(hits.length);
    for (const f of found) expect(f).toMatch(/^by (its words|its words and meaning|meaning only \(no word of the search in it\)) · relevance \d{1,3}%$/);
    expect(found[0]).toMatch(/relevance 100%$/);
    await page.screenshot({ path: join(ARTIFACTS, 'search.png') });

    // The project changes (another writer): the results stay put and the page says they may be out of date.
    expect(await page.$eval('#search-stale', (e) => (e as HTMLElement).hidden)).toBe(true);
    const ws = Workspace.open(dir);
    try {
      const call = { ws, session: ws.session('other') };
      const plan = (tool(call, 'task', { action: 'get', id: tasks.get('Refund flow')! }) as { task: { plan_id: string } }).task.plan_id;
      tool(call, 'task', { action: 'create', plan_id: plan, title: 'Retry webhooks that timed out' });
    } finally {
      ws.close();
    }
    await until('the results said to be out of date', () => page.$eval('#search-stale', (e) => !(e as HTMLElement).hidden));
    await page.click('#search-again');
    await until('the new task found', () => page.$$eval('.hits li', (lis) => lis.some((li) => li.textContent?.includes('Retry webhooks that timed out'))));
    expect(await page.$eval('#search-stale', (e) => (e as HTMLElement).hidden)).toBe(true);
  });
});

describe('briefing', () => {
  it("shows the flow's decisions, open questions and the resume briefing (and axe finds nothing serious there, in search or in snapshots)", async () => {
    const { page } = await start(true);
    await page.goto(page.url().split('#')[0] + '#/briefing');
    await page.waitForSelector('#h-decisions');
    const text = await page.$eval('#briefing-view', (e) => e.textContent ?? '');
    expect(text).toContain('Retries back off exponentially');
    expect(text).toContain('the provider rate-limits <b>bursts</b>');
    expect(text).toContain('Who approves refunds over 1000 EUR?');
    expect(text).toContain('Payments: retries designed, refunds next.');
    expect(await page.$$eval('#briefing-view b', (els) => els.length)).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, 'briefing.png'), fullPage: true });
    await noSeriousViolations(page, 'briefing');
    await page.goto(page.url().split('#')[0] + '#/search?q=refund');
    await page.waitForSelector('#search-q');
    await page.keyboard.press('Enter');
    await until('results', () => page.$('.hits li'));
    await noSeriousViolations(page, 'search');
    await page.goto(page.url().split('#')[0] + '#/snapshots');
    await page.waitForSelector('#snapshots-view h2');
    await noSeriousViolations(page, 'snapshots');
  });
});

describe('every view', () => {
  it('on a 375 px phone: no sideways scroll, no page error, focus on the view after each navigation and Back; board filters only on the board, kept in the address; the briefing follows live', async () => {
    const { page, tasks, flow } = await start();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.setViewport({ width: 375, height: 740 });
    const home = page.url().split('#')[0]!;
    const go = async (hash: string, ready: string) => {
      await page.evaluate((h) => (location.hash = h), hash);
      await page.waitForSelector(ready, { visible: true });
    };
    const look = () =>
      page.evaluate(() => {
        const a = document.activeElement as HTMLElement | null;
        const el = document.documentElement;
        return { overflow: el.scrollWidth - el.clientWidth, focus: a === document.body || !a ? 'body' : `${a.tagName.toLowerCase()}#${a.id}`, filters: !(document.getElementById('filters') as HTMLElement).closest('[hidden]') };
      });
    const retry = tasks.get('Retry failed invoice payments')!;
    const views: [string, string, RegExp][] = [
      [`#/task/${retry}`, '#task-title', /^h2#task-title$/],
      [`#/task/${tasks.get(LONG_TITLE)!}`, '#task-title', /^h2#task-title$/],
      ['#/search?q=retry', '#search-q', /^input#search-q$/],
      ['#/briefing', '#h-decisions', /^h2#/],
      ['#/snapshots', '#snapshots-view h2', /^h2#/],
      ['#/', '#columns', /^main#app-main$/],
    ];
    for (const [hash, ready, focus] of views) {
      await go(hash, ready);
      if (hash.startsWith('#/search')) {
        await page.keyboard.press('Enter');
        await page.waitForSelector('.hits li');
      }
      const l = await look();
      expect(l.overflow, `${hash}: the page scrolls sideways`).toBeLessThanOrEqual(0);
      expect(l.focus, hash).toMatch(focus);
      expect(l.filters, `${hash}: board filters shown`).toBe(hash === '#/');
      // An empty column is a one-line heading on a phone, not a tall empty box.
      if (hash === '#/') expect(await page.$eval('section[data-status="cancelled"]', (e) => e.getBoundingClientRect().height)).toBeLessThan(60);
      await page.screenshot({ path: join(ARTIFACTS, `phone-${hash.split(/[/?]/)[1] || 'board'}.png`), fullPage: true });
    }
    // The empty snapshot timeline names the command that makes a snapshot of this flow.
    await go('#/snapshots', '#snapshots-view h2');
    expect(await page.$eval('#snapshots-empty', (e) => e.textContent)).toContain(`flowmcp snapshot create --flow-id ${flow}`);

    // Filters go into the address: a reload and Back keep them.
    await go('#/', '#columns');
    await page.select('#status', 'todo');
    await page.type('#text', 'refund');
    await until('the filters in the address', () => /#\/\?status=todo&text=refund$/.test(page.url()));
    const shown = () => page.$$eval('a.title', (as) => as.map((a) => a.textContent));
    expect(await shown()).toEqual(['Refund flow']);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await until('the filtered board after a reload', async () => JSON.stringify(await shown()) === '["Refund flow"]');
    expect(await page.$eval('#text', (e) => (e as HTMLInputElement).value)).toBe('refund');
    await page.click('a.title');
    await page.waitForSelector('#task-title', { visible: true });
    await page.goBack();
    await until("the board again, filtered, with focus on the task's card", async () => {
      const card = await page.evaluate(() => document.activeElement?.classList.contains('title') && document.activeElement.textContent);
      return card === 'Refund flow' && JSON.stringify(await shown()) === '["Refund flow"]' && /status=todo/.test(page.url());
    });

    // A stale or mistyped link says which filter it dropped and which matched nothing, with a way out.
    await go('#/?plan=p-nonexist&status=bogus', '#columns');
    const note = await until('the filter note', () => page.$eval('#filter-note', (e) => !(e as HTMLElement).hidden && e.textContent));
    expect(note).toContain('plan "p-nonexist" is no plan of this flow');
    expect(note).toContain('status "bogus" is not a status');
    await go('#/?text=no-such-words-anywhere', '#columns');
    expect(await until('nothing matches', () => page.$eval('#filter-note', (e) => !(e as HTMLElement).hidden && e.textContent))).toMatch(/No task matches text "no-such-words-anywhere"\. Clear filters$/);
    await page.click('#clear-filters');
    await until('the filters cleared', async () => (await shown()).length > 1 && (await page.$eval('#filter-note', (e) => (e as HTMLElement).hidden)));

    // The briefing follows a decision saved elsewhere, without a reload.
    await go('#/briefing', '#h-decisions');
    const ws = Workspace.open(dir);
    try {
      tool({ ws, session: ws.session('assistant') }, 'context', { action: 'save', flow_id: flow, decision: { what: 'Refunds need a second approver', why: 'audit' } });
    } finally {
      ws.close();
    }
    await until('the new decision on the briefing', () => page.$eval('#briefing-view', (e) => e.textContent?.includes('Refunds need a second approver')));

    // Signing out, then Back: the page says it is signed out, and nothing throws.
    await page.click('#sign-out');
    await page.waitForSelector('#signed-out', { visible: true });
    await page.goBack();
    await until('the signed-out view still', () => page.$eval('#signed-out', (e) => !(e as HTMLElement).hidden));
    await page.goForward();
    await page.goBack();
    expect(await page.$eval('#signed-out', (e) => e.textContent)).toContain('flowmcp ui');
    expect(await page.evaluate(() => location.href)).toContain(home);
    expect(errors).toEqual([]);
  });
});

describe('a note and a project file at one path', () => {
  it('search links each to its own page (by id), each page showing its own text', async () => {
    dir = served.project();
    seed(dir, { Guide: [{ title: 'Write the guide' }] });
    const ws = Workspace.open(dir);
    try {
      // The note first; the project file at the same path is indexed after it (the case both can exist).
      tool({ ws, session: ws.session('seed') }, 'document', { action: 'write', path: 'guide/deploy.md', content: '# Deploy note\n\nOur note about zeppelin deploys.\n' });
    } finally {
      ws.close();
    }
    mkdirSync(join(dir, 'guide'));
    writeFileSync(join(dir, 'guide', 'deploy.md'), '# Deploy file\n\nThe real file about zeppelin deploys.\n');
    const indexed = spawnSync(process.execPath, [CLI, 'document', 'index', 'guide/*.md', '--dir', dir], { encoding: 'utf8', input: '' });
    expect(indexed.status, indexed.stderr).toBe(0);
    const server = await served.serve(dir);
    const page = await shared.page();
    await signIn(page, server.port);
    await page.goto(page.url().split('#')[0] + '#/search');
    await page.waitForSelector('#search-q');
    await page.type('#search-q', 'zeppelin');
    await page.keyboard.press('Enter');
    const links = await until('two document hits', async () => {
      const l = await page.$$eval('.hits li a', (as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => h.startsWith('#/doc/')));
      return l.length === 2 ? l : undefined;
    });
    const titles: string[] = [];
    for (const href of links) {
      await page.goto(page.url().split('#')[0] + href);
      titles.push(await until('the document', () => page.$eval('#doc-title', (e) => e.textContent)));
    }
    expect(titles.sort()).toEqual(['Deploy file', 'Deploy note']);
  });
});
