// The Korean→English lexicon shipped in data/vectors/ (learned from Debian's parallel English/Korean
// text by scripts/vectors/train-lexicon.ts): lets a Korean question find English documents, in the
// full-text half (English words added to the query) and in the vector half (a Korean word's vector is
// its translations' vectors). Loaded on first use, never at start-up; a missing or damaged file
// means Korean words go untranslated, said once on stderr, never a failed search.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzip, gunzipSync } from 'node:zlib';
import { fsPromises } from '../store/atomic-file.js';
import { log } from '../log.js';
import { packageRoot } from '../paths.js';
import { hangulWords, prefixes } from './korean.js';

export const LEXICON_FILE = 'data/vectors/ko-en-lexicon.tsv.gz';
/** Bounds of the chunk zlib unzips the lexicon into (the shipped file is ~2.6 MB unzipped). */
const MIN_UNZIP_CHUNK = 64 << 10;
const MAX_UNZIP_CHUNK = 16 << 20;

export interface Translation {
  word: string;
  p: number;
}

/**
 * The shipped file's lines as its bytes, found by binary search on their units: the lines are sorted
 * by unit (scripts/vectors/train-lexicon.ts; UTF-8 byte order, which for Hangul and ASCII is JS string
 * order). Decoding the 2.6 MB and making a map of its 38k units took ~60–100 ms of a first Korean
 * search on this machine class; finding a question's few units takes well under a millisecond.
 */
class SortedLines {
  private readonly starts: Int32Array;

  constructor(private readonly bytes: Buffer) {
    const starts: number[] = [];
    for (let at = 0; at < bytes.length; ) {
      const nl = bytes.indexOf(10, at);
      const end = nl < 0 ? bytes.length : nl;
      if (end > at) starts.push(at);
      at = end + 1;
    }
    this.starts = Int32Array.from(starts);
  }

  get size(): number {
    return this.starts.length;
  }

  /** The translations' text of the line whose unit this is, or undefined. */
  find(unit: string): string | undefined {
    const key = Buffer.from(unit, 'utf8');
    const b = this.bytes;
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const start = this.starts[mid]!;
      let end = b.indexOf(10, start);
      if (end < 0) end = b.length;
      let tab1 = b.indexOf(9, start);
      if (tab1 < 0 || tab1 > end) tab1 = end;
      const c = key.compare(b, start, tab1);
      if (c < 0) hi = mid - 1;
      else if (c > 0) lo = mid + 1;
      else {
        // A line with a count column (its second tab in this line) has translations after it.
        const tab2 = tab1 < end ? b.indexOf(9, tab1 + 1) : -1;
        return tab2 !== -1 && tab2 < end ? b.toString('utf8', tab2 + 1, end) : undefined;
      }
    }
    return undefined;
  }
}

export class Lexicon {
  /**
   * A unit's translations, kept as their text until first asked for: parsing all 38k entries up front
   * took ~0.1 s, paid by the first Korean search; a query looks up a handful. The shipped file is not
   * parsed at all: its units are found in its sorted lines (SortedLines) and kept here once asked for.
   */
  constructor(
    private readonly entries: Map<string, Translation[] | string>,
    private readonly sorted?: SortedLines,
  ) {}

  /** The shipped file's bytes (unzipped), whose lines are sorted by unit. */
  static fromSortedBytes(bytes: Buffer): Lexicon {
    return new Lexicon(new Map(), new SortedLines(bytes));
  }

  static parse(text: string): Lexicon {
    const entries = new Map<string, string>();
    let at = 0;
    // Stryker disable next-line EqualityOperator: at == text.length finds no tab and ends the loop, the same as not entering it
    while (at < text.length) {
      let end = text.indexOf('\n', at);
      if (end < 0) end = text.length;
      const tab1 = text.indexOf('\t', at);
      // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,UnaryOperator: only saves a search; a tab missing or past the line end fails the tab1 > at / tab2 < end - 1 tests below whatever tab2 is
      const tab2 = tab1 >= 0 && tab1 < end ? text.indexOf('\t', tab1 + 1) : -1;
      if (tab1 > at && tab2 !== -1 && tab2 < end - 1) entries.set(text.slice(at, tab1), text.slice(tab2 + 1, end));
      at = end + 1;
    }
    return new Lexicon(entries);
  }

