// Runs in every vitest worker before each test file: marks the processes this worker starts and kills
// the ones a test or file leaves behind (see test/helpers/children.ts); removes the file's tempDir()
// folders after it, and fails the file if it left any other flowmcp temp folder (test/helpers/temp.ts).
import { afterAll, afterEach, beforeEach } from 'vitest';
import { CHILD_MARK, installExitHooks, killPids, ourLivePids, waitGone, workerMark } from '../helpers/children.js';
import { assertNoNewTemp, flowmcpEntries, removeTempDirs, useWorkerTmp } from '../helpers/temp.js';

process.env[CHILD_MARK] = workerMark();
installExitHooks();

// Taken now, before the test file is even collected: folders made at its top level count as its own.
const tmp = useWorkerTmp();
const tmpBefore = new Set(tmp ? flowmcpEntries(tmp) : []);

let before = new Set<number>();
beforeEach(() => {
  before = new Set(ourLivePids());
});

// Registered first, so it runs after the test file's own afterEach hooks (which close things politely).
afterEach(async () => {
  const started = ourLivePids().filter((pid) => !before.has(pid));
  const killed = killPids(started);
  await waitGone(killed);
});

// Runs after the file's own afterAll hooks; the processes are gone (waited for) before folders are looked at.
afterAll(async ({}, suite) => {
  const left = ourLivePids();
  await waitGone(killPids(left));
  removeTempDirs();
  if (tmp) assertNoNewTemp(tmp, tmpBefore, suite.file?.name ?? suite.name);
});
