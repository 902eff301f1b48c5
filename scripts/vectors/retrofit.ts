// EXPERIMENT (issue 15), not part of train.sh: the shipped vectors are NOT retrofitted, because no
// setting below improved search on the evaluation sets' dev questions beyond noise (the measurements
// are recorded at the top of bench/tune-vectors.ts). Kept so those measurements can be reproduced.
//
// Retrofits the static word vectors to WordNet (Faruqui et al. 2015, "Retrofitting word vectors to
// semantic lexicons"): every vocabulary word moves toward the mean of its WordNet neighbours that are
// also in the vocabulary (words of the same synset in its most frequent senses, and the relations
// chosen below), held back by its own trained vector. Same file format, words, order, SIF weights and
// common component as the input; only the vectors change (optionally also: definitions blended in,
// WordNet words added, SIF's a or the vectors' lengths changed, all-but-the-top post-processing).
// WordNet: Debian's wordnet-base (apt-get download wordnet-base && dpkg -x wordnet-base_*.deb .cache/wordnet/x).
//   npx tsx scripts/vectors/retrofit.ts [--in data/vectors/static-100d.bin] [--out .cache/retro/retrofitted.bin]
//   then: npx tsx bench/tune-vectors.ts data/vectors/static-100d.bin .cache/retro/retrofitted.bin
// Settings are environment variables (RETRO_*, below), so a shell loop can write a grid of tables.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeTable, encodeTable } from '../../src/search/vector-file.js';
import { STOPWORDS_EN } from '../../src/search/stopwords.js';
import { words } from '../../src/search/tokenize.js';

const { values } = parseArgs({
  options: {
    in: { type: 'string', default: 'data/vectors/static-100d.bin' },
    out: { type: 'string', default: '.cache/retro/retrofitted.bin' },
    wordnet: { type: 'string', default: process.env.WORDNET_DIR ?? '.cache/wordnet/x/usr/share/wordnet' },
  },
});
const env = (k: string, d: string) => process.env[k] ?? d;
/** Which WordNet relations link words: syn (same synset), hyper (@, @i, and back), similar (&), also (^), deriv (+), pert (\). */
const RELATIONS = new Set(env('RETRO_RELATIONS', 'syn').split(','));
/** Only a word's first SENSES senses (WordNet lists them most frequent first): rare senses are noise here. */
const SENSES = Number(env('RETRO_SENSES', '3'));
/** Weight of a word's own trained vector against its neighbours' (whose weights sum to 1). */
const ALPHA = Number(env('RETRO_ALPHA', '1'));
const ITERATIONS = Number(env('RETRO_ITER', '10'));
/** Inflected vocabulary words (files, crashed) take their lemma's neighbours, in the lemma's form. */
const INFLECT = env('RETRO_INFLECT', '1') === '1';
/** Keep each word's original vector length (the runtime sums raw vectors, so length is weight). */
const KEEP_NORM = env('RETRO_KEEP_NORM', '1') === '1';
/** A WordNet link is kept only if the trained vectors already put its words this close (wrong senses drift apart). */
const MIN_COS = Number(env('RETRO_MIN_COS', '-1'));
/** The FIXED most frequent words keep their trained vectors (the Korean lexicon translates into them). */
const FIXED = Number(env('RETRO_FIXED', '0'));
/** All-but-the-top (Mu & Viswanath 2018): remove the mean and this many top principal directions first. */
const ABTT = Number(env('RETRO_ABTT', '0'));
/** SIF's a (weights a / (a + p(w)), p(w) recovered from the exported weights); the export uses 1e-3. */
const SIF_A = process.env.RETRO_SIF_A ? Number(process.env.RETRO_SIF_A) : undefined;
/** Blend each word with its WordNet definitions (the SIF mean of the gloss's words), at this weight (0: off). */
const GLOSS = Number(env('RETRO_GLOSS', '0'));
/** Add WordNet words the corpus never had (attested in SemCor, single words) with their neighbours' mean vector, at this SIF weight (0: off). */
const ADD_WEIGHT = Number(env('RETRO_ADD', '0'));
/** A word vector's length becomes its trained length to this power (0: all unit length). */
const NORM_POW = Number(env('RETRO_NORM_POW', '1'));

const POS = { noun: 'n', verb: 'v', adj: 'a', adv: 'r' } as const;
type Pos = (typeof POS)[keyof typeof POS];

