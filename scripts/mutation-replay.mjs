// Replays what a StrykerJS run left alive, without another run: applies each surviving or uncovered
// mutant of one source file to that file (placed by the text the run mutated), runs the given tests,
// restores the file, and says whether the tests kill it now. A whole Stryker run takes an hour on two
// cores; this checks the tests written for one file's survivors in minutes. A kill here is a kill in
// Stryker's run too (it runs these tests and more); a survivor here may still be killed by another file's
// tests. The file is restored after every mutant, on failure and on Ctrl-C.
//
// Usage (from the checkout's root):
//   node scripts/mutation-replay.mjs <mutation.json> <src/file.ts> <test files...> [--ids 12,40]
//   node scripts/mutation-replay.mjs <mutation.json> <src/file.ts> --cmd "<command that runs the tests>" [--ids ...]
// Prints KILLED / SURVIVED per mutant (id, line, mutator, replacement) and "<k> of <n> killed".
// Exit status: 0 when every replayed mutant was killed, 1 when some survived, 2 on bad input.
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

function fail(message) {
  console.error(message);
  process.exit(2);
}

const args = process.argv.slice(2);
const take = (flag) => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const v = args[at + 1];
  if (v === undefined) fail(`${flag} needs a value`);
  args.splice(at, 2);
  return v;
};
const ids = take('--ids');
const cmd = take('--cmd');
const [reportFile, src, ...tests] = args;
if (!reportFile || !src || (!cmd && tests.length === 0)) {
  fail('usage: node scripts/mutation-replay.mjs <mutation.json> <src/file.ts> (<test files...> | --cmd "<command>") [--ids 12,40]');
}
let report;
try {
  report = JSON.parse(readFileSync(reportFile, 'utf8'));
} catch (e) {
  fail(`cannot read the report ${reportFile}: ${e.message}`);
}
const entry = report.files?.[src];
if (!entry) fail(`${src} is not in ${reportFile}; it has: ${Object.keys(report.files ?? {}).join(', ') || 'no files'}`);

const original = readFileSync(src, 'utf8');
const restore = () => writeFileSync(src, original);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    restore();
    process.exit(130);
  });
}
if (original !== entry.source) {
  console.error(`note: ${src} changed since the run; each mutant is applied to the text the run mutated (this file only; the rest of the tree is as it is now)`);
}

/** The character offset of a location in the report (line and column both count from 1). */
function offset(text, { line, column }) {
  let at = 0;
  for (let l = 1; l < line; l++) at = text.indexOf('\n', at) + 1;
  return at + column - 1;
}

const run = () =>
  cmd
    ? spawnSync(cmd, { shell: true, encoding: 'utf8' })
    : spawnSync('npx', ['vitest', 'run', '--bail', '1', ...tests], { encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });

// The tests must pass on the file as it is, or every mutant would look killed.
const baseline = run();
if (baseline.status !== 0) fail(`the tests do not pass on ${src} as it is; fix that first:\n${(baseline.stdout + baseline.stderr).slice(-2000)}`);

const wanted = ids ? new Set(ids.split(',').map((s) => s.trim())) : undefined;
const mutants = entry.mutants.filter((m) => (m.status === 'Survived' || m.status === 'NoCoverage') && (!wanted || wanted.has(String(m.id))));
let killed = 0;
try {
  for (const m of mutants) {
    const a = offset(entry.source, m.location.start);
    const b = offset(entry.source, m.location.end);
    writeFileSync(src, entry.source.slice(0, a) + m.replacement + entry.source.slice(b));
    const dead = run().status !== 0;
    if (dead) killed++;
    console.log(`${dead ? 'KILLED  ' : 'SURVIVED'} #${m.id} line ${m.location.start.line} ${m.mutatorName}: ${JSON.stringify(m.replacement).slice(0, 100)}`);
  }
} finally {
  restore();
}
console.log(`${killed} of ${mutants.length} killed`);
process.exit(killed === mutants.length ? 0 : 1);
