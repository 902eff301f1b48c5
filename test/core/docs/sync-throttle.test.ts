// When a search notices files edited outside flowmcp: in a small project, before it answers (the answer
// reflects an edit made just before); in a big one, beside the searches (no search waits for a stat of
// every file), with the edit found by a later search; a one-shot process's first search always checks first.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { INLINE_FILES, SEARCH_BUDGET, checkFilesInBackground, syncIfStale } from '../../../src/core/docs/sync-throttle.js';
import { getDocumentByPath } from '../../../src/store/documents.js';
import { FlowError } from '../../../src/model/errors.js';
import type { Call } from '../../../src/core/kernel/workspace.js';
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

/** Waits (by condition, generously) until `done` holds, giving the event loop turns meanwhile. */
async function until(done: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100_000 && !(await done()); i++) await new Promise((r) => setImmediate(r));
  expect(await done()).toBe(true);
}

/** Whether docs/p0.md's index holds the edit (read from the index itself, no search that could check). */
const p0Edited = (w: TempWorkspace) => getDocumentByPath(w.ws.db, 'project', 'docs/p0.md')?.size === Buffer.byteLength('# Page 0\n\nnow about zeppelin\n');

describe('when a check is due', () => {
  it('not within 2 s of the last one, and again once 2 s have passed', async () => {
    const clock = new ManualClock();
    t = project(3, clock);
    const c = asyncCaller(t.call);
    await c.ok('document', { action: 'index', paths: ['docs/*.md'] });
    expect(await finds(c, 'zeppelin')).toBe(false); // the first check
    edit(t, 'zeppelin');
    clock.advance(1999);
    expect(await finds(c, 'zeppelin')).toBe(false);
    clock.advance(1);
    expect(await finds(c, 'zeppelin')).toBe(true);
  });

  it(`at exactly ${INLINE_FILES} files a server's due search still waits for the check`, async () => {
    const clock = new ManualClock();
    t = project(INLINE_FILES, clock);
    markLongRunning(t.ws);
    const c = asyncCaller(t.call);
    await c.ok('document', { action: 'index', paths: ['docs/*.md'] });
    expect(await finds(c, 'zeppelin')).toBe(false);
    edit(t, 'zeppelin');
    clock.advance(2500);
    expect(await finds(c, 'zeppelin')).toBe(true);
  });

  it("a server's first check runs by itself, and no search waits for it in a big project", async () => {
    t = await editedWhileClosed();
    markLongRunning(t.ws);
    checkFilesInBackground(t.call);
    expect(await finds(asyncCaller(t.call), 'zeppelin')).toBe(false); // answered at once, beside the check
    await until(() => p0Edited(t!)); // found by the check alone
  });

  it("a check a server's search starts in a big project begins once that search has answered, not while it waits for its reads", async () => {
    t = await editedWhileClosed();
    markLongRunning(t.ws);
    let answer = () => {};
    const answered = new Promise<void>((resolve) => (answer = resolve));
    await syncIfStale(t.call, answered); // started, not waited for
    // Many turns of the event loop (a search's reads by the thread pool take several): no check meanwhile.
    for (let i = 0; i < 200; i++) await new Promise<void>((resolve) => setImmediate(resolve));
    expect(p0Edited(t)).toBe(false);
    answer();
    await until(() => p0Edited(t!));
  });

  it("a server's searches in a big project say how many changed files wait for a later pass, without waiting for it", async () => {
    const clock = new ManualClock();
    t = project(INLINE_FILES + 1, clock);
    const c = asyncCaller(t.call);
    await c.ok('document', { action: 'index', paths: ['docs/*.md'] });
    markLongRunning(t.ws);
    const edits = SEARCH_BUDGET + 10;
    for (let i = 1; i <= edits; i++) {
      const f = join(t.dir, 'docs', `p${i}.md`);
      writeFileSync(f, `# Page ${i}\n\nedited words ${i}\n`);
      utimesSync(f, new Date(), new Date(Date.now() + 60_000));
    }
    checkFilesInBackground(t.call); // reads SEARCH_BUDGET of them, leaves 10
    const notes: string[] = [];
    await until(async () => {
      const n = (await syncIfStale(t!.call)).note;
      if (n) notes.push(n);
      return notes.length > 0;
    });
    expect(notes[0]).toMatch(/^indexing is catching up: 10 new or changed file\(s\) not indexed yet; later searches \(or document reindex\) index them$/);
  });
});

describe('a check that fails', () => {
  it('is said on stderr, and the next due search checks again', async () => {
    const clock = new ManualClock();
    t = project(3, clock);
    await asyncCaller(t.call).ok('document', { action: 'index', paths: ['docs/*.md'] });
    let refuse = true;
    const ws = new Proxy(t.ws, {
      get(target, key) {
        if (key === 'write' && refuse)
          return () => {
            throw new FlowError('busy', 'flow.db is busy (test).');
          };
        const v = Reflect.get(target, key) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const call: Call = { ...t.call, ws };
    edit(t, 'zeppelin');
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (said.push(String(s)), true));
    try {
      checkFilesInBackground(call);
      await until(() => said.some((l) => l.includes('checking indexed files for changes failed')));
    } finally {
      spy.mockRestore();
    }
    expect(said.join('')).toMatch(/failed: flow\.db is busy \(test\).*; the next search tries again/);
    expect(p0Edited(t)).toBe(false);
    refuse = false;
    clock.advance(2500);
    await syncIfStale(call);
    expect(p0Edited(t)).toBe(true);
  });
});
