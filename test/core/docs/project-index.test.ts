// The project index called directly (indexProjectFiles, syncFiles, syncFilesNow): which files a walk
// reads and which it never enters, what a report says for each skipped file, the order files are said
// in, how a sync's budget and progress count, when a batch of read files is written, and what the event
// log says about each indexing transaction.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { indexProjectFiles, MAX_WALK_DEPTH, syncFiles, syncFilesNow } from '../../../src/core/docs/project-index.js';
import { documentStamps } from '../../../src/store/documents.js';
import { listEvents } from '../../../src/store/events.js';
import { MAX_PROJECT_FILE_BYTES } from '../../../src/core/docs/doc-limits.js';
import { getDocumentByPath } from '../../../src/store/documents.js';

const workspace = workspacePerTest();

function put(t: TempWorkspace, rel: string, text = `# ${rel}\n\nsome words about ${rel}\n`): void {
  const file = join(t.dir, ...rel.split('/'));
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
}

function indexEvents(t: TempWorkspace) {
  return listEvents(t.ws.db, { limit: 10_000 })
    .filter((e) => e.action === 'document.index')
    .reverse();
}

function projectDocs(t: TempWorkspace): number {
  return documentStamps(t.ws.db).filter((d) => d.source === 'project').length;
}

function idOf(t: TempWorkspace, source: 'flow' | 'project', path: string): string {
  return getDocumentByPath(t.ws.db, source, path)!.id;
}

