// The WebAssembly sign-bit scan against a plain popcount: for any dimension (padded or not) and past
// the initial capacity, `nearest` returns exactly the rows within the smallest distance that holds r.
import { describe, expect, it } from 'vitest';
import { SignBitRows } from '../../src/search/sign-bit-rows.js';

let seed = 11;
const rand32 = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) * 2;

function popcount(x: number): number {
  let c = 0;
  for (; x; x >>>= 1) c += x & 1;
  return c;
}

function expected(rows: Uint32Array[], q: Uint32Array, r: number): number[] {
  const d = rows.map((row) => row.reduce((s, w, i) => s + popcount((w ^ q[i]!) >>> 0), 0));
  const sorted = [...d].sort((a, b) => a - b);
  const cut = sorted[Math.min(r, d.length) - 1]!;
  return d.flatMap((x, i) => (x <= cut ? [i] : []));
}

describe('sign-bit rows', () => {
  for (const [dim, n] of [
    [100, 50],
    [300, 3000],
    [384, 1500],
    [1536, 2500],
  ] as const) {
    it(`${dim} dimensions, ${n} rows`, () => {
      const words = Math.ceil(dim / 32);
      const rows = new SignBitRows(dim);
      const kept: Uint32Array[] = [];
      for (let i = 0; i < n; i++) {
        const w = Uint32Array.from({ length: words }, () => rand32() >>> 0);
        if (dim % 32) w[words - 1]! &= (1 << dim % 32) - 1; // bits past the last dimension are never set
        kept.push(w);
        rows.push(new Uint8Array(w.buffer));
      }
      expect(rows.size).toBe(n);
      for (const r of [1, 10, 200]) {
        const q = kept[(r * 7) % n]!.map((w, i) => (i === 0 ? w ^ 0xff : w));
        const got = [...rows.nearest(q, r)];
        expect(got).toEqual(expected(kept, q, r));
        expect(got.length).toBeGreaterThanOrEqual(Math.min(r, n));
      }
    });
  }

  it('asking for more rows than there are returns them all', () => {
    const rows = new SignBitRows(64);
    for (let i = 0; i < 5; i++) rows.push(new Uint8Array(8).fill(i));
    expect([...rows.nearest(new Uint32Array(2), 100)]).toEqual([0, 1, 2, 3, 4]);
  });
});
