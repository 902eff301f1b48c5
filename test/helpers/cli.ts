// The real flowmcp binary on a fresh project folder, for CLI tests: one folder per test file (made
// before its tests, removed after them), and a runner that gives exit code, stdout and stderr.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { CLI, assertBuilt } from './server.js';
import { tempDir } from './workspace.js';

export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/** Registers the folder's set-up and clean-up hooks; `dir()` is the project, `run(...)` runs a command on it. */
export function cliProject(agent = 'cli-test'): { dir: () => string; run: (...args: string[]) => CliRun } {
  let dir = '';
  beforeAll(() => {
    assertBuilt();
    dir = tempDir();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir: () => dir,
    run: (...args) => {
      // No standard input: a command must never wait on a terminal that is not there.
      const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', input: '', env: { ...process.env, FLOW_AGENT: agent } });
      return { code: r.status, out: r.stdout, err: r.stderr };
    },
  };
}
