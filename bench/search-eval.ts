// npm run eval:search [-- --set <name>] [-- --split dev|heldout|all]: search quality on every evaluation
// set (test/fixtures/search-eval/), file level, per question kind, with bootstrap intervals, for the
// product's three modes and a plain-bm25 baseline. Prints markdown and writes it to bench/results/.
// Not part of npm test: it indexes whole corpora and takes a while.
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { staticEmbedder } from '../src/search/static-embedder-adapter.js';
import { splitTable } from '../test/helpers/search-eval/report.js';
import { evaluateSet, MODES } from '../test/helpers/search-eval/run.js';
import { listSets, loadSet, SPLITS } from '../test/helpers/search-eval/sets.js';

const Args = z.object({
  set: z.string().optional(),
  // heldout by default: it is the number to report; dev is what tuning may look at, so it flatters.
  split: z.enum([...SPLITS, 'all']).default('heldout'),
});
const { values } = parseArgs({ options: { set: { type: 'string' }, split: { type: 'string' } } });
const args = Args.parse(values);

const present = listSets();
const sets = args.set ? [args.set] : present;
for (const s of sets) if (!present.includes(s)) throw new Error(`no evaluation set "${s}"; present: ${present.join(', ')}`);
const splits = args.split === 'all' ? SPLITS : [args.split];

if (splits.includes('dev')) {
  console.error('\n*** dev questions are for tuning: their numbers flatter the product; report heldout. ***\n');
}

const parts = [
  '# Search evaluation (issue 15)',
  '',
  `\`npm run eval:search -- ${args.set ? `--set ${args.set} ` : ''}--split ${args.split}\`. File level; gains binary;`,
  'each measure is the mean over questions with its 95% bootstrap interval (1000 resamples, seeded).',
  '"empty": questions for which the mode returned no file. Vectors: the shipped offline static vectors.',
  '',
];
for (const name of sets) {
  const set = loadSet(name);
  const queries = set.queries.filter((q) => splits.includes(q.split));
  const t0 = performance.now();
  const answers = await evaluateSet(set, queries, staticEmbedder, MODES);
  // Time on stderr: the report itself stays byte-identical between runs, so a diff shows only real changes.
  console.error(`${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  parts.push(`## ${name} (${set.docs.length} files, ${queries.length} questions)`, '');
  for (const split of splits) parts.push(splitTable(name, split, answers, MODES));
}
const text = parts.join('\n');
console.log(text);
// A partial run (one set, or another split) gets its own file, so it never overwrites the full report.
const file = `bench/results/search-eval${args.set ? `.${args.set}` : ''}${args.split === 'heldout' ? '' : `.${args.split}`}.md`;
mkdirSync('bench/results', { recursive: true });
writeFileSync(file, text);
console.error(`written to ${file}`);
