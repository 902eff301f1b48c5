// Runs in every vitest worker before each test file: marks the processes this worker starts and kills
// the ones a test or file leaves behind (see test/helpers/children.ts).
import { afterAll, afterEach, beforeEach } from 'vitest';
import { CHILD_MARK, installExitHooks, killPids, ourLivePids, waitGone, workerMark } from '../helpers/children.js';

process.env[CHILD_MARK] = workerMark();
installExitHooks();

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

afterAll(async () => {
  const left = ourLivePids();
  await waitGone(killPids(left));
});
