// Pre hooks as guards, for real (CLI processes, real programs): a flow_id filter applies to creates and
// /flow commands (the flow the change lands in), and a guard whose flow cannot be known runs rather than
// being skipped; trust covers the script a project hook runs, not only its argument list; a hook's
// timeout holds even when something it started (setsid) keeps its output open; what `hooks list`
// prints from the project carries no terminal control sequences; a trust file inside the project is
// neither read nor written. The setsid children are marked (FLOWMCP_TEST_CHILD) and killed after, even on failure.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI } from '../helpers/server.js';
import { isAlive } from '../helpers/children.js';
import { tempDir } from '../helpers/workspace.js';
import { cli, userConfig } from '../helpers/hooks.js';

let dir: string;
let project: string;
const leftover: number[] = [];

beforeEach(() => {
  dir = tempDir();
  project = join(dir, 'project');
  mkdirSync(join(project, '.flow'), { recursive: true });
});
afterEach(() => {
  for (const pid of leftover.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;

function projectHooks(hooks: unknown[]): void {
  writeFileSync(join(project, '.flow', 'config.json'), JSON.stringify({ hooks }, null, 2));
}

function json(r: { out: string; err: string }): any {
  try {
    return JSON.parse(r.out);
  } catch {
    throw new Error(`not JSON: ${r.out}\n${r.err}`);
  }
}

describe('pre hook guards', () => {
  it('a flow_id filter guards creates and /flow commands in that flow; a change whose flow is unknown runs the guard', () => {
    const env0 = userConfig(join(dir, 'cfg'), []);
    const f = json(cli(project, env0, 'flow', 'create', 'Frozen', '--json')).flow.id;
    json(cli(project, env0, 'plan', 'create', 'P', '--json'));
    const other = json(cli(project, env0, 'flow', 'create', 'Open', '--json')).flow.id;
    json(cli(project, env0, 'plan', 'create', 'Q', '--json'));
    // The current flow is now "Open"; go back to "Frozen".
    expect(cli(project, env0, 'flow', 'switch', f).code).toBe(0);

    const env = userConfig(join(dir, 'cfg'), [
      { name: 'freeze', when: 'pre', events: ['task.created', 'plan.created', 'command', 'flow.created'], filter: { flow_id: f }, run: ['sh', '-c', 'echo "flow is frozen"; exit 1'] },
    ]);
    // task create in the current plan (of the frozen flow): refused.
    const t = cli(project, env, 'task', 'create', 'x');
    expect(t.code).toBe(1);
    expect(t.err).toContain('The hook "freeze" refused task create: flow is frozen');
    // A /flow command in the frozen flow: refused.
    const c = cli(project, env, 'run', '/flow add task y');
    expect(c.code).toBe(1);
    expect(c.err).toContain('The hook "freeze" refused the command');
    // plan create lands in the current flow: refused; in the other flow (named): allowed.
    expect(cli(project, env, 'plan', 'create', 'R').err).toContain('refused plan create');
    expect(cli(project, env, 'plan', 'create', 'S', '--flow-id', other).code).toBe(0);
    // A new flow's id is not known before it exists: the guard runs rather than being skipped.
    expect(cli(project, env, 'flow', 'create', 'Third').err).toContain('refused flow create');
    const tasks = json(cli(project, env0, 'task', 'list', '--json')).tasks;
    expect(tasks).toEqual([]);
  });
});

describe('trust covers the script', () => {
  it('a trusted hook whose script in the project changes is not run until trusted again; a script too big to hash cannot be trusted', () => {
    const env = userConfig(join(dir, 'cfg'), []);
    mkdirSync(join(project, 'scripts'));
    const script = join(project, 'scripts', 'guard.mjs');
    const mark = (v: string) => `import { writeFileSync } from 'node:fs'; writeFileSync(${JSON.stringify(join(dir, `ran-${v}`))}, '');\n`;
    writeFileSync(script, mark('v1'));
    projectHooks([{ name: 'guard', when: 'pre', events: ['flow.created'], run: [node, 'scripts/guard.mjs'] }]);
    const trusted = cli(project, env, 'hooks', 'trust', 'guard');
    expect(trusted.code).toBe(0);
    expect(trusted.out).toContain('the project files it runs: scripts/guard.mjs');
    expect(cli(project, env, 'flow', 'create', 'A').code).toBe(0);
    expect(existsSync(join(dir, 'ran-v1'))).toBe(true);

    // A pull changes the script: the same definition no longer runs.
    writeFileSync(script, mark('v2'));
    const after = cli(project, env, 'flow', 'create', 'B');
    expect(after.code).toBe(0);
    expect(existsSync(join(dir, 'ran-v2'))).toBe(false);
    expect(after.err).toContain('hook "guard" in .flow/config.json');
    expect(after.err).toContain('not trusted');
    expect(cli(project, env, 'hooks', 'list').out).toMatch(/guard\s+project\s+pre\s+flow\.created\s+untrusted/);
    const file = JSON.parse(readFileSync(join(dir, 'cfg', 'trusted-hooks.json'), 'utf8'));
    expect(Object.values(file.projects as Record<string, Record<string, { files: Record<string, string> }>>)[0]!.guard!.files).toHaveProperty('scripts/guard.mjs');

    // Trusted again: it runs.
    expect(cli(project, env, 'hooks', 'trust', 'guard').code).toBe(0);
    expect(cli(project, env, 'flow', 'create', 'C').code).toBe(0);
    expect(existsSync(join(dir, 'ran-v2'))).toBe(true);

    // A script over 1 MB cannot be trusted: said, and nothing recorded for it.
    writeFileSync(script, mark('v3') + '//' + 'x'.repeat(1024 * 1024) + '\n');
    const big = cli(project, env, 'hooks', 'trust', 'guard');
    expect(big.code).toBe(1);
    expect(big.err).toContain('cannot be trusted');
    cli(project, env, 'flow', 'create', 'D');
    expect(existsSync(join(dir, 'ran-v3'))).toBe(false);
  });

  it('a trust file inside the project is neither read nor written', () => {
    // FLOWMCP_CONFIG pointing into the project (where a repository could have planted trust).
    const inside = join(project, 'cfg');
    const env = userConfig(inside, []);
    projectHooks([{ name: 'planted', when: 'pre', events: ['flow.created'], run: ['sh', '-c', `touch ${JSON.stringify(join(dir, 'planted-ran'))}`] }]);
    const trust = cli(project, env, 'hooks', 'trust', 'planted');
    expect(trust.code).toBe(1);
    expect(trust.err).toContain('lies inside the project');
    // A planted file claiming trust in the exact definition is not believed either.
    const hash = json(cli(project, { ...userConfig(join(dir, 'outside'), []) }, 'hooks', 'trust', 'planted', '--json')).trusted[0].hash;
    writeFileSync(join(inside, 'trusted-hooks.json'), JSON.stringify({ version: 1, projects: { [realpathSync(project)]: { planted: hash } } }));
    expect(cli(project, env, 'flow', 'create', 'A').code).toBe(0);
    expect(existsSync(join(dir, 'planted-ran'))).toBe(false);
  });

  it('hooks list prints the untrusted definition without terminal control sequences', () => {
    const env = userConfig(join(dir, 'cfg'), []);
    projectHooks([{ name: 'ansi', when: 'post', events: ['*'], run: ['\u001b]0;owned\u0007\u001b[2Jnode', 'x'] }]);
    const r = cli(project, env, 'hooks', 'list');
    expect(r.code).toBe(0);
    expect(r.out).toContain('not run: hook "ansi"');
    expect(r.out).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});

describe('hook timeouts', () => {
  it('a hook that leaves a setsid child holding its output is answered at exit, and cut off at its timeout', () => {
    const env = userConfig(join(dir, 'cfg'), [
      // Exits at once, leaving a child outside its process group with the pipes open.
      { name: 'leaves-child', when: 'pre', events: ['flow.created'], timeout_ms: 1000, env: ['FLOWMCP_TEST_CHILD'], run: ['sh', '-c', `setsid sleep 300 & echo $! > ${JSON.stringify(join(dir, 'pid1'))}; exit 0`] },
    ]);
    const run = (...args: string[]) => spawnSync(node, [CLI, ...args, '--dir', project], { encoding: 'utf8', input: '', env: { ...process.env, ...env }, timeout: 60_000 });
    const made = run('flow', 'create', 'A');
    leftover.push(Number(readFileSync(join(dir, 'pid1'), 'utf8')));
    expect(made.error).toBeUndefined(); // not held until the deadline by the child's pipes
    expect(made.status).toBe(0);
    expect(isAlive(leftover[0]!)).toBe(true); // it did escape the group

    // Still running at the timeout: killed with its group, settled then; the change goes through with a warning.
    userConfig(join(dir, 'cfg'), [
      { name: 'hangs', when: 'pre', events: ['flow.created'], timeout_ms: 1000, env: ['FLOWMCP_TEST_CHILD'], run: ['sh', '-c', `setsid sleep 300 & echo $! > ${JSON.stringify(join(dir, 'pid2'))}; sleep 300`] },
    ]);
    const slow = run('flow', 'create', 'B');
    leftover.push(Number(readFileSync(join(dir, 'pid2'), 'utf8')));
    expect(slow.error).toBeUndefined();
    expect(slow.status).toBe(0);
    expect(slow.stderr).toContain('hook hangs (pre flow.created) failed and did not block flow create: timed out after 1000 ms');
  });
});
