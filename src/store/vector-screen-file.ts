// The vector screen as a file (.flow/cache/vector-screen-<embedder>.bin), so a process opening a big
// project reads it in one go instead of joining every chunk to its vector (measured at 100k × 100:
// ~0.6 s from the database, ~20 ms from this file). A cache only: whatever is wrong with it (another
// database, another embedder, chunks it claims the database has not reached, a wrong length or
// checksum, a link or a FIFO planted in its place) makes it ignored, and the screen is read from the
// database as before; a later load writes it again. The database stays the record.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Db } from './db.js';
import { writeFileAtomic } from './atomic-file.js';
import { stmt } from './statements.js';

export interface ScreenState {
  dim: number;
  /** Chunks up to this id are in the screen (the embedder's watermark when it was loaded). */
  upTo: number;
  chunks: Int32Array;
  embeddings: Int32Array;
  /** Packed sign bits, ceil(dim / 32) × 4 bytes a row. */
  bits: Uint8Array;
  /** The int8 copy and its per-row scales, when the screen keeps one. */
  copy?: Int8Array;
  scales?: Float32Array;
}

const MAGIC = 0x53564d46; // "FMVS"
const VERSION = 1;
const HEADER = 64;
/** Bigger files are not read (100k × 1536 bits is ~20 MB; 40M int8 numbers ~40 MB). */
const MAX_BYTES = 512 * 1024 * 1024;

/** Where a database's screen for an embedder lives: beside flow.db, under cache/. */
export function screenFile(db: Db, embedderId: string): string {
  return join(dirname(db.name), 'cache', `vector-screen-${createHash('sha256').update(embedderId).digest('hex').slice(0, 16)}.bin`);
}

/**
 * Which database this is: when its first migration ran (a recovered or replaced database starts its
 * chunk ids again, so a screen of another one must never be taken for this one's).
 */
function birth(db: Db): string {
  return (stmt(db, 'SELECT applied_at FROM schema_migrations WHERE version = 1').pluck().get() as string | undefined) ?? '';
}

function identity(db: Db, embedderId: string): Buffer {
  return createHash('sha256').update(`${birth(db)}\u0000${embedderId}`).digest().subarray(0, 16);
}

const words = (dim: number) => Math.ceil(dim / 32);

function bodyBytes(rows: number, dim: number, withCopy: boolean): number {
  return rows * 8 + rows * words(dim) * 4 + (withCopy ? rows * dim + rows * 4 : 0);
}

/** Writes the screen (atomically: a reader sees the old file or the new one). */
export function writeScreenFile(db: Db, embedderId: string, s: ScreenState): void {
  const rows = s.chunks.length;
  const withCopy = s.copy !== undefined && s.scales !== undefined;
  const buf = Buffer.alloc(HEADER + bodyBytes(rows, s.dim, withCopy));
  buf.writeUInt32LE(MAGIC, 0);
  buf.writeUInt32LE(VERSION, 4);
  buf.writeUInt32LE(s.dim, 8);
  buf.writeUInt32LE(rows, 12);
  buf.writeUInt32LE(withCopy ? 1 : 0, 16);
  buf.writeDoubleLE(s.upTo, 24);
  identity(db, embedderId).copy(buf, 32);
  let at = HEADER;
  const put = (a: ArrayBufferView) => {
    buf.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at);
    at += a.byteLength;
  };
  // Typed arrays are written as the machine holds them: the file is read back where it was written (a
  // cache, never shared); one carried to a machine of the other byte order fails the id checks below.
  put(s.chunks);
  put(s.embeddings);
  put(s.bits);
  if (withCopy) {
    put(s.copy!);
    put(s.scales!);
  }
  buf.writeUInt32LE(crc32(buf.subarray(HEADER)), 20);
  writeFileAtomic(screenFile(db, embedderId), buf);
}

/** Reads the whole file, or nothing if it is not a regular file (never follows a link, never waits on a FIFO). */
function readWhole(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size < HEADER || st.size > MAX_BYTES) return undefined;
    const buf = Buffer.allocUnsafe(st.size);
    let off = 0;
    while (off < buf.length) {
      const n = readSync(fd, buf, off, buf.length - off, off);
      if (n === 0) return undefined;
      off += n;
    }
    return buf;
  } finally {
    closeSync(fd);
  }
}

/**
 * The screen written for this database and embedder, if it is whole and consistent with them: of
 * this dimension, no further than the embedder's watermark `maxUpTo`, chunk ids rising and within it.
 */
export function readScreenFile(db: Db, embedderId: string, dim: number, maxUpTo: number): ScreenState | undefined {
  const buf = readWhole(screenFile(db, embedderId));
  if (!buf) return undefined;
  if (buf.readUInt32LE(0) !== MAGIC || buf.readUInt32LE(4) !== VERSION || buf.readUInt32LE(8) !== dim) return undefined;
  const rows = buf.readUInt32LE(12);
  const withCopy = buf.readUInt32LE(16) === 1;
  const upTo = buf.readDoubleLE(24);
  if (!buf.subarray(32, 48).equals(identity(db, embedderId))) return undefined;
  if (!Number.isSafeInteger(upTo) || upTo < 0 || upTo > maxUpTo) return undefined;
  if (buf.length !== HEADER + bodyBytes(rows, dim, withCopy)) return undefined;
  if (crc32(buf.subarray(HEADER)) !== buf.readUInt32LE(20)) return undefined;
  // Copied out of the file buffer into aligned arrays of their own.
  let at = HEADER;
  const take = (bytes: number) => {
    const out = new Uint8Array(bytes);
    out.set(buf.subarray(at, at + bytes));
    at += bytes;
    return out.buffer;
  };
  const chunks = new Int32Array(take(rows * 4));
  const embeddings = new Int32Array(take(rows * 4));
  const bits = new Uint8Array(take(rows * words(dim) * 4));
  const copy = withCopy ? new Int8Array(take(rows * dim)) : undefined;
  const scales = withCopy ? new Float32Array(take(rows * 4)) : undefined;
  for (let i = 0; i < rows; i++) if (chunks[i]! <= (i ? chunks[i - 1]! : 0) || chunks[i]! > upTo) return undefined;
  return { dim, upTo, chunks, embeddings, bits, copy, scales };
}
