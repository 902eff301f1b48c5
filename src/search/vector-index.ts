// An in-memory prefilter for the vector half: one sign bit per dimension per chunk (1536 dims → 192
// bytes), scanned by Hamming distance to pick a few hundred candidates that are then re-scored exactly
// from the stored float vectors. Measured before building it: at 100k × 1536 an exact scan of the
// stored vectors took ~0.9 s a query, sqlite-vec's bit KNN ~53 ms, this scan ~11 ms, with recall@10
// of 0.99 after exact re-scoring. Loaded lazily per process on the first search that needs it and
// kept in step with the database through the per-embedder watermark (chunk ids only grow).
import type { Db } from '../store/db.js';
import { stmt } from '../store/statements.js';
import { vectorProgress } from '../store/chunks.js';
import { signBits } from '../store/sign-bits.js';

// Set bits of every 16-bit value: two table lookups per 32-bit word measured ~25% faster in V8 than
// the shift-and-mask popcount.
const BITS16 = (() => {
  const t = new Uint8Array(65536);
  for (let i = 1; i < 65536; i++) t[i] = (i & 1) + t[i >>> 1]!;
  return t;
})();

const FIRST_STAGE_WORDS = 16;
const STAGE_WIDEN = 8;

export class VectorIndex {
  readonly words: number;
  private ids = new Int32Array(1024);
  private bits: Uint32Array;
  private count = 0;
  private loadedUpTo = 0;

  constructor(
    readonly embedderId: string,
    readonly dim: number,
  ) {
    this.words = Math.ceil(dim / 32);
    this.bits = new Uint32Array(1024 * this.words);
  }

  get size(): number {
    return this.count;
  }

  /** Loads vectors of chunks past what this index has seen, up to the embedder's watermark. */
  refresh(db: Db): void {
    const upto = vectorProgress(db, this.embedderId);
    if (upto <= this.loadedUpTo) return;
    // Only the sign bits are read (1/32 of the vectors): 100k × 1536 loads 19 MB, not 600 MB.
    const rows = stmt(
      db,
      `SELECT c.id, e.bits FROM chunks c JOIN embeddings e ON e.hash = c.hash AND e.embedder = ?
       WHERE c.id > ? AND c.id <= ? AND length(e.vector) = ? ORDER BY c.id`,
    ).iterate(this.embedderId, this.loadedUpTo, upto, this.dim * 4) as Iterable<{ id: number; bits: Buffer }>;
    for (const r of rows) {
      this.grow();
      this.ids[this.count] = r.id;
      for (let w = 0; w < this.words; w++) this.bits[this.count * this.words + w] = r.bits.readUInt32LE(w * 4);
      this.count++;
    }
    this.loadedUpTo = upto;
  }

  private grow(): void {
    if (this.count < this.ids.length) return;
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    const bits = new Uint32Array(this.bits.length * 2);
    bits.set(this.bits);
    this.ids = ids;
    this.bits = bits;
  }

  /**
   * Chunk ids of the (at least) r nearest vectors by Hamming distance of their sign bits. Long vectors
   * are screened in two stages: the first FIRST_STAGE_WORDS words (512 bits) over everything, keeping
   * STAGE_WIDEN × r, then all the bits over those (measured at 100k × 1536: about half the time of one full scan).
   */
  candidates(q: Float32Array, r: number): number[] {
    const W = this.words;
    const qb = new Uint32Array(W);
    signBits(q, W, qb, 0);
    const rows = W > FIRST_STAGE_WORDS * 2 ? this.nearest(undefined, qb, FIRST_STAGE_WORDS, r * STAGE_WIDEN) : undefined;
    return Array.from(this.nearest(rows, qb, W, r), (i) => this.ids[i]!);
  }

  /** The rows (all rows when undefined; at least r returned) nearest by Hamming distance over the first `to` words. */
  private nearest(rows: Int32Array | undefined, qb: Uint32Array, to: number, r: number): Int32Array {
    const W = this.words;
    const bits = this.bits;
    const n = rows ? rows.length : this.count;
    const dist = new Uint16Array(n);
    const hist = new Uint32Array(to * 32 + 1);
    for (let k = 0; k < n; k++) {
      const o = (rows ? rows[k]! : k) * W;
      let d = 0;
      for (let w = 0; w < to; w++) {
        const x = bits[o + w]! ^ qb[w]!;
        d += BITS16[x & 0xffff]! + BITS16[x >>> 16]!;
      }
      dist[k] = d;
      hist[d]!++;
    }
    // The distance within which at least r rows lie, from the histogram (no sort of n items).
    let cut = 0;
    for (let acc = 0; cut < hist.length && acc + hist[cut]! < r; cut++) acc += hist[cut]!;
    let m = 0;
    for (let k = 0; k < n; k++) if (dist[k]! <= cut) m++;
    const out = new Int32Array(m);
    for (let k = 0, j = 0; k < n; k++) if (dist[k]! <= cut) out[j++] = rows ? rows[k]! : k;
    return out;
  }
}

const indexes = new Map<string, VectorIndex>();

/** The process's index for this database and embedder, brought up to date. */
export function vectorIndexFor(db: Db, embedderId: string, dim: number): VectorIndex {
  const key = `${db.name}\u0000${embedderId}`;
  let ix = indexes.get(key);
  if (!ix || ix.dim !== dim) {
    ix = new VectorIndex(embedderId, dim);
    indexes.set(key, ix);
  }
  ix.refresh(db);
  return ix;
}
