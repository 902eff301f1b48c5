// Which half answered a search and how complete its vectors were, as the result says it: a query with no
// words for the text half, a vector half that failed or had nothing to look for, the vector-only switch
// the evaluations use, a path filter that is no glob, and a backlog too big to wait for.
import { describe, expect, it } from 'vitest';
import { NEAREST_BY_MEANING, NEAREST_ONLY_SHOWN, search, searchProject } from '../../../src/core/docs/search.js';
import { staticEmbedder } from '../../../src/search/static-embedder-adapter.js';
import type { Embedder } from '../../../src/search/embedder.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const workspace = workspacePerTest();

async function twoDocs(): Promise<TempWorkspace> {
  const t = workspace();
  const { ok } = asyncCaller(t.call);
  await ok('document', { action: 'write', path: 'car.md', content: '# Automobile repair\n\nThe garage fixes engines and brakes.' });
  await ok('document', { action: 'write', path: 'cook.md', content: '# Baking bread\n\nFlour, yeast and an oven.' });
  return t;
}

describe('the mode a search says', () => {
  it('a query of common words in an empty project is still answered by both halves, not called unsearchable', async () => {
    const t = workspace();
    const r = await search(t.call, { query: 'what is this' }, staticEmbedder);
    expect(r.results).toEqual([]);
    expect(r.mode).toBe(`hybrid fts5+${staticEmbedder.label}`);
  });

  it('a vector half that failed is said as such, even for a query the text half had no words for', async () => {
    const t = await twoDocs();
    const broken: Embedder = { id: 'broken', label: 'broken', dim: 3, local: true, embed: async () => Promise.reject(new Error('connection refused')) };
    const r = await search(t.call, { query: 'what is this' }, broken);
    expect(r.mode).toBe('fts5 only (vector half failed: connection refused)');
  });

  it('the vector half alone (as evaluations run it) says when the query has no words the vectors know', async () => {
    const t = await twoDocs();
    const r = await search(t.call, { query: '???' }, staticEmbedder, { halves: 'vector' });
    expect(r.mode).toBe('fts5 only (the query has no words the vectors know)');
    // A query the text half would match too: the text half does not run.
    const v = await search(t.call, { query: 'garage repair engines' }, staticEmbedder, { halves: 'vector' });
    expect(v.results.length).toBeGreaterThan(0);
    for (const h of v.results) expect(h.matched).toEqual(['vector']);
    expect((await search(t.call, { query: 'garage repair engines' }, staticEmbedder)).results[0]?.matched).toContain('text');
  });

  it('a hit only the vectors found is kept when it is the best one', async () => {
    const t = await twoDocs();
    const r = await search(t.call, { query: 'vehicle maintenance' }, staticEmbedder);
    expect(r.results.map((h) => [h.title, h.matched, h.score])).toEqual([['Automobile repair', ['vector'], 1]]);
  });

  it('hits only the vectors found are kept while they are near the best one', async () => {
    const t = workspace();
    const { ok } = asyncCaller(t.call);
    const texts = ['# Automobile repair\n\nThe garage fixes engines and brakes.', '# Baking bread\n\nFlour, yeast and an oven.', '# Truck fleet\n\nDiesel lorries and their drivers.', '# Bicycle shop\n\nWheels, chains and tyres.'];
    for (const [i, c] of texts.entries()) await ok('document', { action: 'write', path: `d${i}.md`, content: c });
    const r = await search(t.call, { query: 'vehicle maintenance' }, staticEmbedder);
    expect(r.results.length).toBeGreaterThan(1);
    for (const h of r.results) {
      expect(h.matched).toEqual(['vector']);
      expect(h.score).toBeGreaterThanOrEqual(0.15);
    }
  });

  it('the text half alone says no vector scan', async () => {
    const t = await twoDocs();
    const r = await search(t.call, { query: 'automobile' }, staticEmbedder, { halves: 'text' });
    expect(r.results[0]?.matched).toEqual(['text']);
    expect(r.vectors).toBeDefined();
    expect(Object.keys(r.vectors!)).not.toContain('scan');
  });

  it('a path filter that is no glob is refused, naming the path filter', async () => {
    const t = await twoDocs();
    await expect(search(t.call, { query: 'bread', path: '../x/*.md' }, staticEmbedder)).rejects.toThrow(/path filter/);
  });
});

