// The snippet a search hit shows: the part of the matched chunk a person (or an assistant deciding
// whether to open the file) should read. It used to start 60 characters before the first query word
// found anywhere as a substring, so "how do I keep users logged in" was centred on the "do" inside
// "redirect(...)" and began mid-word ("…eturn redirect"). Now: only the words the search looked for
// (no stop words; a Korean question's English translations too), found where a word starts, with the
// window placed where the most different ones sit together, and cut at word boundaries.
import { STOPWORDS_EN } from './stopwords.js';
import { words } from './tokenize.js';

export const SNIPPET = 240;
/** Text shown before the first matched word, so the reader sees what leads into it. */
const LEAD = 60;
/** How far a cut may move to land between words instead of inside one. */
const WORD_SLACK = 20;
const HANGUL_SYLLABLE = /^[\uac00-\ud7a3]/;
const WORD_CHAR = /[\p{L}\p{N}_]/u;

/**
 * The forms of one query word to look for at the start of a word of the text: the word itself, and
 * (for English) its stem without a common ending, so "logged" finds "logging" and "sessions" finds
 * "session". A Korean word carries particles the text need not share ("세션을" → "세션"): its leading
 * syllables, longest first, down to two.
 */
function forms(term: string): string[] {
  if (HANGUL_SYLLABLE.test(term)) {
    const chars = [...term];
    const out: string[] = [];
    for (let n = chars.length; n >= Math.min(2, chars.length); n--) out.push(chars.slice(0, n).join(''));
    return out;
  }
  const stem = term.replace(/(?:ing|ed|es|s|ly|er|ions?)$/, '');
  return stem.length >= 3 && stem !== term ? [term, stem] : [term];
}

/** The words of a query a snippet should show: what the full-text half searched for, plus `also`. */
export function snippetTerms(query: string, also: readonly string[] = []): string[] {
  const terms = new Set<string>();
  // An empty word would be "found" at every position (and indexOf('') never runs past the end).
  for (const w of [...words(query), ...also.map((a) => a.toLowerCase())]) if (w && !STOPWORDS_EN.has(w)) terms.add(w);
  return [...terms];
}

/** Where each term occurs at the start of a word of `lower`: [position, term index], by position. */
function occurrences(lower: string, terms: readonly string[]): [number, number][] {
  const hits: [number, number][] = [];
  terms.forEach((term, ti) => {
    for (const form of forms(term)) {
      let found = false;
      for (let at = lower.indexOf(form); at >= 0; at = lower.indexOf(form, at + 1)) {
        if (at > 0 && WORD_CHAR.test(lower[at - 1]!) && !HANGUL_SYLLABLE.test(form)) continue; // inside a word
        hits.push([at, ti]);
        found = true;
      }
      if (found) break; // the fullest form found is enough; a shorter one would only add noise
    }
  });
  return hits.sort((a, b) => a[0] - b[0]);
}

/** The first matched position of the window that shows the most different terms (the earliest of equals). */
function bestAnchor(hits: [number, number][]): number {
  const reach = SNIPPET - LEAD - WORD_SLACK;
  let best = -1;
  let bestCount = 0;
  for (let i = 0; i < hits.length; i++) {
    const seen = new Set<number>();
    for (let j = i; j < hits.length && hits[j]![0] - hits[i]![0] <= reach; j++) seen.add(hits[j]![1]);
    if (seen.size > bestCount) {
      bestCount = seen.size;
      best = hits[i]![0];
    }
  }
  return best;
}

const insideWord = (s: string, at: number) => at > 0 && at < s.length && WORD_CHAR.test(s[at - 1]!) && WORD_CHAR.test(s[at]!);

/** The part of a chunk that shows the query's words best, on one line, with "…" where text was cut. */
export function snippet(body: string, terms: readonly string[]): string {
  const flat = body.replace(/\s+/g, ' ').trim();
  if (flat.length <= SNIPPET) return flat;
  const anchor = bestAnchor(occurrences(flat.toLowerCase(), terms));
  // No term found (a hit by meaning alone): a chunk's beginning says best what it is about.
  let start = anchor < 0 ? 0 : Math.max(0, Math.min(anchor - LEAD, flat.length - SNIPPET));
  if (insideWord(flat, start)) {
    const space = flat.indexOf(' ', start);
    if (space >= 0 && space - start < WORD_SLACK && (anchor < 0 || space < anchor)) start = space + 1;
  }
  let end = Math.min(flat.length, start + SNIPPET);
  if (insideWord(flat, end)) {
    const space = flat.lastIndexOf(' ', end);
    if (space > start && end - space < WORD_SLACK) end = space;
  }
  return (start > 0 ? '…' : '') + flat.slice(start, end).trim() + (end < flat.length ? '…' : '');
}
