// npx tsx bench/tune-fusion.ts [--split heldout]: query-dependent ("confidence-aware") fusion (issue 15's
// first direction). Each question's two halves are run once, exactly as core/docs/search.ts runs them;
// the fusion is then replayed here with the text half's weight chosen per query from signals known at
// query time, or with another normalisation of each half's scores. Prints MRR@10 per kind, the paired
// bootstrap Δ against the shipped fusion (relative, text 0.6), and two checks of how much any one signal
// could give: the best two-level rule fitted on all dev questions (an upper bound, in-sample), and the
// same rule fitted on two sets and scored on the third. DEV questions only unless --split heldout (for
// the one report after a setting was chosen). Results and what was kept: bench/tune-search.ts's header.
import { search } from '../src/core/docs/search.js';
import { textHalf, vectorSearch } from '../src/search/candidates.js';
import { ftsMatch, ftsTerms } from '../src/search/fts-text.js';
import { hasHangul } from '../src/search/korean.js';
import { koreanLexicon } from '../src/search/lexicon.js';
import { staticEmbedder } from '../src/search/static-embedder-adapter.js';
import { chunkOwners, describeChunks, type ScoredChunk } from '../src/store/search-index.js';
import { bootstrap, fileRanking, scoreQuestion, seedOf } from '../test/helpers/search-eval/metrics.js';
import { indexSet } from '../test/helpers/search-eval/run.js';
import { KINDS, listSets, loadSet, type Query } from '../test/helpers/search-eval/sets.js';
import { tempWorkspace } from '../test/helpers/workspace.js';

const argv = process.argv.slice(2);
const split = argv.includes('--split') ? argv[argv.indexOf('--split') + 1] : 'dev';
if (split !== 'dev' && split !== 'heldout') throw new Error('--split is dev or heldout');

interface Hit extends ScoredChunk {
  owner: string;
  file: string;
}
interface Question {
  set: string;
  query: Query;
  text: Hit[];
  vector: Hit[];
  /** Chunks in the index, and each full-text term's count of chunks holding it (extra FTS5 queries: bench only). */
  n: number;
  df: Map<string, number>;
  /** The best text hit's heading and body. */
  topText: string;
  shipped: string[];
}

// ---- the halves, once per question ----
const questions: Question[] = [];
for (const name of listSets()) {
  const set = loadSet(name);
  const t = tempWorkspace();
  try {
    await indexSet(t.call, set, staticEmbedder);
    const db = t.call.ws.db;
    const n = (db.prepare('SELECT COUNT(*) AS n FROM chunks').get() as { n: number }).n;
    const count = db.prepare('SELECT COUNT(*) AS n FROM chunks_fts WHERE chunks_fts MATCH ?');
    for (const query of set.queries.filter((x) => x.split === split)) {
      // As core/docs/search.ts: a Korean question's likely English translations join its full-text query.
      const also = hasHangul(query.q) ? koreanLexicon().translate(query.q, 0.1).map((x) => x.word) : [];
      const words = ftsTerms(query.q, also);
      const match = ftsMatch(words);
      const text = textHalf(db, words, {});
      const [v] = await staticEmbedder.embed([query.q]);
      const vector = v ? vectorSearch(db, v, staticEmbedder.id, {}).hits : [];
      const ids = [...new Set([...text, ...vector].map((h) => h.id))];
      const owners = chunkOwners(db, ids);
      const info = describeChunks(db, ids);
      const hit = (h: ScoredChunk): Hit => ({ ...h, owner: owners.get(h.id)!, file: info.get(h.id)!.doc_path!.split('/').pop()! });
      const df = new Map<string, number>();
      for (const m of (match ?? '').matchAll(/"([^"]+)"/g)) df.set(m[1]!, (count.get(`"${m[1]}"`) as { n: number }).n);
      const top = text[0] ? info.get(text[0].id)! : undefined;
      const shipped = await search(t.call, { query: query.q, k: 50 }, staticEmbedder);
      questions.push({
        set: name, query, n, df, text: text.map(hit), vector: vector.map(hit),
        topText: top ? `${top.heading} ${top.body}`.toLowerCase() : '',
        shipped: fileRanking(shipped.results.map((h) => h.path)),
      });
    }
  } finally {
    t.cleanup();
  }
}

