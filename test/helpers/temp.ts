// Temp folders of a test run, and the guard that no test file leaves one behind.
//
// Every folder made by tempDir() belongs to the test file that made it and is removed when that file
// ends (test/setup/worker.ts), whatever happened to its tests: a file that forgets its own clean-up,
// fails before reaching it, or makes a folder per test no longer fills TMPDIR run after run.
//
// The guard: the run makes a TMPDIR of its own (test/setup/global.ts, named in FLOWMCP_TEST_TMP) and
// each worker (process, or thread under Stryker's threads pool) one inside it, so everything a test file
// and the processes it starts put in TMPDIR lands in a folder no other file is using at that moment (a
// worker runs one file at a time). After the file, once its processes are killed and its tempDir()
// folders removed, any flowmcp-* entry that was not there before the file began is a leak — a folder
// made some other way (mkdtempSync by hand, a spawned flowmcp) and not removed — and fails the file,
// naming it. Nothing here depends on timing: the check runs after the killed processes are gone (waited
// for), and no other file writes there.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** The folder the run owns (set by the global setup, inherited by workers and everything they start). */
export const RUN_TMP = 'FLOWMCP_TEST_TMP';

/**
 * The run's and the workers' TMPDIR folders are open as /tmp is (anyone may enter and make files, only
 * their owner remove them): tests run programs as the unprivileged user "nobody" on folders in there.
 */
export function openLikeTmp(dir: string): void {
  chmodSync(dir, 0o1777);
}

// Folders made by tempDir() in this process and not yet removed. One list per process, not per module
// instance: vitest gives each test file fresh modules, and the setup file must see the test file's list.
const MADE = Symbol.for('flowmcp.test.temp.made');
const made: string[] = ((globalThis as { [MADE]?: string[] })[MADE] ??= []);

/** A fresh folder in TMPDIR, removed when the test file that made it ends (or earlier, by the test). */
export function tempDir(prefix = 'flowmcp-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  made.push(d);
  return d;
}

/** Removes every folder tempDir() made in this process so far (called after each test file). */
export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** Points this worker's TMPDIR at a folder of its own inside the run's; answers it (undefined outside a guarded run). */
export function useWorkerTmp(): string | undefined {
  const run = process.env[RUN_TMP];
  if (!run) return undefined;
  const mine = join(run, `worker-${process.pid}-${threadId}`);
  mkdirSync(mine, { recursive: true });
  openLikeTmp(mine);
  process.env.TMPDIR = mine;
  return mine;
}

/** The flowmcp-* entries of a folder (what this project's tests and programs name their temp things). */
export function flowmcpEntries(dir: string): string[] {
  try {
    return readdirSync(dir).filter((e) => e.startsWith('flowmcp-'));
  } catch {
    return [];
  }
}

/** Throws, naming them, when `dir` holds flowmcp-* entries that were not in `before`. */
export function assertNoNewTemp(dir: string, before: ReadonlySet<string>, file: string): void {
  const left = flowmcpEntries(dir).filter((e) => !before.has(e));
  if (left.length === 0) return;
  throw new Error(
    `${file} left ${left.length} temp folder(s) behind in ${dir}: ${left.join(', ')}. ` +
      `Make them with tempDir() (test/helpers/temp.ts), or remove them in afterEach/afterAll, and stop the processes that wrote them.`,
  );
}
