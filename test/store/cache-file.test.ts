// Taking a cache file's body apart (store/cache-file.ts): each piece comes back with the values written,
// as a view where the bytes sit aligned for its type and as a copy where they do not (a vector screen of
// an odd dimension puts its float scales at an odd offset).
import { join } from 'node:path';
import { truncateSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bodyReader, bytesOf, oneWriteAtATime, readCacheFile, readCacheFileInTurns, writeCacheFile } from '../../src/store/cache-file.js';
import { nextTurn } from '../../src/background-turns.js';
import { tempWorkspace } from '../helpers/workspace.js';

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

describe('writes of one cache file', () => {
  it('run one after another in a process (each commits its own epoch: at once, the file renamed last could carry the other), a failed one not holding up the next', async () => {
    const log: string[] = [];
    const step = () => new Promise<void>((resolve) => setImmediate(resolve));
    const write = (name: string, fail = false) => async () => {
      log.push(`${name} starts`);
      await step();
      await step();
      log.push(`${name} ends`);
      if (fail) throw new Error(`${name} failed`);
      return name;
    };
    const a = oneWriteAtATime('/x/a.bin', write('a1', true));
    const b = oneWriteAtATime('/x/a.bin', write('a2'));
    const other = oneWriteAtATime('/x/b.bin', write('b1'));
    await expect(a).rejects.toThrow('a1 failed');
    expect(await b).toBe('a2');
    expect(await other).toBe('b1');
    // a2 began only once a1 was over; another file's write went on beside them.
    expect(log.indexOf('a2 starts')).toBeGreaterThan(log.indexOf('a1 ends'));
    expect(log.indexOf('b1 starts')).toBeLessThan(log.indexOf('a1 ends'));
  });
});

describe('reading a big cache file beside the calls', () => {
  it('gives back every byte of a body read in pieces at once (two here, the last one short), as the one-shot read does; a file cut short is no file', async () => {
    const t = tempWorkspace();
    try {
      const file = join(t.dir, '.flow', 'cache', 'big.bin');
      // 5 MB and a few bytes: two pieces, bytes that differ by position so a piece read into the wrong place shows.
      const bytes = new Uint8Array((5 << 20) + 7);
      for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31 + (i >> 20)) & 255;
      await writeCacheFile(t.ws.db, file, 'test.epoch', (head) => head.write('BIGF', 0, 'latin1'), [bytes], nextTurn);
      const accept = (head: Buffer) => head.toString('latin1', 0, 4) === 'BIGF';
      const inTurns = await readCacheFileInTurns(file, 64 << 20, accept, nextTurn);
      expect(inTurns && Buffer.from(inTurns.body).equals(Buffer.from(bytes))).toBe(true);
      expect(readCacheFile(file, 64 << 20, accept)?.body.equals(Buffer.from(bytes))).toBe(true);
      truncateSync(file, 64 + (3 << 20));
      expect(await readCacheFileInTurns(file, 64 << 20, accept, nextTurn)).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });
});
