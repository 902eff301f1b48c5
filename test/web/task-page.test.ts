// The task page (and the other views opened by address) against a real `flowmcp serve --http` process
// in a real browser, when the project changes under it or the address names nothing: a task deleted
// meanwhile (by the CLI) is said, its controls go still and the person's unsaved text stays to copy; an
// unknown task, and a briefing with no flow, say what is wrong in the panel (never "Loading…" for ever);
// a claim whose lease ran out stops offering a release; the plan menu follows plans created elsewhere;
// a long history says that older events are not shown and how to read them. The DOM types are for the
// callbacks given to page.evaluate, which run in the browser.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import { spawnSync } from 'node:child_process';
import type { HTTPRequest, Page } from 'puppeteer-core';
import { describe, expect, it } from 'vitest';
import { sharedBrowser } from '../helpers/browser.js';
import { CLI } from '../helpers/server.js';
import { seed, serverPerTest, signIn, storedTask, tool, until } from '../helpers/web.js';
import { Workspace } from '../../src/core/kernel/workspace.js';

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

/** The real CLI on the project, as the agent named (while the server runs beside it). */
function cli(agent: string, ...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', input: '', env: { ...process.env, FLOW_AGENT: agent } });
  if (r.status !== 0) throw new Error(`flowmcp ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

async function openTask(page: Page, id: string): Promise<void> {
  await page.goto(page.url().split('#')[0] + `#/task/${id}`);
  await until('the task page', () => page.$eval('#task-view', (e, id) => !(e as HTMLElement).hidden && e.textContent?.includes(id as string), id));
}

const live = (page: Page) => until('the page live', async () => (await page.$eval('#live', (e) => e.textContent)) === 'Live');

describe('a task deleted while its page is open', () => {
  it('says it was deleted and by whom, stops saving and steering, and keeps the unsaved text to copy', async () => {
    const { page, tasks } = await start();
    const id = tasks.get('Screenshots for the README')!;
    await openTask(page, id);
    await live(page);
    await page.type('#edit-description', 'Half-written thoughts.');
    cli('cleanup-bot', 'task', 'delete', id, '--confirm');
    // The snapshot the delete takes first redraws the page, which may find the task gone before the stream
    // says who deleted it: the note names them once the stream has.
    const words = await until('the page saying who deleted it', () => page.$eval('#task-gone', (e) => (e.textContent?.includes(' by ') ? e.textContent : '')));
    expect(words).toContain('This task was deleted by cleanup-bot');
    expect(words).toContain('Your unsaved edits (description) are still in the form below, to copy.');
    expect(await page.$eval('#task-gone a', (a) => a.getAttribute('href'))).toMatch(/^#\//);
    // Nothing left to press: Save, the status menu, the plan mover and the dependency controls are still.
    const enabled = await page.$$eval('#task-view button, #task-view select', (els) => els.filter((e) => !(e as HTMLButtonElement).disabled).map((e) => e.outerHTML));
    expect(enabled).toEqual([]);
    expect(await page.$eval('#edit-description', (e) => [(e as HTMLTextAreaElement).readOnly, (e as HTMLTextAreaElement).value])).toEqual([true, 'Half-written thoughts.']);
  });
});

describe('a task deleted while its page is open, with no edits', () => {
  it('says it was deleted and by whom (not just "no task")', async () => {
    const { page, tasks } = await start();
    const id = tasks.get('Write the release notes')!;
    await openTask(page, id);
    await live(page);
    cli('cleanup-bot', 'task', 'delete', id, '--confirm');
    expect(await until('the page saying who deleted it', () => page.$eval('#task-gone', (e) => (e.textContent?.includes(' by ') ? e.textContent : '')))).toMatch(/^This task was deleted by cleanup-bot: it can no longer be saved or changed here\. Back to the board\.$/);
  });
});

describe('an address that names nothing (or a project with no flow)', () => {
  it('a deleted task says what is wrong in the panel, with the way back (never "Loading…" after the answer)', async () => {
    const { page, tasks } = await start();
    const id = tasks.get('Screenshots for the README')!;
    cli('cleanup-bot', 'task', 'delete', id, '--confirm');
    await page.goto(page.url().split('#')[0] + `#/task/${id}`);
    const panel = () => page.$eval('#task-view', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? ''));
    await until('the panel saying the task is not there', async () => (await panel()).includes(`No task ${id}: it may have been deleted`));
    expect(await panel()).not.toContain('Loading');
    expect(await page.$eval('#task-view a[data-board-link]', (a) => a.getAttribute('href'))).toMatch(/^#\//);
    expect(await page.$eval('#alert-box', (e) => (e as HTMLElement).hidden)).toBe(true);
  });

  it('the briefing of a project with no flow says how one starts', async () => {
    dir = served.project();
    const server = await served.serve(dir);
    const page = await shared.page();
    await signIn(page, server.port);
    await page.goto(page.url().split('#')[0] + '#/briefing');
    const panel = () => page.$eval('#briefing-view', (e) => ((e as HTMLElement).hidden ? '' : e.textContent ?? ''));
    await until('the panel saying there is no flow', async () => (await panel()).includes('No flow yet'));
    expect(await panel()).toContain('flowmcp flow create');
    expect(await panel()).not.toContain('Loading');
    expect(await page.$eval('#alert-box', (e) => (e as HTMLElement).hidden)).toBe(true);
  });
});

describe('a claim on the task page', () => {
  it('counts its lease down, and once it ran out says so and no longer offers a release', async () => {
    const { page, tasks } = await start();
    const id = tasks.get('Screenshots for the README')!;
    // The page open and live first: the 12 s of the lease are not spent loading it (the claim reaches it live).
    await openTask(page, id);
    await live(page);
    cli('claude-a', 'task', 'claim', 'claude-a', id, '--lease-seconds', '12');
    expect(await until('the claim on the page', () => page.$eval('#claim-state', (e) => e.textContent?.startsWith('Held by') && e.textContent))).toMatch(/^Held by claude-a until .* UTC \(\d+ s left\)\.$/);
    expect(await page.$('#release')).not.toBeNull();
    await until('the claim said to have run out', () => page.$eval('#claim-state', (e) => e.textContent === "claude-a's claim ran out: nobody holds it; any agent may take it."), 60_000);
    expect(await page.$('#release')).toBeNull();
    expect(await page.$('#release-confirm')).toBeNull();
  });
});

describe('plans changing while a task page is open', () => {
  it('the "Move it to plan" menu follows plans created, renamed and deleted elsewhere', async () => {
    const { page, tasks, flow, plans } = await start();
    const id = tasks.get('Screenshots for the README')!;
    await openTask(page, id);
    await live(page);
    const menu = () => page.$$eval('#task-plan option', (os) => os.map((o) => o.textContent).join(','));
    expect(await menu()).toBe('Release,Docs');
    const launch = (JSON.parse(cli('someone', 'plan', 'create', 'Launch', '--flow-id', flow, '--json')) as { plan: { id: string } }).plan.id;
    await until('the new plan in the menu', async () => (await menu()) === 'Release,Docs,Launch');
    cli('someone', 'plan', 'update', plans[0]!, '--title', 'Ship it');
    await until('the renamed plan in the menu', async () => (await menu()) === 'Ship it,Docs,Launch');
    cli('someone', 'plan', 'delete', launch, '--confirm');
    await until('the deleted plan gone from the menu', async () => (await menu()) === 'Ship it,Docs');
  });
});

describe('a long history', () => {
  it('says older changes are not shown, and the log command that shows them (which does)', async () => {
    dir = served.project();
    const s = seed(dir, PLANS);
    const id = s.tasks.get('Screenshots for the README')!;
    const ws = Workspace.open(dir);
    try {
      const call = { ws, session: ws.session('seed') };
      for (let i = 1; i <= 55; i++) tool(call, 'task', { action: 'update', id, title: `Screenshots, take ${i}` });
    } finally {
      ws.close();
    }
    const server = await served.serve(dir);
    const page = await shared.page();
    await signIn(page, server.port);
    await openTask(page, id);
    expect(await page.$$eval('ol.history li', (ls) => ls.length)).toBe(50);
    const note = await page.$eval('#history-more', (e) => e.textContent ?? '');
    expect(note).toContain('Only the newest 50 changes are shown; older ones are not.');
    const command = /flowmcp (log --entity-id \S+ --limit \d+)/.exec(note)![1]!.split(' ');
    // The command as written lists the oldest change too (the task's creation).
    expect(cli('reader', ...command)).toMatch(/created task/);
  });
});

describe('a status change with a warning', () => {
  it('on the task page, Done while a dependency is unfinished is saved and said with the warning', async () => {
    const { page, tasks } = await start();
    const tag = tasks.get('Tag the version')!;
    await openTask(page, tag);
    await page.select('#task-status', 'done');
    const notice = await until('the notice', () => page.$eval('#notice', (e) => !(e as HTMLElement).hidden && e.textContent));
    expect(notice).toMatch(/^Saved "Tag the version" \(revision \d+\)\. Warning: "Tag the version" depends on unfinished "Write the release notes" \(todo\)\.$/);
  });
});

describe('signing out with unsaved edits', () => {
  it('shows every unsaved edit to copy, says it is not kept, and forgets them in this browser', async () => {
    const { page, tasks } = await start();
    const notes = tasks.get('Write the release notes')!;
    const shots = tasks.get('Screenshots for the README')!;
    await openTask(page, notes);
    await page.type('#edit-description', 'Left on another task.');
    await openTask(page, shots);
    await page.type('#edit-description', 'Typed before signing out.');
    const drafts = () => page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('flowmcp-draft:')));
    expect((await drafts()).length).toBe(2);
    await page.click('#sign-out');
    await until('signed out', () => page.$eval('#signed-out-why', (e) => e.textContent === 'You signed out of this page.'));
    const shown = await page.$$eval('#signed-out-edits textarea', (ts) => ts.map((t) => (t as HTMLTextAreaElement).value));
    expect(shown).toEqual(['Typed before signing out.', 'Left on another task.']);
    expect(await page.$eval('#signed-out-kept', (e) => e.textContent)).toContain('not kept after signing out');
    expect(await drafts()).toEqual([]);
  });
});