interface Synset {
  words: string[];
  gloss: string;
  ptrs: { sym: string; key: string; src: number; dst: number }[];
}
const synsets = new Map<string, Synset>();
const senses = new Map<string, string[]>(); // lemma → synset keys, most frequent first (all parts of speech)
const tagged = new Set<string>(); // lemmas with a sense seen in the SemCor corpus (tagsense_cnt > 0): everyday words
const keyOf = (pos: string, offset: string) => `${pos === 's' ? 'a' : pos}${offset}`;

for (const [file, pos] of Object.entries(POS) as [string, Pos][]) {
  for (const line of readFileSync(`${values.wordnet}/data.${file}`, 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const [head, gloss = ''] = line.split(' | ');
    const f = head!.trim().split(' ');
    const offset = f[0]!;
    const wcnt = parseInt(f[3]!, 16);
    const words: string[] = [];
    for (let i = 0; i < wcnt; i++) words.push(f[4 + 2 * i]!.replace(/\(.*\)$/, '').toLowerCase());
    let at = 4 + 2 * wcnt;
    const pcnt = Number(f[at++]);
    const ptrs: Synset['ptrs'] = [];
    for (let i = 0; i < pcnt; i++, at += 4) {
      const st = f[at + 3]!;
      ptrs.push({ sym: f[at]!, key: keyOf(f[at + 2]!, f[at + 1]!), src: parseInt(st.slice(0, 2), 16), dst: parseInt(st.slice(2), 16) });
    }
    synsets.set(keyOf(pos, offset), { words, gloss, ptrs });
  }
  for (const line of readFileSync(`${values.wordnet}/index.${file}`, 'utf8').split('\n')) {
    if (!line || line.startsWith(' ')) continue;
    const f = line.trim().split(' ');
    const pcnt = Number(f[3]);
    const offsets = f.slice(4 + pcnt + 2);
    if (Number(f[4 + pcnt + 1]) > 0) tagged.add(f[0]!);
    const list = senses.get(f[0]!) ?? senses.set(f[0]!, []).get(f[0]!)!;
    list.push(...offsets.slice(0, SENSES).map((o) => keyOf(pos, o)));
  }
}

// WordNet's exception lists and its detachment rules (morphy), to find an inflected word's lemmas.
const exceptions = new Map<string, string[]>();
for (const file of Object.keys(POS)) {
  for (const line of readFileSync(`${values.wordnet}/${file}.exc`, 'utf8').split('\n')) {
    const [w, ...lemmas] = line.trim().split(' ');
    if (w && lemmas.length) exceptions.set(w, [...(exceptions.get(w) ?? []), ...lemmas]);
  }
}
const RULES: [string, string][] = [
  ['s', ''], ['ses', 's'], ['xes', 'x'], ['zes', 'z'], ['ches', 'ch'], ['shes', 'sh'], ['men', 'man'], ['ies', 'y'],
  ['es', 'e'], ['es', ''], ['ed', 'e'], ['ed', ''], ['ing', 'e'], ['ing', ''], ['er', ''], ['est', ''], ['er', 'e'], ['est', 'e'],
];
function lemmas(w: string): string[] {
  if (senses.has(w)) return [w];
  if (!INFLECT) return [];
  const out = new Set(exceptions.get(w) ?? []);
  for (const [suf, rep] of RULES) if (w.endsWith(suf) && w.length > suf.length + 1) out.add(w.slice(0, -suf.length) + rep);
  // Doubled consonants: stopped → stop, running → run.
  const m = /^(.*)([bdgklmnprt])\2(ed|ing)$/.exec(w);
  if (m) out.add(m[1]! + m[2]!);
  return [...out].filter((l) => senses.has(l));
}

/** A synset's neighbours, by relation, as lemma lists. */
function related(key: string, from: string): string[] {
  const s = synsets.get(key)!;
  const out: string[] = [];
  if (RELATIONS.has('syn')) out.push(...s.words);
  const me = s.words.indexOf(from) + 1;
  for (const p of s.ptrs) {
    const rel =
      p.sym === '@' || p.sym === '@i' ? 'hyper' : p.sym === '~' || p.sym === '~i' ? 'hypo' : p.sym === '&' ? 'similar'
      : p.sym === '^' ? 'also' : p.sym === '+' ? 'deriv' : p.sym === '\\' || p.sym === '<' ? 'pert' : undefined;
    if (!rel || !RELATIONS.has(rel)) continue;
    const t = synsets.get(p.key);
    if (!t) continue;
    if (p.src === 0) out.push(...t.words);
    else if (p.src === me) out.push(t.words[p.dst - 1]!);
  }
  return out;
}

const table = decodeTable(readFileSync(values.in));
const { dim, count } = table;
const index = new Map(table.words.map((w, i) => [w, i]));
const orig = new Float32Array(count * dim);
const norms = new Float32Array(count);
for (let i = 0; i < count; i++) {
  let n = 0;
  for (let d = 0; d < dim; d++) {
    const x = table.vectors[i * dim + d]! * table.scales[i]!;
    orig[i * dim + d] = x;
    n += x * x;
  }
  norms[i] = Math.sqrt(n) || 1;
  for (let d = 0; d < dim; d++) orig[i * dim + d]! /= norms[i]!; // retrofit unit vectors (as the paper does)
}

function cosine(i: number, j: number): number {
  let s = 0;
  for (let d = 0; d < dim; d++) s += orig[i * dim + d]! * orig[j * dim + d]!;
  return s;
}

if (ABTT > 0) {
  const mean = new Float64Array(dim);
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) mean[d]! += orig[i * dim + d]! / count;
  for (let i = 0; i < count; i++) for (let d = 0; d < dim; d++) orig[i * dim + d]! -= mean[d]!;
  for (let c = 0; c < ABTT; c++) {
    let u = new Float64Array(dim).fill(1 / Math.sqrt(dim));
    for (let it = 0; it < 30; it++) {
      const next = new Float64Array(dim);
      for (let i = 0; i < count; i++) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += orig[i * dim + d]! * u[d]!;
        for (let d = 0; d < dim; d++) next[d]! += dot * orig[i * dim + d]!;
      }
      const n = Math.hypot(...next);
      u = next.map((x) => x / n);
    }
    for (let i = 0; i < count; i++) {
      let dot = 0;
      for (let d = 0; d < dim; d++) dot += orig[i * dim + d]! * u[d]!;
      for (let d = 0; d < dim; d++) orig[i * dim + d]! -= dot * u[d]!;
    }
  }
  for (let i = 0; i < count; i++) {
    let n = 0;
    for (let d = 0; d < dim; d++) n += orig[i * dim + d]! ** 2;
    n = Math.sqrt(n) || 1;
    for (let d = 0; d < dim; d++) orig[i * dim + d]! /= n;
  }
}

