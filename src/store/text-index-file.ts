// The text index as a file (.flow/cache/text-index.bin), so a server opening a big project reads it
// instead of tokenizing every chunk again (measured at 100k chunks: ~14 s of FTS5 tokenizing, against
// ~0.5 s for this file, read and written in turns beside the calls, no turn past ~20 ms). A cache only, like the vector screen's file (vector-screen-file.ts,
// whose rules it follows): whatever is wrong with it (another database or another state of this one,
// chunks past what the database has handed out, a wrong length or checksum, ranges that do not add up,
// a link or a FIFO in its place) makes it ignored, and the index is built from the database as before.
// The search layer then checks every chunk's token counts against FTS5's before it answers from it.
import { nodeCrypto } from '../node-crypto.js';
import { dirname, join } from 'node:path';
import type { Db } from './db.js';
import { bodyReader, CACHE_HEADER, readCacheFileInTurns, writeCacheFile } from './cache-file.js';
import type { Turn } from '../background-turns.js';
import { getSetting } from './settings.js';

/** A text index with every slot a chunk that exists (merged), as it is written and read. */
export interface TextIndexState {
  /** Chunks up to this id were read. */
  upTo: number;
  /** Per chunk, ascending ids: its id and its token counts in the heading and the body. */
  ids: Float64Array<ArrayBuffer>;
  headLen: Uint32Array<ArrayBuffer>;
  bodyLen: Uint32Array<ArrayBuffer>;
  /** Term t's postings are post/weight[start[t] .. start[t + 1]). */
  terms: string[];
  start: Int32Array<ArrayBuffer>;
  post: Int32Array<ArrayBuffer>;
  weight: Uint16Array<ArrayBuffer>;
}

const MAGIC = 0x58495446; // "FTIX"
const VERSION = 1;
const HEADER = CACHE_HEADER;
/** Bigger files are not read (100k chunks of documentation are ~40 MB; 1.1M sections of an import of 1M tasks ~62 MB). */
const MAX_BYTES = 512 * 1024 * 1024;
/**
 * More terms than this are not read: each becomes a string, and a planted header declaring 200M of them
 * (a sparse 1 GB file of zeros) made a split that V8 aborted on, killing the server at every start. The
 * vocabulary of 1.1M sections is ~90k terms.
 */
const MAX_TERMS = 4_000_000;
const EPOCH_KEY = 'text_index_epoch';

export function textIndexFile(db: Db): string {
  return join(dirname(db.name), 'cache', 'text-index.bin');
}

function identity(epoch: string): Buffer {
  return nodeCrypto().createHash('sha256').update(`text-index\u0000${epoch}`).digest().subarray(0, 16);
}

const bytesIn = (rows: number, nTerms: number, termBytes: number, postings: number) =>
  rows * 16 + termBytes + (nTerms + 1) * 4 + postings * 6;

/** Writes the index beside the calls, as writeCacheFile writes one (epoch first, never waiting for a lock). `s` must not change until it resolves. */
export function writeTextIndexFile(db: Db, s: TextIndexState, turn: Turn): Promise<void> {
  const terms = Buffer.from(s.terms.join('\u0000'), 'utf8');
  const fill = (h: Buffer, epoch: string) => {
    h.writeUInt32LE(MAGIC, 0);
    h.writeUInt32LE(VERSION, 4);
    h.writeUInt32LE(s.ids.length, 8);
    h.writeUInt32LE(s.terms.length, 12);
    h.writeUInt32LE(terms.length, 16);
    h.writeUInt32LE(s.post.length, 24);
    h.writeDoubleLE(s.upTo, 28);
    identity(epoch).copy(h, 36);
  };
  return writeCacheFile(db, textIndexFile(db), EPOCH_KEY, fill, [s.ids, s.headLen, s.bodyLen, s.start, s.post, s.weight, terms], turn);
}

/** Postings checked per turn while a file is read (~5 ms). */
const CHECK_SLICE = 1 << 20;

