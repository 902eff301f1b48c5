// Global setup and teardown of a vitest run: names the run, so every process its tests start can be
// recognised (test/helpers/children.ts), and afterwards kills any that outlived their worker.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CHILD_MARK, RUN_MARK, isAlive, killPids, markedPids } from '../helpers/children.js';

export default function setup(): () => Promise<void> {
  // A fresh id per run, even inside another run (the leak test runs vitest in vitest).
  const run = `${process.pid}-${randomBytes(4).toString('hex')}`;
  process.env[RUN_MARK] = run;
  return async () => {
    const left = markedPids(`${run}:`, { prefix: true });
    if (left.length === 0) return;
    const described = left.map((pid) => `${pid} (${describe(pid)})`);
    killPids(left);
    while (left.some(isAlive)) await new Promise((r) => setTimeout(r, 10));
    process.stderr.write(`\n[children] killed ${left.length} process(es) left behind by this run's tests (${CHILD_MARK}): ${described.join(', ')}\n`);
  };
}

function describe(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim().slice(0, 120);
  } catch {
    return '?';
  }
}
