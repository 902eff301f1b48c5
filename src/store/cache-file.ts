// Reading and writing a cache file under .flow/cache/ (the vector screen's, the text index's). Reading: untrusted, since a
// cloned repository may have put anything there. Never follows a link, never waits on a FIFO, reads a
// file only of a plausible size, checks its 64-byte header before reading the rest and the rest against
// the header's checksum (CRC-32 at byte 20). Whatever fails makes it no file at all: the caller reads the
// database instead. A server reads big ones in turns (readCacheFileInTurns): the bytes by the thread
// pool, the checksum a slice per turn, so no other caller waits for a 36 MB file.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { nodeCrypto } from '../node-crypto.js';
import type { Turn } from '../background-turns.js';
import { fsPromises, writeFileAtomicInTurns } from './atomic-file.js';
import { withoutWaiting, writeTx, type Db } from './db.js';
import { setSetting } from './settings.js';

export const CACHE_HEADER = 64;
const CRC_AT = 20;
/** Bytes checksummed per turn (~5 ms here). */
const CRC_SLICE = 4 << 20;
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;


const writing = new Map<string, Promise<unknown>>();

/**
 * Runs the writes of one cache file one after another in this process. Two at once (a server's write
 * beside its calls and a save asked for meanwhile) would each commit its own epoch, and the file renamed
 * last could carry the other's: a file no database state accepts, read by nobody. Another process
 * writing the same file can still do that: a wasted file, never a wrong answer.
 */
export function oneWriteAtATime<T>(file: string, write: () => Promise<T>): Promise<T> {
  const run = (writing.get(file) ?? Promise.resolve()).then(write, write);
  const settled = run.then(
    () => undefined,
    () => undefined,
  );
  writing.set(file, settled);
  void settled.then(() => {
    if (writing.get(file) === settled) writing.delete(file);
  });
  return run;
}

/** The checksum of pieces written one after the other, a slice per turn. */
export async function crcInTurns(pieces: readonly Uint8Array[], turn: Turn): Promise<number> {
  let crc = 0;
  for (const p of pieces) {
    for (let at = 0; at < p.length; at += CRC_SLICE) {
      crc = crc32(p.subarray(at, at + CRC_SLICE), crc);
      await turn();
    }
  }
  return crc;
}

/**
 * The header and body of a cache file, when it is a regular file of at most maxBytes whose header
 * `accept` takes (given the file's size) and whose body matches the header's checksum.
 */
export function readCacheFile(file: string, maxBytes: number, accept: (head: Buffer, size: number) => boolean): { head: Buffer; body: Buffer } | undefined {
  let fd: number;
  try {
    fd = openSync(file, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < CACHE_HEADER || st.size > maxBytes) return undefined;
    const head = Buffer.alloc(CACHE_HEADER);
    if (readSync(fd, head, 0, CACHE_HEADER, 0) !== CACHE_HEADER || !accept(head, st.size)) return undefined;
    const body = Buffer.allocUnsafe(st.size - CACHE_HEADER);
    for (let off = 0; off < body.length; ) {
      // Stryker disable next-line ArithmeticOperator: a regular file is read whole by the first read, at off = 0, where + and - give the same
      const n = readSync(fd, body, off, body.length - off, CACHE_HEADER + off);
      if (n === 0) return undefined;
      off += n;
    }
    return crc32(body) === head.readUInt32LE(CRC_AT) ? { head, body } : undefined;
  } finally {
    closeSync(fd);
  }
}

/**
 * Pieces of a cache file's body read at once (the pool has 4 threads; the machine, 2 cores), each at
 * least MIN_PIECE bytes: a small file is one read.
 */
const READ_LANES = 2;
const MIN_PIECE = 2 << 20;

/** body[from, to) from the file after its header; false when the file ends before. */
async function readFully(fh: FileHandle, body: Uint8Array, from: number, to: number): Promise<boolean> {
  for (let off = from; off < to; ) {
    const { bytesRead } = await fh.read(body, off, to - off, CACHE_HEADER + off);
    if (bytesRead === 0) return false;
    off += bytesRead;
  }
  return true;
}

