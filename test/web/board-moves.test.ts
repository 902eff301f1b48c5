// The board's writes as a person makes them in a hurry, in a real browser against a real `flowmcp serve
// --http` process: quick presses of ] queue up (one move per task on its way, the next with the fresh
// revision), the create form keeps its plan across live redraws and refuses a plan deleted meanwhile,
// one task per create however often Enter is pressed, focus back on the card opened, the status menu's
// label free of raw direction characters, and a move to Done said with its warnings. The DOM types are
// for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { sharedBrowser } from '../helpers/browser.js';
import { CLI } from '../helpers/server.js';
import { seed, serverPerTest, storedTask, until } from '../helpers/web.js';

const shared = sharedBrowser();
const served = serverPerTest();
let dir: string;

const PLANS = {
  Release: [{ title: 'Write the release notes', priority: 'high' }, { title: 'Tag the version', depends_on: ['#1'] }],
  Docs: [{ title: 'Screenshots for the README' }],
};

async function start(plans: Parameters<typeof seed>[1] = PLANS) {
  const s = await served.board(await shared.page(), plans);
  dir = s.dir;
  return s;
}

/** The real CLI on the project (while the server runs beside it). */
function cli(...args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', input: '', env: { ...process.env, FLOW_AGENT: 'cli-user' } });
  if (r.status !== 0) throw new Error(`flowmcp ${args.join(' ')}: ${r.stderr}`);
}

