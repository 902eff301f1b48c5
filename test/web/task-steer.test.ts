// Steering a task from its page, in a real browser against a real `flowmcp serve --http` process: a
// dependency added by picking a title (in flow.db, the page's graph and the board's "waiting on N"), a
// cycle refused in plain words with nothing changed, a dependency removed, the task moved to another plan
// (the board groups it there), a claim made by a separate MCP client released after a confirm step (and,
// when the claim changed hands or ended meanwhile, refused in words with nothing changed), hostile titles
// inert in the picker, axe-core on the page with its steering controls, and each new write route refused
// to another origin. The DOM types are for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { ARTIFACTS, sharedBrowser } from '../helpers/browser.js';
import { apiSession, rawRequest, seed, serverPerTest, signIn, tool, until } from '../helpers/web.js';
import { Workspace } from '../../src/core/kernel/workspace.js';

const shared = sharedBrowser();
const served = serverPerTest();
let dir: string;

const HOSTILE = '<img src=x onerror="window.pwned=1">Hostile';

const PLANS = {
  Release: [
    { title: 'Write the release notes', priority: 'high' },
    { title: 'Tag the version', depends_on: ['#1'] },
  ],
  Docs: [{ title: 'Screenshots for the README' }, { title: HOSTILE }],
};

/** A task's row as stored, with its plan, claim and what it depends on, read straight from flow.db. */
function stored(id: string): { plan_id: string; status: string; revision: number; claimed_by: string | null; depends_on: string[] } {
  const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
  try {
    const row = db.prepare('SELECT plan_id, status, revision, claimed_by FROM tasks WHERE id = ?').get(id) as Omit<ReturnType<typeof stored>, 'depends_on'>;
    const deps = (db.prepare('SELECT depends_on FROM task_deps WHERE task_id = ? ORDER BY depends_on').all(id) as { depends_on: string }[]).map((d) => d.depends_on);
    return { ...row, depends_on: deps };
  } finally {
    db.close();
  }
}

async function start(opts: { live?: boolean } = {}) {
  const page = await shared.page();
  if (opts.live === false) {
    // This page hears nothing live, so what it shows goes stale (a claim changing hands meanwhile).
    await page.setRequestInterception(true);
    page.on('request', (r) => void (new URL(r.url()).pathname === '/events' ? r.abort() : r.continue()));
  }
  const s = await served.board(page, PLANS);
  dir = s.dir;
  return s;
}

async function openTask(page: Page, id: string): Promise<void> {
  await page.goto(page.url().split('#')[0] + `#/task/${id}`);
  await until('the task page', () => page.$eval('#task-view', (e, id) => !(e as HTMLElement).hidden && e.textContent?.includes(id as string), id));
}

/** A second tab on the board, following the event stream; `page` is brought back to the front. */
async function boardTab(page: Page): Promise<Page> {
  const board = await shared.page();
  await board.goto(page.url().split('#')[0] + '#/');
  await board.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  await until('the board live', async () => (await board.$eval('#live', (e) => e.textContent)) === 'Live');
  // The task page is where the person works: in front (a tab behind draws no frames, so a click there never lands).
  await page.bringToFront();
  return board;
}

const notice = (page: Page) => until('the notice', () => page.$eval('#notice', (e) => !(e as HTMLElement).hidden && e.textContent));
const alert = (page: Page) => until('the refusal', () => page.$eval('#alert-box', (e) => !(e as HTMLElement).hidden && e.textContent));
const waitsFor = (page: Page) => page.$$eval('.graph .deps:first-child li a', (as) => as.map((a) => a.textContent));
const focused = (page: Page) => page.evaluate(() => document.activeElement?.id);

