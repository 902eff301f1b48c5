// The Korean→English lexicon shipped in data/vectors/ (learned from Debian's parallel English/Korean
// text by scripts/vectors/train-lexicon.ts): lets a Korean question find English documents, in the
// full-text half (English words added to the query) and in the vector half (a Korean word's vector is
// its translations' vectors). Loaded on first use, never at start-up; a missing or damaged file
// means Korean words go untranslated, said once on stderr, never a failed search.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { packageRoot } from '../paths.js';
import { hangulWords, prefixes } from './korean.js';

export const LEXICON_FILE = 'data/vectors/ko-en-lexicon.tsv.gz';

export interface Translation {
  word: string;
  p: number;
}

export class Lexicon {
  constructor(private readonly entries: Map<string, Translation[]>) {}

  static parse(text: string): Lexicon {
    const entries = new Map<string, Translation[]>();
    for (const line of text.split('\n')) {
      const [unit, , list] = line.split('\t');
      if (!unit || !list) continue;
      const ts: Translation[] = [];
      for (const item of list.split(' ')) {
        const at = item.lastIndexOf(':');
        const p = Number(item.slice(at + 1));
        if (at > 0 && p > 0 && p <= 1) ts.push({ word: item.slice(0, at), p });
      }
      if (ts.length) entries.set(unit, ts);
    }
    return new Lexicon(entries);
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
      const t = this.entries.get(p);
      if (t) return t;
    }
    return [];
  }

  /** English words for the Korean words of a text, each with the best probability it was given. */
  translate(text: string, minP = 0): Translation[] {
    const best = new Map<string, number>();
    for (const w of hangulWords(text))
      for (const t of this.lookup(w)) if (t.p >= minP && t.p > (best.get(t.word) ?? 0)) best.set(t.word, t.p);
    return [...best].map(([word, p]) => ({ word, p }));
  }
}

const loaded = new Map<string, Lexicon>();

/** The shipped lexicon, loaded once per process; an empty one (said once on stderr) if the file cannot be read. */
export function koreanLexicon(file = join(packageRoot(), LEXICON_FILE)): Lexicon {
  let lex = loaded.get(file);
  if (lex) return lex;
  try {
    lex = Lexicon.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  } catch (e) {
    process.stderr.write(`flowmcp: the Korean lexicon (${file}) could not be read (${(e as Error).message}); Korean words are searched untranslated. Reinstall flowmcp to restore it.\n`);
    lex = new Lexicon(new Map());
  }
  loaded.set(file, lex);
  return lex;
}
