// The text half's own index for big sets: the postings of chunks_fts (each term's chunks and how often
// it occurs in each, headings weighing 3), kept in memory by a long-running process, so a query scores
// only the postings of its own words in typed arrays. It computes FTS5's bm25 formula (fts5_aux.c)
// term by term in the same order and precision, over the same tokens (store/fts-tokens.ts tokenizes with
// FTS5 itself), so it answers the same chunks with the same scores as `bm25(chunks_fts, 3.0, 1.0)`, to
// the last bit (see idfOf): at 100k chunks p50 ~1 ms against ~16 ms for FTS5, which reads every matching row's
// positions and looks up its size. The row count and average length come from FTS5's own totals, read
// on every query. It answers only when it holds exactly the rows chunks_fts holds: each chunk it reads
// must have FTS5's token count per column (else its text was indexed some other way, and it never
// answers), and the number of rows must be FTS5's (a count over FTS5's docsize table, taken again
// whenever chunks came or went: chunksVersion). A filter is applied before the top-k cut, as FTS5's
// query does: a kind by each chunk's kind, kept beside it; a path, plan or flow by the chunks it allows,
// read from the database (at 1.1M chunks a filtered search through FTS5 took ~0.9 s, held on the one
// thread). Otherwise (an owner filter allowing more than OWNER_FILTER_CAP chunks, while it is being
// built, inside a caller's transaction, or when a phrase's rows do not check out: phrasePostings), FTS5
// answers.
//
// Chunk ids only grow (AUTOINCREMENT), so new chunks are found past the highest id read; deleted ones
// show as fewer rows than this index holds, and are then found by reading which ids remain.
import type { Db } from '../store/db.js';
import {
  chunkKindsIn,
  chunkTextsAfter,
  chunksVersion,
  ftsPhraseScores,
  ftsRowCount,
  ftsRowIdsUpTo,
  ftsRowSizes,
  ftsTotals,
  lastChunkId,
  sqliteLn,
  tokenizeRows,
  tokenizeWords,
  type FtsTotals,
} from '../store/fts-tokens.js';
import { allowedChunkIds, type ScoredChunk } from '../store/search-index.js';
import type { ChunkFilter } from '../store/search-filter.js';
import { readTextIndexFile, writeTextIndexFile, type TextIndexState } from '../store/text-index-file.js';
import { nextTurn as turn, type Turn } from '../background-turns.js';
import { ftsDocument, ftsMatch } from './fts-text.js';
import { log } from '../log.js';

/** FTS5's bm25 constants (fts5_aux.c) and chunks_fts's column weights (store/search-index.ts). */
const K1 = 1.2;
const B = 0.75;
const HEADING_WEIGHT = 3;
/** Postings of one chunk can weigh at most this (they are kept as 16-bit numbers). */
const MAX_WEIGHT = 0xffff;

/** Elements of the next merge's arrays paged in per turn while building (~1.5 MB, a few ms). */
const ROOM_SLICE = 262_144;
/** Recent postings past which (and past an eighth of the merged ones) they are merged. */
let MERGE_AFTER = 65_536;
/** For tests: merges after a few postings, so small sets go through them. */
export function setMergeAfter(n: number): void {
  MERGE_AFTER = n;
}

export class TextIndex {
  /** Per slot (a chunk, in id order): its id, token counts per column, whether it still exists. */
  private ids = new Float64Array(1024);
  private headLen = new Uint32Array(1024);
  private bodyLen = new Uint32Array(1024);
  private alive = new Uint8Array(1024);
  /** Per slot: its chunk's kind (KIND_CODE), so a search filtered by kind needs no query per chunk. */
  private kinds = new Uint8Array(1024);
  private slots = 0;
  private live = 0;
  /** The highest chunk id read. */
  upTo = 0;
  /** Chunks read from the database since its file was written (or read). */
  readFromDb = 0;
  /** It started from its file. */
  fromFile = false;
  /** Postings merged into flat arrays: term → its range [start[t], start[t + 1]) of `post` (slots) and `weight`. */
  private termNo = new Map<string, number>();
  private start = new Int32Array(1);
  private post = new Int32Array(0);
  private weight = new Uint16Array(0);
  /** Postings added since the last merge, per term: [slot, weight, slot, weight, …]. */
  private recent = new Map<string, number[]>();
  private recentSize = 0;
  /**
   * Why this index must never answer: a chunk held a term more often than a posting can say, or FTS5
   * counted a chunk's tokens differently (its text was indexed by another version, or planted).
   */
  broken?: string;
  /** The next growth merge's arrays, paged in a slice per turn while the index is built (prepareRoom). */
  private room?: { post: Int32Array<ArrayBuffer>; weight: Uint16Array<ArrayBuffer>; touched: number };
  /** Scratch for scoring, sized to the slots. */
  private acc = new Float64Array(0);
  private seen = new Uint8Array(0);
  private touched = new Int32Array(0);
  private passing = new Int32Array(0);

