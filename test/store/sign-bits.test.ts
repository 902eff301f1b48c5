// Sign bits: one bit per dimension (set when the value is above zero), 32 to a word, the first
// dimension in the lowest bit; a vector whose length is no multiple of 32 leaves its last word's high
// bits clear; each vector's words go at its own offset and nowhere else (the screen packs many).
import { describe, expect, it } from 'vitest';
import { signBits } from '../../src/store/sign-bits.js';

/** The reference: bit d of the packed words is set when v[d] > 0. */
function reference(v: number[], words: number): number[] {
  const out = Array<number>(words).fill(0);
  v.forEach((x, d) => {
    if (x > 0) out[Math.floor(d / 32)] = (out[Math.floor(d / 32)]! | (1 << d % 32)) >>> 0;
  });
  return out;
}

describe('signBits', () => {
  it('packs known vectors into exact words', () => {
    const out = new Uint32Array(1);
    signBits(new Float32Array([1, -1, 0.5, 0, -0, -2, 3]), 1, out, 0);
    expect(out[0]).toBe(0b1000101); // dims 0, 2, 6 are above zero; zero and minus zero are not
    const all = new Uint32Array(1);
    signBits(new Float32Array(32).fill(0.1), 1, all, 0);
    expect(all[0]).toBe(0xffffffff); // the 32nd dimension is the top bit, read back unsigned
  });

  it('puts dimension 32 and on in the next word, and leaves the tail of a short last word clear', () => {
    const v = new Float32Array(70).fill(-1);
    v[31] = 1;
    v[32] = 1;
    v[33] = 1;
    v[69] = 1;
    const out = new Uint32Array(3);
    signBits(v, 3, out, 0);
    expect([...out]).toEqual([0x80000000, 0b11, 1 << 5]);
  });

  it('matches the reference for vectors of lengths around word boundaries', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) * 2 - 1;
    for (const n of [1, 5, 31, 32, 33, 63, 64, 65, 100, 1536]) {
      const v = Array.from({ length: n }, rnd);
      const words = Math.ceil(n / 32);
      const out = new Uint32Array(words);
      signBits(new Float32Array(v), words, out, 0);
      expect([...out], `length ${n}`).toEqual(reference(v, words));
    }
  });

  it('writes its words at the given offset and leaves its neighbours alone', () => {
    const v = new Float32Array(40).fill(1);
    const out = new Uint32Array(5).fill(0x12345678);
    signBits(v, 2, out, 2);
    expect([...out]).toEqual([0x12345678, 0x12345678, 0xffffffff, 0xff, 0x12345678]);
  });
});