/**
 * The index written for this database state, if it is whole and consistent: ids rising and at most
 * `maxUpTo` (the highest chunk id handed out), term ranges rising from 0 to the postings' count, every
 * posting a slot there is, terms distinct. Never follows a link, never waits on a FIFO. Read in turns
 * (readCacheFileInTurns), its arrays views of the bytes read (the file keeps them aligned).
 */
export async function readTextIndexFile(db: Db, maxUpTo: number, turn: Turn): Promise<TextIndexState | undefined> {
  const epoch = getSetting(db, EPOCH_KEY);
  if (!epoch) return undefined;
  const read = await readCacheFileInTurns(
    textIndexFile(db),
    MAX_BYTES,
    (head, size) => {
      if (head.readUInt32LE(0) !== MAGIC || head.readUInt32LE(4) !== VERSION) return false;
      if (!head.subarray(36, 52).equals(identity(epoch))) return false;
      const upTo = head.readDoubleLE(28);
      if (!Number.isSafeInteger(upTo) || upTo < 0 || upTo > maxUpTo || head.readUInt32LE(8) > upTo) return false;
      // Before any byte of the body is read: every term is at least one byte long and kept apart from the
      // next by a NUL, so their bytes bound their count (the split below can make no more strings).
      const nTerms = head.readUInt32LE(12);
      const termBytes = head.readUInt32LE(16);
      if (nTerms > MAX_TERMS || (nTerms === 0 ? termBytes !== 0 : termBytes < 2 * nTerms - 1)) return false;
      return size === HEADER + bytesIn(head.readUInt32LE(8), nTerms, termBytes, head.readUInt32LE(24));
    },
    turn,
  );
  if (!read) return undefined;
  const { head, body } = read;
  const rows = head.readUInt32LE(8);
  const nTerms = head.readUInt32LE(12);
  const termBytes = head.readUInt32LE(16);
  const postings = head.readUInt32LE(24);
  const upTo = head.readDoubleLE(28);
  const take = bodyReader(body);
  const ids = take(Float64Array, rows);
  const headLen = take(Uint32Array, rows);
  const bodyLen = take(Uint32Array, rows);
  const start = take(Int32Array, nTerms + 1);
  const post = take(Int32Array, postings);
  const weight = take(Uint16Array, postings);
  const termText = take(Uint8Array, termBytes);
  const terms = termsOf(Buffer.from(termText.buffer, termText.byteOffset, termBytes), nTerms);
  if (!terms || new Set(terms).size !== nTerms) return undefined;
  for (let i = 0; i < rows; i++) if (!Number.isSafeInteger(ids[i]) || ids[i]! <= (i ? ids[i - 1]! : 0) || ids[i]! > upTo) return undefined;
  if (start[0] !== 0 || start[nTerms] !== postings) return undefined;
  for (let t = 0; t < nTerms; t++) if (start[t + 1]! < start[t]!) return undefined;
  for (let from = 0; from < postings; from += CHECK_SLICE) {
    await turn();
    const to = Math.min(postings, from + CHECK_SLICE);
    for (let i = from; i < to; i++) if (post[i]! < 0 || post[i]! >= rows) return undefined;
  }
  return { upTo, ids, headLen, bodyLen, terms, start, post, weight };
}

/**
 * The NUL-separated terms, if there are exactly n and none is empty. Cut one at a time and given up on
 * at the first one too many: a split of a planted run of NULs made a string for each.
 */
function termsOf(bytes: Buffer, n: number): string[] | undefined {
  if (n === 0) return bytes.length === 0 ? [] : undefined;
  const terms: string[] = [];
  let from = 0;
  for (;;) {
    const end = bytes.indexOf(0, from);
    const stop = end < 0 ? bytes.length : end;
    if (stop === from || terms.length === n) return undefined;
    terms.push(bytes.toString('utf8', from, stop));
    if (end < 0) return terms.length === n ? terms : undefined;
    from = end + 1;
  }
}