  /**
   * While the index is built, gets the next growth merge's arrays ready a slice per turn: sized for what
   * that merge will hold (a merge comes once the recent postings pass an eighth of the merged ones) and
   * touched ROOM_SLICE elements at a time, so the merge copies into memory already paged in. Measured at
   * 100k chunks: a merge took ~60–150 ms, most of it paging in its fresh arrays, all in one turn.
   */
  prepareRoom(): void {
    const need = Math.ceil(Math.max(this.post.length + MERGE_AFTER, this.post.length * 1.125) * 1.1) + 4096;
    if (!this.room || this.room.post.length < need) this.room = { post: new Int32Array(need), weight: new Uint16Array(need), touched: 0 };
    const r = this.room;
    const to = Math.min(r.post.length, r.touched + ROOM_SLICE);
    r.post.fill(0, r.touched, to);
    r.weight.fill(0, r.touched, to);
    r.touched = to;
  }

  /**
   * Gives back the arrays prepared for a merge (the index is built: growth is slow from now on), after
   * folding the last postings read into them: the file's write merges what is recent, and doing it there,
   * into fresh arrays, held the thread ~0.3 s at 1.1M chunks (a stall of ~0.9 s with the first search).
   */
  lean(): void {
    if (this.recentSize) this.merge(false);
    this.room = undefined;
  }

  get size(): number {
    return this.live;
  }

  /**
   * Reads up to `limit` chunks past the highest id read (but not past `last`), tokenized by FTS5.
   * Returns how many were read: 0 means caught up to `last`.
   */
  addAfter(db: Db, last: number, limit: number): number {
    const rows = chunkTextsAfter(db, this.upTo, last, limit);
    if (!rows.length) {
      this.upTo = Math.max(this.upTo, last);
      return 0;
    }
    const slotOf = new Map<number, number>();
    for (const [id, , , kind] of rows) slotOf.set(id, this.newSlot(id, kind));
    const counts = tokenizeRows(
      db,
      rows.map(([id, heading, body]) => ({ id, heading: ftsDocument(heading), body: ftsDocument(body) })),
    );
    // Rows come grouped by term, then chunk, then column: a (term, chunk) pair's columns are adjacent.
    let term = '';
    let slot = -1;
    let w = 0;
    let list: number[] | undefined;
    const flush = () => {
      if (slot < 0) return;
      if (w > MAX_WEIGHT) this.broken = 'a chunk holds a word too often';
      list!.push(slot, Math.min(w, MAX_WEIGHT));
      this.recentSize++;
    };
    for (const [t, id, col, n] of counts) {
      const s = slotOf.get(id)!;
      if (t !== term || s !== slot) {
        flush();
        if (t !== term) {
          term = t;
          list = this.recent.get(t) ?? this.recent.set(t, []).get(t)!;
        }
        slot = s;
        w = 0;
      }
      if (col === 'heading') {
        this.headLen[s]! += n;
        w += HEADING_WEIGHT * n;
      } else {
        this.bodyLen[s]! += n;
        w += n;
      }
    }
    flush();
    const read = rows[rows.length - 1]![0];
    const sizes = ftsRowSizes(db, this.upTo, read);
    for (const [id, s] of slotOf) if (!this.asFtsHolds(s, sizes.get(id))) this.broken ??= `chunk ${id} is indexed with other words than its text has`;
    this.upTo = read;
    this.readFromDb += rows.length;
    if (this.recentSize > MERGE_AFTER && this.recentSize > this.post.length / 8) this.merge(false);
    return rows.length;
  }

  private newSlot(id: number, kind: string): number {
    if (this.slots === this.ids.length) {
      const n = this.ids.length * 2;
      this.ids = grow(this.ids, new Float64Array(n));
      this.headLen = grow(this.headLen, new Uint32Array(n));
      this.bodyLen = grow(this.bodyLen, new Uint32Array(n));
      this.alive = grow(this.alive, new Uint8Array(n));
      this.kinds = grow(this.kinds, new Uint8Array(n));
    }
    const s = this.slots++;
    this.ids[s] = id;
    this.kinds[s] = kindCode(kind);
    this.headLen[s] = 0; // a slot past a merge's end held another chunk
    this.bodyLen[s] = 0;
    this.alive[s] = 1;
    this.live++;
    return s;
  }

  /**
   * Whether the chunk in slot s is as FTS5 holds it (`size`: its docsize, heading and body tokens). A chunk
   * without its row is not one of FTS5's rows: it is dropped. One counted otherwise means this index would
   * not score as FTS5 does: false.
   */
  private asFtsHolds(s: number, size: [number, number] | undefined): boolean {
    if (!size) this.drop(s);
    return !size || (size[0] === this.headLen[s] && size[1] === this.bodyLen[s]);
  }

  private drop(s: number): void {
    if (!this.alive[s]) return;
    this.alive[s] = 0;
    this.live--;
  }

  /** Marks the chunks that are no longer rows of chunks_fts (given the ids that are, ascending), and folds them out once they are many. */
  keepOnly(existing: readonly number[]): void {
    let j = 0;
    for (let s = 0; s < this.slots; s++) {
      if (!this.alive[s]) continue;
      const id = this.ids[s]!;
      while (j < existing.length && existing[j]! < id) j++;
      if (j >= existing.length || existing[j] !== id) this.drop(s);
    }
    if (this.slots - this.live > this.live / 4) this.merge(true);
  }

