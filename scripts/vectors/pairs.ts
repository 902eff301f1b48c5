// Writes training pairs for the retrieval fine-tuning of the static word vectors (train-pairs.py): a
// short text a person might search with, beside the passage it names. Pairs come from the same Debian
// documentation as the corpus (sources.ts): a section's heading beside the section's text (HTML h1–h4,
// reStructuredText and AsciiDoc underlined titles, POD =head), a man page's one-line NAME beside its
// DESCRIPTION, and, where apt has the English translations, a package's short description beside its long
// one. The evaluation sets' software (Node.js, Flask, Apache httpd) is left out everywhere: its man pages
// and packages too. Tokens are the runtime's own (src/search/tokenize.ts). Output: .cache/vectors/pairs.tsv
// (query tokens, passage tokens, source), not committed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { words } from '../../src/search/tokenize.js';
import { EVAL_PROGRAMS, htmlToText, roffToText, SOURCES } from './sources.js';

const OUT = process.env.VECTORS_CACHE ?? '.cache/vectors';
const PASSAGE_TOKENS = 200;
const PER_QUERY = 3; // a heading repeated across pages ("Examples") names nothing in particular
// Headings that name a kind of section, not a subject.
const GENERIC = new Set(
  'introduction overview description examples example notes note see also options synopsis name bugs author authors copyright files environment return value errors exit status history caveats version versions summary contents table index compatibility conforming to availability usage details background reporting license licence'.split(' '),
);

// Written synchronously: ~400k lines through a stream that is never drained would sit in memory.
const out = openSync(`${OUT}/pairs.tsv`, 'w');
const seenQuery = new Map<string, number>();
const seenPair = new Set<string>();
const perSource: Record<string, number> = {};

function emit(query: string, passage: string, source: string): void {
  const q = words(query);
  if (q.length === 0 || q.length > 16 || q.every((w) => GENERIC.has(w))) return;
  const p = words(passage).slice(0, PASSAGE_TOKENS);
  if (p.length < 8) return;
  const qk = q.join(' ');
  const n = seenQuery.get(qk) ?? 0;
  if (n >= PER_QUERY) return;
  const h = createHash('sha1').update(qk).update('\t').update(p.join(' ')).digest('base64');
  if (seenPair.has(h)) return;
  seenPair.add(h);
  seenQuery.set(qk, n + 1);
  writeSync(out, `${qk}\t${p.join(' ')}\t${source}\n`);
  perSource[source] = (perSource[source] ?? 0) + 1;
}

