// scripts/mutation-replay.mjs: each survivor of a Stryker report is applied to its file and the tests run;
// a mutant the tests catch is KILLED, one they miss SURVIVED; the file is the same byte for byte after;
// tests that fail on the file as it is stop the replay before any mutant (else every mutant would look
// killed). Run on a small file and a report written here, with a plain node script as "the tests".
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { tempDirPerTest } from '../helpers/workspace.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/mutation-replay.mjs', import.meta.url));
const scratch = tempDirPerTest('flowmcp-mutation-replay-');

const SOURCE = 'export const max = (a, b) => (a > b ? a : b);\nexport const label = (n) => `n=${n}`;\n';
// The check the "tests" make: max is right; label is not looked at.
const CHECK = "import { max } from './f.mjs';\nif (max(1, 2) !== 2 || max(3, 2) !== 3) process.exit(1);\n";

function project(check = CHECK) {
  const dir = scratch();
  writeFileSync(join(dir, 'f.mjs'), SOURCE);
  writeFileSync(join(dir, 'check.mjs'), check);
  const at = (line: number, column: number) => ({ line, column });
  const report = {
    files: {
      'f.mjs': {
        source: SOURCE,
        mutants: [
          { id: '1', status: 'Survived', mutatorName: 'EqualityOperator', replacement: 'a < b', location: { start: at(1, 31), end: at(1, 36) } },
          { id: '2', status: 'NoCoverage', mutatorName: 'StringLiteral', replacement: '``', location: { start: at(2, 29), end: at(2, 37) } },
          { id: '3', status: 'Killed', mutatorName: 'ConditionalExpression', replacement: 'true', location: { start: at(1, 31), end: at(1, 36) } },
        ],
      },
    },
  };
  writeFileSync(join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}

const replay = (dir: string, ...args: string[]) =>
  spawnSync(process.execPath, [SCRIPT, 'report.json', 'f.mjs', '--cmd', `"${process.execPath}" check.mjs`, ...args], { cwd: dir, encoding: 'utf8', timeout: 60_000 });

it('says which survivors the tests now kill, replays only those left alive, and leaves the file as it was', () => {
  const dir = project();
  const r = replay(dir);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toEqual([
    'KILLED   #1 line 1 EqualityOperator: "a < b"',
    'SURVIVED #2 line 2 StringLiteral: "``"',
    '1 of 2 killed',
  ]);
  expect(r.status).toBe(1);
  expect(readFileSync(join(dir, 'f.mjs'), 'utf8')).toBe(SOURCE);
  // --ids picks mutants: all of those killed exits 0.
  const one = replay(dir, '--ids', '1');
  expect(one.stdout.trim().split('\n')).toEqual(['KILLED   #1 line 1 EqualityOperator: "a < b"', '1 of 1 killed']);
  expect(one.status).toBe(0);
});

it('stops before any mutant when the tests fail on the file as it is, and changes nothing', () => {
  const dir = project('process.exit(1);\n');
  const r = replay(dir);
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('the tests do not pass on f.mjs as it is');
  expect(r.stdout).toBe('');
  expect(readFileSync(join(dir, 'f.mjs'), 'utf8')).toBe(SOURCE);
});

it('refuses a file the report does not hold, naming the ones it does', () => {
  const dir = project();
  const r = spawnSync(process.execPath, [SCRIPT, 'report.json', 'g.mjs', 'x.test.ts'], { cwd: dir, encoding: 'utf8' });
  expect(r.status).toBe(2);
  expect(r.stderr).toContain('g.mjs is not in report.json; it has: f.mjs');
});
