// Moves the shipped word-vector table between its binary form (src/search/vector-file.ts) and plain
// files a training script can read: `dump <table.bin> <dir>` writes words.txt, vectors.f32 (count × dim,
// dequantised), weights.f32 and common.f32; `load <dir> <table.bin>` reads vectors.f32 back (same words,
// weights), re-quantises it, and recomputes the common component from the corpus when it exists
// (else keeps the dumped one), as export.ts does.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeTable, encodeTable } from '../../src/search/vector-file.js';
import { commonComponent, quantise } from './table-math.js';

const [cmd, a, b] = process.argv.slice(2);
const f32 = (file: string) => {
  const buf = readFileSync(file);
  return new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.length));
};
if (cmd === 'dump' && a && b) {
  const t = decodeTable(readFileSync(a));
  mkdirSync(b, { recursive: true });
  const v = new Float32Array(t.count * t.dim);
  for (let i = 0; i < t.count; i++) for (let d = 0; d < t.dim; d++) v[i * t.dim + d] = t.vectors[i * t.dim + d]! * t.scales[i]!;
  writeFileSync(`${b}/words.txt`, t.words.join('\n') + '\n');
  writeFileSync(`${b}/vectors.f32`, Buffer.from(v.buffer));
  writeFileSync(`${b}/weights.f32`, Buffer.from(t.weights.buffer.slice(0)));
  writeFileSync(`${b}/common.f32`, Buffer.from(t.common.buffer.slice(0)));
  writeFileSync(`${b}/meta.json`, JSON.stringify({ dim: t.dim, count: t.count, sifA: t.sifA }));
  console.error(`dumped ${t.count} × ${t.dim} to ${b}`);
} else if (cmd === 'load' && a && b) {
  const meta = JSON.parse(readFileSync(`${a}/meta.json`, 'utf8')) as { dim: number; count: number; sifA: number };
  const { dim, count } = meta;
  const words = readFileSync(`${a}/words.txt`, 'utf8').split('\n').slice(0, count);
  const raw = f32(`${a}/vectors.f32`);
  const weights = f32(`${a}/weights.f32`);
  let common: Float32Array = f32(`${a}/common.f32`);
  const corpusFile = `${process.env.VECTORS_CACHE ?? '.cache/vectors'}/corpus.txt`;
  if (process.env.KEEP_COMMON !== '1' && existsSync(corpusFile)) {
    const index = new Map(words.map((w, i) => [w, i]));
    const corpus = readFileSync(corpusFile, 'utf8').split('\n');
    const { u } = commonComponent(corpus, index, (j) => raw.subarray(j * dim, (j + 1) * dim), weights, dim);
    common = u;
  }
  if (process.env.NO_COMMON === '1') common = new Float32Array(dim);
  const { scales, vectors } = quantise((i) => raw.subarray(i * dim, (i + 1) * dim), count, dim);
  writeFileSync(b, encodeTable({ dim, count, sifA: meta.sifA, common, scales, weights, vectors, words }));
  console.error(`wrote ${b}`);
} else {
  console.error('usage: table-io.ts dump <table.bin> <dir> | load <dir> <table.bin>');
  process.exit(2);
}
