// The mechanical paraphrase rule (issue 15): a question is a paraphrase when none of its content words
// appears in any heading of its relevant files. Headings are where a search engine (and the fusion's
// heading weight) gets the easiest match, so a paraphrase set that shares no heading word measures
// whether search finds the meaning, not the title. One implementation, used by the validator test and
// by the harness that classifies questions.
import { words } from '../../../src/search/tokenize.js';

// Wider than the search index's own stopword list on purpose: a question counts as paraphrase only by
// its meaningful words, and "how do I … my …" glue must never be what disqualifies it.
const STOPWORDS = new Set(
  (
    'a about above after again against all am an and any are as at be because been before being below between both but by ' +
    'can could did do does doing down during each few for from further get got had has have having he her here hers him his how ' +
    'i if in into is it its itself just let me more most my myself need no nor not now of off on once only or other our ours ' +
    'out over own same she should so some such than that the their theirs them then there these they this those through to too ' +
    'under until up use using used very want was we were what when where which while who whom why will with without would you your yours'
  ).split(' '),
);

/** A word with simple plural / -ing / -ed endings (and a final e, a doubled consonant) taken off: "caching" = "cache" = "caches". */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies')) w = `${w.slice(0, -3)}y`;
  else if (w.length > 5 && w.endsWith('ing')) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith('ed')) w = w.slice(0, -2);
  else if (w.length > 4 && /(ss|sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  // "running" → runn, "install" → instal: one of a doubled final consonant goes, on every word alike.
  return w.length > 3 && /([b-df-hj-np-tv-z])\1$/.test(w) ? w.slice(0, -1) : w;
}

/**
 * The stems of a text's content words. Identifiers are split the way search splits them
 * (readFileSync → read, file, sync), so a heading `fs.readFile()` counts as containing "file".
 */
export function contentStems(text: string): Set<string> {
  return new Set(words(text).filter((w) => !STOPWORDS.has(w)).map(stem));
}

/** Every markdown heading line's text (outside fenced code). */
export function headings(markdown: string): string[] {
  const out: string[] = [];
  let fence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fence = !fence;
    else if (!fence) {
      const m = /^#{1,6}\s+(.*)$/.exec(line);
      if (m) out.push(m[1]!);
    }
  }
  return out;
}

/** The question's content words that do appear in a heading: empty means it is a paraphrase. */
export function headingOverlap(question: string, relevantMarkdown: string[]): string[] {
  const inHeadings = new Set<string>();
  for (const md of relevantMarkdown) for (const h of headings(md)) for (const s of contentStems(h)) inHeadings.add(s);
  return [...contentStems(question)].filter((s) => inHeadings.has(s));
}