/**
 * The page of task `title`, live, whose reads of that task after its first save (a PATCH of it) go to
 * `afterSave` instead of the server; `stop` lets every request through again.
 */
async function pageSavingWith(title: string, afterSave: (r: HTTPRequest) => void) {
  const { page, tasks } = await start();
  const id = tasks.get(title)!;
  await openTask(page, id);
  await live(page);
  const before = storedTask(dir, id).revision;
  let saved = false;
  await page.setRequestInterception(true);
  page.on('request', (r) => {
    const url = new URL(r.url());
    if (r.method() === 'PATCH' && url.pathname === '/api/task') saved = true;
    if (saved && r.method() === 'GET' && url.pathname === '/api/task' && url.searchParams.get('id') === id) afterSave(r);
    else if (!r.isInterceptResolutionHandled()) void r.continue();
  });
  const stop = async () => {
    page.removeAllListeners('request');
    await page.setRequestInterception(false);
  };
  return { page, id, before, stop };
}

describe('typing on while a save is on its way', () => {
  it('keeps the form on screen (never "Loading…"), and what was typed meanwhile stays in it, caret and all', async () => {
    // The page's read of the task after its save is held until the person has typed on.
    const held: HTTPRequest[] = [];
    const { page, id, before, stop } = await pageSavingWith('Screenshots for the README', (r) => held.push(r));
    try {
      await page.$eval('#edit-title', (e) => ((e as HTMLInputElement).value = ''));
      await page.type('#edit-title', 'Screenshots of every view');
      await page.keyboard.press('Enter');
      await until('the saved notice', () => page.$eval('#notice', (e) => !(e as HTMLElement).hidden && e.textContent?.startsWith('Saved')));
      await until('the page reading the task again', () => held.length > 0);
      expect(storedTask(dir, id)).toMatchObject({ title: 'Screenshots of every view', revision: before + 1 });
      // The old version's form is still there and still takes keystrokes; Save says it is on its way.
      expect(await page.$eval('#task-view', (e) => e.textContent)).not.toContain('Loading');
      expect(await page.$eval('#task-save', (e) => e.textContent)).toBe('Saving…');
      await page.focus('#edit-description');
      await page.keyboard.type('Light and dark themes.');
      await page.keyboard.press('ArrowLeft');
      for (const r of held.splice(0)) await r.continue();
      await until('the page at the saved revision', () => page.$eval('#task-view .meta', (e, r) => e.textContent?.includes(`revision ${r}`), before + 1));
    } finally {
      await stop();
    }
    expect(await page.$eval('#task-title', (e) => e.textContent)).toBe('Screenshots of every view');
    expect(await page.$eval('#edit-title', (e) => (e as HTMLInputElement).value)).toBe('Screenshots of every view');
    expect(await page.$eval('#edit-description', (e) => (e as HTMLTextAreaElement).value)).toBe('Light and dark themes.');
    // Only the text typed after the save is an unsaved edit now, and the person goes on where they were.
    expect(await page.$eval('#kept-note', (e) => e.textContent)).toContain('(description)');
    expect(await page.$eval('#task-save', (e) => e.textContent)).toBe('Save');
    // Kept in this browser as the saved revision's draft (a session ending now keeps it), and only that.
    const drafts = await page.evaluate(() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('flowmcp-draft:')).map((k) => [k, localStorage.getItem(k)])));
    expect(drafts).toEqual({ [`flowmcp-draft:${id}:${before + 1}`]: JSON.stringify({ description: 'Light and dark themes.' }) });
    await page.keyboard.type('!');
    expect(await page.$eval('#edit-description', (e) => (e as HTMLTextAreaElement).value)).toBe('Light and dark themes!.');
    await page.click('#task-save');
    await until('the description stored', () => storedTask(dir, id).description === 'Light and dark themes!.');
    expect(storedTask(dir, id).title).toBe('Screenshots of every view');
  });
});

