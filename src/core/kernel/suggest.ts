// "Did you mean ...?": the closest ids (by edit distance) or names to what was typed. A name is near
// when it is the same words in another case, order or punctuation, with a generic word around it
// ("backend plan" for "Backend"), a letter or two off ("Auth rewirte"), or holds what was typed.
import { clip } from '../../model/error-text.js';
import { exactWords } from './name-words.js';

export interface Candidate {
  id: string;
  name: string;
}

/**
 * Edit distance (insert, delete, change) between a and b, or max + 1 as soon as it must exceed max.
 * Only the band of cells within `max` of the diagonal is computed (a cell outside it is over max
 * anyway), so comparing two titles costs their length times (2·max + 1), not length squared.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const over = max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => (j <= max ? j : over));
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(over);
    if (i <= max) cur[0] = i;
    let rowMin = cur[0]!;
    for (let j = Math.max(1, i - max); j <= Math.min(b.length, i + max); j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1), over);
      cur[j] = v;
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return over;
    prev = cur;
  }
  return Math.min(prev[b.length]!, over);
}

/** Edits forgiven in a word or name of this many letters: none under 4, one up to 7, then two, at most three. */
export function editsForgiven(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : length < 16 ? 2 : 3;
}

/** Most words of a typed name compared one by one with a name's words. */
const MAX_TYPED_WORDS = 8;

/** What a typed id looks like: it is compared with ids, not with names (a name "t-abcd" is rare, a typo of t-abce is not). */
const ID_SHAPE = /^[a-z]{1,3}-[0-9a-z]{2,40}$/;

/** Slips between two words: edits, a swap of neighbours counting as one (it is two edits); over `max`, max + 1. */
export function slips(a: string, b: string, max: number): number {
  return swapped(a, b) ? Math.min(1, max + 1) : editDistance(a, b, max);
}

/**
 * Korean syllables as their letters (jamo): a slip of one letter ("결재" for "결제") is one edit of five,
 * not one of two, which no word that short is forgiven.
 */
const HANGUL_SYLLABLE = /[\uac00-\ud7a3]/;
const letters = (s: string) => (HANGUL_SYLLABLE.test(s) ? s.normalize('NFD') : s);

/** Two words alike: equal, or a forgiven typo apart. */
function wordNear(w: string, x: string): boolean {
  if (w === x) return true;
  const [a, b] = [letters(w), letters(x)];
  const k = editsForgiven(a.length);
  return k > 0 && slips(a, b, k) <= k;
}

/** Two neighbouring letters swapped ("rewirte" for "rewrite"): one slip, though two edits. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/**
 * How near a name is to what was typed (lower is nearer), or undefined. `g` is the typed text in lower
 * case, `gw` its words without generic ones (exactWords), `gs` those words sorted.
 */
function nameScore(g: string, gw: string, gs: string, name: string): number | undefined {
  const lower = name.toLowerCase();
  if (lower === g) return 0.5;
  if (gw) {
    const nw = exactWords(name);
    if (nw === gw) return 0.6; // case, punctuation, a generic word ("backend plan" for "Backend")
    if (nw.length <= 200) {
      const ns = nw.split(' ').sort().join(' ');
      if (ns === gs) return 0.7; // the same words in another order
      const [lg, ln] = [letters(gw), letters(nw)];
      const d = editDistance(lg, ln, editsForgiven(lg.length));
      if (d <= editsForgiven(lg.length)) return 1 + d / 10;
      // The same words typed without their spaces ("로그인화면구현" for "로그인 화면 구현"), as Korean often is.
      if (gw.replace(/ /g, '') === nw.replace(/ /g, '')) return 1.05;
      // Every word typed is a word of the name, or one slip from one ("rewirte auth"); a name is typed
      // in a few words, so a long text is not compared word by word with every title.
      const typed = gw.split(' ');
      const words = nw.split(' ');
      if (typed.length <= MAX_TYPED_WORDS && typed.every((w) => words.some((x) => wordNear(w, x)))) return 2;
    }
  }
  if (g.length >= 3 && lower.includes(g)) return 2.5;
  return undefined;
}

/**
 * The nearest candidates to `given`, at most `max`. `names: false` compares the names only by
 * containment: for plain words (flags, actions), where "flow_id" must not come out near "plan_id"
 * because both are an "id" once the generic words are dropped.
 */
export function closest(given: string, candidates: Candidate[], max = 3, opts: { names?: boolean } = {}): Candidate[] {
  // Ids and titles are short: a longer `given` cannot be within 2 edits of an id, and its first 200
  // characters decide containment as well as all of it would, at bounded cost per candidate.
  const g = given.trim().toLowerCase().slice(0, 200);
  const byName = opts.names !== false && !ID_SHAPE.test(g);
  // Stryker disable next-line StringLiteral: gw and gs are read by nameScore only, which is not called when !byName
  const gw = byName ? exactWords(g) : '';
  const gs = gw.split(' ').sort().join(' ');
  const scored: { c: Candidate; score: number }[] = [];
  for (const c of candidates) {
    const d = editDistance(g, c.id.toLowerCase(), 2);
    if (d <= 2) {
      scored.push({ c, score: d });
      continue;
    }
    const s = byName ? nameScore(g, gw, gs, c.name) : g.length >= 3 && c.name.toLowerCase().includes(g) ? 2.5 : undefined;
    if (s !== undefined) scored.push({ c, score: s });
  }
  scored.sort((a, b) => a.score - b.score || a.c.id.localeCompare(b.c.id));
  return scored.slice(0, max).map((s) => s.c);
}

/** The nearest of some plain words (actions, flags, field names, options) to what was typed, if any is near. */
export function nearestWord(given: string, words: readonly string[]): string | undefined {
  return closest(given, words.map((w) => ({ id: w, name: w })), 1, { names: false })[0]?.id;
}

export function didYouMean(list: Candidate[]): string {
  if (list.length === 0) return '';
  // A name that only repeats the id (a document's path) is not shown twice.
  const one = (c: Candidate): string => (!c.name || c.name === c.id ? c.id : `${c.id} ("${clip(c.name, 50)}")`);
  return ` Did you mean ${list.map(one).join(' or ')}?`;
}
