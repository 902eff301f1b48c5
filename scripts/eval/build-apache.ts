// Builds the `apache` search evaluation set's documents (test/fixtures/search-eval/apache/docs/)
// from the English pages of Debian's apache2-doc manual (issue 15).
//
//   npx tsx scripts/eval/build-apache.ts [/usr/share/doc/apache2-doc/manual]
//
// The argument is the manual folder (the one holding en/, fr/, ko/, …) or its en/ folder itself.
// Only en/ is read. Each HTML page becomes <path with / as __>.md.gz: the page header and footer
// navigation, the "Available Languages" bars, the sidebar (topics, directive list, bug links,
// see-also) and the back-to-top/permalink markers are dropped; headings stay as atx `#` headings,
// code as fenced blocks, links as their text only (their targets are site paths, noise for search).
// Pages that are only lists of links (the directive index, quick reference, module index, sitemap,
// section index pages) are left out.
import { gzipSync } from 'node:zlib';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import TurndownService from 'turndown';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const outDir = join(repo, 'test', 'fixtures', 'search-eval', 'apache', 'docs');

const arg = process.argv[2] ?? '/usr/share/doc/apache2-doc/manual';
const enDir = existsSync(join(arg, 'en')) ? join(arg, 'en') : arg;
if (!existsSync(join(enDir, 'mod', 'core.html'))) {
  console.error(`not the apache2-doc manual (no mod/core.html under ${enDir})`);
  process.exit(1);
}

// Pages that are link lists or indexes, not content.
const SKIP = new Set([
  'index.html', // manual front page: links to everything
  'sitemap.html',
  'mod/index.html', // module list
  'mod/directives.html', // directive index
  'mod/quickreference.html', // directive table
  'howto/index.html',
  'misc/index.html',
  'ssl/index.html',
  'rewrite/index.html',
  'vhosts/index.html',
  'programs/index.html',
  'developer/index.html',
  'platform/index.html',
  'faq/index.html', // only a pointer to the wiki FAQ
]);

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.name.endsWith('.html')) out.push(p);
  }
  return out.sort();
}

const td = new TurndownService({
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
  emDelimiter: '_',
});

// Links: keep the text, drop the target.
td.addRule('linkText', {
  filter: 'a',
  replacement: (content) => content,
});

// Navigation and chrome (added last: turndown tries the latest added rule first).
const CHROME_IDS = ['page-header', 'path', 'footer', 'quickview', 'comments_section', 'comments_thread'];
const CHROME_CLASSES = ['up', 'top', 'toplang', 'bottomlang', 'permalink', 'lang-toggle'];
function isChrome(node: Node): boolean {
  if (['SCRIPT', 'STYLE', 'IMG', 'SVG', 'BUTTON', 'HEAD'].includes(node.nodeName)) return true;
  const el = node as HTMLElement;
  if (CHROME_IDS.includes(el.getAttribute?.('id') ?? '')) return true;
  const cls = (el.getAttribute?.('class') ?? '').split(/\s+/);
  return CHROME_CLASSES.some((c) => cls.includes(c));
}

// <pre> without an inner <code> (the manual's config examples) as fenced blocks.
td.addRule('barePre', {
  filter: (node) => node.nodeName === 'PRE',
  replacement: (_content, node) => {
    const el = node as HTMLElement;
    const cls = el.getAttribute('class') ?? '';
    const lang = /lang-([a-z]+)/.exec(cls)?.[1] ?? '';
    const text = (el.textContent ?? '').replace(/\n+$/, '').replace(/^\n+/, '');
    return `\n\n\`\`\`${lang}\n${text}\n\`\`\`\n\n`;
  },
});

// Inline code as its plain text (the synopses put <strong>/<var> inside <code>).
td.addRule('inlineCode', {
  filter: (node) => node.nodeName === 'CODE' && node.parentNode?.nodeName !== 'PRE',
  replacement: (_content, node) => {
    const text = (node.textContent ?? '').replace(/\s+/g, ' ');
    if (text.trim() === '') return '';
    const fence = text.includes('`') ? '``' : '`';
    return `${fence}${text}${fence}`;
  },
});

// Tables: the module/directive summary tables as "**Key:** value" lines, other tables as
// pipe tables (one row a line).
function cellText(cell: Node, pipe: boolean): string {
  const text = td
    .turndown((cell as HTMLElement).innerHTML ?? '')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    // list items in a cell become a comma-separated run
    .reduce((acc, l) => {
      const item = /^[-*]\s+/.test(l);
      const t = l.replace(/^[-*]\s+/, '');
      return acc === '' ? t : acc + (item ? ', ' : ' ') + t;
    }, '');
  return pipe ? text.replace(/\|/g, '\\|') : text;
}
td.addRule('table', {
  filter: 'table',
  replacement: (_content, node) => {
    const el = node as HTMLElement;
    const rows = Array.from(el.querySelectorAll('tr')) as HTMLElement[];
    const cls = el.getAttribute('class') ?? '';
    if (/\b(module|directive)\b/.test(cls)) {
      const lines = rows.map((tr) => {
        const cells = Array.from(tr.children);
        const key = cells[0] ? cellText(cells[0], false).replace(/:$/, '') : '';
        const val = cells.slice(1).map((c) => cellText(c, false)).join(' ');
        return `**${key}:** ${val}`;
      });
      return `\n\n${lines.join('  \n')}\n\n`;
    }
    const lines: string[] = [];
    rows.forEach((tr, i) => {
      const cells = Array.from(tr.children).map((c) => cellText(c, true));
      if (cells.every((c) => c === '')) return;
      lines.push(`| ${cells.join(' | ')} |`);
      if (i === 0) lines.push(`|${cells.map(() => ' --- |').join('')}`);
    });
    return `\n\n${lines.join('\n')}\n\n`;
  },
});

td.addRule('chrome', {
  filter: (node) => isChrome(node),
  replacement: () => '',
});

function convert(html: string): string {
  // Keep only the body; the generated-file comment and <head> are not content.
  const body = /<body[^>]*>([\s\S]*)<\/body>/i.exec(html)?.[1] ?? html;
  let md = td.turndown(body.replace(/<!--[\s\S]*?-->/g, ''));
  md = md
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return md + '\n';
}

rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

let count = 0;
let raw = 0;
let packed = 0;
for (const file of walk(enDir)) {
  const rel = relative(enDir, file).split(sep).join('/');
  if (SKIP.has(rel)) continue;
  const md = convert(readFileSync(file, 'utf8'));
  const name = rel.replace(/\.html$/, '').replace(/\//g, '__') + '.md.gz';
  const gz = gzipSync(Buffer.from(md, 'utf8'), { level: 9 });
  writeFileSync(join(outDir, name), gz);
  count++;
  raw += Buffer.byteLength(md);
  packed += gz.length;
}
console.log(`${count} pages -> ${relative(repo, outDir)} (${(raw / 1e6).toFixed(2)} MB markdown, ${(packed / 1e6).toFixed(2)} MB gzipped)`);