describe('a save whose page cannot be read again', () => {
  it('leaves the page and the text typed since on screen, says why, and the next save goes through', async () => {
    const busy = { code: 'busy', message: 'The project is busy: try again in a moment.' };
    const { page, id, before, stop } = await pageSavingWith('Write the release notes', (r) => void r.respond({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: busy }) }));
    try {
      await page.type('#edit-description', 'First part.');
      await page.click('#task-save');
      const alert = await until('the refusal said', () => page.$eval('#alert', (e) => !(e as HTMLElement).closest('[hidden]') && e.textContent?.includes('busy') && e.textContent));
      expect(alert).toContain('The project is busy: try again in a moment.');
    } finally {
      await stop();
    }
    expect(storedTask(dir, id)).toMatchObject({ description: 'First part.', revision: before + 1 });
    // The page is as it was (no "Loading…", no error panel), its form usable.
    expect(await page.$eval('#task-view', (e) => e.textContent)).not.toContain('Loading');
    expect(await page.$eval('#task-save', (e) => e.textContent)).toBe('Save');
    await page.focus('#edit-description');
    await page.keyboard.press('End');
    await page.keyboard.type(' Second part.');
    // It stands on the saved revision: the next save is no conflict with the person's own first one.
    await page.click('#task-save');
    await until('the second save stored', () => storedTask(dir, id).description === 'First part. Second part.');
    await until('the page at the second revision', () => page.$eval('#task-view .meta', (e, r) => e.textContent?.includes(`revision ${r}`), before + 2));
    expect(await page.$eval('#alert-box', (e) => (e as HTMLElement).hidden)).toBe(true);
  });
});

