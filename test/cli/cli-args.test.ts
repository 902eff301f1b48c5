// Issue #16: CLI arguments and wording, driving the real binary.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', input: '', env: { ...process.env, FLOW_AGENT: 'cli-test' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('tools with one job take their text directly', () => {
  it('search and command take one quoted argument, with or without the action name the help used to show', () => {
    expect(run('flow', 'create', 'Args').code).toBe(0);
    expect(run('plan', 'create', 'Build').code).toBe(0);
    for (const args of [['command', 'add task "Deploy the thing"'], ['command', 'run', 'add task "Write the docs"']]) {
      const r = run(...args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    for (const args of [['search', 'how do we deploy'], ['search', 'query', 'how do we deploy']]) {
      const r = run(...args);
      expect(r.err).toBe('');
      expect(r.code).toBe(0);
    }
    const list = run('task', 'list');
    expect(list.out).toContain('Deploy the thing');
    expect(list.out).toContain('Write the docs');
  });

  it('help shows the form that works', () => {
    const search = spawnSync(process.execPath, [CLI, 'help', 'search'], { encoding: 'utf8' }).stdout;
    expect(search).toContain('flowmcp search <query>');
    expect(search).not.toMatch(/^\s+query <query>/m);
    const command = spawnSync(process.execPath, [CLI, 'help', 'command'], { encoding: 'utf8' }).stdout;
    expect(command).toContain('flowmcp command <text>');
    expect(command).not.toMatch(/^\s+run <text>/m);
  });
});
