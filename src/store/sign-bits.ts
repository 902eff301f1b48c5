// One sign bit per dimension of a vector, packed into 32-bit words: stored beside every embedding so
// the search prefilter can load a compact copy of all vectors quickly.

export function signBits(v: Float32Array, words: number, out: Uint32Array, at: number): void {
  for (let w = 0; w < words; w++) {
    let x = 0;
    for (let b = 0; b < 32; b++) {
      const d = w * 32 + b;
      if (d < v.length && v[d]! > 0) x |= 1 << b;
    }
    out[at + w] = x >>> 0;
  }
}
