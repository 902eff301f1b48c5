// Indexing shares the one event loop with every other session (team mode): it must pause and let others
// run, write in batches, bound what one search does, and skip what no other door would accept (hard
// links, paths past the length limit, folders deeper than the walk goes), each with a reason.
import { linkSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempDirPerTest, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { SEARCH_BUDGET } from '../../../src/core/docs/sync-throttle.js';
import { cooperative, MAX_WALK_DEPTH } from '../../../src/core/docs/project-index.js';

const workspace = workspacePerTest();
const outsideDir = tempDirPerTest('flowmcp-outside-');
let t: TempWorkspace | undefined;

function plant(dir: string, n: number, text = (i: number) => `# Note ${i}\n\nword${i} here.\n`): void {
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `n${String(i).padStart(5, '0')}.md`), text(i));
}

describe('document index is cooperative', () => {
  it('hands the loop on between slices of work by the turn it is given (a server\'s file check: after the calls)', async () => {
    // Three steps of over 8 ms of work each: a slice ends after each of them.
    function* steps(): Generator<void, string, void> {
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        while (performance.now() - t0 < 9);
        yield;
      }
      return 'done';
    }
    let turns = 0;
    const result = await cooperative(steps(), async () => {
      turns++;
    });
    expect(result).toBe('done');
    expect(turns).toBe(3);
  });

  it('lets a timer due meanwhile run before a big index finishes, and reports progress as it goes', async () => {
    t = workspace();
    plant(join(t.dir, 'docs'), 1000);
    const seen: number[] = [];
    const c = asyncCaller({ ...t.call, progress: (done) => seen.push(done) });
    let settled = false;
    const call = c.raw('document', { action: 'index', paths: ['docs/**/*.md'] }).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 0)); // a turn of the event loop: another session's request, say
    expect(settled).toBe(false);
    expect(seen.length).toBeGreaterThan(0); // progress went out while indexing, not all at the end
    const out = await call;
    expect(out.isError).toBe(false);
    expect((out.structured.report as { indexed_count: number }).indexed_count).toBe(1000);
    expect(seen.at(-1)).toBe(1000);
  });
});

describe('empty and heading-only files', () => {
  it('are indexed once, then unchanged on index and reindex, and findable by their title', async () => {
    t = workspace();
    mkdirSync(join(t.dir, 'docs'));
    writeFileSync(join(t.dir, 'docs', 'empty.md'), '');
    writeFileSync(join(t.dir, 'docs', 'heading.md'), '# Zanzibar checklist\n');
    const c = asyncCaller(t.call);
    const first = (await c.ok('document', { action: 'index', paths: ['docs/*.md'] })).report;
    expect(first.indexed.sort()).toEqual(['docs/empty.md', 'docs/heading.md']);
    const again = (await c.ok('document', { action: 'index', paths: ['docs/*.md'] })).report;
    expect(again).toMatchObject({ indexed: [], unchanged: 2 });
    const re = (await c.ok('document', { action: 'reindex' })).report;
    expect(re).toMatchObject({ indexed: [], unchanged: 2 });
    const hits = (await c.ok('search', { query: 'zanzibar', kind: 'document' })).results;
    expect(hits.map((h: { path: string }) => h.path)).toEqual(['docs/heading.md']);
  });
});

