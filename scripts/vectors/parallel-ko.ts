// Writes English–Korean parallel text for the Korean→English lexicon (train-lexicon.ts), from
// Debian material where the same text exists in both languages:
//   - gettext catalogs: every ko/LC_MESSAGES/*.mo in the packages fetched by lexicon.sh
//     (msgid is the English, msgstr the Korean);
//   - LibreOffice help (libreoffice-help-en-us / -ko): paragraphs carry the same id in both languages;
//   - GIMP help (gimp-help-en / -ko): the same pages, paragraph for paragraph where the counts agree;
//   - the Debian FAQ (debian-faq / debian-faq-ko): the same sections, paragraph for paragraph.
// Output: .cache/vectors/ko-en.tsv, one "english<TAB>korean" pair per line, deduplicated.
// Nothing here is evaluation material: the evaluation sets (test/fixtures/search-eval) are never read.
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasHangul } from '../../src/search/korean.js';
import { htmlToText, walk } from './sources.js';

const ROOT = process.env.PARALLEL_ROOT ?? '.cache/vectors/parallel/x'; // where lexicon.sh unpacked the packages
const OUT = process.env.VECTORS_CACHE ?? '.cache/vectors';
const LATIN_WORD = /[A-Za-z]{2,}/;

/** msgid → msgstr pairs of a GNU .mo file (plural forms: the first of each; contexts dropped). */
export function readMo(buf: Buffer): [string, string][] {
  const magic = buf.readUInt32LE(0);
  const le = magic === 0x950412de;
  if (!le && buf.readUInt32BE(0) !== 0x950412de) return [];
  const u32 = (at: number) => (le ? buf.readUInt32LE(at) : buf.readUInt32BE(at));
  const n = u32(8);
  const ids = u32(12);
  const strs = u32(16);
  const str = (table: number, i: number) => {
    const len = u32(table + 8 * i);
    const at = u32(table + 8 * i + 4);
    return buf.toString('utf8', at, at + len);
  };
  const out: [string, string][] = [];
  for (let i = 0; i < n; i++) {
    const id = str(ids, i);
    if (!id) continue; // the header entry
    const en = id.split('\0')[0]!.replace(/^[^\x04]*\x04/, '');
    const ko = str(strs, i).split('\0')[0]!;
    out.push([en, ko]);
  }
  return out;
}

/** UI strings carry mnemonics, format directives and markup; keep the words. */
function cleanUi(s: string): string {
  return s
    .replace(/<[^>]+>/g, ' ')
    // A placeholder stays a (Latin) word, so a particle glued to it stays glued (korean.ts).
    .replace(/%(\d+\$)?[-+ #0]*\d*(\.\d+)?(l|ll|h|z|j|t)?[a-zA-Z%]/g, 'X')
    .replace(/\{[^}]*\}|\$\{[^}]*\}/g, 'X')
    .replace(/[_&~](?=\w)/g, '')
    .replace(/\((_?[A-Za-z])\)/g, '') // Korean mnemonics: "파일(_F)"
    .replace(/\\[ntr]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function* moPairs(): Generator<[string, string]> {
  for (const f of walk(ROOT, (p) => p.endsWith('.mo') && p.includes('/ko/LC_MESSAGES/'))) {
    let pairs: [string, string][];
    try {
      pairs = readMo(readFileSync(f));
    } catch {
      continue; // a damaged catalog is skipped, not fatal
    }
    for (const [en, ko] of pairs) yield [cleanUi(en), cleanUi(ko)];
  }
}

/** <p id=…> paragraphs of a LibreOffice help page, by id. */
function loParagraphs(html: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of html.matchAll(/<(p|h[1-6]|td)\b[^>]*\bid="([^"]+)"[^>]*>([\s\S]*?)<\/\1>/g)) out.set(m[2]!, htmlToText(m[3]!).replace(/\s+/g, ' ').trim());
  return out;
}

function* loPairs(): Generator<[string, string]> {
  const base = join(ROOT, 'usr/share/libreoffice/help');
  for (const ko of walk(join(base, 'ko'), (p) => p.endsWith('.html'))) {
    const en = ko.replace('/help/ko/', '/help/en-US/');
    if (!existsSync(en)) continue;
    const a = loParagraphs(readFileSync(en, 'utf8'));
    const b = loParagraphs(readFileSync(ko, 'utf8'));
    for (const [id, t] of a) {
      const k = b.get(id);
      if (k) yield [t, k];
    }
  }
}

/** Same page in two languages, paragraph for paragraph, only where both have as many paragraphs. */
function* pagePairs(enFile: string, koFile: string, para: RegExp): Generator<[string, string]> {
  const grab = (f: string) => [...readFileSync(f, 'utf8').matchAll(para)].map((m) => htmlToText(m[1]!).replace(/\s+/g, ' ').trim());
  const a = grab(enFile);
  const b = grab(koFile);
  if (a.length !== b.length) return;
  for (let i = 0; i < a.length; i++) yield [a[i]!, b[i]!];
}

function* gimpPairs(): Generator<[string, string]> {
  const base = join(ROOT, 'usr/share/gimp/2.0/help');
  for (const ko of walk(join(base, 'ko'), (p) => p.endsWith('.html'))) {
    const en = ko.replace('/help/ko/', '/help/en/');
    if (existsSync(en)) yield* pagePairs(en, ko, /<p>([\s\S]*?)<\/p>/g);
  }
}

function* faqPairs(): Generator<[string, string]> {
  const base = join(ROOT, 'usr/share/doc/debian/FAQ');
  for (const ko of walk(join(base, 'ko'), (p) => p.endsWith('.ko.html'))) {
    const en = join(base, ko.split('/').pop()!.replace('.ko.html', '.en.html'));
    if (existsSync(en)) yield* pagePairs(en, ko, /<p>([\s\S]*?)<\/p>/g);
  }
}

mkdirSync(OUT, { recursive: true });
const out = createWriteStream(`${OUT}/ko-en.tsv`);
const seen = new Set<string>();
const stats: Record<string, number> = {};
for (const [name, gen] of [
  ['gettext', moPairs],
  ['libreoffice-help', loPairs],
  ['gimp-help', gimpPairs],
  ['debian-faq', faqPairs],
] as const) {
  let n = 0;
  for (const [en, ko] of gen()) {
    // A pair teaches something only if the Korean side is Korean and the English side has words;
    // untranslated entries (Korean = English) and very long paragraphs (alignment too loose) are dropped.
    if (!hasHangul(ko) || !LATIN_WORD.test(en) || en.length > 600 || ko.length > 600) continue;
    const line = `${en.replace(/\t/g, ' ')}\t${ko.replace(/\t/g, ' ')}`;
    const h = createHash('sha1').update(line).digest('base64');
    if (seen.has(h)) continue;
    seen.add(h);
    out.write(line + '\n');
    n++;
  }
  stats[name] = n;
  console.error(`${name}: ${n} pairs`);
}
await new Promise((r) => out.end(r));
console.error(`total ${seen.size} pairs → ${OUT}/ko-en.tsv`);
