// The binary layout of the shipped static word-vector table (data/vectors/*.bin), read by the runtime
// and written by scripts/vectors/export.ts. Little-endian throughout:
//   "FLWV" · u32 version · u32 dim · u32 count · f32 sif_a
//   f32[dim]          common component (removed from every text vector, as in SIF)
//   f32[count]        per-word scale of the int8 vector
//   f32[count]        per-word SIF weight a / (a + p(w))
//   i8[count × dim]   vectors, quantised: value = int8 × scale
//   utf-8             words, '\n'-separated, most frequent first

import { endianness } from 'node:os';
import { FlowError } from '../model/errors.js';

const LITTLE_ENDIAN = endianness() === 'LE';

export const MAGIC = 'FLWV';
export const VERSION = 1;
const HEADER = 20;

export interface VectorTable {
  dim: number;
  count: number;
  sifA: number;
  common: Float32Array;
  scales: Float32Array;
  weights: Float32Array;
  vectors: Int8Array;
  words: string[];
}

/** A decoded file's words as it stores them ('\n'-separated), and where each starts in that text. */
export interface WordText {
  text: string;
  starts: Int32Array;
}

/**
 * Kept for exactly the tables decodeTable returned (their `words` can only be read): a copy made with
 * other words (scripts/vectors/retrofit.ts) is another object, which has none, and is read by its words.
 */
const wordTexts = new WeakMap<VectorTable, WordText>();

/** The words of a table as its file stored them, for finding a word without a map of every word (static-embedder.ts). */
export function wordTextOf(table: VectorTable): WordText | undefined {
  return wordTexts.get(table);
}

export function encodeTable(t: VectorTable): Buffer {
  const wordsBuf = Buffer.from(t.words.join('\n'), 'utf8');
  const size = HEADER + 4 * t.dim + 8 * t.count + t.count * t.dim + wordsBuf.length;
  const buf = Buffer.alloc(size);
  buf.write(MAGIC, 0, 'latin1');
  buf.writeUInt32LE(VERSION, 4);
  buf.writeUInt32LE(t.dim, 8);
  buf.writeUInt32LE(t.count, 12);
  buf.writeFloatLE(t.sifA, 16);
  let o = HEADER;
  for (const arr of [t.common, t.scales, t.weights]) {
    for (const v of arr) {
      buf.writeFloatLE(v, o);
      o += 4;
    }
  }
  Buffer.from(t.vectors.buffer, t.vectors.byteOffset, t.vectors.byteLength).copy(buf, o);
  o += t.vectors.byteLength;
  wordsBuf.copy(buf, o);
  return buf;
}

/** The shipped word-vector file does not read back: the installation is damaged, not the project. */
function damagedTable(why: string): FlowError {
  return new FlowError(
    'damaged',
    `The offline word-vector file ${why}.`,
    'Reinstall flowmcp (npm install -g flowmcp) to restore data/vectors/, or rebuild it with scripts/vectors/train.sh; FLOW_EMBEDDER=none searches by full text only meanwhile.',
  );
}

export function decodeTable(buf: Buffer): VectorTable {
  if (buf.length < HEADER || buf.toString('latin1', 0, 4) !== MAGIC) throw damagedTable('is not a flowmcp word-vector file');
  const version = buf.readUInt32LE(4);
  if (version !== VERSION) throw damagedTable(`has version ${version}, expected ${VERSION}`);
  const dim = buf.readUInt32LE(8);
  const count = buf.readUInt32LE(12);
  const sifA = buf.readFloatLE(16);
  // Views of the bytes read where they can be (little-endian and 4-byte aligned, as a whole file read
  // is), copies where not (a Buffer from the pool may start anywhere): copying the 3.9 MB table was ~30
  // ms of a first search on this machine class, most of it page faults of the fresh arrays.
  const floats = (offset: number, n: number) => {
    if (LITTLE_ENDIAN && (buf.byteOffset + offset) % 4 === 0) return new Float32Array(buf.buffer, buf.byteOffset + offset, n);
    const out = new Float32Array(n);
    for (let i = 0; i < n; i++) out[i] = buf.readFloatLE(offset + 4 * i);
    return out;
  };
  // Views must not reach past the file into whatever else shares its memory.
  const needed = HEADER + 4 * dim + 8 * count + count * dim;
  if (buf.length < needed) throw damagedTable(`is cut short: ${buf.length} bytes, where its header needs at least ${needed}`);
  let o = HEADER;
  const common = floats(o, dim);
  o += 4 * dim;
  const scales = floats(o, count);
  o += 4 * count;
  const weights = floats(o, count);
  o += 4 * count;
  const vectors = new Int8Array(buf.buffer, buf.byteOffset + o, count * dim);
  o += count * dim;
  const wordText = buf.toString('utf8', o);
  const wordStarts = new Int32Array(count);
  let listed = 0;
  for (let at = 0; at >= 0 && listed <= count; listed++) {
    if (listed < count) wordStarts[listed] = at;
    const nl = wordText.indexOf('\n', at);
    at = nl < 0 ? -1 : nl + 1;
  }
  if (listed !== count) throw damagedTable(`lists ${listed > count ? 'more' : listed} words, but its header says ${count}`);
  let words: string[] | undefined;
  const table: VectorTable = {
    dim,
    count,
    sifA,
    common,
    scales,
    weights,
    vectors,
    // Split only when read: a first search finds its few words in the text instead.
    get words() {
      return (words ??= wordText.split('\n'));
    },
  };
  wordTexts.set(table, { text: wordText, starts: wordStarts });
  return table;
}