  private translations(unit: string): Translation[] | undefined {
    let e = this.entries.get(unit);
    // Found units are kept (at most the file's 38k); misses are not, so a long-running server's
    // questions cannot grow this without bound: finding one again is a binary search.
    if (e === undefined && this.sorted) {
      e = this.sorted.find(unit);
      if (e === undefined) return undefined;
      this.entries.set(unit, e);
    }
    if (typeof e !== 'string') return e; // undefined (unknown) or already parsed
    const ts: Translation[] = [];
    for (const item of e.split(' ')) {
      const at = item.lastIndexOf(':');
      const p = Number(item.slice(at + 1));
      if (at > 0 && p > 0 && p <= 1) ts.push({ word: item.slice(0, at), p });
    }
    this.entries.set(unit, ts);
    return ts;
  }

  get size(): number {
    return this.sorted ? this.sorted.size : this.entries.size;
  }

  /**
   * A Korean word's English translations, by the longest of its prefixes the lexicon knows. A single
   * syllable stands for a longer word only when that word is itself short ("값을" → 값): otherwise it is
   * the start of too many words ("이" begins 이름, 이미지, 이동…) to mean any one of them.
   */
  lookup(word: string): Translation[] {
    for (const p of prefixes(word)) {
      if (p.length === 1 && word.length > 2) break;
      const t = this.translations(p);
      if (t?.length) return t;
    }
    return [];
  }

  /** English words for the Korean words of a text, each with the best probability it was given. */
  translate(text: string, minP = 0): Translation[] {
    const best = new Map<string, number>();
    for (const w of hangulWords(text))
      // Stryker disable next-line EqualityOperator: an equal probability sets the same value again
      for (const t of this.lookup(w)) if (t.p >= minP && t.p > (best.get(t.word) ?? 0)) best.set(t.word, t.p);
    return [...best].map(([word, p]) => ({ word, p }));
  }
}

const loaded = new Map<string, Lexicon>();
const loading = new Map<string, Promise<Lexicon>>();

function unreadable(file: string, e: unknown): Lexicon {
  log.warn(`the Korean lexicon (${file}) could not be read (${(e as Error).message}); Korean words are searched untranslated. Reinstall flowmcp to restore it.`);
  return new Lexicon(new Map());
}

/** The shipped lexicon, loaded once per process; an empty one (said once on stderr) if the file cannot be read. */
export function koreanLexicon(file = join(packageRoot(), LEXICON_FILE)): Lexicon {
  let lex = loaded.get(file);
  if (lex) return lex;
  try {
    lex = Lexicon.fromSortedBytes(gunzipSync(readFileSync(file)));
  } catch (e) {
    lex = unreadable(file, e);
  }
  loaded.set(file, lex);
  return lex;
}

/**
 * The same with the file read and unzipped by the thread pool (a server's warm-up, and a first search
 * beside its other reads): what is left for the event loop is finding where its lines start, ~3–5 ms.
 * A search that needs it meanwhile loads it at once (koreanLexicon), and this keeps that one.
 */
export async function loadKoreanLexicon(file = join(packageRoot(), LEXICON_FILE)): Promise<Lexicon> {
  const known = loaded.get(file);
  if (known) return known;
  let p = loading.get(file);
  if (!p) {
    p = (async () => {
      let lex: Lexicon;
      try {
        const zipped = await (await fsPromises()).readFile(file);
        // One output chunk of the unzipped size (gzip's last 4 bytes, give or take): zlib's default of 16 KB
        // made the 2.6 MB a round trip to the pool each, and a bigger chunk would be kept alive unused.
        const chunkSize = zipped.length >= 4 ? Math.min(MAX_UNZIP_CHUNK, Math.max(MIN_UNZIP_CHUNK, zipped.readUInt32LE(zipped.length - 4) + 1)) : MIN_UNZIP_CHUNK;
        const bytes = await new Promise<Buffer>((resolve, reject) => gunzip(zipped, { chunkSize }, (e, out) => (e ? reject(e) : resolve(out))));
        lex = Lexicon.fromSortedBytes(bytes);
      } catch (e) {
        lex = loaded.get(file) ?? unreadable(file, e);
      }
      if (!loaded.has(file)) loaded.set(file, lex);
      return loaded.get(file)!;
    })().finally(() => loading.delete(file));
    loading.set(file, p);
  }
  return p;
}
