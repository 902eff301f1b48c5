// Splits a command line into words the way a shell would: spaces separate, "double" and 'single'
// quotes (and “curly” ones, which chat clients like to produce, and the CJK 「corner」 『brackets』)
// keep a phrase together. A quote with no closing mark is a plain character, and an apostrophe
// (don't, it's, the tasks' owner) is not a quote: see quotedSpans.

/** Each opening quote mark and the mark that closes it. */
export const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '“': '”', '‘': '’', '「': '」', '『': '』' };

/** A quoted span of a text: [start, end) covers the marks, `inner` is the text between them, verbatim. */
export interface QuotedSpan {
  start: number;
  end: number;
  inner: string;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;
const LATIN_WORD_CHAR = /[A-Za-z0-9]/;
// Marks that double as apostrophes: one opens only where a word does not go on before it, and
// closes only where an English word does not go on after it (a Korean particle may: '완료'를).
const APOSTROPHES = new Set(["'", '’']);

/**
 * The quoted spans of a text, left to right, outermost only. Whatever a span holds is a title: the
 * readers protect it from every pattern and give it back verbatim.
 */
export function quotedSpans(text: string): QuotedSpan[] {
  const spans: QuotedSpan[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text[i]!;
    const close = QUOTES[open];
    if (close === undefined || (APOSTROPHES.has(open) && i > 0 && WORD_CHAR.test(text[i - 1]!))) {
      i++;
      continue;
    }
    let j = i + 1;
    for (; j < text.length; j++) {
      if (text[j] !== close) continue;
      if (APOSTROPHES.has(close) && j + 1 < text.length && LATIN_WORD_CHAR.test(text[j + 1]!)) continue;
      break;
    }
    if (j >= text.length) {
      i++; // never closed: a plain character
      continue;
    }
    spans.push({ start: i, end: j + 1, inner: text.slice(i + 1, j) });
    i = j + 1;
  }
  return spans;
}

export function splitWords(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  let has = false;
  const spans = quotedSpans(text);
  let s = 0;
  for (let i = 0; i < text.length; ) {
    const span = spans[s];
    if (span && span.start === i) {
      cur += span.inner;
      has = true;
      i = span.end;
      s++;
      continue;
    }
    const ch = text[i]!;
    i++;
    if (/\s/.test(ch)) {
      if (has || cur) out.push(cur);
      cur = '';
      has = false;
      continue;
    }
    cur += ch;
    has = true;
  }
  if (has || cur) out.push(cur);
  return out;
}

/** Flags (`--name value`, `--name=value`, `--switch`) apart from the other words. */
export function splitFlags(words: string[], booleans: ReadonlySet<string>): { positionals: string[]; flags: Record<string, string | true> } {
  const positionals: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('--') && w.length > 2) {
      const eq = w.indexOf('=');
      const name = (eq > 0 ? w.slice(2, eq) : w.slice(2)).replace(/-/g, '_').toLowerCase();
      if (eq > 0) flags[name] = w.slice(eq + 1);
      else if (booleans.has(name) || i + 1 >= words.length || words[i + 1]!.startsWith('--')) flags[name] = true;
      else flags[name] = words[++i]!;
    } else positionals.push(w);
  }
  return { positionals, flags };
}
