// SIMD dot products against a plain loop, for dimensions that fill whole blocks and ones that do not,
// many vectors at once (memory grows), and a stored vector of the wrong length (NaN, never a score).
import { describe, expect, it } from 'vitest';
import { dots } from '../../src/search/dots.js';

let seed = 3;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
const vec = (dim: number) => Float32Array.from({ length: dim }, rand);
const blob = (v: Float32Array) => new Uint8Array(Buffer.from(v.buffer.slice(0)));

describe('dots', () => {
  for (const [dim, n] of [
    [3, 5],
    [100, 300],
    [1536, 2000],
  ] as const) {
    it(`${n} vectors of ${dim} dimensions`, () => {
      const q = vec(dim);
      const vs = Array.from({ length: n }, () => vec(dim));
      const got = dots(q, vs.map(blob));
      expect(got).toHaveLength(n);
      vs.forEach((v, i) => {
        let s = 0;
        for (let d = 0; d < dim; d++) s += q[d]! * v[d]!;
        expect(got[i]).toBeCloseTo(s, 3);
      });
    });
  }

  it('a vector of another length scores NaN and leaves its neighbours right', () => {
    const q = vec(8);
    const a = vec(8);
    const got = dots(q, [blob(a), blob(vec(4)), blob(a)]);
    expect(Number.isNaN(got[1])).toBe(true);
    expect(got[0]).toBeCloseTo(got[2]!, 6);
    expect(got[0]).not.toBeNaN();
  });

  it('no vectors, no scores', () => {
    expect(dots(vec(16), [])).toHaveLength(0);
  });
});
