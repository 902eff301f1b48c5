// Relevance on the held-out Node.js docs: the hybrid must not be worse than the better of its halves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { staticEmbedder } from '../../src/search/static-embedder-adapter.js';
import { evaluate, indexCorpus, type Scores } from '../helpers/relevance.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
const scores: Record<string, Scores> = {};
beforeAll(async () => {
  t = tempWorkspace();
  await indexCorpus(t.call, staticEmbedder);
  for (const halves of ['text', 'vector', 'both'] as const) scores[halves] = await evaluate(t.call, staticEmbedder, halves);
  console.error(`relevance (MRR@10 / recall@5): ${Object.entries(scores).map(([k, v]) => `${k} ${v.mrr10.toFixed(3)} / ${v.recall5.toFixed(3)}`).join(', ')}`);
}, 120_000);
afterAll(() => t.cleanup());

describe('search relevance on the Node.js API docs (50 developer questions)', () => {
  it('full text alone finds the right file first for most questions', () => {
    expect(scores.text!.mrr10).toBeGreaterThan(0.6);
  });

  it('the vectors alone carry real signal', () => {
    expect(scores.vector!.mrr10).toBeGreaterThan(0.3);
  });

  it('the hybrid is no worse than the better half, on both measures', () => {
    expect(scores.both!.mrr10).toBeGreaterThanOrEqual(Math.max(scores.text!.mrr10, scores.vector!.mrr10));
    expect(scores.both!.recall5).toBeGreaterThanOrEqual(Math.max(scores.text!.recall5, scores.vector!.recall5));
  });
});