describe('vectors of a fresh write', () => {
  it('are waited for when few (the answer is complete), and not when thousands are missing', async () => {
    const t = await twoDocs();
    const fresh = await search(t.call, { query: 'bread' }, staticEmbedder);
    expect(fresh.vectors).toMatchObject({ chunks: 2, embedded: 2, complete: true });
    // A few hundred new sections (one call creating many tasks): still waited for.
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', tasks: Array.from({ length: 300 }, (_, i) => ({ title: `Chore number ${i}` })) });
    const many = await search(t.call, { query: 'bread' }, staticEmbedder);
    expect(many.vectors).toMatchObject({ embedded: many.vectors!.chunks, complete: true });
    // A big import: more sections without vectors than a search waits for.
    const list = Array.from({ length: 40 }, (_, f) => ({
      id: `flow_${f}`,
      name: `Flow ${f}`,
      plans: [{ id: `plan_${f}`, name: `Plan ${f}`, tasks: Array.from({ length: 80 }, (_, k) => ({ id: `task_${f}_${k}`, name: `Task ${k} of flow ${f}`, status: 'todo' })) }],
    }));
    writeFileSync(join(t.dir, 'flows.json'), JSON.stringify({ flows: list }));
    importFile(t.call, join(t.dir, 'flows.json'), {});
    const big = await searchProject(t.call, { query: 'bread' });
    expect(big.vectors?.complete).toBe(false);
    expect(big.notes?.join(' ')).toMatch(/meaning-based matches cover \d+ of \d+ indexed sections so far/);
  });

  it('a question no result holds a word of is answered with the nearest by meaning, and a note saying that is all they are', async () => {
    const t = await twoDocs();
    const { ok } = asyncCaller(t.call);
    const off = await ok('search', { query: 'vehicle maintenance' });
    expect(off.results.length).toBeGreaterThan(0);
    expect(off.results.every((r: { matched: string[] }) => !r.matched.includes('text'))).toBe(true);
    expect(off.notes).toContain(NEAREST_BY_MEANING);
    const on = await ok('search', { query: 'engines' });
    expect(on.results[0].matched).toContain('text');
    expect(on.notes ?? []).not.toContain(NEAREST_BY_MEANING);
  });

  it('when no hit holds a word of the question, only the nearest few are shown, not every task a small project has', async () => {
    const t = await twoDocs();
    const { ok } = asyncCaller(t.call);
    const titles = ['Fix login redirect', 'Write migration tests', 'Stripe webhook', 'Refund flow', 'Rate limiter', 'Password reset email', 'Cache warmup', 'Deploy staging', 'Audit cookies', 'Retry failed jobs'];
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', tasks: titles.map((title) => ({ title })) });
    const r = await ok('search', { query: 'rollback', k: 10 });
    expect(r.results.every((h: { matched: string[] }) => !h.matched.includes('text'))).toBe(true);
    expect(r.results.length).toBeGreaterThan(0);
    expect(r.results.length).toBeLessThanOrEqual(NEAREST_ONLY_SHOWN);
    // A question that holds a word keeps its full answer.
    expect((await ok('search', { query: 'webhook refund login cache', k: 10 })).results.length).toBeGreaterThan(NEAREST_ONLY_SHOWN);
    // The vector half alone, as evaluations score it, is its own whole ranking: the same nearest first, then more.
    const alone = await search(t.call, { query: 'rollback', k: 10 }, staticEmbedder, { halves: 'vector' });
    expect(alone.results.length).toBeGreaterThan(NEAREST_ONLY_SHOWN);
    expect(alone.results.slice(0, r.results.length).map((h) => h.id)).toEqual(r.results.map((h: { id: string }) => h.id));
  });
});

describe('the order results come in, said', () => {
  it('hits come in score order: a strong second section of one document before a weak best of another, which keeps its place', async () => {
    const t = workspace();
    const { ok } = asyncCaller(t.call);
    await ok('document', { action: 'write', path: 'retry.md', content: '# Client\n\nIntro.\n\n## Retries\n\nThe client retries a failed request three times.\n\n## Timeouts\n\nA request that retries still times out after 30 s.' });
    await ok('document', { action: 'write', path: 'other.md', content: '# Other\n\nA request log.' });
    const r = await ok('search', { query: 'request retries' });
    const paths = r.results.map((x: { path: string }) => x.path);
    const scores = r.results.map((x: { score: number }) => x.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(paths.filter((p: string) => p === 'retry.md').length).toBeGreaterThan(1);
    expect(paths).toContain('other.md');
    expect(paths[0]).toBe('retry.md');
    expect(paths.at(-1)).toBe('other.md');
  });
});
