// Markdown-aware chunking: each chunk keeps the path of headings above it, code fences stay whole
// where they fit, paragraphs are packed up to a size an embedder handles well, and an over-long
// paragraph is split at sentence ends (or, failing that, at spaces).

export interface Chunk {
  /** Headings above the chunk, outermost first, e.g. ["Install", "On Debian"]. */
  headings: string[];
  text: string;
  /** 1-based line range in the source. */
  startLine: number;
  endLine: number;
}

export const CHUNK_TARGET = 1000; // characters; ~250 tokens of English
export const CHUNK_MAX = 1800;
export const FENCE_MAX = 6000; // a code block up to this size is never cut

interface Block {
  text: string;
  startLine: number;
  endLine: number;
  fence: boolean;
}

/** `# Title`: the hashes and the rest of the line; what closes it is taken off by atxHeading, not by the pattern. */
const HEADING = /^(#{1,6})\s+([^]*)$/;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
/** A setext underline: the paragraph just above it is a heading (`=` level 1, `-` level 2). */
const UNDERLINE = /^ {0,3}(=+|-+)\s*$/;
/** A thematic break (a rule) standing on its own, not under a paragraph. */
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
/** A paragraph that can be a setext heading: short, and not a list item, quote or table row (there `---` is a rule or a table's line). */
const SETEXT_MAX_LINES = 3;
const SETEXT_MAX_CHARS = 200;
const NOT_SETEXT = /^\s{0,3}(?:[-*+>|]|\d+[.)])(?:\s|$)|\||^\s{0,3}<|^\s{0,3}\[[^\]]+\]:|^(?: {4}|\t)/;

/**
 * A `#` heading's level and text, without the closing hashes (`## Setup ##`) and the spaces around. In
 * code, not in the pattern: a lazy text beside optional spaces and hashes backtracked in cubic time on a
 * long run of spaces (a 4 KB heading line held the process a minute). "C#" keeps its hash: a closing
 * run must follow a space.
 */
export function atxHeading(line: string): { level: number; text: string } | undefined {
  const m = HEADING.exec(line);
  if (!m) return undefined;
  let text = m[2]!.trimEnd();
  const closing = /(?:^|\s)#+$/.exec(text);
  if (closing) text = text.slice(0, closing.index).trimEnd();
  return { level: m[1]!.length, text };
}

/** The line that closes YAML front matter opened on line 1 (0 if none does, within 100 lines and before a blank line, heading or fence). */
function frontMatterEnd(lines: string[]): number {
  for (let i = 1; i < Math.min(lines.length, 100); i++) {
    const l = lines[i]!.trim();
    if (l === '---' || l === '...') return i;
    if (!l || HEADING.test(lines[i]!) || FENCE.test(lines[i]!)) return 0;
  }
  return 0;
}

