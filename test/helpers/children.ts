// Every process a test starts is killed when it is no longer wanted, even when the test fails, throws or
// times out, and even when the vitest worker itself is killed.
//
// How: the global setup (test/setup/global.ts) gives the run an id; each worker (test/setup/worker.ts)
// puts FLOWMCP_TEST_CHILD=<run>:<worker pid> into its own environment, so every process it starts —
// by spawn, execFile, spawnSync, the SDK's stdio transport, and their children in turn — carries that
// mark from birth (it is in /proc/<pid>/environ; the worker's own initial environment does not have
// it). Then:
//   - after each test, marked processes that were started during that test are killed;
//   - after each file, all of the worker's marked processes are;
//   - when the worker exits or is told to stop (SIGTERM/SIGINT/SIGHUP), likewise, synchronously;
//   - after the whole run (global teardown), any process still carrying the run's mark — say, of a
//     worker that was SIGKILLed — is killed, and named on stderr.
// Processes spawned with spawnTracked() also get their own process group, killed as a group.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CHILD_MARK = 'FLOWMCP_TEST_CHILD';
export const RUN_MARK = 'FLOWMCP_TEST_RUN';

/** This worker's mark, as its children carry it. */
export function workerMark(): string {
  return `${process.env[RUN_MARK] ?? 'norun'}:${process.pid}`;
}

/** Pids of live processes whose environment carries `<name>=<value>` (name defaults to FLOWMCP_TEST_CHILD; value exact or a prefix). */
export function markedPids(value: string, opts: { prefix?: boolean; name?: string } = {}): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return []; // not Linux: only the explicit registry below applies
  }
  const out: number[] = [];
  const needle = `${opts.name ?? CHILD_MARK}=${value}`;
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const pid = Number(e);
    if (pid === process.pid) continue;
    let env: string;
    try {
      env = readFileSync(`/proc/${e}/environ`, 'latin1');
    } catch {
      continue; // gone, or not ours to read
    }
    for (const kv of env.split('\0')) {
      if (opts.prefix ? kv.startsWith(needle) : kv === needle) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return true; // no /proc: kill(0) is all we know
  }
}

// Processes started through spawnTracked: pid → whether it leads its own process group. One map per
// process (not per module instance: vitest gives each test file fresh modules in the same worker).
const TRACKED = Symbol.for('flowmcp.test.children.tracked');
const tracked: Map<number, { group: boolean }> = ((globalThis as { [TRACKED]?: Map<number, { group: boolean }> })[TRACKED] ??= new Map());

function killOne(pid: number, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/** Kills the given pids (and the groups of tracked group leaders among them), synchronously. */
export function killPids(pids: Iterable<number>): number[] {
  const killed: number[] = [];
  for (const pid of pids) {
    if (!isAlive(pid)) continue;
    killOne(pid, tracked.get(pid)?.group ?? false);
    killed.push(pid);
  }
  return killed;
}

/** Every live process this worker started (marked, or tracked explicitly). */
export function ourLivePids(): number[] {
  const set = new Set(markedPids(workerMark()));
  for (const pid of tracked.keys()) {
    if (isAlive(pid)) set.add(pid);
    else tracked.delete(pid);
  }
  return [...set];
}

/** Kills everything this worker started that is still alive; returns the pids it had to kill. */
export function killAllChildren(): number[] {
  const killed = killPids(ourLivePids());
  for (const pid of tracked.keys()) if (!isAlive(pid)) tracked.delete(pid);
  return killed;
}

/** Resolves once none of the pids is alive (they have been SIGKILLed: this is a wait for the kernel, not a timing margin). */
export async function waitGone(pids: number[]): Promise<void> {
  while (pids.some(isAlive)) await new Promise((r) => setTimeout(r, 10));
}

/**
 * spawn() in the child's own process group, registered for killing (with its whole group) when the
 * test or file ends or the worker exits. Use for long-lived processes (servers).
 */
export function spawnTracked(command: string, args: string[], options: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...options, detached: process.platform !== 'win32' });
  if (child.pid !== undefined) {
    tracked.set(child.pid, { group: process.platform !== 'win32' });
    child.once('exit', () => {
      // The leader is gone; kill what is left of its group (grandchildren), then forget it.
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // no group left
        }
        tracked.delete(child.pid);
      }
    });
  }
  return child;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (like execFile), tracked like spawnTracked while it runs. */
export function runTracked(command: string, args: string[], options: SpawnOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawnTracked(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Runs vitest, in a tracked subprocess, on the fixtures of test/fixtures/<fixtures>/ (their own
 * vitest.config.ts) with `env` added, colours off; answers its exit code and everything it printed.
 */
export async function runFixtureTests(fixtures: string, env: Record<string, string>): Promise<{ code: number | null; out: string }> {
  const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
  const config = join(ROOT, 'test', 'fixtures', fixtures, 'vitest.config.ts');
  const r = await runTracked(process.execPath, [vitest, 'run', '--config', config], { cwd: ROOT, env: { ...process.env, ...env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { code: r.code, out: r.stdout + r.stderr };
}

const INSTALLED = Symbol.for('flowmcp.test.children.exitHooks');

/**
 * Kills every child when the worker exits or is asked to stop. Called by test/setup/worker.ts before
 * every test file; installs once per process (modules are fresh per file, the process is not).
 */
export function installExitHooks(): void {
  const g = globalThis as { [INSTALLED]?: boolean };
  if (g[INSTALLED]) return;
  g[INSTALLED] = true;
  process.on('exit', () => {
    killAllChildren();
  });
  for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = () => {
      killAllChildren();
      // Only ours listens: restore the default action (end the process) by raising it again.
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}
