// Fusion of the two halves by source: each half ranks the sources (documents, tasks, plans) by their
// best chunk, the halves' opinions are combined, and each source is represented by its best chunk.
// Two ways to combine, both measured on the evaluation sets (npm run eval:search):
//   - 'relative' (the default): each half's scores are rescaled within this query's results (best = 1,
//     the pool's worst = FOUND: being found at all is worth something) and summed with a weight per half. A source only one half found,
//     but found with confidence, stays above sources both halves found weakly.
//   - 'rrf': reciprocal rank fusion, the usual constant, equal weights; it ignores how far ahead the
//     best hit is, and buried strong single-half matches under weak double ones.
import type { ScoredChunk } from '../store/search-index.js';

const RRF_K = 60;
const FOUND = 0.1;

export type FusionMethod = 'relative' | 'rrf';

export interface Half {
  name: 'text' | 'vector';
  hits: ScoredChunk[]; // best first
  /** Share of the fused score this half carries under 'relative' fusion (0–1). */
  weight: number;
}

export interface Fused {
  chunk: number;
  score: number;
  matched: ('text' | 'vector')[];
}

/** Each source's best chunk in one half, in the half's order, with its score. */
function bySource(hits: ScoredChunk[], owners: Map<number, string>): { owner: string; id: number; s: number; rank: number }[] {
  const seen = new Set<string>();
  const out: { owner: string; id: number; s: number; rank: number }[] = [];
  for (const h of hits) {
    const owner = owners.get(h.id);
    if (owner === undefined || seen.has(owner)) continue; // gone since; a source counts once per half, at its best chunk
    seen.add(owner);
    out.push({ owner, id: h.id, s: h.s, rank: out.length });
  }
  return out;
}

export function fuseBySource(halves: Half[], owners: Map<number, string>, k: number, method: FusionMethod = 'relative'): Fused[] {
  const fused = new Map<string, { score: number; best: number; bestScore: number; matched: Set<'text' | 'vector'> }>();
  for (const half of halves) {
    const sources = bySource(half.hits, owners);
    if (!sources.length) continue;
    const hi = sources[0]!.s;
    const lo = Math.min(...half.hits.map((h) => h.s));
    for (const src of sources) {
      // Relative: 1 for the half's best, FOUND for the worst chunk it handed over; a half whose hits
      // all score alike gives them all 1 (it cannot tell them apart, and found every one of them).
      const part = method === 'rrf' ? 1 / (RRF_K + src.rank + 1) : half.weight * (hi > lo ? FOUND + ((1 - FOUND) * (src.s - lo)) / (hi - lo) : 1);
      const e = fused.get(src.owner) ?? { score: 0, best: src.id, bestScore: -Infinity, matched: new Set() };
      e.score += part;
      e.matched.add(half.name);
      if (part > e.bestScore) {
        e.best = src.id;
        e.bestScore = part;
      }
      fused.set(src.owner, e);
    }
  }
  return [...fused.values()]
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map((e) => ({ chunk: e.best, score: Math.round(e.score * 10000) / 10000, matched: [...e.matched] }));
}

/** Least share of its source's best text score a further section needs to be shown. */
const MORE_SECTION_SHARE = 0.25;

/**
 * When fewer sources than asked for were found, the further sections of those sources that hold a word of
 * the question (text half), best first, at most `room`: a project of one document answered one section of
 * it however many held the words ("passwords" showed the reset section, never the one saying how they
 * are stored). Each scores its source's score scaled by how it compares with the source's best text chunk,
 * and comes after every source's own hit, so the order of the sources is the same as without them.
 */
export function moreSections(text: ScoredChunk[], owners: Map<number, string>, shown: Fused[], room: number): Fused[] {
  if (room <= 0 || !text.length) return [];
  const sourceOf = new Map<string, { score: number; chunk: number }>();
  for (const f of shown) {
    const owner = owners.get(f.chunk);
    if (owner !== undefined) sourceOf.set(owner, f);
  }
  const best = new Map<string, number>();
  for (const h of text) {
    const owner = owners.get(h.id);
    if (owner !== undefined && !best.has(owner)) best.set(owner, h.s); // text is best first
  }
  const out: Fused[] = [];
  for (const h of text) {
    if (out.length >= room) break;
    const owner = owners.get(h.id);
    const src = owner === undefined ? undefined : sourceOf.get(owner);
    if (!src || src.chunk === h.id) continue;
    const top = best.get(owner!)!;
    const share = top > 0 && h.s > 0 ? Math.min(1, h.s / top) : 0;
    // Far behind its source's best (a word most sections hold), it is noise to read past.
    if (share < MORE_SECTION_SHARE) continue;
    out.push({ chunk: h.id, score: Math.round(src.score * share * 10000) / 10000, matched: ['text'] });
  }
  return out;
}