/** Splits the source into heading-scoped blocks: paragraphs, and fenced code blocks kept whole. */
function blocks(source: string): { headings: string[]; block: Block }[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: { headings: string[]; block: Block }[] = [];
  const stack: { level: number; title: string }[] = [];
  let cur: Block | undefined;
  let fence: string | undefined;
  // A heading with nothing under it (no text, no subheading) is still something to find: it becomes a
  // block of its own title when the next heading at its level or above (or the end) shows it empty.
  let bare: { level: number; headings: string[]; title: string; line: number } | undefined;
  const flush = () => {
    if (cur && cur.text.trim()) {
      out.push({ headings: stack.map((h) => h.title), block: cur });
      bare = undefined;
    }
    cur = undefined;
  };
  const flushBare = () => {
    if (bare && bare.title.trim()) out.push({ headings: bare.headings, block: { text: bare.title, startLine: bare.line, endLine: bare.line, fence: false } });
    bare = undefined;
  };
  // YAML front matter (`---` on the first line, to the next `---` or `...`) is text, never a setext heading.
  // It closes within its first lines, before any blank line, heading or fence: a `---` later is a rule.
  const frontEnd = lines[0]?.trim() === '---' ? frontMatterEnd(lines) : 0;
  /** A line of the paragraph being read (it starts one when none is open). */
  const text = (line: string, n: number) => {
    if (cur) {
      cur.text += '\n' + line;
      cur.endLine = n;
    } else cur = { text: line, startLine: n, endLine: n, fence: false };
  };
  const heading = (level: number, title: string, n: number) => {
    // A deeper heading gives the bare one a child (its title is in the child's heading path); one at
    // its level or above leaves it empty.
    if (bare && level <= bare.level) flushBare();
    else bare = undefined;
    while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
    stack.push({ level, title });
    bare = { level, headings: stack.map((x) => x.title), title, line: n };
  };
  lines.forEach((line, i) => {
    const n = i + 1;
    if (i <= frontEnd && frontEnd > 0) {
      if (i === frontEnd) flush();
      else if (i > 0) text(line, n);
      return;
    }
    if (fence) {
      cur!.text += '\n' + line;
      cur!.endLine = n;
      const m = FENCE.exec(line);
      if (m && m[1]![0] === fence[0] && m[1]!.length >= fence.length && line.trim() === m[1]) {
        fence = undefined;
        flush();
      }
      return;
    }
    const f = FENCE.exec(line);
    if (f) {
      flush();
      fence = f[1]!;
      cur = { text: line, startLine: n, endLine: n, fence: true };
      return;
    }
    const h = atxHeading(line);
    if (h) {
      flush();
      heading(h.level, h.text, n);
      return;
    }
    // `Title` over `=====` or `-----`: the paragraph above was a heading (as Markdown renders it).
    const u = UNDERLINE.exec(line);
    // Its size is checked before the paragraph is split: a long one under many `=` lines must stay cheap.
    if (u && cur && !cur.fence && cur.endLine - cur.startLine < SETEXT_MAX_LINES && cur.text.length <= SETEXT_MAX_CHARS) {
      const above = cur.text.split('\n');
      if (!above.some((l) => NOT_SETEXT.test(l))) {
        const at = cur.startLine;
        cur = undefined;
        heading(u[1]![0] === '=' ? 1 : 2, above.map((l) => l.trim()).join(' '), at);
        return;
      }
    }
    // A rule on its own (or under a paragraph that cannot be a heading) ends the paragraph; it is not text.
    if (RULE.exec(line) || (u && u[1]![0] === '-')) {
      flush();
      return;
    }
    if (!line.trim()) {
      flush();
      return;
    }
    text(line, n);
  });
  flush(); // an unclosed fence runs to the end of the file
  flushBare();
  return out;
}

/** Cuts an over-long paragraph at sentence ends, else at spaces, else anywhere. */
function splitLong(b: Block, max: number): Block[] {
  const pieces: string[] = [];
  let rest = b.text;
  while (rest.length > max) {
    const window = rest.slice(0, max);
    let cut = Math.max(window.lastIndexOf('. '), window.lastIndexOf('。'), window.lastIndexOf('? '), window.lastIndexOf('! '), window.lastIndexOf('다. '));
    if (cut < max * 0.5) cut = window.lastIndexOf('\n');
    if (cut < max * 0.5) cut = window.lastIndexOf(' ');
    if (cut < max * 0.5) cut = max - 1;
    pieces.push(rest.slice(0, cut + 1).trim());
    rest = rest.slice(cut + 1);
  }
  if (rest.trim()) pieces.push(rest.trim());
  return pieces.map((text) => ({ ...b, text }));
}

/** The first heading of a markdown document (`#` or underlined), as the chunks' heading paths read it; code blocks hold none. */
export function firstHeading(source: string): string | undefined {
  for (const { headings } of blocks(source)) if (headings.length) return headings[0];
  return undefined;
}

export function chunkMarkdown(source: string, opts: { target?: number; max?: number; fenceMax?: number } = {}): Chunk[] {
  const target = opts.target ?? CHUNK_TARGET;
  const max = opts.max ?? CHUNK_MAX;
  const fenceMax = opts.fenceMax ?? FENCE_MAX;
  const chunks: Chunk[] = [];
  let open: Chunk | undefined;
  const close = () => {
    if (open) chunks.push(open);
    open = undefined;
  };
  for (const { headings, block } of blocks(source)) {
    const parts = block.text.length <= (block.fence ? fenceMax : max) ? [block] : splitLong(block, block.fence ? fenceMax : max);
    for (const p of parts) {
      const sameSection = open && open.headings.join('\u0000') === headings.join('\u0000');
      if (open && sameSection && open.text.length + 2 + p.text.length <= Math.max(target, open.text.length < target ? max : target)) {
        open.text += '\n\n' + p.text;
        open.endLine = p.endLine;
      } else {
        close();
        open = { headings, text: p.text, startLine: p.startLine, endLine: p.endLine };
      }
    }
  }
  close();
  return chunks;
}
