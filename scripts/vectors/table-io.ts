// Moves the shipped word-vector table between its binary form (src/search/vector-file.ts) and plain
// files a training script can read: `dump <table.bin> <dir>` writes words.txt, vectors.f32 (count × dim,
// dequantised), weights.f32 and common.f32; `load <dir> <table.bin>` reads vectors.f32 back (same words,
// weights), re-quantises it, and recomputes the common component from the corpus when it exists
// (else keeps the dumped one), as export.ts does.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { decodeTable, encodeTable } from '../../src/search/vector-file.js';

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
  let common = f32(`${a}/common.f32`);
  const corpusFile = `${process.env.VECTORS_CACHE ?? '.cache/vectors'}/corpus.txt`;
  if (process.env.KEEP_COMMON !== '1' && existsSync(corpusFile)) {
    // First principal direction of SIF-weighted paragraph vectors (power iteration), as export.ts.
    const index = new Map(words.map((w, i) => [w, i]));
    const corpus = readFileSync(corpusFile, 'utf8').split('\n');
    const step = Math.max(1, Math.floor(corpus.length / 30_000));
    const samples: Float32Array[] = [];
    for (let i = 0; i < corpus.length; i += step) {
      const v = new Float32Array(dim);
      let k = 0;
      for (const t of corpus[i]!.split(' ')) {
        const j = index.get(t);
        if (j === undefined) continue;
        for (let d = 0; d < dim; d++) v[d]! += weights[j]! * raw[j * dim + d]!;
        k++;
      }
      if (k) samples.push(v.map((x) => x / k));
    }
    let u = new Float32Array(dim).fill(1 / Math.sqrt(dim));
    for (let it = 0; it < 50; it++) {
      const next = new Float32Array(dim);
      for (const s of samples) {
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += s[d]! * u[d]!;
        for (let d = 0; d < dim; d++) next[d]! += dot * s[d]!;
      }
      const norm = Math.hypot(...next);
      u = next.map((x) => x / norm);
    }
    common = u;
  }
  if (process.env.NO_COMMON === '1') common = new Float32Array(dim);
  const scales = new Float32Array(count);
  const vectors = new Int8Array(count * dim);
  for (let i = 0; i < count; i++) {
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(raw[i * dim + d]!));
    scales[i] = (max || 1) / 127;
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = Math.round(raw[i * dim + d]! / scales[i]!);
  }
  writeFileSync(b, encodeTable({ dim, count, sifA: meta.sifA, common, scales, weights, vectors, words }));
  console.error(`wrote ${b}`);
} else {
  console.error('usage: table-io.ts dump <table.bin> <dir> | load <dir> <table.bin>');
  process.exit(2);
}