describe('which folders a walk enters', () => {
  it('never enters hidden folders or skipped ones (node_modules, dist…), nor reads hidden files', async () => {
    const t = workspace();
    put(t, 'keep.md');
    put(t, 'docs/in.md');
    put(t, '.hidden/secret.md');
    put(t, 'node_modules/pkg/readme.md');
    put(t, 'dist/out.md');
    put(t, 'docs/.draft.md');
    const r = await indexProjectFiles(t.call, ['**/*.md']);
    expect(r).toEqual({ indexed: ['docs/in.md', 'keep.md'], unchanged: 0, removed: [], skipped: [] });
  });

  it('says files in the order of their paths, whatever order the folders were walked in', async () => {
    const t = workspace();
    for (const rel of ['docs/z.md', 'docs/m.md', 'docs/a/deep.md', 'docs/a/b/c.md', 'docs/b.md']) put(t, rel);
    const r = await indexProjectFiles(t.call, ['docs/**/*.md']);
    expect(r.indexed).toEqual(['docs/a/b/c.md', 'docs/a/deep.md', 'docs/b.md', 'docs/m.md', 'docs/z.md']);
  });

  it('reads each file once when one glob lies inside another, and walks globs in separate folders', async () => {
    const t = workspace();
    put(t, 'docs/a/x.md');
    put(t, 'docs/y.md');
    put(t, 'guide/g.md');
    put(t, 'notes/n.md');
    const r = await indexProjectFiles(t.call, ['notes/*.md', 'docs/a/*.md', 'docs/**/*.md', 'guide/*.md']);
    expect(r).toMatchObject({ indexed: ['docs/a/x.md', 'docs/y.md', 'guide/g.md', 'notes/n.md'], unchanged: 0 });
  });

  it('does not follow a symlinked folder on the way to a glob, nor start in a skipped folder', async () => {
    const t = workspace();
    put(t, 'real/sub/a.md');
    put(t, 'node_modules/pkg/b.md');
    put(t, 'plain/c.md');
    symlinkSync(join(t.dir, 'real'), join(t.dir, 'link'));
    for (const glob of ['link/*.md', 'link/sub/*.md', 'node_modules/pkg/*.md']) {
      await expect(indexProjectFiles(t.call, [glob]), glob).rejects.toThrow(/No project files match/);
    }
    // The refusal says the link is why, and a report passes it over by name, not in silence.
    await expect(indexProjectFiles(t.call, ['link/*.md'])).rejects.toThrow(/No project files match "link\/\*\.md"\. Passed over: link \(a symbolic link \(never followed/);
    const r = await indexProjectFiles(t.call, ['link/sub/*.md', 'link/*.txt', 'node_modules/pkg/*.md', 'plain/*.md']);
    expect(r.indexed).toEqual(['plain/c.md']);
    expect(r.skipped.filter((x) => x.path === 'link')).toEqual([{ path: 'link', reason: 'a symbolic link (never followed: it could lead outside the project)' }]); // once, for both globs
  });

  it('says a linked folder met inside a walk, which it does not enter; links no glob could look into stay unsaid', async () => {
    const t = workspace();
    put(t, 'docs/a.md');
    put(t, 'elsewhere/b.md');
    put(t, 'other/c.md');
    symlinkSync(join(t.dir, 'elsewhere'), join(t.dir, 'docs', 'api'));
    symlinkSync(join(t.dir, 'elsewhere'), join(t.dir, 'other', 'api'));
    const r = await indexProjectFiles(t.call, ['docs/**/*.md', 'other/*.md']);
    expect(r.indexed).toEqual(['docs/a.md', 'other/c.md']);
    // other/api could hold no file "other/*.md" matches: nothing to say about it.
    expect(r.skipped).toEqual([{ path: 'docs/api', reason: 'a symbolic link (never followed: it could lead outside the project)' }]);
  });

  it('says which matched files it passed over because they are symbolic links, and why', async () => {
    const t = workspace();
    put(t, 'docs/real.md');
    const outside = join(t.dir, '..', `outside-${Date.now()}.md`);
    writeFileSync(outside, '# Not the project\n');
    try {
      symlinkSync(outside, join(t.dir, 'docs', 'passwd.md'));
      const r = await indexProjectFiles(t.call, ['docs/*.md']);
      expect(r.indexed).toEqual(['docs/real.md']);
      expect(r.skipped).toEqual([{ path: 'docs/passwd.md', reason: 'a symbolic link (never followed: it could lead outside the project)' }]);
      // Named alone, the refusal says why nothing matched.
      await expect(indexProjectFiles(t.call, ['docs/passwd.md'])).rejects.toThrow(/No project files match "docs\/passwd\.md"\. Passed over: docs\/passwd\.md \(a symbolic link/);
    } finally {
      rmSync(outside, { force: true });
    }
  });

  it('says which matched names it passed over because they are pipes, never opening them', async () => {
    const t = workspace();
    put(t, 'docs/real.md');
    execFileSync('mkfifo', [join(t.dir, 'docs', 'pipe.md')]);
    const r = await indexProjectFiles(t.call, ['docs/*.md']);
    expect(r.indexed).toEqual(['docs/real.md']);
    expect(r.skipped).toEqual([{ path: 'docs/pipe.md', reason: 'not a regular file (a pipe, socket or device); never opened' }]);
  });

  it('indexes root files of a project opened through a symlink (as /tmp is on macOS)', async () => {
    const real = workspace();
    put(real, 'README.md');
    const via = join(real.dir, '..', `${real.dir.split('/').pop()}-link`);
    symlinkSync(real.dir, via);
    try {
      const t = workspace({ dir: via });
      const r = await indexProjectFiles(t.call, ['README.md', 'docs/*.md']);
      expect(r.indexed).toEqual(['README.md']);
    } finally {
      rmSync(via);
    }
  });

  it(`enters a folder ${MAX_WALK_DEPTH} levels deep but not one level more`, async () => {
    const t = workspace();
    const levels = Array.from({ length: MAX_WALK_DEPTH }, () => 'a');
    put(t, [...levels, 'last.md'].join('/'));
    put(t, [...levels, 'b', 'below.md'].join('/'));
    const r = await indexProjectFiles(t.call, ['**/*.md']);
    expect(r.indexed).toEqual([[...levels, 'last.md'].join('/')]);
    expect(r.skipped).toEqual([{ path: expect.stringMatching(/\/b$/), reason: expect.stringContaining(`deeper than ${MAX_WALK_DEPTH} levels`) }]);
  });

  it('enters a folder with a long name (depth counts folders, not characters)', async () => {
    const t = workspace();
    put(t, `docs/${'x'.repeat(100)}/y/in.md`);
    const r = await indexProjectFiles(t.call, ['docs/**/*.md']);
    expect(r).toMatchObject({ indexed: [`docs/${'x'.repeat(100)}/y/in.md`], skipped: [] });
  });

  it('does not enter a folder whose path is already as long as a document path may be', async () => {
    const t = workspace();
    const folder = `docs/${'f'.repeat(200)}/${'g'.repeat(94)}`; // 300 characters
    expect(folder).toHaveLength(300);
    put(t, `${folder}/a.md`);
    put(t, 'docs/ok.md');
    const r = await indexProjectFiles(t.call, ['docs/**/*.md']);
    expect(r.indexed).toEqual(['docs/ok.md']);
    expect(r.skipped).toHaveLength(1);
    expect(r.skipped[0]!.reason).toMatch(/folder path already 300 characters long; document paths are at most 300; not looked into/);
  });
});

describe('files skipped with a reason', () => {
  it('indexes a path exactly as long as document paths may be, and skips one character more', async () => {
    const t = workspace();
    const dir = `docs/${'d'.repeat(200)}`;
    const fits = `${dir}/${'e'.repeat(91)}.md`;
    const over = `${dir}/${'e'.repeat(92)}.md`;
    expect(fits).toHaveLength(300);
    put(t, fits);
    put(t, over);
    const r = await indexProjectFiles(t.call, ['docs/**/*.md']);
    expect(r.indexed).toEqual([fits]);
    expect(r.skipped.map((s) => s.reason)).toEqual(['its path is 301 characters long; document paths are at most 300']);
  });

  it('shows a path of 120 characters whole and a longer one shortened with its start and end', async () => {
    const t = workspace();
    const exact = `docs/${'p'.repeat(111)}.bin`;
    const longer = `docs/${'q'.repeat(150)}.bin`;
    expect(exact).toHaveLength(120);
    put(t, exact);
    put(t, longer);
    put(t, 'docs/ok.md');
    const r = await indexProjectFiles(t.call, ['docs/*']);
    expect(r.indexed).toEqual(['docs/ok.md']);
    expect(r.skipped).toEqual([
      { path: exact, reason: 'not a text or source file type' },
      { path: `${longer.slice(0, 60)}…${longer.slice(-50)}`, reason: 'not a text or source file type' },
    ]);
  });

  it('skips a name not in normal form, and a name no document command would accept, saying why', async () => {
    const t = workspace();
    put(t, 'docs/cafe\u0301.md'); // decomposed é: NFC would rename it
    put(t, 'docs/notes /a.md'); // a folder name ending in a space
    put(t, 'docs/ok.md');
    const r = await indexProjectFiles(t.call, ['docs/**/*.md']);
    expect(r.indexed).toEqual(['docs/ok.md']);
    const why = Object.fromEntries(r.skipped.map((s) => [s.path, s.reason]));
    expect(why['docs/cafe\u0301.md']).toMatch(/not in normal form \(Unicode NFC/);
    const bad = why['docs/notes /a.md']!;
    // The reason says the rule broken, without the path again (quoted parts cut, spaces kept single).
    expect(bad).toMatch(/^its name cannot be used as a document path \(path has a folder or file name that starts or ends with a space/);
    expect(bad).not.toMatch(/"|notes|\s\s/);
    expect(bad.endsWith('.)')).toBe(true);
  });

  it('skips a file over the size limit without reading it, and indexes one exactly at the limit', async () => {
    const t = workspace();
    const line = 'word '.repeat(19) + 'ends\n'; // 100 bytes
    put(t, 'docs/at-limit.md', line.repeat(MAX_PROJECT_FILE_BYTES / 100));
    put(t, 'docs/over.md', line.repeat(MAX_PROJECT_FILE_BYTES / 100) + 'x');
    const r = await indexProjectFiles(t.call, ['docs/*.md']);
    expect(r.indexed).toEqual(['docs/at-limit.md']);
    expect(r.skipped).toEqual([{ path: 'docs/over.md', reason: `larger than ${MAX_PROJECT_FILE_BYTES} bytes` }]);
  });

  it('says a file deleted while indexing is gone, and indexes the rest', async () => {
    const t = workspace();
    put(t, 'docs/a.md');
    put(t, 'docs/b.md');
    put(t, 'docs/c.md');
    const r = await indexProjectFiles(t.call, ['docs/*.md'], (done) => {
      if (done === 1) rmSync(join(t.dir, 'docs', 'b.md'));
    });
    expect(r).toEqual({ indexed: ['docs/a.md', 'docs/c.md'], unchanged: 0, removed: [], skipped: [{ path: 'docs/b.md', reason: 'gone while indexing' }] });
  });

  it('refuses globs that match nothing, naming them and saying how globs are written', async () => {
    const t = workspace();
    const e = (await indexProjectFiles(t.call, ['nothing/*.md']).then(
      () => expect.fail('expected a refusal'),
      (x: unknown) => x,
    )) as { message: string; hint: string };
    expect(e.message).toContain('No project files match "nothing/*.md"');
    expect(e.hint).toMatch(/relative to the project root/);
  });
});

describe('progress', () => {
  it('reports the last file of an index, and not every one of many', async () => {
    const t = workspace();
    for (let i = 0; i < 120; i++) put(t, `docs/n${String(i).padStart(3, '0')}.md`);
    const seen: [number, number][] = [];
    await indexProjectFiles(t.call, ['docs/*.md'], (done, total) => seen.push([done, total]));
    expect(seen.at(-1)).toEqual([120, 120]);
    expect(seen.length).toBeLessThan(120);
    expect(seen.every(([d, n]) => n === 120 && d >= 1 && d <= 120)).toBe(true);
  });

  it("counts a sync's planted documents and known files alike, ending at the total", async () => {
    const t = workspace();
    put(t, 'docs/a.md');
    put(t, 'docs/b.md');
    put(t, 'docs/c.md');
    await indexProjectFiles(t.call, ['docs/*.md']);
    put(t, '.flow/documents/p1.md');
    put(t, '.flow/documents/p2.md');
    const seen: [number, number][] = [];
    const r = await syncFiles(t.call, { onProgress: (done, total) => seen.push([done, total]) });
    expect(r.indexed).toEqual(['p1.md', 'p2.md']);
    expect(seen.at(-1)).toEqual([5, 5]);
    expect(seen.every(([d, n]) => n === 5 && d >= 1)).toBe(true);
  });
});

describe('batches', () => {
  it('writes read files once 200 are waiting, the rest at the end', async () => {
    const t = workspace();
    for (let i = 0; i < 230; i++) put(t, `docs/n${String(i).padStart(3, '0')}.md`, `# ${i}\n`);
    let atLast = -1;
    const r = await indexProjectFiles(t.call, ['docs/*.md'], (done, total) => {
      if (done === total) atLast = projectDocs(t);
    });
    expect(atLast).toBe(200);
    expect(r.indexed).toHaveLength(230);
    expect(projectDocs(t)).toBe(230);
  });

  it('writes read files once they hold 2,000,000 characters', async () => {
    const t = workspace();
    const text = (i: number) => `# Big ${i}\n\n`.padEnd(500_000 - 1, ' lorem ipsum dolor sit amet') + '\n';
    for (let i = 0; i < 5; i++) put(t, `docs/big${i}.md`, text(i));
    expect(text(0)).toHaveLength(500_000);
    let atLast = -1;
    const r = await indexProjectFiles(t.call, ['docs/*.md'], (done, total) => {
      if (done === total) atLast = projectDocs(t);
    });
    expect(atLast).toBe(4); // four files make exactly 2,000,000: written; the fifth waits for the end
    expect(r.indexed).toHaveLength(5);
    expect(projectDocs(t)).toBe(5);
  }, 60_000);

  it('writes many small files in fewer transactions than files', async () => {
    const t = workspace();
    for (let i = 0; i < 40; i++) put(t, `docs/s${String(i).padStart(2, '0')}.md`, `# ${i}\n`);
    await indexProjectFiles(t.call, ['docs/*.md']);
    const events = indexEvents(t);
    expect(events.length).toBeLessThan(40);
    // Each event says how many files it wrote, in the right number, and names a document only when it wrote one.
    let total = 0;
    for (const e of events) {
      const n = Number(/^indexed (\d+) files? \(/.exec(e.summary)![1]);
      total += n;
      expect(e.summary.startsWith(`indexed ${n} ${n === 1 ? 'file' : 'files'} (`)).toBe(true);
      expect(e.entity_id).toBe(n === 1 ? expect.stringMatching(/^d-/) : 'documents');
    }
    expect(total).toBe(40);
  });
});

describe('the event log of indexing', () => {
  it('names the one file indexed, says nothing when nothing changed, and names the one file dropped', async () => {
    const t = workspace();
    put(t, 'docs/a.md');
    await indexProjectFiles(t.call, ['docs/a.md']);
    const id = idOf(t, 'project', 'docs/a.md');
    expect(indexEvents(t).map((e) => [e.entity, e.entity_id, e.summary])).toEqual([['document', id, 'indexed 1 file (docs/a.md)']]);
    await indexProjectFiles(t.call, ['docs/a.md']);
    expect(await syncFiles(t.call)).toMatchObject({ indexed: [], unchanged: 1, removed: [] });
    expect(indexEvents(t)).toHaveLength(1);
    rmSync(join(t.dir, 'docs', 'a.md'));
    expect(syncFilesNow(t.call)).toMatchObject({ removed: ['docs/a.md'] });
    expect(indexEvents(t).slice(1).map((e) => [e.entity_id, e.summary])).toEqual([[id, 'dropped 1 gone from disk (docs/a.md)']]);
  });

  it('says an edit and a removal written together in one line', async () => {
    const t = workspace();
    put(t, 'docs/a.md');
    put(t, 'docs/b.md');
    await indexProjectFiles(t.call, ['docs/*.md']);
    const before = indexEvents(t).length;
    put(t, 'docs/a.md', '# A\n\nrewritten at another length\n');
    rmSync(join(t.dir, 'docs', 'b.md'));
    expect(await syncFiles(t.call)).toMatchObject({ indexed: ['docs/a.md'], removed: ['docs/b.md'] });
    const summaries = indexEvents(t).slice(before).map((e) => e.summary);
    // One transaction takes both unless the first ran past its time slice (then each is said alone).
    if (summaries.length === 1) expect(summaries).toEqual(['indexed 1 file (docs/a.md); dropped 1 gone from disk (docs/b.md)']);
    else expect(summaries.sort()).toEqual(['dropped 1 gone from disk (docs/b.md)', 'indexed 1 file (docs/a.md)']);
  });
});

describe('sync', () => {
  it('re-reads a file whose size changed with its mtime put back, and one whose mtime alone changed', async () => {
    const t = workspace();
    const old = new Date('2024-01-02T03:04:05Z');
    put(t, 'docs/size.md', '# Size\n\nfirst\n');
    put(t, 'docs/time.md', '# Time\n\naaaa\n');
    utimesSync(join(t.dir, 'docs', 'size.md'), old, old);
    utimesSync(join(t.dir, 'docs', 'time.md'), old, old);
    await indexProjectFiles(t.call, ['docs/*.md']);
    put(t, 'docs/size.md', '# Size\n\nsecond, longer\n');
    utimesSync(join(t.dir, 'docs', 'size.md'), old, old);
    put(t, 'docs/time.md', '# Time\n\nbbbb\n'); // same length
    const r = await syncFiles(t.call);
    expect(r).toMatchObject({ indexed: ['docs/size.md', 'docs/time.md'], unchanged: 0 });
  });

  it('reads at most its budget of files and counts the rest as pending', async () => {
    const t = workspace();
    for (const n of ['a', 'b', 'c']) put(t, `docs/${n}.md`);
    await indexProjectFiles(t.call, ['docs/*.md']);
    for (const n of ['a', 'b', 'c']) put(t, `docs/${n}.md`, `# ${n}\n\nedited, now longer than before\n`);
    put(t, '.flow/documents/p1.md');
    put(t, '.flow/documents/p2.md');
    const first = await syncFiles(t.call, { budget: 3 });
    expect(first).toMatchObject({ indexed: ['p1.md', 'p2.md', 'docs/a.md'], pending: 2 });
    const second = await syncFiles(t.call, { budget: 1 });
    expect(second).toMatchObject({ indexed: ['docs/b.md'], pending: 1 });
    const none = await syncFiles(t.call, { budget: 0 });
    expect(none).toMatchObject({ indexed: [], pending: 1 });
    expect(await syncFiles(t.call)).toMatchObject({ indexed: ['docs/c.md'], pending: 0 });
  });

  it('picks up a planted document at the same path as an indexed project file', async () => {
    const t = workspace();
    put(t, 'notes/a.md');
    await indexProjectFiles(t.call, ['notes/a.md']);
    put(t, '.flow/documents/notes/a.md', '# Planted\n');
    const r = await syncFiles(t.call);
    expect(r.indexed).toEqual(['notes/a.md']);
    expect(documentStamps(t.ws.db).map((d) => [d.source, d.path])).toEqual([['flow', 'notes/a.md'], ['project', 'notes/a.md']]);
  });

  it('lists planted documents in path order, skips one with a bad name, and says one deleted meanwhile is gone', async () => {
    const t = workspace();
    put(t, '.flow/documents/z.md');
    put(t, '.flow/documents/a/b.md');
    put(t, '.flow/documents/m.md');
    put(t, '.flow/documents/cafe\u0301.md');
    const r = await syncFiles(t.call, {
      onProgress: (done) => {
        if (done === 1) rmSync(join(t.dir, '.flow', 'documents', 'm.md'));
      },
    });
    expect(r.indexed).toEqual(['a/b.md', 'z.md']);
    expect(r.skipped).toEqual([
      { path: 'cafe\u0301.md', reason: expect.stringMatching(/not in normal form/) },
      { path: 'm.md', reason: 'gone while indexing' },
    ]);
  });
});
