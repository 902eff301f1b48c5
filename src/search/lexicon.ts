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

export interface Translation {
  word: string;
  p: number;
}

/** Bytes of the lexicon's text decoded and parsed a turn when parsed in turns (~2–4 ms each). */
const PARSE_SLICE = 128 << 10;

/**
 * Reads the lines that start in text[from, to) into entries (unit → its translations' text) and returns
 * where the next line starts. Each line: unit, tab, how often it was seen, tab, translations.
 */
function parseLines(text: string, from: number, to: number, entries: Map<string, string>): number {
  let at = from;
  // Stryker disable next-line EqualityOperator: at == to finds no line to read and ends the loop, the same as not entering it
  while (at < to) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    const tab1 = text.indexOf('\t', at);
    // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,UnaryOperator: only saves a search; a tab missing or past the line end fails the tab1 > at / tab2 < end - 1 tests below whatever tab2 is
    const tab2 = tab1 >= 0 && tab1 < end ? text.indexOf('\t', tab1 + 1) : -1;
    if (tab1 > at && tab2 !== -1 && tab2 < end - 1) entries.set(text.slice(at, tab1), text.slice(tab2 + 1, end));
    at = end + 1;
  }
  return at;
}

export class Lexicon {
  /**
   * A unit's translations, kept as their text until first asked for: parsing all 38k entries up front
   * took ~0.1 s, paid by the first Korean search; a query looks up a handful.
   */
  constructor(private readonly entries: Map<string, Translation[] | string>) {}

  static parse(text: string): Lexicon {
    const entries = new Map<string, string>();
    parseLines(text, 0, text.length, entries);
    return new Lexicon(entries);
  }

  /**
   * The same from the file's UTF-8 bytes, a slice of whole lines decoded and parsed per turn of the event
   * loop (a server's warm-up: decoding and parsing it at once held the loop ~40–80 ms on this machine class).
   */
  static async parseInTurns(bytes: Buffer, turn: () => Promise<void>): Promise<Lexicon> {
    const entries = new Map<string, string>();
    for (let at = 0; at < bytes.length; ) {
      // A slice ends after a newline byte, which UTF-8 never puts inside a character.
      const nl = bytes.indexOf(10, Math.min(bytes.length, at + PARSE_SLICE));
      const end = nl < 0 ? bytes.length : nl + 1;
      const text = bytes.toString('utf8', at, end);
      parseLines(text, 0, text.length, entries);
      at = end;
      await turn();
    }
    return new Lexicon(entries);
  }

  private translations(unit: string): Translation[] | undefined {
    const e = this.entries.get(unit);
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
    return this.entries.size;
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
    lex = Lexicon.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  } catch (e) {
    lex = unreadable(file, e);
  }
  loaded.set(file, lex);
  return lex;
}

/**
 * The same for a server's warm-up, without holding the event loop for all of it: the file read and
 * unzipped by the thread pool, the lines parsed a slice per turn (at once, the load held it ~65 ms on
 * this machine class: a call arriving then waited that long). A search that needs it meanwhile loads it
 * at once (koreanLexicon), and this keeps that one.
 */
export async function loadKoreanLexicon(turn: () => Promise<void>, file = join(packageRoot(), LEXICON_FILE)): Promise<Lexicon> {
  const known = loaded.get(file);
  if (known) return known;
  let p = loading.get(file);
  if (!p) {
    p = (async () => {
      let lex: Lexicon;
      try {
        const zipped = await (await fsPromises()).readFile(file);
        const text = await new Promise<Buffer>((resolve, reject) => gunzip(zipped, (e, out) => (e ? reject(e) : resolve(out))));
        lex = await Lexicon.parseInTurns(text, turn);
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