// ---- fusion, replayed: search/fuse.ts's 'relative' fusion and search.ts's vector-only cut, normaliser and weight swappable ----
const FOUND = 0.1;
interface Src { owner: string; file: string; s: number }
type Norm = (s: number, sources: Src[], hits: Hit[]) => number;
function bySource(hits: Hit[]): Src[] {
  const seen = new Set<string>();
  return hits.filter((h) => !seen.has(h.owner) && seen.add(h.owner));
}
const relative: Norm = (s, sources, hits) => {
  const hi = sources[0]!.s;
  const lo = Math.min(...hits.map((h) => h.s));
  return hi > lo ? FOUND + ((1 - FOUND) * (s - lo)) / (hi - lo) : 1;
};
function fuse(q: Question, wText: number, normText: Norm = relative, normVector: Norm = relative): string[] {
  const fused = new Map<string, { score: number; file: string; text: boolean }>();
  for (const [hits, w, norm, isText] of [[q.text, wText, normText, true], [q.vector, 1 - wText, normVector, false]] as const) {
    const sources = bySource(hits);
    for (const src of sources) {
      const e = fused.get(src.owner) ?? { score: 0, file: src.file, text: false };
      e.score += w * norm(src.s, sources, hits);
      e.text ||= isText;
      fused.set(src.owner, e);
    }
  }
  const ranked = [...fused.values()].sort((a, b) => b.score - a.score).slice(0, 50);
  const best = ranked[0]?.score ?? 0;
  return fileRanking(ranked.filter((f) => f.text || f.score >= 0.25 * best).map((f) => f.file));
}
const mrr = (q: Question, ranked: string[]) => scoreQuestion(ranked, q.query.relevant).mrr10;

// ---- signals known at query time ----
const clamp = (x: number) => Math.max(0, Math.min(1, x));
/** The text weight when each half's share is scaled by its confidence. */
const mix = (w: number, confText: number, confVector: number) => (w * confText) / (w * confText + (1 - w) * confVector || 1);
function spread(hits: Hit[]) {
  const xs = hits.map((h) => h.s);
  const mu = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  return { mu, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mu) ** 2, 0) / (xs.length || 1)), hi: Math.max(...xs), lo: Math.min(...xs) };
}
/** How many standard deviations the half's best chunk stands above its pool. */
const topZ = (hits: Hit[]) => {
  const s = spread(hits);
  return hits.length > 1 && s.sd > 0 ? (s.hi - s.mu) / s.sd : 1;
};
/** The best source's lead over the runner-up, on the half's own relative scale (0–0.9). */
const lead = (hits: Hit[]) => {
  const src = bySource(hits);
  return src.length < 2 ? 1 - FOUND : relative(src[0]!.s, src, hits) - relative(src[1]!.s, src, hits);
};
const idf = (q: Question, term: string) => Math.log((q.n - q.df.get(term)! + 0.5) / (q.df.get(term)! + 0.5) + 1);
const matchedTerms = (q: Question) => [...q.df.keys()].filter((t) => q.df.get(t)! > 0);
/** The best bm25 against the sum of the matched words' idf: how much of what the query could score the top hit got. */
const sumIdf = (q: Question) => matchedTerms(q).reduce((a, t) => a + idf(q, t), 0);
const bm25Confidence = (q: Question) => (sumIdf(q) > 0 ? (q.text[0]?.s ?? 0) / sumIdf(q) : 0);
/** Share of the full-text terms any chunk holds. */
const found = (q: Question) => (q.df.size ? matchedTerms(q).length / q.df.size : 0);
/** Share of the matched words the best text hit holds (a 5-letter prefix stands in for porter's stem). */
const topCover = (q: Question) => {
  const m = matchedTerms(q);
  return m.length ? m.filter((t) => q.topText.includes(t.slice(0, 5))).length / m.length : 0;
};
const maxNorm: Norm = (s, sources) => (sources[0]!.s > 0 ? s / sources[0]!.s : 1);
const zNorm: Norm = (s, _sources, hits) => {
  const d = spread(hits);
  return d.sd > 0 ? (s - d.lo) / d.sd : 1;
};

const SETTINGS: { name: string; run: (q: Question) => string[] }[] = [
  { name: 'shipped: relative, text 0.6', run: (q) => fuse(q, 0.6) },
  ...[0.5, 0.6, 0.7].map((w) => ({ name: `each half × its best chunk's z in its pool, base ${w}`, run: (q: Question) => fuse(q, mix(w, topZ(q.text), topZ(q.vector))) })),
  ...[0.5, 1, 2].map((a) => ({ name: `0.6 + ${a} × (text lead − vector lead)`, run: (q: Question) => fuse(q, clamp(0.6 + a * (lead(q.text) - lead(q.vector)))) })),
  ...[0.5, 1, 2].map((b) => ({ name: `text × (bm25 / Σ idf matched)^${b}`, run: (q: Question) => fuse(q, mix(0.6, bm25Confidence(q) ** b, 1)) })),
  ...[1, 2].map((b) => ({ name: `text × (share of words found)^${b}`, run: (q: Question) => fuse(q, mix(0.6, found(q) ** b, 1)) })),
  ...[0.4, 0.8].map((a) => ({ name: `0.6 + ${a} × (top text hit's word cover − 0.5)`, run: (q: Question) => fuse(q, clamp(0.6 + a * (topCover(q) - 0.5))) })),
  { name: 'max-normalised (score / half\'s best), 0.6', run: (q) => fuse(q, 0.6, maxNorm, maxNorm) },
  { name: 'text max-normalised, vector raw cosine, 0.6', run: (q) => fuse(q, 0.6, maxNorm, (s) => s) },
  { name: 'text bm25 / Σ idf matched, vector relative, 0.6', run: (q) => fuse(q, 0.6, (s) => s / (sumIdf(q) || 1)) },
  { name: 'text relative, vector raw cosine, 0.6', run: (q) => fuse(q, 0.6, relative, (s) => s) },
  ...[0.5, 0.6].map((w) => ({ name: `z-score CombSUM ((s − pool's worst) / sd), ${w}`, run: (q: Question) => fuse(q, w, zNorm, zNorm) })),
];

