// What goes into (and is asked of) the FTS5 index. SQLite's unicode61 tokenizer splits on spaces, which
// fails Korean: words carry particles ("체인지로그를" should match "체인지로그"), and trigrams miss
// two-syllable words. So runs of Hangul/CJK are indexed as overlapping two-character grams, and
// queries are turned into grams the same way; Latin text passes through to porter + unicode61.

import { STOPWORDS_EN } from './stopwords.js';

const CJK_RUN = /[\p{Script=Hangul}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

function grams(run: string): string[] {
  const chars = [...run];
  if (chars.length <= 2) return [run];
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/** The text as stored in the FTS index. */
export function ftsDocument(text: string): string {
  return text.replace(CJK_RUN, (run) => ' ' + grams(run).join(' ') + ' ');
}

/**
 * A user's query as the words the full-text half looks for: every term quoted in the MATCH expression
 * (ftsMatch), so no FTS syntax leaks through. `also` are more words to look for (a Korean question's
 * English translations), searched the same way. Empty when the query has no searchable term.
 */
export function ftsTerms(query: string, also: readonly string[] = []): string[] {
  const terms = new Set<string>();
  for (const m of ftsDocument(query).matchAll(/[\p{L}\p{N}_]+/gu)) {
    const t = m[0].toLowerCase();
    if (STOPWORDS_EN.has(t)) continue;
    // A lone digit is a word people search by ("module 5", "step 3"); a lone letter is not.
    if (t.length >= 2 || /^\p{N}$/u.test(t) || /[\p{Script=Hangul}\p{Script=Han}]/u.test(t)) terms.add(t);
  }
  for (const w of also) if (/^[\p{L}\p{N}_]{2,}$/u.test(w) && !STOPWORDS_EN.has(w)) terms.add(w.toLowerCase());
  for (const t of [...terms]) for (const s of stemSiblings(t)) terms.add(s);
  return [...terms];
}

/** A word whose base ends in a vowel and y (deploy, employ, enjoy), with an ending Porter keeps the y under. */
const Y_BASE = /^([a-z]{2,}[aeiou]y)(s|ed|ing)?$/;
const Y_MENT = /^([a-z]{2,}[aeiou]y)ments?$/;

/**
 * Words Porter stems apart that are one word to a reader: it turns a final y into i only when nothing
 * follows it, so "deploy", "deployed" and "deploying" become deploi while "deployment" keeps deploy, and
 * a question in one form missed a document in the other. Each form brings the other along as one more
 * OR'd word (both halves of the index are asked the same words, so they stay in step).
 */
export function stemSiblings(word: string): string[] {
  const base = Y_BASE.exec(word)?.[1];
  if (base) return [`${base}ment`];
  const ment = Y_MENT.exec(word)?.[1];
  return ment ? [ment] : [];
}

/** The terms OR'd together, so bm25 ranks documents by how many and how rare the terms they contain are. */
export function ftsMatch(terms: readonly string[]): string | undefined {
  return terms.length ? terms.map((t) => `"${t}"`).join(' OR ') : undefined;
}

/** A user's query as an FTS5 MATCH expression (ftsTerms, ftsMatch); undefined when it has no searchable term. */
export function ftsQuery(query: string, also: readonly string[] = []): string | undefined {
  return ftsMatch(ftsTerms(query, also));
}