describe('dependencies from the task page', () => {
  it('adds one picked by title (database, graph, the board\'s "waiting on N"), refuses a cycle in plain words changing nothing, and removes one', async () => {
    const { page, tasks } = await start();
    const notes = tasks.get('Write the release notes')!;
    const tag = tasks.get('Tag the version')!;
    const shots = tasks.get('Screenshots for the README')!;
    const hostile = tasks.get(HOSTILE)!;
    const board = await boardTab(page);
    expect(await board.$eval(`[data-task="${shots}"]`, (e) => e.querySelector('.waiting') === null)).toBe(true);

    await openTask(page, shots);
    // The picker lists the flow's other tasks (not itself), each with its id; typing narrows by title.
    await page.type('#dep-find', 'release n');
    const choices = await until('one match', async () => {
      const c = await page.$$eval('#dep-choices button', (bs) => bs.map((b) => ({ id: (b as HTMLElement).dataset.id, text: b.textContent })));
      return c.length === 1 && c;
    });
    expect(choices).toEqual([{ id: notes, text: `Write the release notes ${notes} To do` }]);
    expect(await page.$eval('#dep-count', (e) => e.textContent)).toMatch(/^1 task match/);
    // By keyboard: from the box, Tab reaches the choice; Enter picks it.
    await page.focus('#dep-find');
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.id)).toBe(notes);
    await page.keyboard.press('Enter');
    await until('the dependency stored', () => stored(shots).depends_on.includes(notes));
    expect(await notice(page)).toBe('"Screenshots for the README" now waits for "Write the release notes".');
    await until('the graph showing it', async () => JSON.stringify(await waitsFor(page)) === JSON.stringify(['Write the release notes']));
    // Focus is back in the box, ready for another; it no longer offers what the task already waits for.
    await until('focus back in the box', async () => (await focused(page)) === 'dep-find');
    expect(await page.$eval('#dep-find', (e) => (e as HTMLInputElement).value)).toBe('');
    expect(await page.$$eval('#dep-choices button', (bs) => bs.map((b) => (b as HTMLElement).dataset.id))).not.toContain(notes);
    // The board (another tab, through the event stream) says the card is waiting.
    await until('"waiting on 1" on the board', () => board.$eval(`[data-task="${shots}"] .waiting`, (e) => e.textContent === 'waiting on 1'));

    // A hostile title is listed, and added, as the characters it is.
    await page.type('#dep-find', 'onerror');
    await until('the hostile task listed', () => page.$eval('#dep-choices button .choice-title', (e, title) => e.textContent === title, HOSTILE));
    await page.click(`#dep-choices button[data-id="${hostile}"]`);
    await until('the hostile dependency stored', () => stored(shots).depends_on.includes(hostile));
    await until('the graph showing both', async () => (await waitsFor(page)).length === 2);
    expect(await waitsFor(page)).toContain(HOSTILE);
    expect(await page.evaluate(() => ({ pwned: (window as unknown as { pwned?: unknown }).pwned, images: document.images.length }))).toEqual({ pwned: undefined, images: 0 });
    await until('"waiting on 2" on the board', () => board.$eval(`[data-task="${shots}"] .waiting`, (e) => e.textContent === 'waiting on 2'));
    await page.screenshot({ path: join(ARTIFACTS, 'task-steer.png'), fullPage: true });

    // A cycle: "Tag the version" waits for the notes; the notes cannot wait for it. Said plainly, nothing changed.
    await openTask(page, notes);
    const before = stored(notes);
    await page.type('#dep-find', 'Tag the');
    await page.click(`#dep-choices button[data-id="${tag}"]`);
    const words = await alert(page);
    expect(words).toContain('Not added: "Write the release notes" cannot wait for "Tag the version", because "Tag the version" already waits for it');
    expect(words).toContain('"Write the release notes" → "Tag the version" → "Write the release notes"');
    expect(words).toMatch(/Nothing was changed\. To make it wait anyway, first remove one link of that chain/);
    expect(stored(notes)).toEqual(before);
    expect(await waitsFor(page)).toEqual([]);
    await until('focus back in the box', async () => (await focused(page)) === 'dep-find');

    // Removing: one button per dependency, named for its task.
    await openTask(page, shots);
    const labels = await page.$$eval('.graph button[data-remove]', (bs) => bs.map((b) => [b.textContent, b.getAttribute('aria-label')]));
    expect(labels).toEqual(
      expect.arrayContaining([
        ['Remove', 'Remove: stop waiting for Write the release notes'],
        ['Remove', `Remove: stop waiting for ${HOSTILE}`],
      ]),
    );
    await page.click(`button[data-remove="${notes}"]`);
    await until('the dependency gone from the database', () => JSON.stringify(stored(shots).depends_on) === JSON.stringify([hostile]));
    expect(await notice(page)).toBe('"Screenshots for the README" no longer waits for "Write the release notes".');
    await until('the graph without it', async () => JSON.stringify(await waitsFor(page)) === JSON.stringify([HOSTILE]));
    await until('"waiting on 1" on the board again', () => board.$eval(`[data-task="${shots}"] .waiting`, (e) => e.textContent === 'waiting on 1'));
  });

  it('a link removed meanwhile (the page not live) is said, and nothing is changed', async () => {
    const { page, tasks } = await start({ live: false });
    const tag = tasks.get('Tag the version')!;
    const notes = tasks.get('Write the release notes')!;
    await openTask(page, tag);
    const mcp = await served.connect(dir);
    expect((await mcp.call('task', { action: 'undepend', id: tag, depends_on: [notes] })).isError).toBeFalsy();
    const before = stored(tag);
    await page.click(`button[data-remove="${notes}"]`);
    expect(await alert(page)).toContain('Nothing to remove: "Tag the version" no longer waits for "Write the release notes" (someone removed that link meanwhile)');
    expect(stored(tag)).toEqual(before);
    await until('the graph as stored now', async () => (await waitsFor(page)).length === 0);
  });
});