describe('files no other door would accept', () => {
  it('skips a hard link (it may be a file from outside the project) and refuses to read one', async () => {
    t = workspace();
    const outside = outsideDir();
    writeFileSync(join(outside, 'secret.md'), '# Secret\n\nthe launch codes\n');
    mkdirSync(join(t.dir, 'docs'));
    linkSync(join(outside, 'secret.md'), join(t.dir, 'docs', 'linked.md'));
    writeFileSync(join(t.dir, 'docs', 'plain.md'), '# Plain\n');
    const c = asyncCaller(t.call);
    const r = (await c.ok('document', { action: 'index', paths: ['docs/*.md'] })).report;
    expect(r.indexed).toEqual(['docs/plain.md']);
    expect(r.skipped).toEqual([{ path: 'docs/linked.md', reason: expect.stringMatching(/hard link/) }]);
    const hits = (await c.ok('search', { query: 'launch codes' })).results;
    expect(hits.map((h: { path?: string }) => h.path)).not.toContain('docs/linked.md');
    // A file indexed while it had one name, hard-linked from elsewhere afterwards, is not read back.
    linkSync(join(t.dir, 'docs', 'plain.md'), join(outside, 'second-name.md'));
    const e = await c.fail('document', { action: 'read', path: 'docs/plain.md' });
    expect(e.message).toMatch(/hard link/);
    // What to do says how to give it one name again, not to shrink it.
    expect(e.hint).toMatch(/^Give the file one name/);
    expect(e.hint).not.toMatch(/shrink/);
  });

  it('skips a file whose path is longer than document paths may be, with the reason', async () => {
    t = workspace();
    const deep = join(t.dir, 'docs', 'b'.repeat(200));
    mkdirSync(deep, { recursive: true });
    writeFileSync(join(deep, `${'c'.repeat(110)}.md`), '# Long\n\nlongpathword\n');
    writeFileSync(join(t.dir, 'docs', 'short.md'), '# Short\n');
    const c = asyncCaller(t.call);
    const r = (await c.ok('document', { action: 'index', paths: ['docs/**/*.md'] })).report;
    expect(r.indexed).toEqual(['docs/short.md']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0].reason).toMatch(/at most 300/);
    expect(r.skipped[0].path.length).toBeLessThan(150);
  });

  it(`does not walk deeper than ${MAX_WALK_DEPTH} folder levels, and says where it stopped`, async () => {
    t = workspace();
    const levels = Array.from({ length: MAX_WALK_DEPTH + 6 }, () => 'a');
    mkdirSync(join(t.dir, 'docs', ...levels), { recursive: true });
    writeFileSync(join(t.dir, 'docs', ...levels, 'bottom.md'), '# Bottom\n');
    writeFileSync(join(t.dir, 'docs', 'top.md'), '# Top\n');
    const c = asyncCaller(t.call);
    const r = (await c.ok('document', { action: 'index', paths: ['docs/**/*.md'] })).report;
    expect(r.indexed).toEqual(['docs/top.md']);
    expect(r.skipped).toEqual([{ path: expect.any(String), reason: expect.stringMatching(new RegExp(`deeper than ${MAX_WALK_DEPTH} levels`)) }]);
    // A glob that cannot reach into docs/ does not look there at all.
    writeFileSync(join(t.dir, 'README.md'), '# Readme\n');
    const only = (await c.ok('document', { action: 'index', paths: ['README.md'] })).report;
    expect(only).toMatchObject({ indexed: ['README.md'], skipped: [] });
  });
});

describe("search's file sync", () => {
  it('indexes a bounded number of planted documents per search and says it is catching up', async () => {
    t = workspace();
    const planted = 3 * SEARCH_BUDGET + 10;
    plant(join(t.dir, '.flow', 'documents', 'planted'), planted);
    const c = asyncCaller(t.call);
    const first = await c.ok('search', { query: 'word1' });
    expect(first.notes).toEqual([expect.stringMatching(new RegExp(`catching up: ${planted - SEARCH_BUDGET} `))]);
    const second = await c.ok('search', { query: 'word1' }); // no 2 s wait: work left over goes on at once
    expect(second.notes).toEqual([expect.stringMatching(new RegExp(`catching up: ${planted - 2 * SEARCH_BUDGET} `))]);
    const rest = (await c.ok('document', { action: 'reindex' })).report;
    expect(rest.indexed_count).toBe(planted - 2 * SEARCH_BUDGET);
    const done = await c.ok('search', { query: `word${planted - 1}` });
    expect(done.notes).toBeUndefined();
    expect(done.results.map((h: { path: string }) => h.path)).toContain(`planted/n${String(planted - 1).padStart(5, '0')}.md`);
  });
});
