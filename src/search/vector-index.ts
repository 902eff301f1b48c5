// An in-memory prefilter for the vector half: one sign bit per dimension per chunk (1536 dims → 192
// bytes), scanned by Hamming distance (search/sign-bit-rows.ts) to pick a few hundred candidates that are
// then re-scored exactly from the stored float vectors. Measured before building it: at 100k × 1536 an
// exact scan of the stored vectors took ~0.9 s a query, sqlite-vec's float KNN ~220 ms, its bit KNN
// ~53 ms, this scan ~1 ms, with recall@10 ≥ 0.99 after exact re-scoring. Loaded per process on first
// use — from its file (store/vector-screen-file.ts) when one was written for this database, then from
// the database — and kept in step with it through the per-embedder watermark (chunk ids only grow).
// Small sets (up to IN_MEMORY_NUMBERS stored numbers: 100k × 100, 25k × 1536) also keep an int8 copy of
// every vector, so re-scoring needs no database read: at 10k × 100, fetching 1,000 candidates' float
// blobs cost ~2 ms of a ~5 ms search, and scoring them from the copy ~0.1 ms.
import type { Db } from '../store/db.js';
import { vectorProgress } from '../store/chunks.js';
import { chunkSignBits } from '../store/search-index.js';
import { signBits } from '../store/sign-bits.js';
import { SignBitRows } from './sign-bit-rows.js';
import { readScreenFile, readScreenFileInTurns, writeScreenFile, type ScreenState } from '../store/vector-screen-file.js';
import { immediateTurn, nextTurn as turn, type Turn } from '../background-turns.js';
import { log } from '../log.js';

/** A prefilter candidate: the chunk, the embeddings row that holds its vector, and its row here. */
export interface Candidate {
  chunk: number;
  embedding: number;
  row: number;
}

/** Most stored numbers (vectors × dimensions) kept as an int8 copy in memory: ~1 byte each. */
export const IN_MEMORY_NUMBERS = 40_000_000;

export class VectorIndex {
  private chunks = new Int32Array(1024);
  private embeddings = new Int32Array(1024);
  private rows: SignBitRows;
  private loadedUpTo = 0;
  /** Rows read from the database since the screen file was last written (vectorIndexFor writes it again past a bound). */
  readFromDb = 0;
  /** A write of the screen file is scheduled. */
  fileDue = false;
  /** The int8 copy (row-major, `dim` per row) and each row's scale; undefined once the set outgrew it. */
  private copy?: Int8Array = new Int8Array(0);
  private scales = new Float32Array(0);

