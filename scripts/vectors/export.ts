// Turns fasttext's model.vec into the shipped table: the most frequent words, int8-quantised, with SIF
// weights and the common component of the training corpus. Also writes data/vectors/MANIFEST.json.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { encodeTable } from '../../src/search/vector-file.js';
import { SOURCES } from './sources.js';
import { commonComponent, quantise } from './table-math.js';

const CACHE = process.env.VECTORS_CACHE ?? '.cache/vectors';
const OUT = 'data/vectors';
const MAX_WORDS = Number(process.env.VECTORS_MAX_WORDS ?? 60_000);
const SIF_A = 1e-3;
const COMMON_SAMPLE = 30_000;

const lines = readFileSync(`${CACHE}/model.vec`, 'utf8').split('\n');
const [n, dim] = lines[0]!.split(' ').map(Number) as [number, number];
const counts = new Map<string, number>();
let total = 0;
for (const l of readFileSync(`${CACHE}/counts.tsv`, 'utf8').split('\n')) {
  const [w, c] = l.split('\t');
  if (!w) continue;
  counts.set(w, Number(c));
  total += Number(c);
}

// model.vec lists words most frequent first; </s> is fasttext's line-end marker, not a word.
const words: string[] = [];
const raw: Float32Array[] = [];
for (let i = 1; i <= n && words.length < MAX_WORDS; i++) {
  const parts = lines[i]!.trim().split(' ');
  const w = parts[0]!;
  if (w === '</s>' || !counts.has(w)) continue;
  words.push(w);
  raw.push(Float32Array.from(parts.slice(1, dim + 1).map(Number)));
}
const weights = Float32Array.from(words.map((w) => SIF_A / (SIF_A + counts.get(w)! / total)));

// The common component: first principal direction of SIF-weighted paragraph vectors.
const index = new Map(words.map((w, i) => [w, i]));
const corpus = readFileSync(`${CACHE}/corpus.txt`, 'utf8').split('\n');
const { u, paragraphs } = commonComponent(corpus, index, (j) => raw[j]!, weights, dim, COMMON_SAMPLE);
const { scales, vectors } = quantise((i) => raw[i]!, words.length, dim);

mkdirSync(OUT, { recursive: true });
const file = `${OUT}/static-${dim}d.bin`;
const buf = encodeTable({ dim, count: words.length, sifA: SIF_A, common: u, scales, weights, vectors, words });
writeFileSync(file, buf);
const stats = JSON.parse(readFileSync(`${CACHE}/corpus-stats.json`, 'utf8')) as { total_tokens: number; sources: Record<string, unknown> };
writeFileSync(
  `${OUT}/MANIFEST.json`,
  JSON.stringify(
    {
      file,
      sha256: createHash('sha256').update(buf).digest('hex'),
      bytes: buf.length,
      words: words.length,
      dim,
      quantisation: 'int8 per word, with a float32 scale',
      weighting: `SIF: a / (a + p(w)), a = ${SIF_A}; common component from ${paragraphs} corpus paragraphs`,
      training: {
        tool: 'fasttext 0.9.2 (Debian package fasttext)',
        command: 'skipgram -dim 100 -epoch 10 -minCount 5 -ws 5 -neg 10 -minn 3 -maxn 6 -t 1e-4',
        tokens: stats.total_tokens,
        tokenizer: 'src/search/tokenize.ts (the runtime tokenizer)',
      },
      corpus: SOURCES.map((s) => ({ name: s.name, debian_package: s.pkg, licence: s.licence, ...(stats.sources[s.name] as object) })),
      excluded: 'nodejs-doc (Node.js API docs) is the held-out evaluation set and is not in the corpus',
      rebuild: 'bash scripts/vectors/train.sh',
    },
    null,
    2,
  ) + '\n',
);
console.error(`wrote ${file}: ${words.length} words × ${dim}, ${(buf.length / 1e6).toFixed(1)} MB`);
