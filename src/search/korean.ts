// Korean words as the lexicon sees them, shared by its training script and the runtime so both cut
// text the same way. A Korean word (eojeol) is a stem with particles and endings glued on
// ("압축을", "배포하려면", "Gunicorn으로"), so the lexicon is keyed by the word's leading syllables:
// training counts every prefix of every word, and a query word is looked up by its longest prefix
// the lexicon knows. No hand-made list of particles: which prefixes mean something is learned.

/** Hangul syllables, as a regex character-class body: the one definition of "Korean text" here. */
export const HANGUL = String.raw`\uac00-\ud7a3`;

// A short Hangul run glued to the end of a foreign word, a number or a closing quote is that word's
// particle or ending ("IP를", "Gunicorn으로", "'%s'이", "php-fpm이랑"), not a word of its own: it
// has no translation, and learning one for it would translate every such particle into noise.
const GLUED = String.raw`(?:[\p{Script=Latin}\p{N}]|[\p{L}\p{N}]['"’”)\]])`;
const HANGUL_RUN = new RegExp(`(?<!${GLUED}|[${HANGUL}])[${HANGUL}]+|(?<=${GLUED})[${HANGUL}]{4,}`, 'gu');
const ANY_HANGUL = new RegExp(`[${HANGUL}]`);
/** Longer prefixes than this are whole words with their endings: rare, and never needed to look up a stem. */
export const MAX_PREFIX = 6;

/** The Korean words of a text ("Gunicorn으로 배포하려면" → ["배포하려면"]). */
export function hangulWords(text: string): string[] {
  return text.match(HANGUL_RUN) ?? [];
}

/** Every prefix of a Korean word the lexicon may be keyed by, longest first. */
export function prefixes(word: string): string[] {
  const out: string[] = [];
  for (let n = Math.min(word.length, MAX_PREFIX); n >= 1; n--) out.push(word.slice(0, n));
  return out;
}

export const hasHangul = (text: string): boolean => ANY_HANGUL.test(text);