  constructor(
    readonly embedderId: string,
    readonly dim: number,
    /** Most stored numbers kept in the int8 copy (tests pass 0 to take the database path). */
    private readonly inMemoryNumbers = IN_MEMORY_NUMBERS,
  ) {
    this.rows = new SignBitRows(dim);
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * Loads vectors of chunks past what this index has seen, up to the embedder's watermark; with maxRows,
   * at most that many (a warm-up in slices). True once caught up.
   */
  refresh(db: Db, maxRows = Infinity): boolean {
    const upto = vectorProgress(db, this.embedderId);
    if (upto <= this.loadedUpTo) return true;
    // Decided before reading: chunk ids bound the rows still to come, so a set that may outgrow the copy
    // never reads its float vectors (100k × 1536 would read ~600 MB instead of 19 MB of sign bits).
    if (this.copy && (this.rows.size + (upto - this.loadedUpTo)) * this.dim > this.inMemoryNumbers) this.dropCopy();
    const rows = chunkSignBits(db, this.embedderId, this.loadedUpTo, upto, Math.ceil(this.dim / 32) * 4, this.copy !== undefined);
    let taken = 0;
    for (const [chunk, embedding, bits, vector] of rows) {
      const i = this.rows.size;
      if (i === this.chunks.length) this.grow();
      this.chunks[i] = chunk;
      this.embeddings[i] = embedding;
      this.rows.push(bits);
      if (this.copy) this.keep(i, vector);
      this.readFromDb++;
      // Rows come in chunk order, so the next slice starts after this chunk.
      if (++taken === maxRows) {
        this.loadedUpTo = chunk;
        return false;
      }
    }
    this.loadedUpTo = upto;
    return true;
  }

  /** Everything loaded, for the screen file (store/vector-screen-file.ts). */
  state(): ScreenState {
    const n = this.rows.size;
    return {
      dim: this.dim,
      upTo: this.loadedUpTo,
      chunks: this.chunks.slice(0, n),
      embeddings: this.embeddings.slice(0, n),
      bits: this.rows.packed(),
      ...(this.copy ? { copy: this.copy.slice(0, n * this.dim), scales: this.scales.slice(0, n) } : {}),
    };
  }

  /** Starts from a screen read back from its file (an empty index only); refresh goes on from there. */
  adopt(s: ScreenState): void {
    if (this.rows.size || s.dim !== this.dim) return;
    const n = s.chunks.length;
    // The copy comes along only if it fits the budget and the file has it; else scoring reads the database.
    if (!s.copy || !s.scales || n * this.dim > this.inMemoryNumbers) this.dropCopy();
    while (this.chunks.length < n) this.grow();
    this.chunks.set(s.chunks);
    this.embeddings.set(s.embeddings);
    this.rows.pushAll(s.bits, n);
    // Taken as they are (a state read from a file is this index's alone; rows adopted are never written
    // again, and a row added later grows the copy into new arrays): at 100k × 100, copying them and pushing
    // rows one by one was ~80 ms of a first search.
    if (this.copy) {
      this.copy = s.copy!;
      this.scales = s.scales!;
    }
    this.loadedUpTo = s.upTo;
  }

  /** Forgets everything: the next refresh reloads (used when too many loaded chunks have gone). */
  reset(): void {
    this.rows = new SignBitRows(this.dim);
    this.loadedUpTo = 0;
    this.copy = new Int8Array(0);
    this.scales = new Float32Array(0);
  }

  /** Re-scoring goes to the stored vectors from now on (until a reset finds the set small again). */
  private dropCopy(): void {
    this.copy = undefined;
    this.scales = new Float32Array(0);
  }

  /** Whether candidates can be scored from memory (scores) rather than from the stored vectors. */
  get holdsVectors(): boolean {
    return this.copy !== undefined;
  }

  /** q · v for each candidate's vector, from the int8 copy (NaN for a stored vector of another length). */
  scores(q: Float32Array, cands: Candidate[]): Float32Array {
    const copy = this.copy!;
    const dim = this.dim;
    const out = new Float32Array(cands.length);
    for (let c = 0; c < cands.length; c++) {
      const row = cands[c]!.row;
      let s = 0;
      for (let d = 0, at = row * dim; d < dim; d++, at++) s += q[d]! * copy[at]!;
      out[c] = s * this.scales[row]!;
    }
    return out;
  }

  /** Stores row i's vector (a little-endian float32 blob) as int8 with one scale per row. */
  private keep(i: number, vector: Buffer | undefined): void {
    const dim = this.dim;
    if (this.copy!.length < (i + 1) * dim) {
      // Grown with the row arrays, but never past the budget (which the set was checked to fit).
      const rows = Math.max(i + 1, Math.min(this.chunks.length, Math.floor(this.inMemoryNumbers / dim)));
      const copy = new Int8Array(rows * dim);
      copy.set(this.copy!);
      this.copy = copy;
      const scales = new Float32Array(rows);
      scales.set(this.scales);
      this.scales = scales;
    }
    if (!vector || vector.byteLength !== dim * 4) {
      this.scales[i] = NaN;
      return;
    }
    // A view when the blob is 4-byte aligned (it usually is), a copy otherwise.
    const v = vector.byteOffset % 4 === 0 ? new Float32Array(vector.buffer, vector.byteOffset, dim) : new Float32Array(vector.buffer.slice(vector.byteOffset, vector.byteOffset + vector.byteLength));
    let max = 0;
    for (let d = 0; d < dim; d++) max = Math.max(max, Math.abs(v[d]!));
    const scale = max / 127 || 1;
    for (let d = 0, at = i * dim; d < dim; d++, at++) this.copy![at] = Math.round(v[d]! / scale);
    this.scales[i] = scale;
  }

  private grow(): void {
    const chunks = new Int32Array(this.chunks.length * 2);
    chunks.set(this.chunks);
    const embeddings = new Int32Array(this.embeddings.length * 2);
    embeddings.set(this.embeddings);
    this.chunks = chunks;
    this.embeddings = embeddings;
  }

  /** The (at least) r rows nearest to q by Hamming distance of their sign bits. */
  candidates(q: Float32Array, r: number): Candidate[] {
    const qb = new Uint32Array(this.rows.words);
    signBits(q, qb.length, qb, 0);
    return Array.from(this.rows.nearest(qb, r), (i) => ({ chunk: this.chunks[i]!, embedding: this.embeddings[i]!, row: i }));
  }
}

const indexes = new Map<string, VectorIndex>();

/**
 * Rows read from the database, since the screen file was last written or read, that make writing it
 * again worth it: below this, loading them from the database is quick anyway (~5–15 ms a thousand rows,
 * the vectors looked up by hash). At 10k rows the file reads in ~5 ms where the database took ~70–150 ms
 * of a first search (measured, 2026-12-02).
 */
export const FILE_AFTER_ROWS = 2_000;

const keyOf = (db: Db, embedderId: string) => `${db.name}\u0000${embedderId}`;

function indexOf(db: Db, embedderId: string, dim: number, saved?: ScreenState): VectorIndex {
  const key = keyOf(db, embedderId);
  let ix = indexes.get(key);
  if (!ix || ix.dim !== dim) {
    ix = new VectorIndex(embedderId, dim);
    indexes.set(key, ix);
    saved ??= readScreenFile(db, embedderId, dim, vectorProgress(db, embedderId));
    if (saved) ix.adopt(saved);
  }
  return ix;
}

/** A read of the screen's file in progress; `forCall` once a caller (a search) waits on it. */
interface Reading {
  read: Promise<ScreenState | undefined>;
  forCall: boolean;
}
const reading = new Map<string, Reading>();

/**
 * The screen's file, its bytes read by the thread pool and its checksum taken in turns: once per
 * process however many callers ask at once; undefined when the index is already loaded or no file fits.
 * Started by a warm-up its slices give way to calls; once a search waits on it, they no longer do.
 */
function screenFromFile(db: Db, embedderId: string, dim: number, forCall: boolean): Promise<ScreenState | undefined> {
  const key = keyOf(db, embedderId);
  if (indexes.get(key)?.dim === dim) return Promise.resolve(undefined);
  let r = reading.get(key);
  if (!r) {
    const started: Reading = { read: Promise.resolve(undefined), forCall };
    const slice: Turn = () => (started.forCall ? immediateTurn() : turn());
    started.read = readScreenFileInTurns(db, embedderId, dim, vectorProgress(db, embedderId), slice).finally(() => reading.delete(key));
    reading.set(key, (r = started));
  }
  if (forCall) r.forCall = true;
  return r.read;
}

/**
 * Loads the index from its file without holding the event loop for the read: a search starts it before
 * its text half, so the read overlaps that (at 100k × 100 the file's ~11 MB took ~57 ms to read on the
 * event loop, the first search's largest part). Rows past the file are left to vectorIndexFor.
 */
export async function preloadVectorIndex(db: Db, embedderId: string, dim: number, forCall = true): Promise<void> {
  const saved = await screenFromFile(db, embedderId, dim, forCall);
  if (saved && db.open) indexOf(db, embedderId, dim, saved);
}

/** After a load that read many rows from the database: the screen file is written, beside the calls. */
function keepFile(db: Db, ix: VectorIndex): void {
  // A big screen is written again once an eighth of it is new, not every 2,000 rows (100k rows: 13 MB).
  if (ix.readFromDb < Math.max(FILE_AFTER_ROWS, ix.size / 8) || ix.fileDue) return;
  ix.fileDue = true;
  const t = setTimeout(() => {
    if (!db.open) {
      ix.fileDue = false;
      return;
    }
    void writeFile(db, ix).finally(() => (ix.fileDue = false));
  }, 0);
  t.unref();
}

async function writeFile(db: Db, ix: VectorIndex): Promise<void> {
  const read = ix.readFromDb;
  ix.readFromDb = 0;
  try {
    await writeScreenFile(db, ix.embedderId, ix.state(), turn);
  } catch (e) {
    // A cache: a full disk or a read-only folder costs the next process a slower first search, nothing
    // more. Busy (another process writing): tried again after the next load.
    ix.readFromDb += read;
    log.debug(`vector screen file not written: ${(e as Error).message}`);
  }
}

/** The process's index for this database and embedder, brought up to date. */
export function vectorIndexFor(db: Db, embedderId: string, dim: number): VectorIndex {
  const ix = indexOf(db, embedderId, dim);
  ix.refresh(db);
  keepFile(db, ix);
  return ix;
}

/**
 * Loads the screen and writes its file now, if it is big enough to be worth one: what a one-shot
 * command that has just embedded a big set does before it exits, so the first server start after it
 * reads the file (a server warms the screen beside its calls and writes the file then).
 */
export async function saveVectorScreen(db: Db, embedderId: string, dim: number): Promise<void> {
  const ix = indexOf(db, embedderId, dim);
  ix.refresh(db);
  if (ix.size >= FILE_AFTER_ROWS) await writeFile(db, ix);
}

/** Rows loaded per turn of the event loop by warmVectorIndex (~10–25 ms each at 100 dims). */
const WARM_SLICE = 5000;

/**
 * Loads the index in slices, giving other callers a turn between them: what a server does when it opens
 * a project, so the first search does not load a big set's screen on its own time. A search arriving
 * meanwhile loads the rest itself (vectorIndexFor), and this then finds nothing left.
 */
export async function warmVectorIndex(db: Db, embedderId: string, dim: number): Promise<void> {
  // Its file, read in turns (shared with a search that started the same read; one that read it at once
  // itself left the index there, and this then finds it).
  await preloadVectorIndex(db, embedderId, dim, false);
  if (!db.open) return;
  const ix = indexOf(db, embedderId, dim);
  while (db.open && !ix.refresh(db, WARM_SLICE)) await turn();
  if (db.open) keepFile(db, ix);
}
