// File-level ranking measures for one question, and a bootstrap interval for their mean over a group
// of questions. Gains are binary (a file answers or it does not): the sets mark relevance, not grades.

export interface QuestionScores {
  mrr10: number;
  recall5: number;
  ndcg10: number;
  /** The search returned no file at all (not "returned the wrong ones"). */
  empty: boolean;
}

/** Distinct file names in the order their best hit ranked. */
export function fileRanking(paths: (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const name = p?.split('/').pop();
    if (name && !out.includes(name)) out.push(name);
  }
  return out;
}

export function scoreQuestion(ranked: string[], relevant: string[]): QuestionScores {
  const first = ranked.slice(0, 10).findIndex((f) => relevant.includes(f));
  let dcg = 0;
  ranked.slice(0, 10).forEach((f, i) => {
    if (relevant.includes(f)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(relevant.length, 10); i++) ideal += 1 / Math.log2(i + 2);
  return {
    mrr10: first >= 0 ? 1 / (first + 1) : 0,
    recall5: ranked.slice(0, 5).filter((f) => relevant.includes(f)).length / relevant.length,
    ndcg10: dcg / ideal,
    empty: ranked.length === 0,
  };
}

// mulberry32: tiny, seedable, good enough for resampling; Math.random would print different
// intervals on every run and make two reports impossible to compare.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A stable seed from a label, so each table cell's interval does not depend on what ran before it. */
export function seedOf(label: string): number {
  let h = 2166136261;
  for (const ch of label) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return h >>> 0;
}

export interface Estimate {
  mean: number;
  lo: number;
  hi: number;
}

/** The mean and its 95% percentile-bootstrap interval (resampling questions with replacement). */
export function bootstrap(values: number[], seed: number, resamples = 1000): Estimate {
  const n = values.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const rand = seededRandom(seed);
  const means: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[Math.floor(rand() * n)]!;
    means.push(s / n);
  }
  means.sort((a, b) => a - b);
  return { mean, lo: means[Math.floor(0.025 * resamples)]!, hi: means[Math.ceil(0.975 * resamples) - 1]! };
}
