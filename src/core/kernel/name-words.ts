// Title words matched loosely, as people name things in commands: case and punctuation ignored,
// Korean particles dropped, stop words ("the", "task") skipped, one-letter typos forgiven. Pure text:
// which titles are compared, and how many, is resolve-name.ts's business.

/** Query words that count toward a match (after stop words, each once): a title is named by a few. */
const MAX_QUERY_WORDS = 16;

const PARTICLE = /(?:으로|에서|에게|까지|부터|이랑|하고|처럼|을|를|이|가|은|는|에|의|로|와|과|도|만)$/u;

export function normalizeWords(s: string): string[] {
  return s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, ' ')
    // Stryker disable next-line Regex: a split at each single space leaves empty words, which the next line drops
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => (w.length > 2 && /\p{Script=Hangul}$/u.test(w) ? w.replace(PARTICLE, '') : w));
}

const STOP = new Set(['the', 'a', 'an', 'task', 'plan', 'flow', 'my', 'this', 'that', '태스크', '작업', '플랜', '계획', '플로우']);

/** One letter changed, added or dropped, or two neighbouring letters swapped ("paymnets"); words of 4+ letters. */
function near(a: string, b: string): boolean {
  // Stryker disable next-line BooleanLiteral: scoreWords calls near only for a word not inside the title, so never with an equal one
  if (a === b) return true;
  if (a.length < 4 || Math.abs(a.length - b.length) > 1) return false;
  // Compared in place, without building arrays: this runs for every word of every candidate title.
  if (a.length === b.length) {
    let i = 0;
    while (a[i] === b[i]) i++;
    // Stryker disable next-line ArithmeticOperator: starting past the end, undefined === undefined walks j back to the last letter
    let j = a.length - 1;
    while (a[j] === b[j]) j--;
    return i === j || (j === i + 1 && a[i] === b[j] && a[j] === b[i]);
  }
  const [s, l] = a.length < b.length ? [a, b] : [b, a];
  let i = 0;
  while (i < s.length && s[i] === l[i]) i++;
  for (; i < s.length; i++) if (s[i] !== l[i + 1]) return false;
  return true;
}

/** The words of a name that count: stop words dropped, each once, at most MAX_QUERY_WORDS. */
export function queryWords(query: string): string[] {
  return [...new Set(normalizeWords(query).filter((w) => !STOP.has(w)))].slice(0, MAX_QUERY_WORDS);
}

/**
 * How well query words name `title`: the share of them found in it (0..1, 1.5 for the exact title), or 0
 * as soon as more than half are missing (under 0.5 never names anything). Cheap tests first: a word not
 * in the lower-cased title at all can only be a near miss, which needs 4+ letters.
 */
export function scoreWords(q: string[], exact: string, title: string): number {
  if (q.length === 0) return 0;
  const lower = title.toLowerCase();
  let t: string[] | undefined;
  let miss = 0;
  for (const w of q) {
    let found = false;
    if (lower.includes(w) || w.length >= 4) found = wordIn(w, lower, (t ??= normalizeWords(title)));
    if (!found && ++miss * 2 > q.length) return 0;
  }
  if (miss === 0 && exact === t!.join(' ')) return 1.5;
  return (q.length - miss) / q.length;
}

/** Whether query word `w` is in a title (lower-cased whole, and its words), as scoreWords counts it. */
function wordIn(w: string, lower: string, t: string[]): boolean {
  return lower.includes(w) ? t.some((x) => x.startsWith(w) || (w.length >= 2 && x.includes(w)) || near(w, x)) : t.some((x) => near(w, x));
}

/** The query words scoreWords did not find in `title`: what a name said that its best fit does not hold. */
export function wordsMissing(q: string[], title: string): string[] {
  const lower = title.toLowerCase();
  const t = normalizeWords(title);
  return q.filter((w) => !wordIn(w, lower, t));
}

/** A name's words as one string, stop words dropped: equal to a title's normalized words means "exactly that title". */
export function exactWords(name: string): string {
  return normalizeWords(name)
    .filter((w) => !STOP.has(w))
    .join(' ');
}
