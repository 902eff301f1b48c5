// Global setup and teardown of a vitest run: names the run, so every process its tests start can be
// recognised (test/helpers/children.ts), and afterwards kills any that outlived their worker. Gives the
// run a TMPDIR of its own (test/helpers/temp.ts: each test file is checked for temp folders it left),
// removed after the run with what a killed worker could not remove itself.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHILD_MARK, RUN_MARK, isAlive, killPids, markedPids } from '../helpers/children.js';
import { RUN_TMP, openLikeTmp } from '../helpers/temp.js';

export default function setup(): () => Promise<void> {
  // A fresh id per run, even inside another run (the leak test runs vitest in vitest).
  const run = `${process.pid}-${randomBytes(4).toString('hex')}`;
  process.env[RUN_MARK] = run;
  const given = { tmp: process.env.TMPDIR, runTmp: process.env[RUN_TMP] };
  const runTmp = mkdtempSync(join(tmpdir(), 'flowmcp-run-'));
  openLikeTmp(runTmp);
  process.env[RUN_TMP] = runTmp;
  process.env.TMPDIR = runTmp;
  return async () => {
    const left = markedPids(`${run}:`, { prefix: true });
    if (left.length > 0) {
      const described = left.map((pid) => `${pid} (${describe(pid)})`);
      killPids(left);
      while (left.some(isAlive)) await new Promise((r) => setTimeout(r, 10));
      process.stderr.write(`\n[children] killed ${left.length} process(es) left behind by this run's tests (${CHILD_MARK}): ${described.join(', ')}\n`);
    }
    // Only the folder this setup made (its processes are gone): leaks were already named, file by file.
    rmSync(runTmp, { recursive: true, force: true });
    restore('TMPDIR', given.tmp);
    restore(RUN_TMP, given.runTmp);
  };
}

function restore(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

function describe(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim().slice(0, 120);
  } catch {
    return '?';
  }
}
