// A board of 10,000 tasks in a real browser: it loads, only the rows in view exist in the page (the
// columns are virtualized), the far end of a column is reachable by scrolling, and a keyboard move
// still lands in the database. No timing is asserted here (CI shares its cores); `npm run bench web`
// measures how long the board takes.
// The DOM types are for the callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ARTIFACTS, sharedBrowser } from '../helpers/browser.js';
import { seed, serverPerTest, signIn, storedTask, until } from '../helpers/web.js';

const shared = sharedBrowser();
let dir: string;
const served = serverPerTest();

it('a board of 10,000 tasks loads with only the visible rows built, scrolls to its end, and takes a keyboard move', async () => {
  dir = served.project();
  const titles = (plan: string, n: number) => Array.from({ length: n }, (_, i) => ({ title: `${plan} task ${i + 1}` }));
  const s = seed(dir, { Backend: titles('Backend', 6_000), Frontend: titles('Frontend', 4_000) });
  const server = await served.serve(dir);
  const page = await shared.page();
  await signIn(page, server.port);
  expect(await page.$eval('#col-todo .count', (e) => e.textContent)).toBe('(10000)');
  const built = await page.$$eval('.card', (els) => els.length);
  expect(built).toBeGreaterThan(0);
  expect(built).toBeLessThan(200);
  await page.screenshot({ path: join(ARTIFACTS, 'board-10k.png') });

  // The end of the column: the last task of the last plan is built once scrolled to.
  await page.$eval('section[data-status="todo"] .scroller', (el) => el.scrollTo(0, el.scrollHeight));
  await until('the last card', () => page.$$eval('a.title', (as) => as.some((a) => a.textContent === 'Frontend task 4000')));
  expect(await page.$$eval('.card', (els) => els.length)).toBeLessThan(200);

  const id = s.tasks.get('Frontend task 4000')!;
  await page.focus(`a[data-id="${id}"]`);
  await page.keyboard.press(']');
  await until('the status stored', () => storedTask(dir, id).status === 'in_progress');
  await until('the card in the In progress column', () => page.$(`section[data-status="in_progress"] a[data-id="${id}"]`));
  expect(await page.$eval('#col-todo .count', (e) => e.textContent)).toBe('(9999)');
}, 180_000);