  /** Everything it holds, merged (chunks that are gone folded out), to be written to its file. */
  state(): TextIndexState {
    this.merge(true);
    const terms: string[] = new Array<string>(this.termNo.size);
    for (const [term, t] of this.termNo) terms[t] = term;
    const n = this.slots;
    return {
      upTo: this.upTo,
      ids: this.ids.subarray(0, n),
      headLen: this.headLen.subarray(0, n),
      bodyLen: this.bodyLen.subarray(0, n),
      terms,
      start: this.start,
      post: this.post,
      weight: this.weight,
    };
  }

  /**
   * state(), with the per-chunk arrays copied: a merge compacts those in place, and the file is written
   * over several turns (the postings are never changed in place: a merge makes new ones).
   */
  stateToWrite(): TextIndexState {
    const s = this.state();
    return { ...s, ids: s.ids.slice(), headLen: s.headLen.slice(), bodyLen: s.bodyLen.slice() };
  }

  /**
   * Takes over a state read from its file, then checks it against FTS5 chunk by chunk, a slice per turn: a
   * chunk no longer there is dropped, and one whose token counts differ from FTS5's makes it false (the
   * file is not this database's index after all; the caller builds one from the database). A chunk
   * deleted after its slice was checked shows as one row fewer than FTS5 holds, as any deletion does.
   */
  async adopt(db: Db, s: TextIndexState, turn: Turn): Promise<boolean> {
    const n = s.ids.length;
    const cap = Math.max(1024, n);
    this.ids = grow(s.ids, new Float64Array(cap));
    this.headLen = grow(s.headLen, new Uint32Array(cap));
    this.bodyLen = grow(s.bodyLen, new Uint32Array(cap));
    this.alive = new Uint8Array(cap);
    this.alive.fill(1, 0, n);
    this.kinds = new Uint8Array(cap); // the file does not keep them: read with each slice below
    this.slots = n;
    this.live = n;
    this.upTo = s.upTo;
    this.termNo = new Map(s.terms.map((t, i) => [t, i]));
    this.start = s.start;
    this.post = s.post;
    this.weight = s.weight;
    for (let from = 0; from < n; from += ADOPT_SLICE) {
      await turn();
      if (!db.open) return false;
      const to = Math.min(n, from + ADOPT_SLICE);
      const after = from ? this.ids[from - 1]! : 0;
      const sizes = ftsRowSizes(db, after, this.ids[to - 1]!);
      const kinds = chunkKindsIn(db, after, this.ids[to - 1]!);
      for (let i = from; i < to; i++) {
        if (!this.asFtsHolds(i, sizes.get(this.ids[i]!))) return false;
        this.kinds[i] = kindCode(kinds.get(this.ids[i]!));
      }
    }
    return true;
  }

  /**
   * Folds the recent postings into the flat arrays. `compact` also leaves out chunks that are gone and
   * renumbers the slots (the file holds only chunks that exist); otherwise a gone chunk's postings stay,
   * not counted (search reads `alive`), and every term's merged postings are copied as one block: a
   * merge at 100k chunks took ~60–130 ms posting by posting, held on the event loop while being built.
   */
  private merge(compact: boolean): void {
    // Nothing recent and no chunk gone: the flat arrays are already what a merge would make.
    if (!this.recentSize && (!compact || this.live === this.slots)) return;
    if ((!compact || this.live === this.slots) && this.mergeInPlace()) return;
    const slots = this.slots;
    const newSlot = new Int32Array(slots);
    let n = 0;
    for (let s = 0; s < slots; s++) newSlot[s] = !compact || this.alive[s] ? n++ : -1;
    const whole = n === slots;
    const { post: oldPost, weight: oldWeight, start: oldStart } = this;
    const terms = [...new Set([...this.termNo.keys(), ...this.recent.keys()])];
    const start = new Int32Array(terms.length + 1);
    const counts = new Int32Array(terms.length);
    terms.forEach((term, i) => {
      const t = this.termNo.get(term);
      const r = this.recent.get(term);
      let c = 0;
      if (whole) c = (t === undefined ? 0 : oldStart[t + 1]! - oldStart[t]!) + (r ? r.length / 2 : 0);
      else {
        if (t !== undefined) for (let j = oldStart[t]!, hi = oldStart[t + 1]!; j < hi; j++) if (newSlot[oldPost[j]!]! >= 0) c++;
        if (r) for (let j = 0; j < r.length; j += 2) if (newSlot[r[j]!]! >= 0) c++;
      }
      counts[i] = c;
    });
    const termNo = new Map<string, number>();
    let total = 0;
    const kept: string[] = [];
    terms.forEach((term, i) => {
      if (!counts[i]) return;
      termNo.set(term, kept.length);
      start[kept.length] = total;
      kept.push(term);
      total += counts[i]!;
    });
    start[kept.length] = total;
    // Into the arrays prepared beside the calls when there are (a growth merge while building), else new ones.
    const room = !compact && this.room && this.room.post.length >= total ? this.room : undefined;
    this.room = undefined;
    const post = room ? room.post.subarray(0, total) : new Int32Array(total);
    const weight = room ? room.weight.subarray(0, total) : new Uint16Array(total);
    let at = 0;
    for (const term of kept) {
      const t = this.termNo.get(term);
      if (t !== undefined) {
        const lo = oldStart[t]!;
        const hi = oldStart[t + 1]!;
        if (whole) {
          post.set(oldPost.subarray(lo, hi), at);
          weight.set(oldWeight.subarray(lo, hi), at);
          at += hi - lo;
        } else {
          for (let j = lo; j < hi; j++) {
            const to = newSlot[oldPost[j]!]!;
            if (to < 0) continue;
            post[at] = to;
            weight[at++] = oldWeight[j]!;
          }
        }
      }
      // A term's recent postings are of chunks read after all its merged ones: slots stay in order.
      const r = this.recent.get(term);
      if (r) {
        for (let j = 0; j < r.length; j += 2) {
          const to = newSlot[r[j]!]!;
          if (to < 0) continue;
          post[at] = to;
          weight[at++] = r[j + 1]!;
        }
      }
    }
    if (!whole) {
      for (let s = 0; s < slots; s++) {
        const to = newSlot[s]!;
        if (to < 0) continue;
        this.ids[to] = this.ids[s]!;
        this.headLen[to] = this.headLen[s]!;
        this.bodyLen[to] = this.bodyLen[s]!;
        this.kinds[to] = this.kinds[s]!;
        this.alive[to] = 1;
      }
      this.alive.fill(0, n);
      this.slots = n;
    }
    this.termNo = termNo;
    this.start = start.slice(0, kept.length + 1);
    this.post = post;
    this.weight = weight;
    this.recent = new Map();
    this.recentSize = 0;
  }

