// Learns the Korean→English lexicon from the parallel text of parallel-ko.ts with IBM Model 1
// (expectation–maximisation of t(english word | korean unit), with a null word), then keeps, for each
// Korean unit seen often enough, its few likeliest English words. Korean units are word prefixes
// (src/search/korean.ts), English words are the vectors' own tokens (src/search/tokenize.ts), so the
// runtime looks words up exactly as they were learned.
// Output: .cache/vectors/ko-en-lexicon.tsv ("unit<TAB>count<TAB>word:p word:p …"); export.ts packs it.
import { createReadStream, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { hangulWords, prefixes } from '../../src/search/korean.js';
import { words } from '../../src/search/tokenize.js';
import { STOPWORDS_EN } from '../../src/search/stopwords.js';

const CACHE = process.env.VECTORS_CACHE ?? '.cache/vectors';
const ITERATIONS = Number(process.env.LEXICON_ITERATIONS ?? 8);
const MIN_UNIT = 4; // a Korean unit seen in fewer pairs has no reliable translation
const MIN_WORD = 2;
const KEEP_P = 0.04; // translations less likely than this are noise
const KEEP_N = 5;
const MAX_SIDE = 60; // tokens per side: longer pairs are loose paragraph alignments

const unitIds = new Map<string, number>();
const wordIds = new Map<string, number>();
const unitNames: string[] = [];
const wordNames: string[] = [];
const intern = (m: Map<string, number>, names: string[], s: string) => {
  let id = m.get(s);
  if (id === undefined) {
    id = names.length;
    m.set(s, id);
    names.push(s);
  }
  return id;
};

// Pass 1: read and intern every pair; count in how many pairs each unit and word appears.
const pairs: { k: Int32Array; e: Int32Array }[] = [];
const unitDf: number[] = [];
const wordDf: number[] = [];
const rl = createInterface({ input: createReadStream(`${CACHE}/ko-en.tsv`, 'utf8'), crlfDelay: Infinity });
for await (const line of rl) {
  const tab = line.indexOf('\t');
  if (tab < 0) continue;
  const en = [...new Set(words(line.slice(0, tab)).filter((w) => !STOPWORDS_EN.has(w) && !/^\d+$/.test(w)))];
  const ko = [...new Set(hangulWords(line.slice(tab + 1)).flatMap(prefixes))];
  if (!en.length || !ko.length || en.length > MAX_SIDE || ko.length > 4 * MAX_SIDE) continue;
  const k = Int32Array.from(ko, (u) => intern(unitIds, unitNames, u));
  const e = Int32Array.from(en, (w) => intern(wordIds, wordNames, w));
  for (const id of k) unitDf[id] = (unitDf[id] ?? 0) + 1;
  for (const id of e) wordDf[id] = (wordDf[id] ?? 0) + 1;
  pairs.push({ k, e });
}
console.error(`${pairs.length} pairs, ${unitNames.length} korean units, ${wordNames.length} english words`);

// Rare units and words are dropped from every pair before training (they would only absorb mass).
const NULL = -1;
const data = pairs
  .map(({ k, e }) => ({ k: k.filter((id) => unitDf[id]! >= MIN_UNIT), e: e.filter((id) => wordDf[id]! >= MIN_WORD) }))
  .filter((p) => p.e.length > 0);

// t[k] maps english word → t(e|k); null word's table is a plain array.
const t = new Map<number, Map<number, number>>();
const tNull = new Float64Array(wordNames.length).fill(1 / wordNames.length);
const init = 1 / wordNames.length;
for (let it = 0; it < ITERATIONS; it++) {
  const count = new Map<number, Map<number, number>>();
  const total = new Map<number, number>();
  const countNull = new Float64Array(wordNames.length);
  let logLik = 0;
  for (const { k, e } of data) {
    for (const w of e) {
      let z = tNull[w]!;
      for (const u of k) z += t.get(u)?.get(w) ?? init;
      logLik += Math.log(z / (k.length + 1));
      countNull[w]! += tNull[w]! / z;
      for (const u of k) {
        const c = (t.get(u)?.get(w) ?? init) / z;
        let row = count.get(u);
        if (!row) count.set(u, (row = new Map()));
        row.set(w, (row.get(w) ?? 0) + c);
        total.set(u, (total.get(u) ?? 0) + c);
      }
    }
  }
  t.clear();
  for (const [u, row] of count) {
    const sum = total.get(u)!;
    for (const [w, c] of row) row.set(w, c / sum);
    t.set(u, row);
  }
  const nullSum = countNull.reduce((a, b) => a + b, 0);
  for (let w = 0; w < tNull.length; w++) tNull[w] = countNull[w]! / nullSum;
  console.error(`iteration ${it + 1}: log-likelihood per word ${(logLik / data.reduce((a, p) => a + p.e.length, 0)).toFixed(4)}`);
}

const lines: string[] = [];
for (const [u, row] of t) {
  const best = [...row.entries()]
    .filter(([, p]) => p >= KEEP_P)
    .sort((a, b) => b[1] - a[1])
    .slice(0, KEEP_N);
  if (best.length) lines.push(`${unitNames[u]}\t${unitDf[u]}\t${best.map(([w, p]) => `${wordNames[w]}:${p.toFixed(3)}`).join(' ')}`);
}
lines.sort();
writeFileSync(`${CACHE}/ko-en-lexicon.tsv`, lines.join('\n') + '\n');
console.error(`${lines.length} korean units with translations → ${CACHE}/ko-en-lexicon.tsv`);
