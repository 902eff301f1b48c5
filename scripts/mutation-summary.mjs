// Summarises a StrykerJS JSON report (reports/mutation/mutation.json by default): the score per folder and
// per file, and every surviving or uncovered mutant with its line and replacement, for reading in a terminal.
// Usage: node scripts/mutation-summary.mjs [report.json] [--survivors]
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--')) ?? 'reports/mutation/mutation.json';
const showSurvivors = args.includes('--survivors');
const report = JSON.parse(readFileSync(file, 'utf8'));
const KILLED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);
const groups = new Map();
const add = (key, m) => {
  const g = groups.get(key) ?? { killed: 0, counted: 0, survived: 0, noCoverage: 0, ignored: 0, compile: 0 };
  if (KILLED.has(m.status)) g.killed++;
  if (COUNTED.has(m.status)) g.counted++;
  if (m.status === 'Survived') g.survived++;
  if (m.status === 'NoCoverage') g.noCoverage++;
  if (m.status === 'Ignored') g.ignored++;
  if (m.status === 'CompileError') g.compile++;
  groups.set(key, g);
};
const lines = [];
for (const [path, f] of Object.entries(report.files)) {
  for (const m of f.mutants) {
    add(`  ${path}`, m);
    add(dirname(path) + '/', m);
    add('all', m);
    if (showSurvivors && (m.status === 'Survived' || m.status === 'NoCoverage')) {
      const src = f.source.split('\n')[m.location.start.line - 1]?.trim().slice(0, 110);
      lines.push(`${m.status === 'Survived' ? 'S' : 'N'} ${path}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '').slice(0, 80)}\n    ${src}`);
    }
  }
}
const pct = (g) => (g.counted ? ((100 * g.killed) / g.counted).toFixed(1) : '-');
console.log('score%  killed/counted  survived  no-cov  ignored  compile-err  where');
for (const [k, g] of [...groups].sort(([a], [b]) => (a === 'all' ? 1 : b === 'all' ? -1 : a.trim().localeCompare(b.trim())))) {
  console.log(`${pct(g).padStart(6)}  ${`${g.killed}/${g.counted}`.padStart(14)}  ${String(g.survived).padStart(8)}  ${String(g.noCoverage).padStart(6)}  ${String(g.ignored).padStart(7)}  ${String(g.compile).padStart(11)}  ${k}`);
}
if (showSurvivors) console.log('\n' + lines.join('\n'));
