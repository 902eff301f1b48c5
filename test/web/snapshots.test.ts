// The snapshot timeline in a real browser against a real server: compare a snapshot with now, preview a
// restore (it says what it would throw away, and changes nothing), restore (the timeline then shows the
// restore's own undo point, and focus lands on the result), a snapshot taken elsewhere appearing live,
// and undo the restore.
// The DOM types are for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />

import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { ARTIFACTS, sharedBrowser } from '../helpers/browser.js';
import { seed, serverPerTest, signIn, storedTask, tool, until } from '../helpers/web.js';

const shared = sharedBrowser();
let dir: string;
const served = serverPerTest();

/** The snapshot view of a server started on `dir`, signed in. */
async function snapshotsPage() {
  const server = await served.serve(dir);
  const page = await shared.page();
  await signIn(page, server.port);
  await page.goto(page.url().split('#')[0] + '#/snapshots');
  return page;
}

function titles(): string[] {
  const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
  try {
    return (db.prepare('SELECT title FROM tasks ORDER BY title').all() as { title: string }[]).map((r) => r.title);
  } finally {
    db.close();
  }
}

it('compares a snapshot with now, previews a restore without changing anything, restores, and undoes it', async () => {
  dir = served.project();
  const s = seed(dir, { Sprint: [{ title: 'Kept task' }] });
  const ws = Workspace.open(dir);
  try {
    const call = { ws, session: ws.session('seed') };
    tool(call, 'snapshot', { action: 'create', label: 'before the sprint', flow_id: s.flow });
    tool(call, 'task', { action: 'create', plan_id: s.plans[0], tasks: [{ title: 'Added later' }, { title: 'Also added later' }] });
    tool(call, 'task', { action: 'set_status', id: s.tasks.get('Kept task')!, status: 'done' });
    tool(call, 'context', { action: 'save', flow_id: s.flow, decision: { what: 'Ship on Friday', why: 'the demo' } });
  } finally {
    ws.close();
  }
  const seededKept = s.tasks.get('Kept task')!;
  const page = await snapshotsPage();
  await page.waitForSelector('#diff-from');

  await page.click('form[aria-label="Compare two points"] button');
  const diff = await until('the differences', () => page.$eval('#snapshot-result', (e) => e.textContent ?? '').then((t) => (t.includes('Added later') ? t : undefined)));
  expect(diff).toContain('Also added later');
  expect(await page.$eval('#snapshot-result h3', (e) => e.textContent)).toBe('Differences: before the sprint → now');

  await page.click('.timeline button');
  await page.waitForSelector('#confirm-restore');
  const preview = await page.$eval('#snapshot-result', (e) => e.textContent ?? '');
  expect(preview).toMatch(/removes 2 tasks/);
  // It names what goes: the tasks thrown away, by title.
  expect(await page.$$eval('[data-effect="tasks-thrown"] li', (lis) => lis.map((li) => li.firstChild?.textContent).sort())).toEqual(['Added later', 'Also added later']);
  expect(preview).toContain('Thrown away: 2 tasks');
  // It names what it changes back, field by field (now → then), and the context entries it throws away.
  expect(await page.$$eval('[data-effect="tasks-changed"] li', (lis) => lis.map((li) => li.textContent))).toEqual([expect.stringMatching(/^Kept task t-\w+: status done → todo$/)]);
  expect(await page.$eval('[data-effect="context-thrown"]', (e) => e.textContent)).toContain('Ship on Friday');
  // The preview and Compare count the same changed tasks.
  expect(preview).toMatch(/changes 1 task\b/);
  expect(diff).toMatch(/tasks: 2 added, 1 changed/);
  // Counts on the timeline in the right number ("1 flow", not "1 flows").
  expect(await page.$eval('.timeline', (e) => e.textContent)).toMatch(/\b1 flow\b/);
  // At phone width the preview's table is not cut off.
  await page.setViewport({ width: 375, height: 740 });
  const table = await page.$eval('.effects', (e) => {
    const r = e.getBoundingClientRect();
    const view = document.getElementById('snapshots-view')!.getBoundingClientRect();
    return { inside: r.right <= view.right + 0.5, full: e.scrollWidth <= e.clientWidth + 0.5, page: document.documentElement.scrollWidth - document.documentElement.clientWidth };
  });
  expect(table).toEqual({ inside: true, full: true, page: 0 });
  await page.setViewport({ width: 1280, height: 900 });
  expect(titles()).toEqual(['Added later', 'Also added later', 'Kept task']); // a preview changes nothing
  expect(storedTask(dir, seededKept).status).toBe('done');
  await page.screenshot({ path: join(ARTIFACTS, 'restore-preview.png'), fullPage: true });

  const rows = () => page.$$eval('.timeline li', (lis) => lis.length);
  const before = await rows();
  await page.click('#confirm-restore');
  await until('the restore', () => titles().length === 1);
  expect(titles()).toEqual(['Kept task']);
  await page.waitForSelector('#undo-restore');
  // Focus is on what happened (the button pressed is gone), and the restore's own snapshot (the undo
  // point) is on the timeline without reopening the view.
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('restore-title');
  await until('the undo point on the timeline', async () => (await rows()) === before + 1);
  // Named by the label of the snapshot it was taken before, not by its id.
  expect(await page.$eval('.timeline li strong', (e) => e.textContent)).toBe('before restore of "before the sprint"');

  // A snapshot taken elsewhere (an assistant, the CLI) appears on its own.
  const other = Workspace.open(dir);
  try {
    tool({ ws: other, session: other.session('assistant') }, 'snapshot', { action: 'create', label: 'taken elsewhere', flow_id: s.flow });
  } finally {
    other.close();
  }
  await until('the snapshot taken elsewhere on the timeline', () => page.$eval('.timeline', (e) => e.textContent?.includes('taken elsewhere')));

  await page.click('#undo-restore');
  await until('the undo preview', () => page.$eval('#snapshot-result', (e) => e.textContent ?? '').then((t) => t.includes('Undo the restore: preview')));
  await page.click('#confirm-restore');
  await until('the tasks back', () => titles().length === 3);
  // The board follows (a restore reloads its data).
  await page.goto(page.url().split('#')[0] + '#/');
  await until('the restored card on the board', () => page.$$eval('a.title', (as) => as.some((a) => a.textContent === 'Also added later')));
});

