// Markdown syntax taken out of a snippet so it reads as text: search snippets are cut from documents and
// descriptions at any point, so they are not rendered as markdown (half a link, an unclosed `**`), only
// stripped of its marks. The result is still put in the page as text.

/** Where the bracket opened at `at` closes (nested pairs and backslash escapes counted), or -1 (cut off). */
function closing(s: string, at: number, open: string, close: string): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (open === '(' && c === '<' && i === at + 1) {
      // A destination in angle brackets may hold any parenthesis: it ends at ">".
      const end = s.indexOf('>', i);
      if (end < 0) return -1;
      i = end;
    } else if (c === open) depth++;
    else if (c === close && --depth === 0) return i;
  }
  return -1;
}

/**
 * Links and images as their text, autolinks (`<https://…>`) as their address. Brackets are matched, not
 * pattern-cut: a link whose text holds brackets or whose address holds parentheses (`…/Foo_(bar)`) goes
 * whole, leaving no stray ")". A link cut off by the snippet window keeps its text.
 */
function stripLinks(s: string): string {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    const open = c === '!' && s[i + 1] === '[' ? i + 1 : c === '[' ? i : -1;
    if (open >= 0) {
      const close = closing(s, open, '[', ']');
      if (close >= 0 && s[close + 1] === '(') {
        const end = closing(s, close + 1, '(', ')');
        out += stripLinks(s.slice(open + 1, close));
        i = end < 0 ? s.length : end + 1;
        continue;
      }
    }
    if (c === '<') {
      const auto = /^<((?:https?|mailto|ftp):[^\s<>]*)>/i.exec(s.slice(i, i + 2_100));
      if (auto) {
        out += auto[1];
        i += auto[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out;
}

export function plainSnippet(s: string): string {
  return (
    stripLinks(s)
      // headings, quotes and list marks at the start of a line
      .replace(/(^|\n)\s{0,3}#{1,6}\s+/g, '$1')
      .replace(/(^|\n)\s{0,3}>\s?/g, '$1')
      .replace(/(^|\n)\s*(?:[-*+]|\d+[.)])\s+/g, '$1')
      // code fences, then inline marks
      .replace(/```[\w-]*/g, '')
      .replace(/`/g, '')
      .replace(/\*\*|__|~~/g, '')
      .replace(/(^|[\s(])[*_](?=\S)|(?<=\S)[*_](?=[\s).,;:!?]|$)/g, '$1')
      .replace(/[ \t]*\n[ \t]*/g, ' ')
      .replace(/ {2,}/g, ' ')
      .trim()
  );
}
