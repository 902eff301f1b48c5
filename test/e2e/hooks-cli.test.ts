// Post hooks in CLI-only use, for real (one-shot processes, a real program hook): the first change
// made after a hook is configured is delivered (its cursor is made when the project opens, before the
// command's change), and a hook slower than a one-shot command's time is stopped once, then left for
// a server or `flowmcp hooks deliver` instead of being started and killed by every command.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/workspace.js';
import { cli, readRecorded, recorder, userConfig } from '../helpers/hooks.js';

let dir: string;
let project: string;

beforeEach(() => {
  dir = tempDir();
  project = join(dir, 'project');
  mkdirSync(project);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const node = process.execPath;
const MARK = ['FLOWMCP_TEST_CHILD'];

describe('post hooks from one-shot commands', () => {
  it('the first change after a hook is configured is delivered by the command that made it', () => {
    const out = join(dir, 'all.jsonl');
    const env = userConfig(join(dir, 'cfg'), [{ name: 'all', when: 'post', events: ['*'], run: [node, recorder(dir), out], env: MARK }]);
    expect(cli(project, env, 'flow', 'create', 'First').code).toBe(0);
    expect(readRecorded(out).map((r) => [r.payload.seq, r.payload.action])).toEqual([[1, 'flow.create']]);
    expect(cli(project, env, 'plan', 'create', 'P').code).toBe(0);
    expect(readRecorded(out).map((r) => r.payload.action)).toEqual(['flow.create', 'plan.create']);
  });

  it('a hook that outlasts a command\'s time is stopped once, not restarted by every command, and delivered by hooks deliver', () => {
    const out = join(dir, 'slow.jsonl');
    // "block": records the event, then waits for <out>.go before acknowledging.
    const env = userConfig(join(dir, 'cfg'), [{ name: 'slow', when: 'post', events: ['flow.created'], run: [node, recorder(dir), out, 'block'], env: MARK }]);
    mkdirSync(join(project, '.flow')); // a project already (a list in a folder without one makes none)
    expect(cli(project, env, 'flow', 'list').code).toBe(0);
    expect(cli(project, env, 'flow', 'create', 'A').code).toBe(0);
    expect(readRecorded(out)).toHaveLength(1); // started, then stopped when the command's time ran out
    const listed = JSON.parse(cli(project, env, 'hooks', 'list', '--json').out).hooks[0];
    expect(listed).toMatchObject({ name: 'slow', interrupted: 1, backlog: 1, runs: 0 });
    expect(listed.last_error).toContain('interrupted');

    // The next commands leave it alone (it would only be killed again).
    const next = cli(project, env, 'flow', 'list');
    expect(next.code).toBe(0);
    expect(next.err).toContain('hooks deliver');
    cli(project, env, 'flow', 'list');
    expect(readRecorded(out)).toHaveLength(1);
    expect(cli(project, env, 'hooks', 'list').out).toContain("slow: stopped 1 time(s) by a one-shot command's time limit");

    // hooks deliver has the time: the hook answers and is recorded.
    writeFileSync(out + '.go', '');
    const d = cli(project, env, 'hooks', 'deliver');
    expect(d.code).toBe(0);
    expect(d.out).toContain('slow: 0 pending');
    expect(readRecorded(out)).toHaveLength(2);
    // Working again: the old error is not shown beside it any more.
    expect(JSON.parse(cli(project, env, 'hooks', 'list', '--json').out).hooks[0]).toMatchObject({ interrupted: 0, backlog: 0, runs: 1, last_error: null });
  });

  it('hooks deliver exits 1 and names the hook while a post hook is failing, so a script can tell', () => {
    const out = join(dir, 'failing.jsonl');
    const env = userConfig(join(dir, 'cfg'), [{ name: 'failing', when: 'post', events: ['flow.created'], run: [node, recorder(dir), out, 'refuse'], env: MARK }]);
    mkdirSync(join(project, '.flow'));
    expect(cli(project, env, 'flow', 'list').code).toBe(0);
    expect(cli(project, env, 'flow', 'create', 'A').code).toBe(0); // the change itself stands
    const d = cli(project, env, 'hooks', 'deliver');
    expect(d.code).toBe(1);
    expect(d.err).toContain('failing failing');
    expect(d.out).toMatch(/failing: 1 pending, failing \(next try at .+\): /);
  });
});