  /**
   * A merge that renumbers nothing (no chunk to fold out): the merged terms keep their order, so every run
   * of terms with no recent postings is copied as one block, and only the terms that gained postings are
   * looked at one by one; terms new since the last merge come after them, as a merge puts them. The same
   * arrays as the general merge, without its work per term: at 1.1M chunks and ~90k terms (an import of
   * 1M tasks numbered by flow) a growth merge held the thread ~100–150 ms. False, having changed nothing,
   * where a merged term holds no postings (only a file made otherwise has one): the general merge drops it.
   */
  private mergeInPlace(): boolean {
    const { post: oldPost, weight: oldWeight, start: oldStart, recent, termNo } = this;
    const nTerms = oldStart.length - 1;
    for (let t = 0; t < nTerms; t++) if (oldStart[t + 1]! <= oldStart[t]!) return false;
    // The merged terms that gained postings, by their number; the terms never merged, in the order added.
    const gained = new Map<number, number[]>();
    const fresh: [string, number[]][] = [];
    for (const [term, r] of recent) {
      if (!r.length) continue;
      const t = termNo.get(term);
      if (t === undefined) fresh.push([term, r]);
      else gained.set(t, r);
    }
    const total = oldStart[nTerms]! + this.recentSize;
    const room = this.room && this.room.post.length >= total ? this.room : undefined;
    this.room = undefined;
    const post = room ? room.post.subarray(0, total) : new Int32Array(total);
    const weight = room ? room.weight.subarray(0, total) : new Uint16Array(total);
    const start = new Int32Array(nTerms + fresh.length + 1);
    const order = [...gained.keys()].sort((a, b) => a - b);
    let at = 0; // where the next block goes in the new arrays
    let from = 0; // the first merged term not copied yet
    const copyTerms = (to: number) => {
      // Terms from..to-1 gained nothing: one block, each start moved by what was inserted before it.
      const lo = oldStart[from]!;
      const hi = oldStart[to]!;
      post.set(oldPost.subarray(lo, hi), at);
      weight.set(oldWeight.subarray(lo, hi), at);
      for (let t = from; t < to; t++) start[t] = oldStart[t]! - lo + at;
      at += hi - lo;
      from = to;
    };
    const append = (r: number[]) => {
      for (let j = 0; j < r.length; j += 2) {
        post[at] = r[j]!;
        weight[at++] = r[j + 1]!;
      }
    };
    for (const t of order) {
      copyTerms(t + 1);
      append(gained.get(t)!);
    }
    copyTerms(nTerms);
    fresh.forEach(([term, r], i) => {
      start[nTerms + i] = at;
      termNo.set(term, nTerms + i);
      append(r);
    });
    start[nTerms + fresh.length] = at;
    this.start = start;
    this.post = post;
    this.weight = weight;
    this.recent = new Map();
    this.recentSize = 0;
    return true;
  }

