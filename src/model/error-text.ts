// Bounds on what an error says back. Errors quote names, input and lists that a caller controls; each
// quote is cut to a few dozen characters and each list to a handful of items with "… and N more", so an
// error stays a few lines whatever was sent (a 100 KB command, a 20,000-task dependency cycle).

/** Characters of a caller's text an error quotes. */
export const QUOTE_CHARS = 80;
/** Items of a list an error names. */
export const LIST_ITEMS = 5;
/** Longest message or hint a FlowError keeps, whatever a call site built (the last line of defence). */
export const ERROR_TEXT_CHARS = 2_000;

/** The text, cut to max characters with "…" when longer (whole characters: an emoji is never cut in two). */
export function clip(text: string, max = QUOTE_CHARS): string {
  if (text.length <= max) return text; // no more code points than UTF-16 units
  const chars = Array.from(text);
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join('')}…` : text;
}

/** The first few items joined ("a, b, c … and 12 more"); items are clipped too. */
export function listSome(items: readonly string[], max = LIST_ITEMS, sep = ', '): string {
  const shown = items.slice(0, max).map((s) => clip(s));
  return items.length > max ? `${shown.join(sep)} … and ${items.length - max} more` : shown.join(sep);
}

/**
 * A count with thousands separators ("4,000"). Not toLocaleString: its first call loads ICU locale
 * data (~8 ms), and these messages are built while modules load, on every start of the CLI.
 */
export function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

// Text quoted from .flow/ or the project may come from anyone (a cloned repository's flow.db or
// config.json, an imported file): on a terminal it must hold no control sequences (escapes that clear
// the screen, set the clipboard or title, or hide a link). Line breaks and tabs are layout, kept.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]+/g;
/**
 * Characters that change how the text around them is shown without showing themselves (bidi overrides,
 * isolates and marks; zero-width spaces): "\u202Egnp.exe" reads "exe.png", and "zero\u200Bwidth" looks
 * like a title it is not. Shown as what they are, ⟨U+202E⟩, as the web page shows them (web/page/dom.ts);
 * the zero-width (non-)joiners stay, for the scripts and emoji that need them.
 */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F\u061C\u2060\uFEFF]/g;
const named = (c: string) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`;
/** Text from an untrusted source, made safe for a terminal (line breaks and tabs kept), hidden characters named. */
export const printable = (text: string): string => text.replace(CONTROL, ' ').replace(INVISIBLE, named);
