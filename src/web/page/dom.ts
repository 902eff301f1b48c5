// Building the page from data without ever parsing text as HTML: every string goes in through
// textContent or an attribute set one by one, so a task titled "<script>" is shown as those characters.
export type Child = Node | string | null | undefined | false;

/**
 * Characters that change how the text around them is shown without showing themselves: bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069; "\u202Egnp.exe" reads "exe.png"), bidi marks, and
 * zero-width spaces and joiners that hide in a word. In text from the project they are shown as what they
 * are, e.g. ⟨U+202E⟩. The zero-width (non-)joiner U+200C/U+200D stay: Persian, Indic scripts and emoji
 * sequences need them, and they reorder nothing.
 */
const INVISIBLE = /[\u202A-\u202E\u2066-\u2069\u200B\u200E\u200F\u061C\u2060\uFEFF]/g;

/** The invisible or reordering characters in a text, each once, named (⟨U+202E⟩), in order of first use. */
export function hiddenMarks(s: string): string[] {
  return [...new Set(s.match(INVISIBLE) ?? [])].map((c) => visibleText(c));
}

/** Text as the page shows it: every invisible or reordering character made visible. */
export function visibleText(s: string): string {
  return s.replace(INVISIBLE, (c) => `⟨U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}⟩`);
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on')) throw new Error('no inline handlers'); // handlers are added with addEventListener
    el.setAttribute(k, v === true ? '' : v);
  }
  // Text children only (attributes, such as an input's value the person edits, keep the text as it is).
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(visibleText(c)) : c);
  return el;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/** A link target the page will follow: http(s), or a path on this server; anything else (javascript:, data:) is not a link. */
export function safeHref(url: string): string | undefined {
  const u = url.trim();
  if (/^https?:\/\//i.test(u)) return u;
  // "/\\evil.com" is "//evil.com" to a browser (a backslash counts as a slash): another site, not a path here.
  if (/^\/[\\/]/.test(u)) return undefined;
  if (/^(\/|#|\.\/|\.\.\/)/.test(u)) return u;
  return undefined;
}
