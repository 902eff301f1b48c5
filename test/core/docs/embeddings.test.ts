// Filling in vectors: progress counts only what was missing, each section is counted under what it belongs
// to, callers arriving while a fill runs share it (no text is sent twice), each project fills its own,
// and a finished fill leaves the next one free to start.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coverage, fillEmbeddings, fillInBackground, forgetSuperseded } from '../../../src/core/docs/embeddings.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { screenFile } from '../../../src/store/vector-screen-file.js';
import { activeEmbedder } from '../../../src/core/docs/active-embedder.js';
import { staticEmbedder } from '../../../src/search/static-embedder-adapter.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { startFakeOpenAI } from '../../helpers/fake-openai.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const workspace = workspacePerTest();

async function docs(t: TempWorkspace, from: number, to: number): Promise<void> {
  const { ok } = asyncCaller(t.call);
  for (let i = from; i < to; i++) await ok('document', { action: 'write', path: `d${i}.md`, content: `# Doc ${i}\n\nwords about topic ${i}\n` });
}

describe('fillEmbeddings', () => {
  it('reports progress batch by batch up to the sections that were missing, and counts them by kind', async () => {
    const t = workspace();
    await docs(t, 0, 3);
    await fillEmbeddings(t.call, staticEmbedder);
    await docs(t, 3, 10);
    const seen: [number, number][] = [];
    const r = await fillEmbeddings(t.call, staticEmbedder, { batch: 4, onProgress: (d, n) => seen.push([d, n]) });
    expect(seen).toEqual([
      [4, 7],
      [7, 7],
    ]);
    expect(r.byKind).toEqual({ document: 7, task: 0, plan: 0, context: 0 });
    expect(coverage(t.call, staticEmbedder)).toEqual({ chunks: 10, embedded: 10 });
  });
});

describe('beside other callers', () => {
  it('hands the event loop on between batches, so others are answered while it fills', async () => {
    const t = workspace();
    await docs(t, 0, 10);
    expect(coverage(t.call, staticEmbedder).embedded).toBe(0);
    // Another caller's work, one piece per turn of the event loop for as long as the fill runs: the
    // local embedder's work is synchronous behind settled promises, so a fill that never handed the loop
    // on ran to its end before any of it (a server's other sessions waited ~15 s at 80k sections).
    let others = 0;
    let filling = true;
    const other = () => {
      if (!filling) return;
      others++;
      setImmediate(other);
    };
    setImmediate(other);
    await fillEmbeddings(t.call, staticEmbedder, { batch: 2 });
    filling = false;
    expect(coverage(t.call, staticEmbedder)).toEqual({ chunks: 10, embedded: 10 });
    expect(others).toBeGreaterThanOrEqual(5); // at least once after each of the five batches
  });
});

