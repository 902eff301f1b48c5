// npm run eval:commands [-- --split A|B] [--show]: how much of what people say the plain-language reader
// understands, on requests written blind (by someone who never saw the patterns in src/commands/ or the
// command table in test/fixtures/commands/inputs.json), English and Korean, each with the grammar
// command it should become (bench/commands-eval/requests.json; judged by test/helpers/commands-eval.ts).
// Two sets written blind by two writers: the first halved into A (misses looked at and fixed by kind;
// test/commands/commands-eval.test.ts keeps it read as meant) and B (held out: its score is reported,
// its misses listed only with --show, so fixes are not made for its sentences one by one); the second,
// C, written later in a harder style (asides, typos, two-step requests), scored once before any fix
// was made for it and then used like A; and a third, D, written at the end of that work and held out
// whole (scored, never looked into).
import { evalProject, evalRequests } from '../test/helpers/commands-eval.js';

const HELD_OUT = new Set(['B', 'D', 'F']);
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const only = arg('--split');
const show = process.argv.includes('--show');

const { t, judge } = evalProject();
try {
  const score = new Map<string, { n: number; right: number; wrongChange: number }>();
  const misses: string[] = [];
  for (const r of evalRequests()) {
    if (only && r.split !== only) continue;
    const j = judge(r);
    const key = `${r.id.slice(0, 2)} ${r.split}`;
    const s = score.get(key) ?? { n: 0, right: 0, wrongChange: 0 };
    s.n++;
    if (j.right) s.right++;
    if (j.wrongChange) s.wrongChange++;
    score.set(key, s);
    if (!j.right && (!HELD_OUT.has(r.split) || show)) misses.push(`${r.id}  ${r.text}\n    want ${j.want}\n    got  ${j.got}`);
  }
  console.log('| language | split | requests | read as meant | read as a different change |\n|---|---|---:|---:|---:|');
  for (const [key, s] of [...score].sort()) {
    const [lang, split] = key.split(' ');
    console.log(`| ${lang === 'en' ? 'English' : 'Korean'} | ${split}${HELD_OUT.has(split!) ? ' (held out)' : ''} | ${s.n} | ${s.right} (${((100 * s.right) / s.n).toFixed(0)}%) | ${s.wrongChange} |`);
  }
  if (misses.length) console.log(`\nMisses${show ? '' : ' (splits A, C and E)'}:\n${misses.join('\n')}`);
} finally {
  t.cleanup();
}
