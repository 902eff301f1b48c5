// Plain language, English and Korean, read by fixed patterns (deterministic: the same words always
// mean the same command). Each pattern names a grammar command and where its arguments are; names
// are then resolved exactly as in the grammar, so an ambiguous name lists candidates instead of
// guessing, and a destructive request is never run without an explicit confirmation.
import type { Call } from '../core/kernel/workspace.js';
import { helpText } from './grammar.js';
import { buildCommand, type Parsed } from './build.js';
import { count } from '../model/error-text.js';
import { quotedSpans } from './words.js';
import { def, PH_CLOSE, PH_OPEN } from './plain-words.js';
import { EN } from './plain-english.js';
import { KO } from './plain-korean.js';

/**
 * Longest plain-language request read: a sentence around a title (titles are at most 500 characters).
 * The patterns' lazy groups cost up to (length²) steps each on text they do not fit, so the bound is
 * what keeps a long line from holding the process.
 */
export const MAX_PLAIN_CHARS = 600;

/**
 * `wholeQuotes`: read only if every quoted span comes back as a whole argument (the grammar asks this
 * when words stood beside a quoted title: it takes a reading that names them, not one that swallows them).
 */
export function parseNatural(call: Call, input: string, opts: { wholeQuotes?: boolean } = {}): Parsed | undefined {
  if (input.length > MAX_PLAIN_CHARS * 2) return tooLong(input.length);
  // Quoted spans first, before any pattern, trimming or stripping sees the text: each is a title.
  const { text: shielded, restore, mixed } = protectQuotes(input.trim());
  // "please" at either end is politeness, not part of what is asked ("snapshot please" is no label).
  const text = shielded
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ')
    .replace(/[\s,]*\bplease[.!]*$/i, '')
    .replace(/^please\b[\s,]*/i, '');
  const plainLength = text.length + input.trim().length - shielded.length; // as the person wrote it
  if (plainLength > MAX_PLAIN_CHARS) return tooLong(plainLength);
  const bare = text.replace(/[?？]+$/, '').trim();
  for (const p of [...EN, ...KO]) {
    const m = p.re.exec(p.re.source.includes('[?？]') ? text : bare);
    if (!m) continue;
    const made = p.make(m);
    if ('kind' in made) {
      if (made.kind === 'help') return { kind: 'help', text: helpText() };
      return made;
    }
    const d = def(made.noun, made.verb);
    if (!d) continue;
    const positionals = (made.positionals ?? []).map(restore).filter((x) => x !== '');
    const flags = Object.fromEntries(Object.entries(made.flags ?? {}).map(([k, v]) => [k, v === true ? v : restore(v)]));
    if (opts.wholeQuotes && mixed()) return undefined;
    return buildCommand(call, { def: d, positionals, flags }, 'plain language');
  }
  return undefined;
}

/**
 * Replaces each quoted span with a placeholder; `restore` gives a span's text back: a part that is
 * one quoted span alone becomes its inner text verbatim, and a span inside other words keeps its marks
 * (add a task fix the "login" bug → fix the "login" bug).
 */
function protectQuotes(text: string): { text: string; restore: (s: string) => string; /** A span came back inside other words. */ mixed: () => boolean } {
  // Text that holds the placeholder marks itself is read as it is (no placeholder could be told apart).
  const spans = text.includes(PH_OPEN) || text.includes(PH_CLOSE) ? [] : quotedSpans(text);
  if (spans.length === 0) return { text, restore: (s) => s, mixed: () => false };
  let out = '';
  let at = 0;
  spans.forEach((q, i) => {
    out += text.slice(at, q.start) + PH_OPEN + i + PH_CLOSE;
    at = q.end;
  });
  out += text.slice(at);
  const whole = new RegExp(`^${PH_OPEN}(\\d+)${PH_CLOSE}$`);
  const any = new RegExp(`${PH_OPEN}(\\d+)${PH_CLOSE}`, 'g');
  let inside = false;
  const restore = (s: string) => {
    const w = whole.exec(s.trim());
    if (w) return spans[Number(w[1])]!.inner;
    return s.replace(any, (_, n: string) => {
      inside = true;
      return text.slice(spans[Number(n)]!.start, spans[Number(n)]!.end);
    });
  };
  return { text: out, restore, mixed: () => inside };
}

function tooLong(chars: number): Parsed {
  return {
    kind: 'error',
    message: `Plain-language requests are read up to ${MAX_PLAIN_CHARS} characters; this one has ${count(chars)}.`,
    hint: 'Use the /flow grammar (quote long titles), e.g. /flow add task "…" --priority high; /flow help lists the forms.',
  };
}