/**
 * readCacheFile without holding the event loop. The body comes in a buffer of its own, starting at its
 * first byte, so typed arrays can view it in place where the file keeps them aligned.
 */
export async function readCacheFileInTurns(
  file: string,
  maxBytes: number,
  accept: (head: Buffer, size: number) => boolean,
  turn: Turn,
): Promise<{ head: Buffer; body: Uint8Array<ArrayBuffer> } | undefined> {
  let fh: FileHandle;
  try {
    fh = await (await fsPromises()).open(file, OPEN_FLAGS);
  } catch {
    return undefined;
  }
  try {
    const st = await fh.stat();
    if (!st.isFile() || st.size < CACHE_HEADER || st.size > maxBytes) return undefined;
    const head = Buffer.alloc(CACHE_HEADER);
    if ((await fh.read(head, 0, CACHE_HEADER, 0)).bytesRead !== CACHE_HEADER || !accept(head, st.size)) return undefined;
    const body = new Uint8Array(st.size - CACHE_HEADER);
    // In up to READ_LANES pieces read at once by the thread pool: a read's time is mostly the page faults
    // of the fresh buffer (~3 ms a MB on this machine class), which a single read takes on one core.
    const lanes = Math.min(READ_LANES, Math.ceil(body.length / MIN_PIECE));
    const share = Math.ceil(body.length / lanes);
    const pieces: Promise<boolean>[] = [];
    for (let at = 0; at < body.length; at += share) pieces.push(readFully(fh, body, at, Math.min(body.length, at + share)));
    if ((await Promise.all(pieces)).includes(false)) return undefined;
    return (await crcInTurns([body], turn)) === head.readUInt32LE(CRC_AT) ? { head, body } : undefined;
  } finally {
    await fh.close();
  }
}

/**
 * Writes a cache file beside the calls, one write of it at a time in this process (oneWriteAtATime): a
 * new random epoch is committed to the database first, never waiting for another process's write lock
 * (busy: it throws, and the caller tries another time), so a crash before the file is renamed leaves a
 * file no database state accepts; then the header `fill` sets for that epoch, with the body's checksum
 * taken a slice per turn, and the bytes, written and fsync'd by the thread pool. The body's arrays are
 * written as the machine holds them (a cache, read back where it was written) and must not change until
 * it resolves.
 */
export function writeCacheFile(
  db: Db,
  file: string,
  epochKey: string,
  fill: (head: Buffer, epoch: string) => void,
  body: readonly ArrayBufferView[],
  turn: Turn,
): Promise<void> {
  return oneWriteAtATime(file, async () => {
    const epoch = nodeCrypto().randomBytes(12).toString('hex');
    withoutWaiting(db, () => writeTx(db, () => setSetting(db, epochKey, epoch)));
    const pieces = body.map(bytesOf);
    const head = Buffer.alloc(CACHE_HEADER);
    fill(head, epoch);
    head.writeUInt32LE(await crcInTurns(pieces, turn), CRC_AT);
    await writeFileAtomicInTurns(file, [head, ...pieces]);
  });
}

/** The bytes of typed arrays, in place (no copy). */
export const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** A typed array's constructor over (buffer, byte offset, length), and its element size. */
interface ArrayKind<T> {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * Takes the body apart in order, each piece an array of `length` elements: a view of the bytes read
 * where they sit aligned for its type (the readers' buffers start at their own ArrayBuffer's first
 * byte), else a copy. Views keep the body's buffer alive; the body is the caller's alone.
 */
export function bodyReader(body: Uint8Array): <T>(kind: ArrayKind<T>, length: number) => T {
  let at = 0;
  return (kind, length) => {
    const bytes = length * kind.BYTES_PER_ELEMENT;
    const offset = body.byteOffset + at;
    at += bytes;
    if (offset % kind.BYTES_PER_ELEMENT === 0) return new kind(body.buffer as ArrayBuffer, offset, length);
    // A copy into a buffer of its own. Not body.slice: on a Buffer (what readCacheFile gives) slice is a
    // view, whose .buffer is the whole allocation (or Node's shared pool), read from its first byte.
    const copy = new Uint8Array(bytes);
    copy.set(body.subarray(at - bytes, at));
    return new kind(copy.buffer, 0, length);
  };
}