  /** The slot holding this chunk id, or -1 (ids rise with the slots: ids only grow, and merges keep their order). */
  private slotOf(id: number): number {
    let lo = 0;
    let hi = this.slots - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.ids[mid]!;
      if (v === id) return mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /**
   * A phrase's postings from FTS5's own scores for it alone (`[id, -bm25]` of every row holding it): a
   * phrase needs positions, which this index does not keep, so FTS5 finds its rows, and each row's
   * phrase frequency (a whole number: 3 per heading hit, 1 per body hit) is worked back from the score,
   * checked by scoring it again. Undefined when a row is not one this index holds or does not check out.
   */
  phrasePostings(db: Db, rows: readonly [number, number][], totals: FtsTotals): number[] | undefined {
    const avgdl = (totals.heading + totals.body) / totals.rows;
    const idf = idfOf(db, totals.rows, rows.length);
    const out: number[] = [];
    for (const [id, s] of rows) {
      const slot = this.slotOf(id);
      if (slot < 0 || !this.alive[slot]) return undefined;
      const D = this.headLen[slot]! + this.bodyLen[slot]!;
      const g = s / idf;
      const k = K1 * (1 - B + (B * D) / avgdl);
      const f = Math.round((k * g) / (K1 + 1.0 - g));
      if (!(f >= 1) || Math.abs(idf * tfPart(f, D, avgdl) - s) > 1e-9 * Math.max(1, Math.abs(s))) return undefined;
      out.push(slot, f);
    }
    return out;
  }

  /**
   * The best `k` chunks by bm25 for these query terms, one per quoted word of the MATCH expression in
   * its order: an FTS5 token, or a phrase's postings (phrasePostings); with their scores, what
   * `-bm25(chunks_fts, 3.0, 1.0)` gives.
   */
  search(db: Db, terms: readonly QueryTerm[], k: number, totals: FtsTotals, only?: SlotFilter): ScoredChunk[] {
    if (this.acc.length < this.slots) {
      this.acc = new Float64Array(this.ids.length);
      this.seen = new Uint8Array(this.ids.length);
      this.touched = new Int32Array(this.ids.length);
      this.passing = new Int32Array(0);
    }
    const { acc, seen, touched, alive, headLen, bodyLen } = this;
    // What fts5Bm25GetData reads: FTS5's totals, which still count deleted rows (see ftsTotals).
    const nRow = totals.rows;
    const avgdl = (totals.heading + totals.body) / nRow;
    let nt = 0;
    for (const term of terms) {
      const t = typeof term === 'string' ? this.termNo.get(term) : undefined;
      const lo = t === undefined ? 0 : this.start[t]!;
      const hi = t === undefined ? 0 : this.start[t + 1]!;
      const r = (typeof term === 'string' ? this.recent.get(term) : term) ?? [];
      // With no chunk gone since the last compacting merge every posting counts: no need to look (a word
      // in every one of 1.1M chunks was a scan of 1.1M postings before its scoring).
      let nHit = 0;
      if (this.live === this.slots) nHit = hi - lo + r.length / 2;
      else {
        for (let i = lo; i < hi; i++) nHit += alive[this.post[i]!]!;
        for (let i = 0; i < r.length; i += 2) nHit += alive[r[i]!]!;
      }
      const idf = idfOf(db, nRow, nHit);
      const add = (s: number, f: number) => {
        if (!alive[s]) return;
        if (!seen[s]) {
          seen[s] = 1;
          acc[s] = 0;
          touched[nt++] = s;
        }
        acc[s]! += idf * tfPart(f, headLen[s]! + bodyLen[s]!, avgdl);
      };
      for (let i = lo; i < hi; i++) add(this.post[i]!, this.weight[i]!);
      for (let i = 0; i < r.length; i += 2) add(r[i]!, r[i + 1]!);
    }
    // A filter is applied before the cut, as FTS5's query applies it (its rows are joined to the chunks
    // first): the best k of the chunks it allows.
    let pool = touched;
    let np = nt;
    if (only) {
      if (this.passing.length < this.slots) this.passing = new Int32Array(this.ids.length);
      pool = this.passing;
      np = 0;
      const { kinds } = this;
      for (let i = 0; i < nt; i++) {
        const s = touched[i]!;
        if ((!only.kind || kinds[s] === only.kind) && (!only.slots || only.slots[s])) pool[np++] = s;
      }
    }
    const best = topK(acc, pool, np, k);
    for (let i = 0; i < nt; i++) seen[touched[i]!] = 0;
    return best.map((s) => ({ id: this.ids[s]!, s: acc[s]! }));
  }

  /** Marks the slots of these chunk ids (those it holds) in an array over the slots: a search's filter. */
  markSlots(ids: readonly number[]): Uint8Array {
    const marks = new Uint8Array(this.slots);
    for (const id of ids) {
      const s = this.slotOf(id);
      if (s >= 0) marks[s] = 1;
    }
    return marks;
  }
}

/** A query term: one FTS5 token, or a phrase's postings ([slot, frequency, …]). */
export type QueryTerm = string | number[];

/** Which chunks a search may answer: of a kind (KIND_CODE), and/or the marked slots. */
export interface SlotFilter {
  kind?: number;
  slots?: Uint8Array;
}

/** A chunk's kind as a byte; 0 for one flowmcp does not write (no search filter asks for it). */
const KIND_CODE: Readonly<Record<string, number>> = { document: 1, task: 2, plan: 3, context: 4 };
function kindCode(kind: string | undefined): number {
  return kind !== undefined && Object.hasOwn(KIND_CODE, kind) ? KIND_CODE[kind]! : 0;
}

// The same expressions, in the same order, as fts5Bm25GetData and fts5Bm25Function (fts5_aux.c), with
// the same log: the scores come out the same to the last bit, so ties fall as FTS5's do.
function idfOf(db: Db, nRow: number, nHit: number): number {
  const idf = sqliteLn(db, (nRow - nHit + 0.5) / (nHit + 0.5));
  return idf <= 0.0 ? 1e-6 : idf;
}

function tfPart(f: number, D: number, avgdl: number): number {
  return (f * (K1 + 1.0)) / (f + K1 * (1 - B + (B * D) / avgdl));
}

function grow<T extends Float64Array | Uint32Array | Uint8Array>(from: ArrayLike<number>, to: T): T {
  to.set(from);
  return to;
}

/**
 * The k slots of `touched[0..n)` with the highest scores, best first, ties by slot (that is, by chunk
 * id) as the FTS5 query orders them (a min-heap of k: its root is the worst kept).
 */
function topK(score: Float64Array, touched: Int32Array, n: number, k: number): number[] {
  const worse = (a: number, b: number) => score[a]! < score[b]! || (score[a] === score[b] && a > b);
  const heap: number[] = [];
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l]!, heap[m]!)) m = l;
      if (r < heap.length && worse(heap[r]!, heap[m]!)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m]!, heap[i]!];
      i = m;
    }
  };
  for (let j = 0; j < n; j++) {
    const s = touched[j]!;
    if (heap.length < k) {
      heap.push(s);
      for (let i = heap.length - 1; i > 0; ) {
        const p = (i - 1) >> 1;
        if (!worse(heap[i]!, heap[p]!)) break;
        [heap[i], heap[p]] = [heap[p]!, heap[i]!];
        i = p;
      }
    } else if (worse(heap[0]!, s)) {
      heap[0] = s;
      down(0);
    }
  }
  return heap.sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
}

