// Building the page from data without ever parsing text as HTML: every string goes in through
// textContent or an attribute set one by one, so a task titled "<script>" is shown as those characters.
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string | boolean | undefined> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    if (k.startsWith('on')) throw new Error('no inline handlers'); // handlers are added with addEventListener
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) el.append(typeof c === 'string' ? document.createTextNode(c) : c);
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
