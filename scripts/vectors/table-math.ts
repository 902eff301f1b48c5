// The two computations every writer of the shipped word-vector table shares (export.ts after fasttext,
// table-io.ts after fine-tuning): the corpus's common component and the int8 quantisation.

/**
 * First principal direction of SIF-weighted paragraph vectors (power iteration over ~`sample` corpus
 * lines): what the runtime removes from every text's vector (Arora et al. 2017).
 */
export function commonComponent(
  corpus: string[],
  index: Map<string, number>,
  vector: (j: number) => ArrayLike<number>,
  weights: Float32Array,
  dim: number,
  sample = 30_000,
): { u: Float32Array; paragraphs: number } {
  const step = Math.max(1, Math.floor(corpus.length / sample));
  const samples: Float32Array[] = [];
  for (let i = 0; i < corpus.length; i += step) {
    const v = new Float32Array(dim);
    let k = 0;
    for (const t of corpus[i]!.split(' ')) {
      const j = index.get(t);
      if (j === undefined) continue;
      const wv = vector(j);
      for (let d = 0; d < dim; d++) v[d]! += weights[j]! * wv[d]!;
      k++;
    }
    if (k === 0) continue;
    for (let d = 0; d < dim; d++) v[d]! /= k;
    samples.push(v);
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
  return { u, paragraphs: samples.length };
}

/** Each word's vector as int8 with its own scale (its largest magnitude maps to 127). */
export function quantise(vector: (i: number) => ArrayLike<number>, count: number, dim: number): { scales: Float32Array; vectors: Int8Array } {
  const scales = new Float32Array(count);
  const vectors = new Int8Array(count * dim);
  for (let i = 0; i < count; i++) {
    const v = vector(i);
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(v[d]!));
    scales[i] = (max || 1) / 127;
    for (let d = 0; d < dim; d++) vectors[i * dim + d] = Math.round(v[d]! / scales[i]!);
  }
  return { scales, vectors };
}
