// `flowmcp shell` typed into through a pseudo-terminal (util-linux `script`), as a person would:
// the CLI's noun-verb order (`task list`) works beside the /flow grammar's (`list tasks`); history
// from .flow/shell_history (a cloned repository may have written it) is read with a bound and never
// brings terminal control sequences back to the screen.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
let dir: string;
const children: ChildProcess[] = [];
beforeAll(() => {
  assertBuilt();
  dir = tempDir();
});
afterAll(() => {
  // script and the shell under it are one process group: end both, for every shell started.
  for (const child of children) {
    if (child.pid && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** `flowmcp shell` in a pseudo-terminal of type `term`: what it printed, a wait for its n-th prompt, its exit. */
function shell(term: string) {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const child = spawn('script', ['-qec', `${quote(process.execPath)} ${quote(CLI)} shell --dir ${quote(dir)}`, '/dev/null'], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, TERM: term },
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('utf8')));
  const prompts = () => out.split('flow> ').length - 1;
  return {
    out: () => out,
    write: (text: string) => child.stdin!.write(text),
    waitFor: async (n: number) => {
      const until = Date.now() + 15_000;
      while (prompts() < n && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(prompts(), out).toBeGreaterThanOrEqual(n);
    },
    /** Waits for the printed text to match: a prompt count alone cannot tell, since readline redraws its prompt on a history key. */
    waitForText: async (pattern: RegExp) => {
      const until = Date.now() + 15_000;
      while (!pattern.test(out) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      expect(out).toMatch(pattern);
    },
    exited: () => new Promise<number | null>((resolve) => child.on('exit', resolve)),
  };
}

const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', input: '' });

describe.skipIf(!hasScript)('flowmcp shell in a terminal', () => {
  it('understands task list (the CLI order) as well as list tasks', async () => {
    expect(cli('flow', 'create', 'Shell').status).toBe(0);
    expect(cli('plan', 'create', 'Build').status).toBe(0);
    expect(cli('task', 'create', 'Typed in a terminal').status).toBe(0);
    const sh = shell('dumb');
    await sh.waitFor(1);
    sh.write('task list\r');
    await sh.waitFor(2);
    const cliOrder = sh.out().slice(sh.out().indexOf('task list'));
    expect(cliOrder).toContain('Typed in a terminal');
    expect(cliOrder).not.toContain('Could not read');
    sh.write('list tasks\r');
    await sh.waitFor(3);
    expect(sh.out().slice(sh.out().lastIndexOf('list tasks'))).toContain('Typed in a terminal');
    sh.write('task set_status\r');
    await sh.waitFor(4);
    expect(sh.out()).toContain('id and status are required');
    sh.write('exit\r');
    expect(await sh.exited()).toBe(0);
  }, 30_000);

  it('history: a planted line with terminal escapes is left out, a huge file is read from its end only', async () => {
    const history = join(dir, '.flow', 'shell_history');
    // 600 MB (sparse: no disk used) would not even fit in one string: read whole, the shell could not start.
    writeFileSync(history, 'list flows\n');
    truncateSync(history, 600 * 1024 * 1024);
    appendFileSync(history, '\nlist plans\n\u001b]0;PWNED\u0007list tasks\n');
    const sh = shell('xterm'); // a dumb terminal has no history keys
    await sh.waitFor(1);
    sh.write('\u001b[A\r'); // up, enter: the newest clean line of history runs
    await sh.waitForText(/list plans[\s\S]*plans:[\s\S]*flow> /);
    expect(sh.out()).not.toContain('PWNED');
    sh.write('exit\r');
    expect(await sh.exited()).toBe(0);
  }, 60_000);
});
