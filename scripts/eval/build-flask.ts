/**
 * Builds test/fixtures/search-eval/flask/docs/ from Debian's python-flask-doc package (Sphinx HTML).
 *
 *   cd /tmp && apt-get download python-flask-doc && dpkg-deb -x python-flask-doc_*.deb /tmp/flask-doc-x
 *   npx tsx scripts/eval/build-flask.ts [/tmp/flask-doc-x/usr/share/doc/python-flask-doc/html] [outDir]
 *
 * One gzipped markdown file per HTML page (path with `/` replaced by `__`). Only the Sphinx main body
 * (div.body) is kept: the related-links bar, sidebar, search box, footer, permalinks, toctrees and images
 * are dropped, as are the index/search/404 pages and the (long) changelog.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import TurndownService from 'turndown';

const SRC = resolve(process.argv[2] ?? '/tmp/flask-doc-x/usr/share/doc/python-flask-doc/html');
const OUT = resolve(process.argv[3] ?? 'test/fixtures/search-eval/flask/docs');

/** Pages that are navigation, indexes or changelogs rather than documentation. */
const SKIP = new Set(['404.html', 'search.html', 'genindex.html', 'py-modindex.html', 'changes.html', 'index.html']);

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('_')) continue; // _static, _sources, _images
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...htmlFiles(p));
    else if (name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** The Sphinx main body: between `<div class="body" role="main">` and its trailing clearer div. */
function mainBody(html: string, file: string): string {
  const start = html.indexOf('<div class="body" role="main">');
  const end = html.lastIndexOf('<div class="clearer"></div>', html.indexOf('<span id="sidebar-top">'));
  if (start < 0 || end < start) throw new Error(`${file}: no Sphinx main body found`);
  return html.slice(start + '<div class="body" role="main">'.length, end);
}

type El = HTMLElement;
const hasClass = (n: Node, c: string): boolean =>
  n.nodeType === 1 && ` ${(n as El).getAttribute('class') ?? ''} `.includes(` ${c} `);
const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

const td = new TurndownService({
  headingStyle: 'atx',
  codeBlockStyle: 'fenced',
  bulletListMarker: '-',
  emDelimiter: '_',
  strongDelimiter: '**',
});
// Sphinx text rarely contains markdown syntax; escape only what would turn prose into a heading.
td.escape = (s: string): string => s.replace(/^(#{1,6} )/gm, '\\$1');

td.remove((n) => hasClass(n, 'headerlink') || hasClass(n, 'toctree-wrapper'));
td.remove((n) => n.nodeName === 'IMG' || n.nodeName === 'SCRIPT' || n.nodeName === 'STYLE');
td.remove((n) => n.nodeType === 1 && (n as El).getAttribute('role') === 'tablist');

// Links: keep the text, drop the target (internal anchors are noise for search).
td.addRule('link-text', { filter: 'a', replacement: (content) => content });

// Pygments blocks: <div class="highlight-LANG"><div class="highlight"><pre>…</pre></div></div>.
td.addRule('sphinx-code', {
  filter: (n) => n.nodeName === 'DIV' && /(^|\s)highlight-[\w-]+/.test((n as El).getAttribute('class') ?? ''),
  replacement: (_content, n) => {
    const lang = /highlight-([\w-]+)/.exec((n as El).getAttribute('class') ?? '')![1];
    const info = lang === 'default' || lang === 'none' ? '' : lang;
    const code = (n.textContent ?? '').replace(/\n+$/, '');
    const fence = code.includes('```') ? '~~~~' : '```';
    return `\n\n${fence}${info}\n${code}\n${fence}\n\n`;
  },
});

// sphinx-tabs: label each panel with its tab button's text (the tablist itself is removed).
td.addRule('tab-panel', {
  filter: (n) => n.nodeType === 1 && (n as El).getAttribute('role') === 'tabpanel',
  replacement: (content, n) => {
    const id = (n as El).getAttribute('id');
    const btn = id ? (n.parentNode as El | null)?.querySelector(`[aria-controls="${id}"]`) : null;
    const label = btn ? oneLine(btn.textContent ?? '') : '';
    return `\n\n${label ? `_${label}:_\n\n` : ''}${content.trim()}\n\n`;
  },
});

// API signatures (dt.sig): one line of inline code, not a heading.
td.addRule('api-signature', {
  filter: (n) => n.nodeName === 'DT' && hasClass(n, 'sig'),
  replacement: (_content, n) => {
    const clone = (n as El).cloneNode(true) as El;
    for (const a of Array.from(clone.querySelectorAll('.headerlink'))) a.parentNode?.removeChild(a);
    const sig = oneLine(clone.textContent ?? '');
    return sig ? `\n\n\`${sig}\`\n\n` : '';
  },
});

// Simple docutils tables: a GFM pipe table of the cells' text.
td.addRule('table', {
  filter: 'table',
  replacement: (_content, n) => {
    const rows = Array.from((n as El).querySelectorAll('tr')).map((tr) =>
      Array.from(tr.querySelectorAll('th, td')).map((c) => oneLine(c.textContent ?? '').replace(/\|/g, '\\|')),
    );
    if (rows.length === 0) return '';
    const width = Math.max(...rows.map((r) => r.length));
    const line = (r: string[]) => `| ${Array.from({ length: width }, (_, i) => r[i] ?? '').join(' | ')} |`;
    return `\n\n${[line(rows[0]), line(rows[0].map(() => '---')), ...rows.slice(1).map(line)].join('\n')}\n\n`;
  },
});

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });

let total = 0;
let count = 0;
for (const file of htmlFiles(SRC)) {
  const rel = relative(SRC, file).split('\\').join('/');
  if (SKIP.has(rel)) continue;
  const html = readFileSync(file, 'utf8');
  // Merge adjacent <em> (autodoc splits type annotations like Optional[str] into one <em> per token).
  let md = td.turndown(mainBody(html, rel).replace(/<\/em>(\s*)<em>/g, '$1'));
  md = md
    .replace(/\u00b6/g, '')
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  const name = `${rel.replace(/\.html$/, '').replace(/\//g, '__')}.md.gz`;
  const gz = gzipSync(Buffer.from(`${md}\n`, 'utf8'), { level: 9 });
  writeFileSync(join(OUT, name), gz);
  total += gz.length;
  count++;
}
console.log(`${count} documents, ${(total / 1024).toFixed(0)} KiB gzipped -> ${relative(process.cwd(), OUT)}`);
