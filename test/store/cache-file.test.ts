// Taking a cache file's body apart (store/cache-file.ts): each piece comes back with the values written,
// as a view where the bytes sit aligned for its type and as a copy where they do not (a vector screen of
// an odd dimension puts its float scales at an odd offset).
import { describe, expect, it } from 'vitest';
import { bodyReader, bytesOf } from '../../src/store/cache-file.js';

function body(pieces: ArrayBufferView[], lead = 0): Uint8Array {
  const size = pieces.reduce((n, p) => n + p.byteLength, 0);
  const out = new Uint8Array(new ArrayBuffer(lead + size), lead, size);
  let at = 0;
  for (const p of pieces) {
    out.set(bytesOf(p), at);
    at += p.byteLength;
  }
  return out;
}

describe('cache file body', () => {
  const ids = Float64Array.from([3, 5, 8]);
  const odd = Int8Array.from([1, -2, 3]); // three bytes: what follows is not 4-byte aligned
  const scales = Float32Array.from([0.5, 1.5, -2.25]);

  it('gives back every piece as written, viewing the bytes read where they are aligned', () => {
    const b = body([ids, odd, scales]);
    const take = bodyReader(b);
    const a = take(Float64Array, 3);
    const c = take(Int8Array, 3);
    const s = take(Float32Array, 3);
    expect([...a, ...c, ...s]).toEqual([...ids, ...odd, ...scales]);
    expect(a.buffer).toBe(b.buffer); // a view: no copy of a 36 MB index
    expect(c.buffer).toBe(b.buffer);
    expect(s.buffer).not.toBe(b.buffer); // at offset 27: a copy, since a view there would throw
  });

  it('copies where the body itself starts at an offset its types cannot view', () => {
    const b = body([ids, scales], 2);
    const take = bodyReader(b);
    const a = take(Float64Array, 3);
    const s = take(Float32Array, 3);
    expect([...a, ...s]).toEqual([...ids, ...scales]);
    expect(a.buffer).not.toBe(b.buffer);
  });
});

describe('cache file body read at once', () => {
  it('copies an unaligned piece of a Buffer body (readCacheFile gives one) from its own bytes, not from the start of the allocation', () => {
    const ids = Float64Array.from([3, 5, 8]);
    const odd = Int8Array.from([1, -2, 3]);
    const scales = Float32Array.from([0.5, 1.5, -2.25]);
    for (const lead of [0, 8]) {
      const whole = Buffer.alloc(lead + 39, 0x7f); // the bytes before the body are not the body's
      const b = whole.subarray(lead);
      b.set(bytesOf(ids), 0);
      b.set(bytesOf(odd), 24);
      b.set(bytesOf(scales), 27);
      const take = bodyReader(b);
      expect([...take(Float64Array, 3), ...take(Int8Array, 3), ...take(Float32Array, 3)]).toEqual([...ids, ...odd, ...scales]);
    }
  });
});
