// The offline embedder: static word vectors this project trains itself (scripts/vectors/) and ships in
// data/vectors/. A text's vector is the SIF-weighted mean of its words' vectors with the corpus's
// common component removed, L2-normalised. These capture related words (e.g. "remove" ~ "delete"),
// not sentence meaning. A Korean word stands for its English translations (lexicon.ts), weighted by
// how likely each is, so a Korean question lands near the English text that answers it; other words
// they never saw (most identifiers) contribute nothing, and the full-text half of hybrid search
// carries those. Loaded on first use, never at start-up.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../model/errors.js';
import { packageRoot } from '../paths.js';
import { words } from './tokenize.js';
import type { Lexicon } from './lexicon.js';
import { hangulWords, hasHangul } from './korean.js';
import { decodeTable, wordTextOf, type VectorTable, type WordText } from './vector-file.js';
import { fsPromises } from '../store/atomic-file.js';

export const STATIC_VECTORS_FILE = 'data/vectors/static-100d.bin';

const shippedFile = () => join(packageRoot(), STATIC_VECTORS_FILE);

function unreadable(file: string, e: unknown): FlowError {
  return new FlowError(
    'damaged',
    `The offline word vectors (${file}) could not be read (${String((e as { code?: unknown }).code ?? (e as Error).message)}).`,
    'Reinstall flowmcp (npm install -g flowmcp) to restore data/vectors/; FLOW_EMBEDDER=none searches by full text only meanwhile.',
  );
}

/**
 * Words looked up in the table's text before a map of every word is made: a map of the 34k words took
 * ~25–40 ms (measured, 2026-12-02), most of a first search's loading, while finding a question's few
 * words in the text takes well under a millisecond each. Indexing embeds thousands of words: past this
 * many, the map pays for itself. A server's warm-up makes it in turns (indexAllInTurns).
 */
const LOOKUPS_BEFORE_MAP = 256;
/** Words added to the map per turn when it is made in turns. */
const INDEX_SLICE = 4096;

export class StaticVectors {
  readonly dim: number;
  private index?: Map<string, number>;
  /** The words as the file stores them, for lookups before the map is made. */
  private readonly text?: WordText;
  private lookups = 0;
  /** The table's words with a '\n' on each side, to find '\nword\n' in. */
  private padded?: string;

  constructor(
    private readonly table: VectorTable,
    /** Called only when a text has a Korean word: English-only projects never pay for loading it. */
    private readonly lexicon?: () => Lexicon,
  ) {
    this.dim = table.dim;
    this.text = wordTextOf(table);
    if (!this.text) this.indexAll();
  }

  /** The map of every word, made now rather than once a search has looked up enough words. */
  indexAll(): void {
    if (this.index) return;
    const index = new Map<string, number>();
    this.addWords(index, 0, this.table.count);
    this.index = index;
    this.padded = undefined;
  }

  /** The same a slice of words per turn of the event loop (a server's warm-up: at once it held the loop ~25–40 ms). */
  async indexAllInTurns(turn: () => Promise<void>): Promise<void> {
    const index = new Map<string, number>();
    for (let from = 0; from < this.table.count && !this.index; from += INDEX_SLICE) {
      this.addWords(index, from, Math.min(this.table.count, from + INDEX_SLICE));
      await turn();
    }
    // A search that looked up enough words meanwhile made the map itself.
    this.index ??= index;
    this.padded = undefined;
  }

  private addWords(index: Map<string, number>, from: number, to: number): void {
    const count = this.table.count;
    // From the table's text where it has one: splitting all of it at once was ~10 ms of a single turn.
    const t = this.text;
    const word = t ? (i: number) => t.text.slice(t.starts[i], i + 1 < count ? t.starts[i + 1]! - 1 : t.text.length) : (i: number) => this.table.words[i]!;
    for (let i = from; i < to; i++) {
      const w = word(i);
      if (!index.has(w)) index.set(w, i);
    }
  }

