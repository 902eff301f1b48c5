// Plain reference definitions of an edit and a swap, for property tests of the loose name matching
// (core/kernel/suggest.ts, name-words.ts): the whole table, no band, no early exit.
import fc from 'fast-check';

/** Levenshtein distance (insert, delete, change), the whole table. */
export function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}

/** b is a with two different neighbouring letters swapped. */
export function oneSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i + 1 < a.length; i++) {
    if (a[i] !== a[i + 1] && a.slice(0, i) + a[i + 1] + a[i] + a.slice(i + 2) === b) return true;
  }
  return false;
}

/** A word and another: random, or made from it by one swap, drop, added letter or change, so near pairs are common. */
export function nearPair(word: fc.Arbitrary<string>): fc.Arbitrary<[string, string]> {
  return fc.oneof(
    fc.tuple(word, word),
    fc.tuple(word, fc.nat(), fc.constantFrom('swap', 'drop', 'add', 'change')).map(([w, n, op]): [string, string] => {
      const i = w.length ? n % w.length : 0;
      if (op === 'swap' && i + 1 < w.length) return [w, w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2)];
      if (op === 'drop') return [w, w.slice(0, i) + w.slice(i + 1)];
      if (op === 'add') return [w, `${w.slice(0, i)}c${w.slice(i)}`];
      return [w, `${w.slice(0, i)}${w[i] === 'a' ? 'b' : 'a'}${w.slice(i + 1)}`];
    }),
  );
}
