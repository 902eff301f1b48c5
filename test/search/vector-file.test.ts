// The static word-vector table's file (search/vector-file.ts): read back with the values written, as
// views of the bytes read where they sit aligned and as copies where they do not; a damaged file is
// said to be one (and how to get a good one back), never read past its end.
import { describe, expect, it } from 'vitest';
import { decodeTable, encodeTable, type VectorTable } from '../../src/search/vector-file.js';
import { FlowError } from '../../src/model/errors.js';

const table: VectorTable = {
  dim: 3,
  count: 4,
  sifA: 0.5,
  common: Float32Array.from([0.5, -0.25, 0.125]),
  scales: Float32Array.from([0.01, 0.02, 0.03, 0.04]),
  weights: Float32Array.from([0.9, 0.8, 0.7, 0.6]),
  vectors: Int8Array.from([1, -2, 3, 4, -5, 6, 7, -8, 9, 10, -11, 12]),
  words: ['log', 'logging', '한국어', 'x'],
};

const plain = (t: VectorTable) => ({
  dim: t.dim,
  count: t.count,
  sifA: t.sifA,
  common: [...t.common],
  scales: [...t.scales],
  weights: [...t.weights],
  vectors: [...t.vectors],
  words: [...t.words],
});

/** The bytes at `lead` bytes into a buffer of their own: an odd lead puts every float off 4-byte alignment. */
function at(bytes: Buffer, lead: number): Buffer {
  const out = Buffer.alloc(lead + bytes.length);
  bytes.copy(out, lead);
  return out.subarray(lead);
}

describe('static word-vector table file', () => {
  it('reads back what was written, from aligned and unaligned bytes alike', () => {
    const bytes = encodeTable(table);
    expect(plain(decodeTable(at(bytes, 0)))).toEqual(plain(table));
    expect(plain(decodeTable(at(bytes, 1)))).toEqual(plain(table));
    expect(plain(decodeTable(at(bytes, 3)))).toEqual(plain(table));
  });

  it('a file cut short, or listing other than its header says, is a damaged file and says so', () => {
    const bytes = encodeTable(table);
    const damaged = (b: Buffer) => {
      try {
        decodeTable(b);
      } catch (e) {
        expect(e).toBeInstanceOf(FlowError);
        return (e as FlowError).message;
      }
      throw new Error('read a damaged table');
    };
    // Cut inside the vectors: bytes past the end (here, the rest of a bigger buffer) are never read.
    const cut = Buffer.concat([bytes.subarray(0, 20 + 4 * 3 + 8 * 4 + 5), Buffer.alloc(64, 7)]).subarray(0, 20 + 4 * 3 + 8 * 4 + 5);
    expect(damaged(cut)).toMatch(/cut short/);
    expect(damaged(Buffer.concat([bytes, Buffer.from('\nextra')]))).toMatch(/lists more words, but its header says 4/);
    expect(damaged(bytes.subarray(0, bytes.length - '\nx'.length))).toMatch(/lists 3 words, but its header says 4/);
    expect(damaged(Buffer.from('nope'))).toMatch(/not a flowmcp word-vector file/);
  });
});
