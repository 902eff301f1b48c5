// The training corpus: openly licensed documentation from Debian packages, each with how to turn its
// files into plain text. nodejs-doc is deliberately absent: Node.js docs are the held-out evaluation set.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';

export interface Source {
  name: string;
  /** Debian package that provides it (installed by scripts/vectors/install-packages.sh). */
  pkg: string;
  /** Licence as stated in /usr/share/doc/<pkg>/copyright. */
  licence: string;
  files(): string[];
  text(file: string): string;
}

/** Files below dir (sorted, recursively) that keep accepts; a missing folder has none. */
export function walk(dir: string, keep: (f: string) => boolean): string[] {
  const out: string[] = [];
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const e of entries.sort()) {
    const p = join(dir, e);
    const st = statSync(p, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isDirectory()) out.push(...walk(p, keep));
    else if (st.isFile() && keep(p)) out.push(p);
  }
  return out;
}

function read(file: string): string {
  const buf = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', mdash: '-', ndash: '-', hellip: '...', rsquo: "'", lsquo: "'", ldquo: '"', rdquo: '"' };

export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<\/(p|div|h[1-6]|li|tr|pre|dt|dd|table|section|br)>/gi, '\n\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (_, e: string) =>
      e[0] === '#' ? String.fromCodePoint(parseInt(e[1] === 'x' || e[1] === 'X' ? e.slice(2) : e.slice(1), e[1] === 'x' || e[1] === 'X' ? 16 : 10)) : (ENTITIES[e.toLowerCase()] ?? ' '),
    );
}

function rstToText(rst: string): string {
  return rst.replace(/:[a-z]+(:[a-z]+)*:`/g, '`').replace(/^\.\. [a-z-]+::.*$/gm, '');
}

function podToText(pod: string): string {
  return pod.replace(/^=[a-z]+\d*\s?/gm, '').replace(/[A-Z]<+\s?/g, '').replace(/\s?>+/g, '');
}

export function roffToText(roff: string): string | undefined {
  if (/^\.so\s/m.test(roff.slice(0, 200))) return undefined; // a link to another page
  return roff
    .split('\n')
    .filter((l) => !l.startsWith('.\\"') && !l.startsWith("'\\\""))
    .map((l) => (l.startsWith('.') ? l.replace(/^\.[A-Za-z]+\s*/, '') : l))
    .join('\n')
    .replace(/\\f[BIRPC]|\\f\(..|\\f\[[^\]]*\]/g, '')
    .replace(/\\\(..|\\\[[^\]]*\]|\\[-&e|^0 ]/g, ' ')
    .replace(/\\\*\(?../g, ' ');
}

/** Programs of the evaluation sets' software (test/fixtures/search-eval/): never training material. */
export const EVAL_PROGRAMS = /apache|httpd|flask|nodejs|^node$|^npm$|^npx$|^ab$|^ht(passwd|digest|dbm|cacheclean)$|^rotatelogs$|^logresolve$|^a2(en|dis)|^a2query$/i;

export const SOURCES: Source[] = [
  {
    name: 'python-3.11-docs',
    pkg: 'python3.11-doc',
    licence: 'PSF-2.0 (Python Software Foundation License)',
    files: () => walk('/usr/share/doc/python3.11/html/_sources', (f) => f.endsWith('.rst.txt')),
    text: (f) => rstToText(read(f)),
  },
  {
    name: 'postgresql-15-docs',
    pkg: 'postgresql-doc-15',
    licence: 'PostgreSQL License',
    files: () => walk('/usr/share/doc/postgresql-doc-15/html', (f) => f.endsWith('.html')),
    text: (f) => htmlToText(read(f)),
  },
  {
    name: 'git-docs',
    pkg: 'git-doc',
    licence: 'GPL-2',
    files: () => walk('/usr/share/doc/git-doc', (f) => f.endsWith('.txt')),
    text: (f) => read(f),
  },
  {
    name: 'perl-docs',
    pkg: 'perl-doc',
    licence: 'GPL-1+ or Artistic',
    files: () => walk('/usr/share/perl/5.36.0/pod', (f) => f.endsWith('.pod')),
    text: (f) => podToText(read(f)),
  },
  {
    name: 'bash-reference',
    pkg: 'bash-doc',
    licence: 'GPL-3+ (manual: GFDL without invariant sections, as shipped in Debian main)',
    files: () => ['/usr/share/doc/bash/bashref.html'],
    text: (f) => htmlToText(read(f)),
  },
  {
    name: 'debian-reference',
    pkg: 'debian-reference-en',
    licence: 'GPL-2+',
    files: () => walk('/usr/share/debian-reference', (f) => f.endsWith('.en.html')),
    text: (f) => htmlToText(read(f)),
  },
  {
    name: 'rust-books',
    pkg: 'rust-doc',
    licence: 'MIT or Apache-2.0',
    // The prose books only: the std/core API pages are machine-generated and repeat themselves.
    files: () =>
      ['book', 'reference', 'rust-by-example', 'nomicon', 'rustc', 'rustdoc', 'edition-guide', 'embedded-book'].flatMap((b) =>
        walk(`/usr/share/doc/rust-doc/html/${b}`, (f) => f.endsWith('.html') && !f.endsWith('print.html') && !f.endsWith('toc.html')),
      ),
    text: (f) => htmlToText(read(f).replace(/<nav[\s\S]*?<\/nav>/gi, ' ')),
  },
  {
    name: 'go-spec',
    pkg: 'golang-1.19-doc',
    licence: 'BSD-3-clause (Go License)',
    files: () => walk('/usr/share/doc/golang-1.19-doc/html', (f) => f.endsWith('.html')),
    text: (f) => htmlToText(read(f)),
  },
  {
    name: 'sqlite-docs',
    pkg: 'sqlite3-doc',
    licence: 'public-domain',
    files: () => walk('/usr/share/doc/sqlite3/', (f) => f.endsWith('.html')),
    text: (f) => htmlToText(read(f)),
  },
  {
    name: 'man-pages',
    pkg: 'manpages, manpages-dev (and the English man pages of installed packages)',
    licence: 'GPL-2+ and the licences of each package (all Debian main)',
    // The evaluation sets' own programs (node, Apache httpd's tools, flask) are left out: their man
    // pages say what the evaluation documents say.
    files: () => [1, 2, 3, 4, 5, 6, 7, 8].flatMap((n) => walk(`/usr/share/man/man${n}`, (f) => f.endsWith('.gz') && !EVAL_PROGRAMS.test(basename(f).replace(/\.\w+\.gz$/, '')))),
    text: (f) => roffToText(read(f)) ?? '',
  },
];
