// Fusing the two halves by source. The case that equal-weight rank fusion got wrong: a file only the
// text half found, and found far ahead of everything else, must stay above files both halves found weakly.
import { describe, expect, it } from 'vitest';
import { fuseBySource, type Half } from '../../src/search/fuse.js';

// Chunk n belongs to source "doc-n" unless said otherwise.
const owners = (ids: number[], extra: [number, string][] = []) => new Map<number, string>([...ids.map((i): [number, string] => [i, `doc-${i}`]), ...extra]);

describe('fusion by source', () => {
  // Text: chunk 1 is a strong exact match (score 30), the rest are weak (2–3). Vector: 1 is absent,
  // and 2..6 are found weakly too.
  const text: Half = { name: 'text', weight: 0.6, hits: [{ id: 1, s: 30 }, { id: 2, s: 3 }, { id: 3, s: 2.9 }, { id: 4, s: 2.8 }, { id: 5, s: 2.7 }, { id: 6, s: 2.6 }, { id: 9, s: 0.5 }] };
  const vector: Half = { name: 'vector', weight: 0.4, hits: [{ id: 2, s: 0.41 }, { id: 3, s: 0.4 }, { id: 4, s: 0.39 }, { id: 5, s: 0.38 }, { id: 6, s: 0.37 }, { id: 8, s: 0.1 }] };
  const own = owners([1, 2, 3, 4, 5, 6, 8, 9]);

  it('keeps a strong single-half match on top (relative fusion, the default)', () => {
    const fused = fuseBySource([text, vector], own, 10);
    expect(fused[0]).toMatchObject({ chunk: 1, matched: ['text'] });
    expect(fused[1]!.matched.sort()).toEqual(['text', 'vector']);
  });

  it('rank fusion buries it under weak double matches (why it is no longer the default)', () => {
    const fused = fuseBySource([text, vector], own, 10, 'rrf');
    expect(fused.findIndex((f) => f.chunk === 1)).toBeGreaterThan(3);
  });

  it('weighs the halves as asked, and a half that cannot tell its hits apart gives each full credit', () => {
    const t: Half = { name: 'text', weight: 0.2, hits: [{ id: 1, s: 5 }, { id: 2, s: 1 }] };
    const v: Half = { name: 'vector', weight: 0.8, hits: [{ id: 2, s: 0.9 }, { id: 1, s: 0.1 }] };
    expect(fuseBySource([t, v], owners([1, 2]), 10).map((f) => f.chunk)).toEqual([2, 1]);
    const flat: Half = { name: 'vector', weight: 1, hits: [{ id: 1, s: 0.5 }, { id: 2, s: 0.5 }] };
    expect(fuseBySource([flat], owners([1, 2]), 10).map((f) => f.score)).toEqual([1, 1]);
  });

  it('counts a source once per half, at its best chunk, and represents it by that chunk', () => {
    const t: Half = { name: 'text', weight: 0.5, hits: [{ id: 11, s: 10 }, { id: 12, s: 9 }, { id: 2, s: 1 }] };
    const fused = fuseBySource([t], owners([2], [[11, 'doc-a'], [12, 'doc-a']]), 10);
    expect(fused.map((f) => f.chunk)).toEqual([11, 2]);
  });

  it('relative fusion: the half\'s best is worth its weight, its worst chunk a tenth of it, linearly between', () => {
    const t: Half = { name: 'text', weight: 0.5, hits: [{ id: 1, s: 10 }, { id: 2, s: 5 }, { id: 3, s: 0 }] };
    expect(fuseBySource([t], owners([1, 2, 3]), 10)).toEqual([
      { chunk: 1, score: 0.5, matched: ['text'] },
      { chunk: 2, score: 0.275, matched: ['text'] },
      { chunk: 3, score: 0.05, matched: ['text'] },
    ]);
    // The worst is the worst chunk the half handed over, even one whose source is gone since.
    const gone: Half = { name: 'text', weight: 1, hits: [{ id: 1, s: 10 }, { id: 2, s: 5 }, { id: 77, s: 0 }] };
    expect(fuseBySource([gone], owners([1, 2]), 10).map((f) => f.score)).toEqual([1, 0.55]);
    // Both halves' shares add up; matched names the halves in the order they were given.
    const v: Half = { name: 'vector', weight: 0.5, hits: [{ id: 2, s: 0.9 }, { id: 1, s: 0.3 }] };
    expect(fuseBySource([t, v], owners([1, 2, 3]), 10)).toEqual([
      { chunk: 2, score: 0.775, matched: ['text', 'vector'] },
      { chunk: 1, score: 0.55, matched: ['text', 'vector'] },
      { chunk: 3, score: 0.05, matched: ['text'] },
    ]);
  });

  it('rank fusion gives 1/(61 + rank) per half, whatever the scores', () => {
    const t: Half = { name: 'text', weight: 0.9, hits: [{ id: 1, s: 100 }, { id: 2, s: 1 }] };
    const v: Half = { name: 'vector', weight: 0.1, hits: [{ id: 2, s: 0.9 }] };
    expect(fuseBySource([t, v], owners([1, 2]), 10, 'rrf')).toEqual([
      { chunk: 2, score: 0.0325, matched: ['text', 'vector'] },
      { chunk: 1, score: 0.0164, matched: ['text'] },
    ]);
  });

  it('a source is shown by the chunk that earned it the most; on a tie, the first half\'s', () => {
    const own = owners([], [[1, 'doc-a'], [2, 'doc-a'], [3, 'doc-b']]);
    const t: Half = { name: 'text', weight: 0.3, hits: [{ id: 1, s: 5 }, { id: 3, s: 1 }] };
    const v: Half = { name: 'vector', weight: 0.7, hits: [{ id: 2, s: 0.8 }, { id: 3, s: 0.2 }] };
    expect(fuseBySource([t, v], own, 10).map((f) => f.chunk)).toEqual([2, 3]);
    const tie: Half = { name: 'vector', weight: 0.3, hits: [{ id: 2, s: 0.75 }, { id: 3, s: 0.25 }] };
    expect(fuseBySource([t, tie], own, 10).map((f) => f.chunk)).toEqual([1, 3]);
  });

  it('a half with no hits, or none whose source still exists, adds nothing and breaks nothing', () => {
    const empty: Half = { name: 'text', weight: 0.5, hits: [] };
    const allGone: Half = { name: 'text', weight: 0.5, hits: [{ id: 77, s: 3 }, { id: 78, s: 1 }] };
    const v: Half = { name: 'vector', weight: 0.5, hits: [{ id: 1, s: 0.9 }, { id: 2, s: 0.1 }] };
    for (const first of [empty, allGone]) {
      expect(fuseBySource([first, v], owners([1, 2]), 10)).toEqual([
        { chunk: 1, score: 0.5, matched: ['vector'] },
        { chunk: 2, score: 0.05, matched: ['vector'] },
      ]);
    }
    expect(fuseBySource([empty], owners([1]), 10)).toEqual([]);
  });

  it('skips chunks whose source is gone, and cuts at k', () => {
    const t: Half = { name: 'text', weight: 0.5, hits: [{ id: 1, s: 3 }, { id: 77, s: 2 }, { id: 2, s: 1 }, { id: 3, s: 0.5 }] };
    expect(fuseBySource([t], owners([1, 2, 3]), 2).map((f) => f.chunk)).toEqual([1, 2]);
  });
});