/** Chunk sets below this are left to FTS5 (a few ms there); above, a server keeps the index. */
export let TEXT_INDEX_MIN_ROWS = 20_000;
/** For tests: small sets use the index too. */
export function setTextIndexMinRows(n: number): void {
  TEXT_INDEX_MIN_ROWS = n;
}
/**
 * FTS5's rows from which a search waits for a kept index being built rather than asking FTS5: FTS5 scores
 * every row holding a query word in one call on the one thread (~1–2 s a query at 1.1M rows, after an
 * import of 1M tasks, while every other caller waited), where a wait holds only the caller, and the
 * build goes on in turns (~4 s from its file at 1.1M, ~40 s on a first start).
 */
let WAIT_FOR_INDEX_FROM = 300_000;
/** For tests: the size from which a search waits for the build. */
export function setWaitForIndexFrom(n = 300_000): void {
  WAIT_FOR_INDEX_FROM = n;
}

/**
 * Once the kept index being built has read every chunk there was when the wait began, when the set is big
 * enough for FTS5 to stall meanwhile; at once otherwise. The wait ends early, FTS5 then answering as
 * before, when chunks keep coming (an import or a backlog pass writing beside it: the build would chase
 * them) or after WAIT_AT_MOST. `progress` hears how far the build is each second: a client that resets
 * its time-out on progress (the MCP SDK's resetTimeoutOnProgress) then waits for a long first build.
 * `start`: a server asked before its warm-up began (it waits 300 ms after opening) starts the build now.
 */
export async function textIndexBuilt(db: Db, progress?: (done: number, total: number) => void, start = false): Promise<void> {
  if (start && !kept.get(db)) void warmTextIndex(db).catch(() => undefined);
  const k = kept.get(db);
  if (!k?.building) return;
  const rows = ftsRowCount(db);
  if (rows < WAIT_FOR_INDEX_FROM) return;
  const goal = lastChunkId(db);
  const t0 = performance.now();
  // MCP progress must rise with each notification: told only when the build has moved on (the highest
  // chunk id read only grows).
  let told = -1;
  await new Promise<void>((resolve) => {
    const check = () => {
      const ix = kept.get(db)?.index;
      const done = Math.min(ix?.upTo ?? 0, goal);
      if (done > told) progress?.((told = done), goal);
      const over = !kept.get(db)?.building || done >= goal || !db.open;
      if (over || lastChunkId(db) - goal > QUERY_CATCH_UP || performance.now() - t0 > WAIT_AT_MOST) {
        clearInterval(each);
        resolve();
      }
    };
    const each = setInterval(check, 250);
    void k.building!.catch(() => undefined).then(check);
    check();
  });
}

/** The longest a search waits for the index (a first build at 1.1M chunks took ~35–45 s here). */
const WAIT_AT_MOST = 120_000;