  /** The word's row, or undefined. */
  private find(word: string): number | undefined {
    if (this.index) return this.index.get(word);
    if (++this.lookups > LOOKUPS_BEFORE_MAP) {
      this.indexAll();
      return this.index!.get(word);
    }
    if (!word || word.includes('\n')) return undefined;
    this.padded ??= `\n${this.text!.text}\n`;
    const at = this.padded.indexOf(`\n${word}\n`);
    if (at < 0) return undefined;
    // The row whose start is at + 1 in the padded text (at in the table's own).
    const starts = this.text!.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  static load(file = shippedFile(), lexicon?: () => Lexicon): StaticVectors {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch (e) {
      throw unreadable(file, e);
    }
    return new StaticVectors(decodeTable(bytes), lexicon);
  }

  /** The same, its bytes read by the thread pool: the event loop only decodes them. */
  static async loadInBackground(file = shippedFile(), lexicon?: () => Lexicon): Promise<StaticVectors> {
    let bytes: Buffer;
    try {
      bytes = await (await fsPromises()).readFile(file);
    } catch (e) {
      throw unreadable(file, e);
    }
    return new StaticVectors(decodeTable(bytes), lexicon);
  }

  get vocabularySize(): number {
    return this.table.count;
  }

  has(word: string): boolean {
    return this.find(word) !== undefined;
  }

  /** The text's vector, or undefined when none of its words are known (nothing to say about it). */
  embed(text: string): Float32Array | undefined {
    const { dim, scales, weights, vectors, common } = this.table;
    const v = new Float32Array(dim);
    let known = 0;
    const add = (i: number, p: number) => {
      const k = p * weights[i]! * scales[i]!;
      const base = i * dim;
      for (let d = 0; d < dim; d++) v[d]! += k * vectors[base + d]!;
    };
    for (const w of words(text)) {
      const i = this.find(w);
      if (i === undefined) continue;
      add(i, 1);
      known++;
    }
    // Korean words as the lexicon cuts them (korean.ts): a particle glued to a foreign word ("으로" of
    // "Gunicorn으로") is not a word and adds nothing, exactly as in the lexicon's training.
    if (this.lexicon && hasHangul(text)) {
      const lexicon = this.lexicon();
      for (const w of hangulWords(text)) {
        let any = false;
        for (const t of lexicon.lookup(w)) {
          const j = this.find(t.word);
          if (j === undefined) continue;
          add(j, t.p);
          any = true;
        }
        if (any) known++;
      }
    }
    if (known === 0) return undefined;
    let dot = 0;
    for (let d = 0; d < dim; d++) dot += v[d]! * common[d]!;
    let norm = 0;
    for (let d = 0; d < dim; d++) {
      v[d]! -= dot * common[d]!;
      norm += v[d]! * v[d]!;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) return undefined;
    for (let d = 0; d < dim; d++) v[d]! /= norm;
    return v;
  }

  /** Nearest vocabulary words to a word (for inspecting what the vectors learned). */
  neighbours(word: string, k = 8): { word: string; score: number }[] {
    const q = this.embedWord(word);
    if (!q) return [];
    const out: { word: string; score: number }[] = [];
    for (let i = 0; i < this.table.count; i++) {
      const v = this.embedWord(this.table.words[i]!)!;
      let s = 0;
      for (let d = 0; d < this.dim; d++) s += q[d]! * v[d]!;
      out.push({ word: this.table.words[i]!, score: s });
    }
    return out
      .filter((x) => x.word !== word)
      .sort((a, b) => b.score - a.score)
      .slice(0, k);
  }

  private embedWord(word: string): Float32Array | undefined {
    const i = this.find(word);
    if (i === undefined) return undefined;
    const v = new Float32Array(this.dim);
    let norm = 0;
    for (let d = 0; d < this.dim; d++) {
      v[d] = this.table.vectors[i * this.dim + d]!;
      norm += v[d]! * v[d]!;
    }
    norm = Math.sqrt(norm);
    for (let d = 0; d < this.dim; d++) v[d]! /= norm;
    return v;
  }
}