function read(file: string): string {
  const buf = readFileSync(file);
  return (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
}

/** Sections of text whose titles are underlined (reStructuredText, AsciiDoc): [title, body]. */
function underlined(text: string): [string, string][] {
  const lines = text.split('\n');
  const out: [string, string][] = [];
  let title: string | undefined;
  let body: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const next = lines[i + 1];
    const l = lines[i]!;
    if (next !== undefined && l.trim().length > 2 && /^([=\-~^"'`#*+])\1{2,}\s*$/.test(next) && Math.abs(next.trim().length - l.trim().length) <= 2) {
      if (title) out.push([title, body.join('\n')]);
      title = l.trim();
      body = [];
      i++;
      continue;
    }
    body.push(l);
  }
  if (title) out.push([title, body.join('\n')]);
  return out;
}

/** Sections of an HTML page by its h1–h4 headings. */
function htmlSections(html: string): [string, string][] {
  const parts = html.split(/<h[1-4][^>]*>([\s\S]*?)<\/h[1-4]>/i);
  const out: [string, string][] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) out.push([htmlToText(parts[i]!).replace(/[¶#]\s*$/, '').trim(), htmlToText(parts[i + 1]!)]);
  return out;
}

function podSections(pod: string): [string, string][] {
  const parts = pod.split(/^=head[1-4]\s+(.*)$/m);
  const out: [string, string][] = [];
  for (let i = 1; i + 1 < parts.length; i += 2) out.push([parts[i]!.replace(/[A-Z]<+|>+/g, ''), parts[i + 1]!.replace(/^=[a-z]+\d*\s?/gm, '').replace(/[A-Z]<+\s?/g, '').replace(/\s?>+/g, '')]);
  return out;
}

/** A man page: its NAME line's description beside DESCRIPTION, and each .SS subsection beside its text. */
function manPairs(roff: string): [string, string][] {
  if (/^\.so\s/m.test(roff.slice(0, 200))) return [];
  const out: [string, string][] = [];
  const sections = roff.split(/^\.S[HS]\s+(.*)$/m);
  let name: string | undefined;
  for (let i = 1; i + 1 < sections.length; i += 2) {
    const title = sections[i]!.replace(/"/g, '').trim();
    const body = roffToText(sections[i + 1]!) ?? '';
    if (/^NAME$/i.test(title)) name = body.split(/\\?-\s|\s-\s/).slice(1).join(' ');
    else if (/^DESCRIPTION$/i.test(title) && name) out.push([name, body]);
    else if (!/^[A-Z ]+$/.test(title) && !/^-/.test(title)) out.push([roffToText(title) ?? title, body]);
  }
  return out;
}

for (const src of SOURCES) {
  for (const f of src.files()) {
    const page = basename(f).replace(/\.gz$/, '').replace(/\.\d\w*$/, '');
    if (EVAL_PROGRAMS.test(page)) continue;
    let sections: [string, string][];
    if (src.name === 'man-pages') sections = manPairs(read(f));
    else if (f.endsWith('.html')) sections = htmlSections(read(f));
    else if (f.endsWith('.pod')) sections = podSections(read(f));
    else sections = underlined(src.text(f));
    for (const [q, p] of sections) emit(q, p, src.name);
  }
  console.error(`${src.name}: ${perSource[src.name] ?? 0} pairs`);
}

// Package descriptions, from apt's English translations when present (apt-get update with
// Acquire::Languages=en fetches them): "Description-en: <short>" then the long text indented.
// apt may keep them compressed (lz4 here); its own helper reads any of its formats.
const lists = '/var/lib/apt/lists';
// Debian's own archive only (the licences recorded are Debian main's), in a fixed order (the first
// pairs of a repeated short description are the ones kept).
for (const f of existsSync(lists) ? readdirSync(lists).filter((x) => /^deb\.debian\.org_debian(-security)?_dists_[a-z-]+_main_i18n_Translation-en(\.\w+)?$/.test(x)).sort() : []) {
  const text = execFileSync('/usr/lib/apt/apt-helper', ['cat-file', `${lists}/${f}`], { encoding: 'utf8', maxBuffer: 1 << 28 });
  for (const block of text.split('\n\n')) {
    const pkg = /^Package: (.*)$/m.exec(block)?.[1];
    const m = /^Description-en: (.*)\n((?: .*\n?)*)/m.exec(block);
    if (!pkg || !m || EVAL_PROGRAMS.test(pkg) || /^(python3-flask|libapache2|node-)/.test(pkg)) continue;
    emit(m[1]!, m[2]!.replace(/^ \.$/gm, '').replace(/^ /gm, ''), 'debian-packages');
  }
}
console.error(`debian-packages: ${perSource['debian-packages'] ?? 0} pairs`);

// Inverse cloze pairs (Lee et al. 2019, ORQA): a span of a corpus paragraph as the query, the rest of
// the paragraph as its passage (the span left in one time in ten, so exact words still count). Teaches
// the mean of word vectors to find a passage from a few words about it, across the whole corpus
// rather than only where a heading names a section. Seeded: the same corpus gives the same pairs.
let seed = 11;
const random = () => {
  // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
let ict = 0;
const corpusFile = `${OUT}/corpus.txt`;
for (const line of existsSync(corpusFile) ? readFileSync(corpusFile, 'utf8').split('\n') : []) {
  const toks = line.split(' ');
  if (toks.length < 16) continue;
  for (let k = toks.length >= 40 ? 2 : 1; k > 0; k--) {
    const len = between(5, Math.min(14, Math.floor(toks.length / 3)));
    const at = between(0, toks.length - len);
    const passage = random() < 0.9 ? [...toks.slice(0, at), ...toks.slice(at + len)] : toks;
    writeSync(out, `${toks.slice(at, at + len).join(' ')}\t${passage.slice(0, PASSAGE_TOKENS).join(' ')}\tict\n`);
    ict++;
  }
}
perSource.ict = ict;
console.error(`inverse cloze: ${ict} pairs${existsSync(corpusFile) ? '' : ' (no corpus.txt: run build-corpus.ts first)'}`);
closeSync(out);
// A source that gave nothing means a missing input (apt lists without Translation-en, no corpus.txt), not
// a smaller training set: refuse rather than train on less than the manifest will say.
const empty = ['debian-packages', 'ict', ...SOURCES.map((src) => src.name)].filter((name) => !perSource[name]);
if (empty.length) {
  console.error(`pairs: no pairs from ${empty.join(', ')}: run scripts/vectors/install-packages.sh (it fetches apt's English descriptions) and build-corpus.ts first`);
  process.exit(1);
}
console.error(`total ${Object.values(perSource).reduce((a, b) => a + b, 0)} pairs → ${OUT}/pairs.tsv`);