it('a preview the work has moved past is said to be out of date and restores nothing; a double-click restores once; the API restores only what was previewed', async () => {
  dir = served.project();
  const s = seed(dir, { Sprint: [{ title: 'Kept task' }] });
  const ws = Workspace.open(dir);
  let snap: string;
  try {
    const call = { ws, session: ws.session('seed') };
    snap = tool(call, 'snapshot', { action: 'create', label: 'base', flow_id: s.flow }).snapshot.id as string;
    tool(call, 'task', { action: 'create', plan_id: s.plans[0], title: 'Work before the preview' });
  } finally {
    ws.close();
  }
  const page = await snapshotsPage();
  await page.waitForSelector(`.timeline button[data-snapshot="${snap}"]`);
  await until('the stream open', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');
  await page.click(`.timeline button[data-snapshot="${snap}"]`);
  await page.waitForSelector('#confirm-restore');
  expect(await page.$$eval('[data-effect="tasks-thrown"] li', (lis) => lis.map((li) => li.firstChild?.textContent))).toEqual(['Work before the preview']);

  // An assistant goes on working while the preview is on screen.
  const other = Workspace.open(dir);
  try {
    tool({ ws: other, session: other.session('assistant') }, 'task', { action: 'create', plan_id: s.plans[0], title: 'Work after the preview' });
  } finally {
    other.close();
  }
  const stale = await until('the preview said to be out of date', () => page.$eval('#preview-stale', (e) => !(e as HTMLElement).hidden && e.textContent));
  expect(stale).toMatch(/changed since this preview/);
  expect(await page.$eval('#confirm-restore', (b) => (b as HTMLButtonElement).disabled)).toBe(true);
  expect(titles()).toEqual(['Kept task', 'Work after the preview', 'Work before the preview']);

  // The API alone: a restore without the preview's state, or with an older one, changes nothing.
  const api = await page.evaluate(async (id) => {
    const csrf = (await (await fetch('/api/session')).json()).csrf as string;
    const post = (b: unknown) => fetch('/api/snapshots/restore', { method: 'POST', headers: { 'content-type': 'application/json', 'x-flowmcp-csrf': csrf }, body: JSON.stringify(b) }).then(async (r) => ({ status: r.status, body: await r.json() }));
    const preview = (await (await fetch(`/api/snapshots/preview?id=${id}`, { headers: { 'x-flowmcp-csrf': csrf } })).json()) as { previewed: string };
    return { none: await post({ id, confirm: true }), stale: await post({ id, confirm: true, previewed: 'a'.repeat(64) }), fresh: preview.previewed };
  }, snap);
  expect(api.none.status).toBe(400);
  expect(api.none.body.error.message).toMatch(/Preview the restore first/);
  expect(api.stale.status).toBe(409);
  expect(api.stale.body.error.message).toMatch(/^Not restored: flow \S+ changed since the preview was shown/);
  expect(titles()).toEqual(['Kept task', 'Work after the preview', 'Work before the preview']);

  // Preview again: it names both; a double-click on Restore restores once.
  await page.click('#preview-again');
  await until('the new preview', () => page.$$eval('[data-effect="tasks-thrown"] li', (lis) => lis.length === 2));
  await page.$eval('#confirm-restore', (b) => {
    (b as HTMLButtonElement).click();
    (b as HTMLButtonElement).click();
  });
  await until('restored', () => page.$eval('#snapshot-result h3', (e) => /: done$/.test(e.textContent ?? '')));
  expect(titles()).toEqual(['Kept task']);
  const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
  try {
    expect((db.prepare("SELECT COUNT(*) AS n FROM snapshots WHERE reason LIKE 'before restore%'").get() as { n: number }).n).toBe(1);
  } finally {
    db.close();
  }
  // Undo brings both back.
  await page.click('#undo-restore');
  await page.waitForSelector('#confirm-restore');
  await page.click('#confirm-restore');
  await until('undone', () => titles().length === 3);
});

it('a whole-project snapshot is on the flow\'s timeline, marked as such, and its restore is named for the whole project', async () => {
  dir = served.project();
  const s = seed(dir, { Sprint: [{ title: 'Kept task' }] });
  const ws = Workspace.open(dir);
  let whole = '';
  try {
    const call = { ws, session: ws.session('seed') };
    whole = tool(call, 'snapshot', { action: 'create', label: 'everything' }).snapshot.id;
    tool(call, 'snapshot', { action: 'create', label: 'just this flow', flow_id: s.flow });
  } finally {
    ws.close();
  }
  const page = await snapshotsPage();
  await page.waitForSelector(`[data-snapshot-row="${whole}"]`);
  expect(await page.$eval(`[data-snapshot-row="${whole}"]`, (e) => e.textContent)).toContain('everything (whole project: every flow)');
  const flowRow = await page.$$eval('[data-snapshot-row]', (rows) => rows.map((r) => r.textContent ?? '').find((t) => t.includes('just this flow')) ?? '');
  expect(flowRow).not.toContain('whole project');
  await page.click(`[data-snapshot="${whole}"]`);
  await page.waitForSelector('#confirm-restore');
  expect(await page.$eval('#preview-title', (e) => e.textContent)).toBe('Restore the whole project to everything: preview');
});