describe('moving to another plan', () => {
  it('moves the task with the plan select; the database and the board group it under that plan', async () => {
    const { page, tasks, plans } = await start();
    const notes = tasks.get('Write the release notes')!;
    const [release, docs] = plans as [string, string];
    const board = await boardTab(page);
    await openTask(page, notes);
    const options = await page.$$eval('#task-plan option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent, (o as HTMLOptionElement).selected]));
    expect(options).toEqual([
      [release, 'Release', true],
      [docs, 'Docs', false],
    ]);
    // The select alone writes nothing (arrow keys move its value): only Move does.
    await page.select('#task-plan', docs);
    expect(stored(notes).plan_id).toBe(release);
    // A double-click moves once (a second press while the first is on its way is ignored).
    await page.$eval('form[aria-label="Move to another plan"] button[type="submit"]', (b) => {
      (b as HTMLButtonElement).click();
      (b as HTMLButtonElement).click();
    });
    await until('the plan stored', () => stored(notes).plan_id === docs);
    expect(await notice(page)).toBe('Moved "Write the release notes" to plan "Docs".');
    const moves = () => {
      const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
      try {
        return (db.prepare("SELECT COUNT(*) AS n FROM events WHERE action = 'task.move' AND entity_id = ?").get(notes) as { n: number }).n;
      } finally {
        db.close();
      }
    };
    expect(moves()).toBe(1);
    await until('the select showing Docs', () => page.$eval('#task-plan', (e, docs) => (e as HTMLSelectElement).value === docs, docs));
    await until('focus back on the select', async () => (await focused(page)) === 'task-plan');
    // On the board, the card sits under the Docs heading of its column.
    const planAbove = () =>
      board.$eval(`[data-task="${notes}"]`, (card) => {
        const top = (e: Element) => parseFloat((e as HTMLElement).style.top);
        const heads = [...card.parentElement!.querySelectorAll('.plan-row')].filter((p) => top(p) < top(card)).sort((a, b) => top(b) - top(a));
        return heads[0]?.querySelector('.plan-title')?.textContent;
      });
    await until('the card grouped under Docs', async () => (await planAbove()) === 'Docs');
  });
});

describe('releasing a claim', () => {
  it('releases a claim an MCP client holds, after a confirm step in the page; gone from the database, the page and the board', async () => {
    const { page, tasks } = await start();
    const shots = tasks.get('Screenshots for the README')!;
    const mcp = await served.connect(dir);
    const claimed = await mcp.call('task', { action: 'claim', agent: 'claude-a', id: shots, lease_seconds: 1800 });
    expect(claimed.isError, JSON.stringify(claimed.structuredContent)).toBeFalsy();
    const board = await boardTab(page);
    await until('the claim on the card', () => board.$eval(`[data-task="${shots}"] .claim`, (e) => /held by claude-a/.test(e.textContent ?? '')));
    await openTask(page, shots);
    expect(await page.$eval('#claim-state', (e) => e.textContent)).toMatch(/^Held by claude-a until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \((29|30) min left\)\.$/);
    expect(await page.$eval('#release', (e) => e.textContent)).toBe("Release claude-a's claim…");
    // The first press only asks; Escape keeps the claim.
    await page.click('#release');
    expect(await focused(page)).toBe('release-confirm');
    expect(await page.$eval('#release-why', (e) => e.textContent)).toContain('claude-a may still be working on this task');
    expect(stored(shots).claimed_by).toBe('claude-a');
    await page.keyboard.press('Escape');
    expect(await focused(page)).toBe('release');
    expect(await page.$eval('#release-step', (e) => (e as HTMLElement).hidden)).toBe(true);
    // By keyboard: Enter asks, Enter on "Yes" releases.
    await page.keyboard.press('Enter');
    expect(await focused(page)).toBe('release-confirm');
    expect(await page.$eval('#release-confirm', (e) => e.textContent)).toBe("Yes, release claude-a's claim");
    await page.keyboard.press('Enter');
    await until('the claim gone from the database', () => stored(shots).claimed_by === null);
    expect(stored(shots).status).toBe('todo');
    expect(await notice(page)).toBe('Released claude-a\'s claim on "Screenshots for the README": any agent may take it now (it is To do again).');
    await until('the page saying nobody holds it', () => page.$eval('#claim-state', (e) => e.textContent === 'Not claimed: no agent holds it.'));
    expect(await page.$('#release')).toBeNull();
    expect(await page.$eval('#task-claim', (e) => e.textContent)).toBe('');
    await until('the claim gone from the card', () => board.$eval(`[data-task="${shots}"]`, (e) => e.querySelector('.claim') === null));
    await until('the card back in To do', () => board.$(`section[data-status="todo"] [data-task="${shots}"]`));
  });

  it('a claim that changed hands, or ended, meanwhile (the page not live) is said, and nothing is changed', async () => {
    const { page, tasks } = await start({ live: false });
    const shots = tasks.get('Screenshots for the README')!;
    const mcp = await served.connect(dir);
    expect((await mcp.call('task', { action: 'claim', agent: 'claude-a', id: shots, lease_seconds: 1800 })).isError).toBeFalsy();
    await openTask(page, shots);
    expect(await page.$eval('#release', (e) => e.textContent)).toBe("Release claude-a's claim…");
    // claude-a gives it back and claude-b takes it; the page still shows claude-a.
    expect((await mcp.call('task', { action: 'release', agent: 'claude-a', id: shots })).isError).toBeFalsy();
    expect((await mcp.call('task', { action: 'claim', agent: 'claude-b', id: shots, lease_seconds: 1800 })).isError).toBeFalsy();
    let before = stored(shots);
    await page.click('#release');
    await page.click('#release-confirm');
    expect(await alert(page)).toContain('Not released: "Screenshots for the README" is now held by claude-b, not claude-a as the page showed: the claim changed hands meanwhile. Nothing was changed.');
    expect(stored(shots)).toEqual(before);
    await until('the page showing the holder now', () => page.$eval('#release', (e) => e.textContent === "Release claude-b's claim…"));
    expect(await focused(page)).toBe('claim-state');

    // claude-b gives it back too; releasing it from the stale page is said to have nothing to do.
    expect((await mcp.call('task', { action: 'release', agent: 'claude-b', id: shots })).isError).toBeFalsy();
    before = stored(shots);
    await page.click('#dismiss');
    await page.click('#release');
    await page.click('#release-confirm');
    expect(await alert(page)).toContain('Nothing to release: "Screenshots for the README" was no longer claimed');
    expect(stored(shots)).toEqual(before);
    await until('the page saying nobody holds it', () => page.$eval('#claim-state', (e) => e.textContent === 'Not claimed: no agent holds it.'));
  });
});

describe('the task page with its steering controls', () => {
  it('axe-core finds no serious or critical violation (a claim held, the release step open)', async () => {
    dir = served.project();
    const s = seed(dir, PLANS);
    const ws = Workspace.open(dir);
    try {
      tool({ ws, session: ws.session('seed') }, 'task', { action: 'claim', agent: 'claude-a', id: s.tasks.get('Write the release notes')!, lease_seconds: 1800 });
    } finally {
      ws.close();
    }
    const server = await served.serve(dir);
    // axe is injected as a script of the test's own, so this page bypasses CSP (as board.test.ts does).
    const page = await shared.page();
    await page.setBypassCSP(true);
    await signIn(page, server.port);
    await openTask(page, s.tasks.get('Write the release notes')!);
    await page.click('#release');
    await page.addScriptTag({ content: readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8') });
    const found = (await page.evaluate(async () => {
      const r = await (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run(document, {});
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
    })) as { id: string; impact: string }[];
    expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'task-release-confirm.png'), fullPage: true });
  });
});

describe('the steering routes', () => {
  it('refuse a write from another origin (or without the CSRF token) and change nothing; from the page they refuse another flow and an unknown task', async () => {
    dir = served.project();
    const s = seed(dir, PLANS);
    const shots = s.tasks.get('Screenshots for the README')!;
    const notes = s.tasks.get('Write the release notes')!;
    const tag = s.tasks.get('Tag the version')!;
    let elsewhere: string;
    const ws = Workspace.open(dir);
    try {
      const call = { ws, session: ws.session('seed') };
      tool(call, 'task', { action: 'claim', agent: 'claude-a', id: shots, lease_seconds: 1800 });
      const flow = tool(call, 'flow', { action: 'create', name: 'Elsewhere' }).flow.id as string;
      const plan = tool(call, 'plan', { action: 'create', title: 'Other', flow_id: flow }).plan.id as string;
      elsewhere = tool(call, 'task', { action: 'create', title: 'In another flow', plan_id: plan }).task.id as string;
    } finally {
      ws.close();
    }
    const server = await served.serve(dir);
    const port = server.port;
    const base = `http://127.0.0.1:${port}`;
    const { cookie, csrf } = await apiSession(port);
    const ok = { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf, 'sec-fetch-site': 'same-origin' };
    const writes: [string, Record<string, unknown>][] = [
      ['/api/task/depend', { id: shots, depends_on: [notes] }],
      ['/api/task/undepend', { id: tag, depends_on: [notes] }],
      ['/api/task/move', { id: notes, plan_id: s.plans[1] }],
      ['/api/task/release', { id: shots, agent: 'claude-a' }],
    ];
    const all = () => [shots, notes, tag].map(stored);
    const before = all();
    for (const [path, body] of writes) {
      for (const [what, headers] of [
        ['another port of 127.0.0.1', { ...ok, origin: 'http://127.0.0.1:1', 'sec-fetch-site': 'same-site' }],
        ['a foreign site', { ...ok, origin: 'http://evil.example', 'sec-fetch-site': 'cross-site' }],
        ['no CSRF token', { cookie, origin: base, 'content-type': 'application/json' }],
      ] as const) {
        const out = await rawRequest(port, 'POST', path, headers, JSON.stringify(body));
        expect(out.status, `${path} from ${what}: ${out.body}`).toBe(403);
      }
    }
    expect(all()).toEqual(before);
    // The page's own requests: another flow's task and an unknown one are refused, saying so.
    const otherFlow = await rawRequest(port, 'POST', '/api/task/depend', ok, JSON.stringify({ id: shots, depends_on: [elsewhere] }));
    expect(otherFlow.status).toBe(400);
    expect(JSON.parse(otherFlow.body).error.message).toMatch(/another flow/);
    expect((await rawRequest(port, 'POST', '/api/task/depend', ok, JSON.stringify({ id: shots, depends_on: ['tsk-nope'] }))).status).toBe(404);
    // Only the action's own fields reach the tool: another action cannot be named.
    expect((await rawRequest(port, 'POST', '/api/task/move', ok, JSON.stringify({ id: notes, plan_id: s.plans[1], action: 'delete', confirm: true }))).status).toBe(200);
    expect(stored(notes).plan_id).toBe(s.plans[1]);
    expect(all().slice(0, 1).concat(all().slice(2))).toEqual([before[0], before[2]]);
    // And each route works from the page's origin.
    for (const [path, body] of writes.filter(([p]) => p !== '/api/task/move')) {
      const out = await rawRequest(port, 'POST', path, ok, JSON.stringify(body));
      expect(out.status, `${path}: ${out.body}`).toBe(200);
    }
    expect(stored(shots)).toMatchObject({ claimed_by: null, depends_on: [notes] });
    expect(stored(tag).depends_on).toEqual([]);
  });
});
