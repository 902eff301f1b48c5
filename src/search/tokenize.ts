// Word tokens for the static word vectors, shared by the training script and the runtime so both see
// text the same way: runs of letters/digits, identifiers split at camelCase and snake_case
// boundaries (readFileSync → read file sync), lower-cased. Korean is cut from the text it is glued
// to ("Gunicorn으로" → gunicorn, 으로): the English word is found, and the Korean one is looked up in
// the lexicon (lexicon.ts), where a single syllable is a whole word ("값", value).

import { HANGUL } from './korean.js';

const RUN = /[\p{L}\p{N}]+/gu;
const CAMEL = /([\p{Ll}\p{N}])(\p{Lu})|(\p{Lu})(\p{Lu}\p{Ll}{2})/gu;
const MAX_TOKEN = 40;
const SCRIPT_EDGE = new RegExp(`([${HANGUL}])(?=[^${HANGUL}])|([^${HANGUL}])(?=[${HANGUL}])`, 'g');
const STARTS_HANGUL = new RegExp(`^[${HANGUL}]`);

export function words(text: string): string[] {
  const out: string[] = [];
  for (const m of text.replace(SCRIPT_EDGE, '$1$2 ').matchAll(RUN)) {
    const run = m[0];
    const parts = run.length > 2 && /\p{Lu}/u.test(run) ? run.replace(CAMEL, '$1$3 $2$4').split(' ') : [run];
    for (const p of parts) {
      if ((p.length < 2 && !STARTS_HANGUL.test(p)) || p.length > MAX_TOKEN) continue;
      if (/^\d+$/.test(p) && p.length > 4) continue; // long numbers are ids and dates, not words
      out.push(p.toLowerCase());
    }
  }
  return out;
}