/**
 * Chunks read per turn while an index is built beside the calls: ~4 ms of tokenizing by FTS5 (measured at
 * 100k chunks: 250 a turn took ~58 ms a turn, up to 200 ms, and ~24 s in all; 30 a turn, ~14 s in all).
 */
const BUILD_SLICE = 30;
/**
 * Chunks of a file checked against FTS5's token counts per turn: ~1–2 ms (4,000 a turn took 10–25 ms,
 * and a call arriving meanwhile waited for it; measured at 100k chunks on a later start).
 */
const ADOPT_SLICE_DEFAULT = 500;
let ADOPT_SLICE = ADOPT_SLICE_DEFAULT;
/** For tests: a file's chunks checked a few at a time, so that other work comes between (no argument: as shipped). */
export function setAdoptSlice(n = ADOPT_SLICE_DEFAULT): void {
  ADOPT_SLICE = n;
}
/** New chunks a query reads itself before answering; past that, FTS5 answers while they are read in the background. */
const QUERY_CATCH_UP = 500;

interface Kept {
  index: TextIndex;
  /** Complete up to some point: it may answer once in step. */
  built: boolean;
  /** The background pass reading chunks, while there is one. */
  building?: Promise<void>;
  /**
   * FTS5's row count (and the highest chunk id read) it failed to match even after reading which rows
   * remain (a row of chunks_fts that is no chunk: damage, or a planted database): not tried again until
   * either changes.
   */
  failedAt?: string;
  /** chunksVersion when FTS5's row count last matched the index's: the count is not taken again until it moves. */
  matchedAt?: string;
}

const kept = new WeakMap<Db, Kept>();
const tokenCache = new WeakMap<Db, Map<string, string[]>>();

/**
 * Builds the index for this database beside the calls, in slices, when its chunks are many enough;
 * what a server does when it opens a project. Resolves once built (or not needed).
 */
export function warmTextIndex(db: Db): Promise<void> {
  let k = kept.get(db);
  // An index already kept is caught up whatever the count now (it is dropped below half the threshold).
  if (!k && ftsRowCount(db) < TEXT_INDEX_MIN_ROWS) return Promise.resolve();
  const t0 = performance.now();
  const fresh = !k;
  if (!k) kept.set(db, (k = { index: new TextIndex(), built: false }));
  if (k.building) return k.building;
  const kk = k;
  const build = async () => {
    if (fresh) kk.index = await fromFile(db);
    await readAll(db, kk.index);
  };
  return (kk.building = build().then(
    () => {
      kk.built = true;
      kk.building = undefined;
      kk.index.lean();
      const how = kk.index.fromFile ? `from its file and ${kk.index.readFromDb} chunks read` : 'read from the database';
      log.debug(`text index ready: ${kk.index.size} chunks, ${how}, ${Math.round(performance.now() - t0)} ms`);
      keepFile(db, kk.index);
    },
    (e: unknown) => {
      kk.building = undefined;
      throw e;
    },
  ));
}

/** What a kept index holds and how it got it, for tests and diagnostics; undefined when none is kept. */
export function textIndexInfo(db: Db): { size: number; built: boolean; readFromDb: number; fromFile: boolean } | undefined {
  const k = kept.get(db);
  return k && { size: k.index.size, built: k.built, readFromDb: k.index.readFromDb, fromFile: k.index.fromFile };
}

/** Writes the kept index's file now (what a server does after reading many chunks); false when none is kept. */
export async function saveTextIndex(db: Db): Promise<boolean> {
  const k = kept.get(db);
  // A broken index is not written: its file would not carry why, and the next process would answer from it.
  if (!k?.built || k.index.broken) return false;
  const read = k.index.readFromDb;
  k.index.readFromDb = 0;
  try {
    await writeTextIndexFile(db, k.index.stateToWrite(), turn);
  } catch (e) {
    k.index.readFromDb += read; // not written: the chunks read still call for a file
    throw e;
  }
  return true;
}

/** The index from its file when one was written for this database state and checks out; else an empty one. */
async function fromFile(db: Db): Promise<TextIndex> {
  const ix = new TextIndex();
  try {
    const saved = await readTextIndexFile(db, lastChunkId(db), turn);
    if (saved && db.open && (await ix.adopt(db, saved, turn))) {
      ix.fromFile = true;
      return ix;
    }
  } catch (e) {
    log.debug(`text index file not read: ${(e as Error).message}`);
  }
  return new TextIndex();
}

/**
 * Chunks read from the database, since the file was last written or read, that make writing it again
 * worth it (at ~200 µs a chunk, 20k is ~4 s of tokenizing a next start saves).
 */
const FILE_AFTER_ROWS = 20_000;

/** After reading many chunks from the database: the file is written, beside the calls. */
function keepFile(db: Db, ix: TextIndex): void {
  // A broken index is not written: a clamped weight checks out against FTS5's token counts, so the next
  // process would answer from it.
  if (ix.broken || ix.readFromDb < FILE_AFTER_ROWS) return;
  const read = ix.readFromDb;
  ix.readFromDb = 0;
  const t = setTimeout(() => {
    if (!db.open) return;
    writeTextIndexFile(db, ix.stateToWrite(), turn).catch((e: unknown) => {
      // A cache: a full disk or a read-only folder costs the next start a rebuild, nothing more. Busy (another
      // process writing): tried again after the next chunks are read.
      ix.readFromDb += read;
      log.debug(`text index file not written: ${(e as Error).message}`);
    });
  }, 0);
  t.unref();
}

