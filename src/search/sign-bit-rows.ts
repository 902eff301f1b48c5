// Rows of sign bits in WebAssembly memory, scanned by Hamming distance to a query with SIMD popcount
// (scripts/wasm/vectors.wat). Measured at 100k × 1536 bits on this machine class: the same scan in
// plain JS (16-bit popcount tables) took ~8 ms a query even when cut to two stages; this takes ~2 ms
// over all the bits in one pass. Rows are padded to whole 128-bit blocks with zero bits on both sides,
// which adds nothing to a distance.
import { ensureMemory, vectorsWasm, type VectorsWasm } from './wasm.js';

export class SignBitRows {
  /** 32-bit words of real bits per row, and the padded stride in 128-bit blocks. */
  readonly words: number;
  private readonly blocks: number;
  private readonly rowBytes: number;
  private readonly wasm: VectorsWasm;
  private capacity = 0;
  private n = 0;
  private view = new Uint8Array(0);

  constructor(dim: number) {
    this.words = Math.ceil(dim / 32);
    this.blocks = Math.ceil(this.words / 4);
    this.rowBytes = this.blocks * 16;
    this.wasm = vectorsWasm();
    this.reserve(1024);
  }

  get size(): number {
    return this.n;
  }

  // Memory layout: the query's row at 0, then `capacity` rows, one u16 distance per row, the
  // histogram of distances, and room for every row's index in a selection.
  private get rowsAt(): number {
    return this.rowBytes;
  }

  private get outAt(): number {
    return this.rowBytes * (1 + this.capacity);
  }

  private get histAt(): number {
    return this.outAt + 2 * this.capacity; // 4-byte aligned: capacity is a power of two ≥ 1024
  }

  private get histBytes(): number {
    return 4 * (this.words * 32 + 1);
  }

  private get selectAt(): number {
    return this.histAt + this.histBytes;
  }

  private reserve(rows: number): void {
    if (rows <= this.capacity) return;
    let capacity = Math.max(this.capacity, 1024);
    while (capacity < rows) capacity *= 2;
    this.capacity = capacity;
    ensureMemory(this.wasm, this.selectAt + 4 * capacity);
  }

  /** Appends one row: `words` little-endian 32-bit words, as stored beside each vector. */
  push(bits: Uint8Array): void {
    this.pushAll(bits, 1);
  }

  /** Appends n rows, packed as `packed()` gives them (`words` × 4 bytes a row). */
  pushAll(bits: Uint8Array, n: number): void {
    this.reserve(this.n + n);
    if (this.view.buffer !== this.wasm.memory.buffer) this.view = new Uint8Array(this.wasm.memory.buffer);
    const bytes = this.words * 4;
    const at = this.rowsAt + this.n * this.rowBytes;
    if (bytes === this.rowBytes) this.view.set(bits.subarray(0, n * bytes), at);
    else {
      for (let i = 0; i < n; i++) {
        const row = at + i * this.rowBytes;
        this.view.set(bits.subarray(i * bytes, (i + 1) * bytes), row);
        // The padding must be zero; after a grow this space held distances and indexes.
        this.view.fill(0, row + bytes, row + this.rowBytes);
      }
    }
    this.n += n;
  }

  /** Every row's real bits, packed (`words` × 4 bytes a row, no padding), in row order: what push takes. */
  packed(): Uint8Array<ArrayBuffer> {
    const bytes = this.words * 4;
    const view = new Uint8Array(this.wasm.memory.buffer);
    const out = new Uint8Array(this.n * bytes);
    for (let i = 0; i < this.n; i++) out.set(view.subarray(this.rowsAt + i * this.rowBytes, this.rowsAt + i * this.rowBytes + bytes), i * bytes);
    return out;
  }

  /** Indexes of the (at least) r rows nearest to the query's bits, in row order. */
  nearest(queryBits: Uint32Array, r: number): Uint32Array {
    let buf = this.wasm.memory.buffer;
    const q = new Uint8Array(buf, 0, this.rowBytes);
    q.fill(0);
    q.set(new Uint8Array(queryBits.buffer, queryBits.byteOffset, this.words * 4));
    const hist = new Uint32Array(buf, this.histAt, this.histBytes / 4);
    hist.fill(0);
    this.wasm.hamming(0, this.rowsAt, this.n, this.blocks, this.outAt, this.histAt);
    // The distance within which at least r rows lie, from the histogram (no sort of n items).
    let cut = 0;
    for (let acc = 0; cut < hist.length - 1 && acc + hist[cut]! < r; cut++) acc += hist[cut]!;
    const m = this.wasm.select(this.outAt, this.n, cut, this.selectAt);
    buf = this.wasm.memory.buffer;
    return new Uint32Array(buf, this.selectAt, m);
  }
}
