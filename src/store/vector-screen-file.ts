// The vector screen as a file (.flow/cache/vector-screen-<embedder>.bin), so a process opening a big
// project reads it in one go instead of joining every chunk to its vector (measured at 100k × 100:
// ~0.6 s from the database, ~20 ms from this file). A cache only: whatever is wrong with it (another
// database or another state of this one, another embedder, chunks it claims the database has not
// reached, a wrong length or checksum, a link or a FIFO planted in its place) makes it ignored, and the
// screen is read from the database as before; a later load writes it again. The database stays the record.
//
// Which database state a file belongs to: each write first puts a new random epoch in the database's
// settings, then writes the file carrying it. A database copied back from before that write (a backup, a
// `git checkout` of flow.db) has another epoch, so its reused chunk ids are never read through the file.
import { nodeCrypto } from '../node-crypto.js';
import { lstatSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './db.js';
import { bodyReader, CACHE_HEADER, readCacheFile, readCacheFileInTurns, writeCacheFile } from './cache-file.js';
import type { Turn } from '../background-turns.js';
import { writeTx } from './db.js';
import { lastChunkId } from './fts-tokens.js';
import { getSetting, setSetting } from './settings.js';

export interface ScreenState {
  dim: number;
  /** Chunks up to this id are in the screen (the embedder's watermark when it was loaded). */
  upTo: number;
  chunks: Int32Array<ArrayBuffer>;
  embeddings: Int32Array<ArrayBuffer>;
  /** Packed sign bits, ceil(dim / 32) × 4 bytes a row. */
  bits: Uint8Array<ArrayBuffer>;
  /** The int8 copy and its per-row scales, when the screen keeps one. */
  copy?: Int8Array<ArrayBuffer>;
  scales?: Float32Array<ArrayBuffer>;
}

const MAGIC = 0x53564d46; // "FMVS"
const VERSION = 1;
const HEADER = CACHE_HEADER;
/** Bigger files are not read (100k × 1536 bits is ~20 MB; 40M int8 numbers ~40 MB). */
const MAX_BYTES = 512 * 1024 * 1024;

/** A short name for an embedder, safe in a file name and a settings key. */
const embedderTag = (embedderId: string) => nodeCrypto().createHash('sha256').update(embedderId).digest('hex').slice(0, 16);

/** Where a database's screen for an embedder lives: beside flow.db, under cache/. */
export function screenFile(db: Db, embedderId: string): string {
  return join(dirname(db.name), 'cache', `vector-screen-${embedderTag(embedderId)}.bin`);
}

const epochKey = (embedderId: string) => `vector_screen_epoch.${embedderTag(embedderId)}`;

/**
 * Removes an embedder's screen file and its epoch (for an embedder that will never answer again).
 * Only inside a real cache folder: .flow/ is untrusted, and a cache/ that is a link could point
 * anywhere. Best effort: a file that is not there, or cannot go, is left.
 */
export function removeScreenFile(db: Db, embedderId: string): void {
  const file = screenFile(db, embedderId);
  try {
    if (lstatSync(dirname(file)).isDirectory()) unlinkSync(file);
  } catch {
    // nothing there, or not ours to remove
  }
  writeTx(db, () => setSetting(db, epochKey(embedderId), null));
}

/** The file's identity for this database state and embedder; none when no file was ever written for it. */
function identity(epoch: string, embedderId: string): Buffer {
  return nodeCrypto().createHash('sha256').update(`${epoch}\u0000${embedderId}`).digest().subarray(0, 16);
}

const words = (dim: number) => Math.ceil(dim / 32);

function bodyBytes(rows: number, dim: number, withCopy: boolean): number {
  return rows * 8 + rows * words(dim) * 4 + (withCopy ? rows * dim + rows * 4 : 0);
}

/** Writes the screen beside the calls, as writeCacheFile writes one (epoch first, never waiting for a lock). `s` must not change until it resolves. */
export function writeScreenFile(db: Db, embedderId: string, s: ScreenState, turn: Turn): Promise<void> {
  const withCopy = s.copy !== undefined && s.scales !== undefined;
  const fill = (h: Buffer, epoch: string) => {
    h.writeUInt32LE(MAGIC, 0);
    h.writeUInt32LE(VERSION, 4);
    h.writeUInt32LE(s.dim, 8);
    h.writeUInt32LE(s.chunks.length, 12);
    h.writeUInt32LE(withCopy ? 1 : 0, 16);
    h.writeDoubleLE(s.upTo, 24);
    identity(epoch, embedderId).copy(h, 32);
  };
  // One carried to a machine of the other byte order fails the id checks below.
  const body = [s.chunks, s.embeddings, s.bits, ...(withCopy ? [s.copy!, s.scales!] : [])];
  return writeCacheFile(db, screenFile(db, embedderId), epochKey(embedderId), fill, body, turn);
}

/**
 * The screen written for this database state and embedder, if it is whole and consistent with them: of
 * this dimension, no further than the embedder's watermark `maxUpTo`, chunk ids rising and within it.
 * The 64-byte header is read and checked first, so a planted file of another shape costs one small read.
 * Never follows a link, never waits on a FIFO. A search in any process reads it at once (readScreenFile);
 * a server warming up reads it in turns (readScreenFileInTurns).
 */
export function readScreenFile(db: Db, embedderId: string, dim: number, maxUpTo: number): ScreenState | undefined {
  const epoch = getSetting(db, epochKey(embedderId));
  if (!epoch) return undefined;
  const read = readCacheFile(screenFile(db, embedderId), MAX_BYTES, accept(epoch, embedderId, dim, bounded(db, maxUpTo)));
  return read && screenOf(read.head, read.body);
}

export async function readScreenFileInTurns(db: Db, embedderId: string, dim: number, maxUpTo: number, turn: Turn): Promise<ScreenState | undefined> {
  const epoch = getSetting(db, epochKey(embedderId));
  if (!epoch) return undefined;
  const read = await readCacheFileInTurns(screenFile(db, embedderId), MAX_BYTES, accept(epoch, embedderId, dim, bounded(db, maxUpTo)), turn);
  return read && screenOf(read.head, read.body);
}

/**
 * The watermark, never past the highest chunk id handed out: vectors are only made for chunks there are,
 * and a planted watermark (2^40) let a planted 480 MB screen of 20M rows be read by every search of a
 * project of 25k chunks (~1.1 GB each time, a red-team pass found).
 */
function bounded(db: Db, maxUpTo: number): number {
  return Math.min(maxUpTo, lastChunkId(db));
}

function accept(epoch: string, embedderId: string, dim: number, maxUpTo: number): (head: Buffer, size: number) => boolean {
  return (head, size) => {
    if (head.readUInt32LE(0) !== MAGIC || head.readUInt32LE(4) !== VERSION || head.readUInt32LE(8) !== dim) return false;
    const rows = head.readUInt32LE(12);
    const upTo = head.readDoubleLE(24);
    if (!head.subarray(32, 48).equals(identity(epoch, embedderId))) return false;
    // Chunk ids are distinct and at most upTo, so no more rows than that.
    if (!Number.isSafeInteger(upTo) || upTo < 0 || upTo > maxUpTo || rows > upTo) return false;
    return size === HEADER + bodyBytes(rows, dim, head.readUInt32LE(16) === 1);
  };
}

function screenOf(head: Buffer, body: Uint8Array): ScreenState | undefined {
  const dim = head.readUInt32LE(8);
  const rows = head.readUInt32LE(12);
  const withCopy = head.readUInt32LE(16) === 1;
  const upTo = head.readDoubleLE(24);
  const take = bodyReader(body);
  const chunks = take(Int32Array, rows);
  const embeddings = take(Int32Array, rows);
  const bits = take(Uint8Array, rows * words(dim) * 4);
  const copy = withCopy ? take(Int8Array, rows * dim) : undefined;
  const scales = withCopy ? take(Float32Array, rows) : undefined;
  for (let i = 0; i < rows; i++) if (chunks[i]! <= (i ? chunks[i - 1]! : 0) || chunks[i]! > upTo) return undefined;
  return { dim, upTo, chunks, embeddings, bits, copy, scales };
}
