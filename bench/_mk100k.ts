import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { documentChunks } from '../src/search/prepare.js';
import { listSets, loadSet, readDoc } from '../test/helpers/search-eval/sets.js';
import { CLI } from './client.js';
const dir = process.argv[2]!; const target = Number(process.argv[3]);
rmSync(dir, { recursive: true, force: true }); mkdirSync(dir);
const all = listSets().flatMap((set) => { const s = loadSet(set); return s.docs.map((d) => ({ name: `${set}-${d}`, text: readDoc(s, d), chunks: documentChunks(readDoc(s, d)).length })); });
let chunks = 0;
for (let copy = 0; chunks < target; copy++) {
  const folder = join(dir, 'docs', `c${copy}`); mkdirSync(folder, { recursive: true });
  for (const p of all) { if (chunks >= target) break; writeFileSync(join(folder, p.name), copy === 0 ? p.text : p.text.replace(/^(#{1,6} .*)$/gm, `$1\n\nrevision r${copy}`)); chunks += p.chunks; }
}
const t0 = performance.now();
execFileSync(process.execPath, [CLI, '--dir', dir, 'document', 'index', 'docs/**/*.md'], { stdio: 'ignore' });
console.log('indexed', chunks, 'in', ((performance.now() - t0) / 1000).toFixed(1), 's');
