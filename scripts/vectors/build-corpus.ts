// Writes the training corpus for the static word vectors: every source's text, tokenized exactly as
// the runtime tokenizes (src/search/tokenize.ts), one paragraph per line, plus word counts (for SIF
// weights) and per-source statistics. Output goes to .cache/vectors/ (not committed).
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { words } from '../../src/search/tokenize.js';
import { SOURCES } from './sources.js';

const OUT = process.env.VECTORS_CACHE ?? '.cache/vectors';
mkdirSync(OUT, { recursive: true });
const corpus = createWriteStream(`${OUT}/corpus.txt`);
const counts = new Map<string, number>();
const stats: Record<string, { files: number; tokens: number }> = {};
const seen = new Set<string>(); // identical paragraphs (boilerplate, duplicated pages) are kept once
let total = 0;

for (const src of SOURCES) {
  const files = src.files();
  const s = { files: 0, tokens: 0 };
  for (const f of files) {
    const text = src.text(f);
    if (!text.trim()) continue;
    s.files++;
    for (const para of text.split(/\n\s*\n/)) {
      const toks = words(para);
      if (toks.length < 3) continue;
      const line = toks.join(' ');
      const h = createHash('sha1').update(line).digest('base64');
      if (seen.has(h)) continue;
      seen.add(h);
      corpus.write(line + '\n');
      for (const t of toks) counts.set(t, (counts.get(t) ?? 0) + 1);
      s.tokens += toks.length;
    }
  }
  stats[src.name] = s;
  total += s.tokens;
  console.error(`${src.name}: ${s.files} files, ${s.tokens} tokens`);
}
await new Promise((r) => corpus.end(r));
const sorted = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
writeFileSync(`${OUT}/counts.tsv`, sorted.map(([w, c]) => `${w}\t${c}`).join('\n') + '\n');
writeFileSync(`${OUT}/corpus-stats.json`, JSON.stringify({ total_tokens: total, vocabulary: counts.size, sources: stats }, null, 2));
console.error(`total ${total} tokens, ${counts.size} distinct words`);