/** How many tasks of that title are stored. */
function countTitled(title: string): number {
  const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
  try {
    return (db.prepare('SELECT count(*) AS n FROM tasks WHERE title = ?').get(title) as { n: number }).n;
  } finally {
    db.close();
  }
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

describe('the create form', () => {
  it('keeps the plan chosen across live redraws; a chosen plan deleted meanwhile is said and nothing is created; it follows the Plan filter', async () => {
    const { page, plans } = await start({ ...PLANS, Doomed: [] });
    const [, docs, doomed] = plans as [string, string, string];
    await until('the live stream', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
    await page.select('#new-plan', doomed);
    // A plan created elsewhere redraws the menus: the choice stays.
    cli('plan', 'create', 'Later', '--flow-id', (await page.$eval('#flow', (e) => (e as HTMLSelectElement).value)));
    await until('the new plan in the menu', () => page.$$eval('#new-plan option', (os) => os.some((o) => o.textContent === 'Later')));
    expect(await page.$eval('#new-plan', (e) => (e as HTMLSelectElement).value)).toBe(doomed);
    cli('plan', 'delete', doomed, '--confirm');
    await until('the plan gone from the filter', () => page.$$eval('#plan option', (os, d) => !os.some((o) => (o as HTMLOptionElement).value === d), doomed));
    expect(await page.$eval('#new-plan', (e) => [(e as HTMLSelectElement).value, (e as HTMLSelectElement).selectedOptions[0]?.textContent])).toEqual([doomed, 'Doomed (deleted)']);
    await page.type('#new-title', 'Lands nowhere');
    await page.keyboard.press('Enter');
    expect(await until('the refusal', () => alertText(page))).toContain('Not created: plan "Doomed" was deleted meanwhile. Nothing was created.');
    expect(countTitled('Lands nowhere')).toBe(0);
    expect(await page.$eval('#new-title', (e) => (e as HTMLInputElement).value)).toBe('Lands nowhere');

    // The board filtered to a plan: a new task goes there.
    await page.select('#plan', docs);
    expect(await page.$eval('#new-plan', (e) => (e as HTMLSelectElement).value)).toBe(docs);
    await page.click('#create button[type="submit"]');
    await until('the task stored in Docs', () => countTitled('Lands nowhere') === 1);
    const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
    try {
      expect((db.prepare('SELECT plan_id FROM tasks WHERE title = ?').get('Lands nowhere') as { plan_id: string }).plan_id).toBe(docs);
    } finally {
      db.close();
    }
  });
});

describe('creating a task', () => {
  it('a title of spaces alone is said to be none, and nothing is created', async () => {
    const { page } = await start();
    const before = await page.$$eval('#board-view .card', (cs) => cs.length);
    await page.type('#new-title', '   ');
    await page.keyboard.press('Enter');
    expect(await until('the refusal', () => alertText(page))).toContain('A task needs a title: type one in the box, then press Enter or Add.');
    expect(await page.$$eval('#board-view .card', (cs) => cs.length)).toBe(before);
  });

  it('pressing Enter twice while the create is on its way creates one task', async () => {
    const { page } = await start();
    const hold = await holdRequests(page, '/api/task');
    await page.type('#new-title', 'Only once');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.click('#create button[type="submit"]').catch(() => undefined);
    hold.release();
    await until('the task created', () => page.$eval('#notice', (e) => e.textContent === 'Created "Only once".'));
    await until('the title box emptied', () => page.$eval('#new-title', (e) => (e as HTMLInputElement).value === ''));
    expect(hold.sent()).toBe(1);
    expect(countTitled('Only once')).toBe(1);
    await hold.stop();
  });
});

describe('coming back to the board', () => {
  it('from a task page (Back, or its "← Board" link), focus is on that task\'s card', async () => {
    const { page, tasks } = await start();
    const id = tasks.get('Tag the version')!;
    const focusedCard = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id);
    await page.click(`a[data-id="${id}"]`);
    await page.waitForSelector('#edit-title', { visible: true });
    await page.goBack();
    await until('focus on the card', async () => (await focusedCard()) === id);
    await page.click(`a[data-id="${id}"]`);
    // The task page is drawn anew (its old copy stays in the page, hidden): wait for the new one.
    const back = await page.waitForSelector('#task-view a[data-board-link]', { visible: true });
    await back!.click();
    await until('focus on the card again', async () => (await focusedCard()) === id);
  });
});

describe('a title with direction-changing characters', () => {
  it("is shown with them made visible in the card's status menu label too", async () => {
    const { page, tasks } = await start({ Release: [{ title: 'RTL \u202Egnp.exe\u202C' }] });
    const id = tasks.get('RTL \u202Egnp.exe\u202C')!;
    expect(await page.$eval(`a[data-id="${id}"]`, (a) => a.textContent)).toBe('RTL ⟨U+202E⟩gnp.exe⟨U+202C⟩');
    expect(await page.$eval(`select[data-id="${id}-status"]`, (s) => s.getAttribute('aria-label'))).toBe('Status of RTL ⟨U+202E⟩gnp.exe⟨U+202C⟩');
  });
});

describe('a move to Done with unfinished dependencies', () => {
  it('is said with the warning it was accepted with', async () => {
    const { page, tasks } = await start();
    const tag = tasks.get('Tag the version')!;
    await page.select(`select[data-id="${tag}-status"]`, 'done');
    await until('the status stored', () => storedTask(dir, tag).status === 'done');
    const notice = await until('the notice', () => page.$eval('#notice', (e) => !(e as HTMLElement).hidden && e.textContent));
    expect(notice).toBe('"Tag the version" is now Done. Warning: "Tag the version" depends on unfinished "Write the release notes" (todo).');
  });
});

describe('a link naming a flow that is not there', () => {
  it('shows the current flow, says so, and stays live (the address stops naming it)', async () => {
    const { page } = await start();
    // A fresh load of the address (as from a bookmark): changing only the hash on the open page lets the
    // page handle it, and drop f-nope from the address, before a reload could show the refusal.
    const url = page.url().split('#')[0] + '#/?flow=f-nope&text=tag';
    await page.goto('about:blank');
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await until('the refusal', () => page.$eval('#alert', (e) => e.textContent))).toMatch(/^No flow "f-nope" \(deleted, or a mistyped link\): here is the current flow instead\.$/);
    expect(await page.$$eval('#flow option', (os) => os.length)).toBeGreaterThan(0);
    expect(page.url()).not.toContain('f-nope');
    await until('live', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
  });
});
