// Splits a command line into words the way a shell would: spaces separate, "double" and 'single'
// quotes (and “curly” ones, which chat clients like to produce, and the CJK 「corner」 『brackets』)
// keep a phrase together; a quote never closed runs to the end of the line. An apostrophe (don't,
// it's, the tasks' owner) is not a quote: see quotedSpans.

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
export function quotedSpans(text: string, opts: { unclosedToEnd?: boolean } = {}): QuotedSpan[] {
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
      if (opts.unclosedToEnd && !APOSTROPHES.has(open)) {
        spans.push({ start: i, end: text.length, inner: text.slice(i + 1) }); // the shell's habit: runs to the end
        break;
      }
      i++; // never closed: a plain character
      continue;
    }
    spans.push({ start: i, end: j + 1, inner: text.slice(i + 1, j) });
    i = j + 1;
  }
  return spans;
}

export function splitWords(text: string): string[] {
  return splitQuotedWords(text).words;
}

/** The words, and for each whether it was one quoted span and nothing else ("Write tests", 「…」). */
export function splitQuotedWords(text: string): { words: string[]; quoted: boolean[] } {
  const words: string[] = [];
  const quoted: boolean[] = [];
  let cur = '';
  let has = false;
  let parts = 0; // quoted spans and plain characters in the current word
  let spansIn = 0;
  const push = () => {
    words.push(cur);
    quoted.push(spansIn === 1 && parts === 1);
    cur = '';
    has = false;
    parts = 0;
    spansIn = 0;
  };
  const spans = quotedSpans(text, { unclosedToEnd: true });
  let s = 0;
  for (let i = 0; i < text.length; ) {
    const span = spans[s];
    if (span && span.start === i) {
      cur += span.inner;
      has = true;
      parts++;
      spansIn++;
      i = span.end;
      s++;
      continue;
    }
    const ch = text[i]!;
    i++;
    if (/\s/.test(ch)) {
      if (has || cur) push();
      continue;
    }
    cur += ch;
    has = true;
    parts++;
  }
  if (has || cur) push();
  return { words, quoted };
}

/** Flags (`--name value`, `--name=value`, `--switch`) apart from the other words; a quoted word is never a flag. */
export function splitFlags(
  words: string[],
  booleans: ReadonlySet<string>,
  quotedWords: boolean[] = [],
): { positionals: string[]; flags: Record<string, string | true>; /** Per positional: it was quoted. */ quoted: boolean[] } {
  const positionals: string[] = [];
  const quoted: boolean[] = [];
  const flags: Record<string, string | true> = {};
  const dashed = (k: number) => words[k]!.startsWith('--') && quotedWords[k] !== true;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (dashed(i) && w.length > 2) {
      const eq = w.indexOf('=');
      const name = (eq > 0 ? w.slice(2, eq) : w.slice(2)).replace(/-/g, '_').toLowerCase();
      if (eq > 0) {
        // A yes/no flag given a value ("--dry-run=true"): read as the flag it is; a stored "true" string
        // was no dry run at all, and the change ran. A preview asked for with any other value previews.
        const v = w.slice(eq + 1);
        if (!booleans.has(name)) flags[name] = v;
        else if (/^(?:true|yes|1|on)$/i.test(v) || (name === 'dry_run' && !/^(?:false|no|0|off)$/i.test(v))) flags[name] = true;
        else if (!/^(?:false|no|0|off)$/i.test(v)) flags[name] = v; // --confirm=maybe confirms nothing (not true)
      } else if (booleans.has(name) || i + 1 >= words.length || dashed(i + 1)) flags[name] = true;
      else flags[name] = words[++i]!;
    } else {
      positionals.push(w);
      quoted.push(quotedWords[i] === true);
    }
  }
  return { positionals, flags, quoted };
}
