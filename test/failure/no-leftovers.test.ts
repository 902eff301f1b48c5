// No test leaves a process behind: vitest is run (in a subprocess) on fixtures whose tests start real
// servers and plain children and then time out, throw, call process.exit, or have their worker SIGKILLed
// (test/fixtures/leaks/). Once that run has ended, none of the processes they started may be alive —
// neither those they noted by pid nor any other process carrying the probe variable they all inherit.
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, killPids, markedPids, runFixtureTests, waitGone } from '../helpers/children.js';
import { assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

describe('processes started by tests', () => {
  const dir = tempDir('flowmcp-leaks-');
  const probe = randomBytes(6).toString('hex');
  const probed = () => markedPids(probe, { name: 'FLOWMCP_LEAK_PROBE' });
  afterAll(async () => {
    // Whatever this test finds, it leaves nothing behind itself.
    await waitGone(killPids(probed()));
    rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(process.platform !== 'linux')('are all gone after tests that time out, throw, exit or lose their worker', async () => {
    assertBuilt();
    const pidFile = join(dir, 'pids');
    const { code, out } = await runFixtureTests('leaks', { FLOWMCP_LEAK_PIDS: pidFile, FLOWMCP_LEAK_PROBE: probe });
    // The fixtures failed the ways they were meant to.
    expect(code, out).not.toBe(0);
    expect(out).toMatch(/Test timed out in 1000ms/);
    expect(out).toMatch(/leak fixture: thrown on purpose/);
    expect(out).toMatch(/Worker exited unexpectedly/);
    expect(out).toMatch(/process.exit unexpectedly called/);

    const noted = readFileSync(pidFile, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]);
    const labels = noted.map(([label]) => label);
    for (const scenario of ['timeout', 'throw', 'killed', 'exit']) {
      for (const kind of ['http', 'stdio', 'child']) expect(labels).toContain(`${scenario}-${kind}`);
    }
    const alive = noted.filter(([, pid]) => isAlive(Number(pid)));
    expect(alive, 'processes still alive after the run').toEqual([]);
    expect(probed(), 'processes carrying the probe still alive').toEqual([]);
  });
});