const base = questions.map((q) => mrr(q, q.shipped));
const replayed = questions.filter((q, i) => mrr(q, fuse(q, 0.6)) !== base[i]).length;
if (replayed) throw new Error(`the replayed fusion differs from search() on ${replayed} questions: bring it in line with search/fuse.ts`);
const idx = (kind?: string) => questions.map((q, i) => (!kind || q.query.kind === kind ? i : -1)).filter((i) => i >= 0);
const fmtΔ = (xs: number[], label: string) => {
  const e = bootstrap(xs, seedOf(label));
  return `${e.mean >= 0 ? '+' : ''}${e.mean.toFixed(3)} [${e.lo.toFixed(3)}, ${e.hi.toFixed(3)}]`;
};
const rows = [
  '| setting | words | paraphrase | korean | all | better/worse | Δ all [95%] | Δ words | Δ paraphrase | Δ korean |',
  '|---|---|---|---|---|---|---|---|---|---|',
];
for (const s of SETTINGS) {
  const m = questions.map((q) => mrr(q, s.run(q)));
  const mean = (is: number[]) => (is.reduce((a, i) => a + m[i]!, 0) / is.length).toFixed(3);
  const Δ = (kind?: string) => fmtΔ(idx(kind).map((i) => m[i]! - base[i]!), `${s.name} ${kind ?? 'all'}`);
  const up = m.filter((x, i) => x > base[i]! + 1e-9).length;
  const down = m.filter((x, i) => x < base[i]! - 1e-9).length;
  rows.push(`| ${s.name} | ${KINDS.map((k) => mean(idx(k))).join(' | ')} | ${mean(idx())} | ${up}/${down} | ${Δ()} | ${KINDS.map((k) => Δ(k)).join(' | ')} |`);
}

// ---- how much any one signal could give: a two-level rule (weight below θ, weight above), fitted ----
const WEIGHTS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
const at = questions.map((q) => WEIGHTS.map((w) => mrr(q, fuse(q, w))));
const SIGNALS: Record<string, (q: Question) => number> = {
  'text lead': (q) => lead(q.text),
  'vector lead': (q) => lead(q.vector),
  'text − vector lead': (q) => lead(q.text) - lead(q.vector),
  'best bm25': (q) => q.text[0]?.s ?? 0,
  'best cosine': (q) => q.vector[0]?.s ?? 0,
  'text best z': (q) => topZ(q.text),
  'vector best z': (q) => topZ(q.vector),
  'bm25 / Σ idf matched': bm25Confidence,
  'mean idf matched': (q) => (matchedTerms(q).length ? sumIdf(q) / matchedTerms(q).length : 0),
  'share of words found': found,
  "top text hit's word cover": topCover,
};
function fit(train: number[], signal: (q: Question) => number) {
  const v = questions.map(signal); // computed once: the search below tries every threshold
  let best = { sum: -1, th: 0, lo: 6, hi: 6 };
  for (const th of [...new Set(train.map((i) => v[i]!))])
    for (let lo = 0; lo < WEIGHTS.length; lo++)
      for (let hi = 0; hi < WEIGHTS.length; hi++) {
        const sum = train.reduce((a, i) => a + at[i]![v[i]! < th ? lo : hi]!, 0);
        if (sum > best.sum + 1e-9) best = { sum, th, lo, hi };
      }
  return (i: number) => at[i]![v[i]! < best.th ? best.lo : best.hi]!;
}
const all = idx();
const shippedSum = all.reduce((a, i) => a + base[i]!, 0);
const oracle = all.reduce((a, i) => a + Math.max(...at[i]!), 0);
const bound = [`Best weight per question, known afterwards (ceiling of any rule): ${(oracle / all.length).toFixed(3)} (shipped ${(shippedSum / all.length).toFixed(3)})`, '', '| signal | fitted on all (in-sample) Δ | fitted on two sets, scored on the third Δ |', '|---|---|---|'];
for (const [name, f] of Object.entries(SIGNALS)) {
  const inSample = fit(all, f);
  let crossed = 0;
  for (const held of listSets()) {
    const rule = fit(all.filter((i) => questions[i]!.set !== held), f);
    for (const i of all.filter((j) => questions[j]!.set === held)) crossed += rule(i);
  }
  bound.push(`| ${name} | ${((all.reduce((a, i) => a + inSample(i), 0) - shippedSum) / all.length).toFixed(3)} | ${((crossed - shippedSum) / all.length).toFixed(3)} |`);
}
console.log(split === 'dev' ? 'DEV questions only (tuning):\n' : 'HELD-OUT questions (reporting; never choose by these):\n');
console.log(rows.join('\n'));
console.log(`\n${bound.join('\n')}`);