/**
 * Reads the chunks there are when it starts (a build chasing chunks written beside it, ~2,000 a turn by a
 * backlog pass against its 30, would not end); those added meanwhile a query reads itself, or, when many,
 * another round of this.
 */
async function readAll(db: Db, ix: TextIndex): Promise<void> {
  const goal = lastChunkId(db);
  for (;;) {
    if (!db.open) return;
    if (!db.inTransaction && !ix.addAfter(db, goal, BUILD_SLICE)) return;
    ix.prepareRoom();
    await turn();
  }
}

/**
 * The text half's answer from the kept index, or undefined when it cannot give FTS5's: no index (a small
 * set, a one-shot command, still being built), out of step with chunks_fts, inside a transaction, or a
 * phrase whose rows do not check out.
 */
export function indexedTextHalf(db: Db, words: readonly string[], k: number, filter: ChunkFilter = {}): ScoredChunk[] | undefined {
  const kk = kept.get(db);
  if (!kk?.built || db.inTransaction) return undefined;
  const ix = kk.index;
  if (ix.broken) return undefined; // it never answers again in this process: no work for it
  const last = lastChunkId(db);
  if (last > ix.upTo) {
    if (last - ix.upTo > QUERY_CATCH_UP) {
      kk.built = false;
      warmTextIndex(db).catch((e: unknown) => log.debug(`text index not read: ${(e as Error).message}`));
      return undefined;
    }
    while (ix.addAfter(db, last, QUERY_CATCH_UP));
  }
  // Counting FTS5's rows scans them (~12 ms a search at 1.1M chunks): counted only when chunks came or
  // went since the last count that matched.
  const version = chunksVersion(db);
  const rows = version !== undefined && kk.matchedAt === version ? ix.size : ftsRowCount(db);
  if (rows !== ix.size) {
    const sig = `${rows}/${ix.upTo}`;
    if (kk.failedAt === sig) return undefined;
    ix.keepOnly(ftsRowIdsUpTo(db, ix.upTo));
    if (rows !== ix.size) {
      kk.failedAt = sig; // a row of chunks_fts that is no chunk (planted, or damage): FTS5 answers
      return undefined;
    }
  }
  kk.matchedAt = version;
  if (rows < TEXT_INDEX_MIN_ROWS / 2) {
    kept.delete(db); // the set shrank: FTS5 is quick again, and the memory goes back
    return undefined;
  }
  const totals = ftsTotals(db);
  if (!totals || totals.rows <= 0) return undefined;
  const only = slotFilter(db, ix, filter);
  if (only === null) return undefined;
  const terms: QueryTerm[] = [];
  for (const [i, t] of queryTokens(db, words).entries()) {
    if (t.length === 1) terms.push(t[0]!);
    else if (t.length > 1) {
      const postings = ix.phrasePostings(db, ftsPhraseScores(db, ftsMatch([words[i]!])!), totals);
      if (!postings) return undefined;
      terms.push(postings);
    }
    // A word FTS5 makes no token of matches nothing and adds nothing to any score.
  }
  return ix.search(db, terms, k, totals, only);
}

/**
 * Chunks an owner filter (a path, a plan, a flow) allows, past which FTS5 is asked instead: reading their
 * ids costs about what FTS5's filtered query does at this many.
 */
const OWNER_FILTER_CAP = 50_000;

/**
 * The filter as the index applies it: a kind by each slot's kind byte, owners (path, plan, flow) by the
 * slots of the chunks they allow; undefined for none, null where FTS5 must answer (owners allowing more
 * than OWNER_FILTER_CAP chunks, a kind flowmcp does not write).
 */
function slotFilter(db: Db, ix: TextIndex, filter: ChunkFilter): SlotFilter | undefined | null {
  const owners = Boolean(filter.path || filter.planId || filter.flowId);
  if (!filter.kind && !owners) return undefined;
  const kind = filter.kind ? kindCode(filter.kind) : undefined;
  if (kind === 0) return null;
  if (!owners) return { kind };
  const ids = allowedChunkIds(db, filter, OWNER_FILTER_CAP);
  return ids ? { kind, slots: ix.markSlots(ids) } : null;
}

/** Each query word's FTS5 tokens, remembered per connection (a query's words recur). */
function queryTokens(db: Db, words: readonly string[]): string[][] {
  let cache = tokenCache.get(db);
  if (!cache) tokenCache.set(db, (cache = new Map()));
  const missing = words.filter((w) => !cache.has(w));
  if (missing.length) {
    if (cache.size > 10_000) cache.clear();
    tokenizeWords(db, missing).forEach((t, i) => cache.set(missing[i]!, t));
  }
  return words.map((w) => cache.get(w)!);
}