describe('a merged save while the person types into the field someone else changed', () => {
  it('keeps the typed text, and says it was typed over their earlier version, without their change', async () => {
    // The person edits the title; meanwhile someone else rewrites the description. The save merges (their
    // description, this title); while its page is read again, the person types into the description,
    // whose form still showed the earlier text. Kept, but not as if it were an edit of their version.
    const held: HTTPRequest[] = [];
    const { page, id, stop } = await pageSavingWith('Screenshots for the README', (r) => held.push(r));
    try {
      await page.$eval('#edit-title', (e) => ((e as HTMLInputElement).value = ''));
      await page.type('#edit-title', 'Screenshots of every view');
      cli('docs-bot', 'task', 'update', id, '--description', 'Their careful description.');
      await until('the change said', () => page.$eval('#alert', (e) => !(e as HTMLElement).closest('[hidden]') && e.textContent?.includes('changed meanwhile')));
      await page.click('#task-save');
      await until('the merged save said', () => page.$eval('#notice', (e) => e.textContent?.includes('merged')));
      await until('the page reading the task again', () => held.length > 0);
      await page.focus('#edit-description');
      await page.keyboard.type('My first draft.');
      for (const r of held.splice(0)) await r.continue();
      await until('the page at the merged revision', () => page.$eval('#task-title', (e) => e.textContent === 'Screenshots of every view'));
    } finally {
      await stop();
    }
    expect(storedTask(dir, id)).toMatchObject({ title: 'Screenshots of every view', description: 'Their careful description.' });
    expect(await page.$eval('#edit-description', (e) => (e as HTMLTextAreaElement).value)).toBe('My first draft.');
    const note = await page.$eval('#kept-note', (e) => e.textContent ?? '');
    expect(note).toContain('Your unsaved edits (description) are kept in the form below');
    expect(note).toContain('Someone else changed description meanwhile: the page above shows theirs, and your text in the form was typed over the earlier version, without their change. Save puts yours over theirs.');
    expect(await page.$eval('#task-view .description', (e) => e.textContent)).toContain('Their careful description.');
  });

  it('says nothing of the kind when the text typed during the save is in a field nobody else changed', async () => {
    const held: HTTPRequest[] = [];
    const { page, stop } = await pageSavingWith('Write the release notes', (r) => held.push(r));
    try {
      await page.$eval('#edit-title', (e) => ((e as HTMLInputElement).value = ''));
      await page.type('#edit-title', 'Write the notes');
      await page.click('#task-save');
      await until('the page reading the task again', () => held.length > 0);
      await page.focus('#edit-description');
      await page.keyboard.type('Mine alone.');
      for (const r of held.splice(0)) await r.continue();
      await until('the page at the saved revision', () => page.$eval('#task-title', (e) => e.textContent === 'Write the notes'));
    } finally {
      await stop();
    }
    const note = await page.$eval('#kept-note', (e) => e.textContent ?? '');
    expect(note).toContain('Your unsaved edits (description) are kept');
    expect(note).not.toContain('Someone else');
    expect(note).toContain('Save to put yours over it.');
  });
});