if (GLOSS > 0) {
  const base = orig.slice();
  for (let i = FIXED; i < count; i++) {
    const w = table.words[i]!;
    if (!/^[a-z][a-z-]*$/.test(w)) continue;
    const g = new Float32Array(dim);
    let senseCount = 0;
    for (const lemma of lemmas(w)) {
      for (const key of senses.get(lemma)!) {
        const s = synsets.get(key)!;
        const v = new Float32Array(dim);
        let n = 0;
        for (const t of [...words(s.gloss.replace(/"[^"]*"/g, ' ')), ...s.words.filter((x) => !x.includes('_'))]) {
          if (STOPWORDS_EN.has(t) || t === lemma || t === w) continue;
          const j = index.get(t);
          if (j === undefined) continue;
          for (let d = 0; d < dim; d++) v[d]! += table.weights[j]! * base[j * dim + d]!;
          n++;
        }
        if (n === 0) continue;
        const len = Math.hypot(...v) || 1;
        for (let d = 0; d < dim; d++) g[d]! += v[d]! / len;
        senseCount++;
      }
    }
    if (senseCount === 0) continue;
    let len = 0;
    for (let d = 0; d < dim; d++) len += (orig[i * dim + d]! += (GLOSS * g[d]!) / senseCount) ** 2;
    len = Math.sqrt(len) || 1;
    for (let d = 0; d < dim; d++) orig[i * dim + d]! /= len;
  }
}

// The graph: vocabulary word → vocabulary neighbours (single words only; multi-word lemmas like
// "blow_up" are not tokens), made symmetric.
const edges: Set<number>[] = Array.from({ length: count }, () => new Set<number>());
for (let i = 0; i < count; i++) {
  const w = table.words[i]!;
  if (!/^[a-z][a-z-]*$/.test(w)) continue;
  for (const lemma of lemmas(w)) {
    for (const key of senses.get(lemma)!) {
      for (const n of related(key, lemma)) {
        if (n.includes('_') || n === lemma) continue;
        const j = index.get(n);
        if (j !== undefined && j !== i && cosine(i, j) >= MIN_COS) {
          edges[i]!.add(j);
          edges[j]!.add(i);
        }
      }
    }
  }
}
let linked = 0;
let links = 0;
for (const e of edges) if (e.size) (linked++, (links += e.size));

let cur = orig.slice();
for (let it = 0; it < ITERATIONS; it++) {
  const next = orig.slice();
  for (let i = 0; i < count; i++) {
    const e = edges[i]!;
    if (e.size === 0 || i < FIXED) continue;
    const b = 1 / e.size;
    for (let d = 0; d < dim; d++) {
      let s = ALPHA * orig[i * dim + d]!;
      for (const j of e) s += b * cur[j * dim + d]!;
      next[i * dim + d] = s / (ALPHA + 1);
    }
  }
  cur = next;
}

const added: string[] = [];
const addedVectors: Float32Array[] = [];
if (ADD_WEIGHT > 0) {
  const sortedNorms = [...norms].sort((a, b) => a - b);
  const median = sortedNorms[Math.floor(sortedNorms.length / 2)]!;
  for (const lemma of [...tagged].sort()) {
    if (!/^[a-z]{3,}$/.test(lemma) || index.has(lemma)) continue;
    const ns = new Set<number>();
    for (const key of senses.get(lemma)!) for (const n of related(key, lemma)) {
      const j = index.get(n);
      if (j !== undefined) ns.add(j);
    }
    if (ns.size === 0) continue;
    const v = new Float32Array(dim);
    for (const j of ns) for (let d = 0; d < dim; d++) v[d]! += cur[j * dim + d]!;
    const len = Math.hypot(...v) || 1;
    for (let d = 0; d < dim; d++) v[d] = (v[d]! / len) * median;
    added.push(lemma);
    addedVectors.push(v);
  }
}

// With NORM_POW ≠ 1, scale so the mean length stays that of the trained vectors.
let NORM_MEAN = 1;
if (NORM_POW !== 1) {
  let a = 0;
  let b = 0;
  for (let i = 0; i < count; i++) (a += norms[i]!), (b += norms[i]! ** NORM_POW);
  NORM_MEAN = a / b;
}
let weights = table.weights;
let sifA = table.sifA;
if (SIF_A !== undefined) {
  weights = table.weights.map((w) => SIF_A / (SIF_A + (table.sifA * (1 - w)) / w));
  sifA = SIF_A;
}
const scales = new Float32Array(count);
const vectors = new Int8Array(count * dim);
for (let i = 0; i < count; i++) {
  let n = 0;
  for (let d = 0; d < dim; d++) n += cur[i * dim + d]! ** 2;
  const k = (KEEP_NORM ? norms[i]! ** NORM_POW / (Math.sqrt(n) || 1) : norms[i]!) * NORM_MEAN;
  let max = 0;
  for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs((cur[i * dim + d]! *= k)));
  scales[i] = (max || 1) / 127;
  for (let d = 0; d < dim; d++) vectors[i * dim + d] = Math.round(cur[i * dim + d]! / scales[i]!);
}
const total = count + added.length;
const allScales = new Float32Array(total);
allScales.set(scales);
const allWeights = new Float32Array(total);
allWeights.set(weights);
const allVectors = new Int8Array(total * dim);
allVectors.set(vectors);
added.forEach((w, k) => {
  const i = count + k;
  const v = addedVectors[k]!;
  const max = Math.max(...v.map(Math.abs)) || 1;
  allScales[i] = max / 127;
  allWeights[i] = ADD_WEIGHT;
  for (let d = 0; d < dim; d++) allVectors[i * dim + d] = Math.round(v[d]! / allScales[i]!);
});
const buf = encodeTable({ ...table, count: total, words: [...table.words, ...added], sifA, weights: allWeights, scales: allScales, vectors: allVectors });
mkdirSync(dirname(values.out), { recursive: true });
writeFileSync(values.out, buf);
console.error(
  `${added.length ? `added ${added.length} words; ` : ''}retrofit ${[...RELATIONS].join('+')} senses≤${SENSES} alpha=${ALPHA} inflect=${INFLECT}: ${linked} of ${count} words linked (${(links / Math.max(linked, 1)).toFixed(1)} neighbours each); ` +
    `wrote ${values.out} (${buf.length} bytes, sha256 ${createHash('sha256').update(buf).digest('hex')})`,
);
