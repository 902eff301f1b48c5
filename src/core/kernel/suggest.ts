// "Did you mean ...?": the closest ids (by edit distance) or titles (by containment) to what was typed.
import { clip } from '../../model/error-text.js';

export interface Candidate {
  id: string;
  name: string;
}

function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

export function closest(given: string, candidates: Candidate[], max = 3): Candidate[] {
  // Ids and titles are short: a longer `given` cannot be within 2 edits of an id, and its first 200
  // characters decide containment as well as all of it would, at bounded cost per candidate.
  const g = given.trim().toLowerCase().slice(0, 200);
  const scored: { c: Candidate; score: number }[] = [];
  for (const c of candidates) {
    const d = distance(g, c.id.toLowerCase(), 2);
    if (d <= 2) {
      scored.push({ c, score: d });
      continue;
    }
    const name = c.name.toLowerCase();
    if (g.length >= 3 && (name === g || name.includes(g))) scored.push({ c, score: name === g ? 0.5 : 2.5 });
  }
  scored.sort((a, b) => a.score - b.score || a.c.id.localeCompare(b.c.id));
  return scored.slice(0, max).map((s) => s.c);
}

/** The nearest of some plain words (actions, flags, field names, options) to what was typed, if any is near. */
export function nearestWord(given: string, words: readonly string[]): string | undefined {
  return closest(given, words.map((w) => ({ id: w, name: w })), 1)[0]?.id;
}

export function didYouMean(list: Candidate[]): string {
  if (list.length === 0) return '';
  // A name that only repeats the id (a document's path) is not shown twice.
  const one = (c: Candidate): string => (!c.name || c.name === c.id ? c.id : `${c.id} ("${clip(c.name, 50)}")`);
  return ` Did you mean ${list.map(one).join(' or ')}?`;
}
