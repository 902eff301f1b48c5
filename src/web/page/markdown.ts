// A small, safe markdown renderer for task descriptions: headings, paragraphs, lists, code blocks,
// inline code, bold, italics and links, built as DOM nodes. Raw HTML in the text is shown as text (it
// is never parsed), and a link whose target is not http(s) or a relative path is shown as plain text.
import { h, safeHref, type Child } from './dom.js';

/**
 * `code` · **bold** · *em* or _em_ · [text](url). Each span's length is bounded: unbounded, every unclosed
 * `[` (or backtick, star) was read to the end of the line, and a line of 40,000 of them froze the tab.
 */
export const INLINE = /`([^`]{1,1000})`|\*\*([^*]{1,1000})\*\*|\*([^*]{1,1000})\*|_([^_]{1,1000})_|\[([^\]]{1,500})\]\(([^)\s]{1,2000})\)/g;

function inline(text: string): Child[] {
  const out: Child[] = [];
  const re = new RegExp(INLINE);
  let at = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > at) out.push(text.slice(at, m.index));
    if (m[1] !== undefined) out.push(h('code', {}, m[1]));
    else if (m[2] !== undefined) out.push(h('strong', {}, ...inline(m[2])));
    else if (m[3] !== undefined || m[4] !== undefined) out.push(h('em', {}, ...inline((m[3] ?? m[4])!)));
    else {
      const href = safeHref(m[6]!);
      out.push(href ? h('a', { href, rel: 'noopener noreferrer nofollow' }, m[5]!) : `${m[5]} (${m[6]})`);
    }
    at = m.index + m[0].length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

export function renderMarkdown(source: string): DocumentFragment {
  const frag = document.createDocumentFragment();
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: HTMLUListElement | HTMLOListElement | undefined;
  const flush = () => {
    // A line break inside a paragraph is kept (descriptions and briefings are written line by line).
    if (para.length) frag.append(h('p', {}, ...para.flatMap((l, i) => (i ? [h('br'), ...inline(l)] : inline(l)))));
    para = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^```/.test(line)) {
      flush();
      list = undefined;
      const code: string[] = [];
      for (i++; i < lines.length && !/^```/.test(lines[i]!); i++) code.push(lines[i]!);
      frag.append(h('pre', {}, h('code', {}, code.join('\n'))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      list = undefined;
      // Headings inside a description start at level 3: the page's own h1/h2 stay the outline.
      const level = Math.min(6, heading[1]!.length + 2);
      frag.append(h(`h${level}` as 'h3', {}, ...inline(heading[2]!)));
    } else if (bullet || numbered) {
      flush();
      const tag = bullet ? 'ul' : 'ol';
      if (!list || list.tagName.toLowerCase() !== tag) {
        list = h(tag, {});
        frag.append(list);
      }
      list.append(h('li', {}, ...inline((bullet ?? numbered)![1]!)));
    } else if (line.trim() === '') {
      flush();
      list = undefined;
    } else {
      list = undefined;
      para.push(line.trim());
    }
  }
  flush();
  return frag;
}
