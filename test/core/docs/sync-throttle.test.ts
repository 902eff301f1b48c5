// When a search notices files edited outside flowmcp: in a small project, before it answers (the answer
// reflects an edit made just before); in a big one, beside the searches (no search waits for a stat of
// every file), with the edit found by a later search; a one-shot process's first search always checks first.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { INLINE_FILES, checkFilesInBackground } from '../../../src/core/docs/sync-throttle.js';
import { markLongRunning } from '../../../src/core/kernel/long-running.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

function project(files: number, clock: ManualClock): TempWorkspace {
  const w = tempWorkspace({ clock });
  mkdirSync(join(w.dir, 'docs'));
  for (let i = 0; i < files; i++) writeFileSync(join(w.dir, 'docs', `p${i}.md`), `# Page ${i}\n\nplain words ${i}\n`);
  return w;
}

/** Edits docs/p0.md so it holds `word`, stamped later than any earlier write. */
function edit(w: TempWorkspace, word: string): void {
  const file = join(w.dir, 'docs', 'p0.md');
  writeFileSync(file, `# Page 0\n\nnow about ${word}\n`);
  utimesSync(file, new Date(), new Date(Date.now() + 60_000));
}

async function finds(c: ReturnType<typeof asyncCaller>, word: string): Promise<boolean> {
  const r = await c.ok('search', { query: word, kind: 'document' });
  return r.results.some((h: { path: string }) => h.path === 'docs/p0.md');
}

/** Searches (without moving the clock) until the background pass has indexed the edit; bounded by count. */
async function eventuallyFinds(c: ReturnType<typeof asyncCaller>, word: string): Promise<boolean> {
  for (let i = 0; i < 2000; i++) {
    if (await finds(c, word)) return true;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  return false;
}

/** A big indexed project, edited while closed, opened again as a new process would open it. */
async function editedWhileClosed(): Promise<TempWorkspace> {
  const clock = new ManualClock();
  const w = project(INLINE_FILES + 1, clock);
  await asyncCaller(w.call).ok('document', { action: 'index', paths: ['docs/*.md'] });
  edit(w, 'zeppelin');
  w.ws.close();
  return tempWorkspace({ clock, dir: w.dir });
}

describe('search notices edited files', () => {
  it(`up to ${INLINE_FILES} files: an edit made just before a due search is in its answer`, async () => {
    const clock = new ManualClock();
    t = project(20, clock);
    const c = asyncCaller(t.call);
    await c.ok('document', { action: 'index', paths: ['docs/*.md'] });
    expect(await finds(c, 'zeppelin')).toBe(false);
    edit(t, 'zeppelin');
    clock.advance(2500);
    expect(await finds(c, 'zeppelin')).toBe(true);
  });

  it(`above ${INLINE_FILES} files: a due search answers from the index as it is, and a later one finds the edit`, async () => {
    const clock = new ManualClock();
    t = project(INLINE_FILES + 1, clock);
    const c = asyncCaller(t.call);
    await c.ok('document', { action: 'index', paths: ['docs/*.md'] });
    expect(await finds(c, 'zeppelin')).toBe(false); // the process's first check, run before answering
    edit(t, 'zeppelin');
    clock.advance(2500);
    // This search starts the check and does not wait for a stat of every file.
    expect(await finds(c, 'zeppelin')).toBe(false);
    expect(await eventuallyFinds(c, 'zeppelin')).toBe(true);
  });

  it(`above ${INLINE_FILES} files: the first search of a fresh process (a one-shot CLI) checks before answering`, async () => {
    t = await editedWhileClosed();
    expect(await finds(asyncCaller(t.call), 'zeppelin')).toBe(true);
  });

  it('a server starting on a project finds edits made while it was down without any search waiting', async () => {
    t = await editedWhileClosed();
    checkFilesInBackground(t.call); // what a server's warm-up does soon after it opens the project
    expect(await eventuallyFinds(asyncCaller(t.call), 'zeppelin')).toBe(true);
  });

  it(`above ${INLINE_FILES} files: a server's first search answers at once and the check runs beside it`, async () => {
    t = await editedWhileClosed();
    markLongRunning(t.ws); // what a server says when it opens the project
    const c = asyncCaller(t.call);
    expect(await finds(c, 'zeppelin')).toBe(false);
    expect(await eventuallyFinds(c, 'zeppelin')).toBe(true);
  });
});