describe('vectors of an earlier version of the shipped vectors', () => {
  // Stands for the previous release's shipped vectors: same kind of vectors, another id.
  const previous = { ...staticEmbedder, id: 'static-vectors:previous-release', supersedes: undefined };
  const current = { ...staticEmbedder, id: 'static-vectors:this-release', supersedes: [previous.id] };
  const stored = (t: TempWorkspace, id: string) =>
    (t.ws.db.prepare('SELECT count(*) AS n FROM embeddings e JOIN embedding_bits b ON b.id = e.id WHERE e.embedder = ?').get(id) as { n: number }).n;
  const reopened = (t: TempWorkspace) => {
    const ws = Workspace.open(t.dir);
    opened.push(ws);
    return { ...t.call, ws };
  };
  const opened: Workspace[] = [];
  afterEach(() => {
    for (const ws of opened.splice(0)) ws.close();
  });

  it('are removed once the current version covers every section, with their screen file; other embedders keep theirs', async () => {
    const fake = await startFakeOpenAI({ dim: 8 });
    try {
      const t = workspace();
      await docs(t, 0, 7);
      const remote = activeEmbedder(t.ws, { HOME: t.dir, FLOW_EMBEDDER: 'openai', FLOW_EMBED_MODEL: 'm', FLOW_EMBED_DIMENSIONS: '8', FLOW_OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'k' })!;
      await fillEmbeddings(t.call, remote);
      await fillEmbeddings(t.call, previous);
      const screen = screenFile(t.ws.db, previous.id);
      mkdirSync(dirname(screen), { recursive: true });
      writeFileSync(screen, 'old screen');
      // Part-way through, the earlier vectors stay (a stopped fill must not leave a project with less).
      await fillEmbeddings(t.call, { ...current, embed: async () => { throw new Error('stopped'); } }).catch(() => undefined);
      await forgetSuperseded(t.call, current);
      expect(stored(t, previous.id)).toBe(7);
      // Covered: a search's fill starts the clean-up, which runs after it.
      await fillInBackground(t.call, current);
      await forgetSuperseded(t.call, current);
      expect(stored(t, current.id)).toBe(7);
      expect(stored(t, previous.id)).toBe(0);
      expect(t.ws.db.prepare('SELECT count(*) AS n FROM embedding_bits').get()).toEqual({ n: 14 });
      expect(t.ws.db.prepare('SELECT embedder FROM vector_progress ORDER BY embedder').all()).toEqual([{ embedder: remote.id }, { embedder: current.id }]);
      expect(existsSync(screen)).toBe(false);
      expect(stored(t, remote.id)).toBe(7);
      expect(coverage(t.call, remote)).toEqual({ chunks: 7, embedded: 7 });
    } finally {
      await fake.close();
    }
  });

  it('are left alone when an older flowmcp brings them back after they were removed (the two would undo each other)', async () => {
    const t = workspace();
    await docs(t, 0, 3);
    await fillEmbeddings(t.call, previous);
    await fillEmbeddings(t.call, current);
    await forgetSuperseded(t.call, current);
    expect(stored(t, previous.id)).toBe(0);
    await fillEmbeddings(t.call, previous); // the older version opens the project and fills its own again
    const again = reopened(t);
    await forgetSuperseded(again, current);
    expect(stored(t, previous.id)).toBe(3);
    expect(stored(t, current.id)).toBe(3);
  });
});

describe('fillInBackground', () => {
  it('is shared by callers arriving while it runs: no text is sent twice', async () => {
    const fake = await startFakeOpenAI({ dim: 8 });
    try {
      const t = workspace();
      const embedder = activeEmbedder(t.ws, { HOME: t.dir, FLOW_EMBEDDER: 'openai', FLOW_EMBED_MODEL: 'm', FLOW_EMBED_DIMENSIONS: '8', FLOW_OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'k' })!;
      await docs(t, 0, 5);
      const a = fillInBackground(t.call, embedder);
      const b = fillInBackground(t.call, embedder);
      await Promise.all([a, b]);
      const sent = fake.inputs();
      expect(sent).toHaveLength(5);
      expect(new Set(sent).size).toBe(5);
      // Finished: a later call starts a new fill for what was written since.
      await docs(t, 5, 6);
      await fillInBackground(t.call, embedder);
      expect(coverage(t.call, embedder)).toEqual({ chunks: 6, embedded: 6 });
      expect(fake.inputs()).toHaveLength(6);
    } finally {
      await fake.close();
    }
  });

  it('fills each project on its own', async () => {
    const one = workspace();
    const two = workspace();
    await docs(one, 0, 2);
    await docs(two, 0, 3);
    await Promise.all([fillInBackground(one.call, staticEmbedder), fillInBackground(two.call, staticEmbedder)]);
    expect(coverage(one.call, staticEmbedder)).toEqual({ chunks: 2, embedded: 2 });
    expect(coverage(two.call, staticEmbedder)).toEqual({ chunks: 3, embedded: 3 });
  });
});
