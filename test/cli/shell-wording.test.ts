// Inside `flowmcp shell` a command is typed without `flowmcp` (`task set_status …`) and help is
// `/flow help`: refusals, hints and undo lines there must say that, while the same refusal at the OS
// shell keeps `flowmcp task …`. Driven through the real binary, its standard input piped in.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cliError, cliResult } from '../../src/cli/wording.js';
import { CLI } from '../helpers/server.js';
import { cliProject } from '../helpers/cli.js';

const { dir, run } = cliProject();
const shell = (...lines: string[]) => spawnSync(process.execPath, [CLI, 'shell', '--dir', dir()], { encoding: 'utf8', input: lines.join('\n') + '\n' });

describe('wording for the face it appears in', () => {
  it('drops flowmcp before a tool command and says /flow help in the shell; the OS shell keeps both', () => {
    const error = { message: 'status is required: flowmcp task set_status <id> <status>.', hint: 'Write flowmcp doc read <path>; flowmcp help task shows every action.' };
    expect(cliError(error, 'shell')).toEqual({ message: 'status is required: task set_status <id> <status>.', hint: 'Write doc read <path>; /flow help task shows every action.' });
    expect(cliError(error)).toEqual(error);
    // A command the shell does not take is still run outside it: left as written.
    expect(cliError({ message: 'Run flowmcp recover.' }, 'shell').message).toBe('Run flowmcp recover.');
    expect(cliResult({ undo: 'snapshot restore s-ab12 (confirm: true)' }, 'shell').undo).toBe('snapshot restore s-ab12 --confirm');
    expect(cliResult({ undo: 'snapshot restore s-ab12 (confirm: true)' }).undo).toBe('flowmcp snapshot restore s-ab12 --confirm');
    // The tool's call in a hint is the command a shell user types.
    expect(cliError({ message: 'x', hint: 'Start one with flow create (name); it becomes the current flow.' }).hint).toBe('Start one with flowmcp flow create "<name>"; it becomes the current flow.');
    expect(cliError({ message: 'x', hint: 'Use task list (with query) to find task ids.' }, 'shell').hint).toBe('Use task list --query "<words>" to find task ids.');
    // A warning's command in flags; the title it quotes left as it is.
    expect(cliResult({ warnings: ['A task titled "fix next_step" is already here; delete one: task delete t-ab12 (confirm: true).'] }).warnings).toEqual([
      'A task titled "fix next_step" is already here; delete one: task delete t-ab12 --confirm.',
    ]);
  });

  it('the real shell never tells the user to type flowmcp task …', () => {
    expect(run('flow', 'create', 'Words').code).toBe(0);
    expect(run('plan', 'create', 'Build').code).toBe(0);
    const id = /^\s*id:\s+(t-\S+)/m.exec(run('task', 'create', 'Doomed').out)?.[1];
    expect(id).toBeDefined();
    const r = shell('task set_status', 'task list --status tod', `task delete ${id}`, 'exit');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('id and status are required: task set_status <id> <status>');
    expect(r.stdout).toContain('/flow help task shows every action');
    expect(r.stdout).not.toMatch(/flowmcp (task|help|snapshot)/);
    // A mistyped action gets the suggestion, as on the command line, and nothing runs (plain language
    // once read it as "create a snapshot labelled restor s-1").
    const snapshots = () => (JSON.parse(run('snapshot', 'list', '--json').out) as { snapshots: unknown[] }).snapshots.length;
    const before = snapshots();
    const typo = shell('snapshot restor s-1', 'exit');
    expect(typo.stdout).toContain('unknown action "restor". Did you mean restore?');
    expect(snapshots()).toBe(before);
    // The same refusal typed at the OS shell names the program.
    const outside = run('task', 'set_status');
    expect(outside.code).toBe(2);
    expect(outside.err).toContain('flowmcp task set_status <id> <status>');
  });
});

describe('issue 16: the undo line of a /flow command is a CLI command too', () => {
  it('flowmcp run says flowmcp snapshot restore … --confirm, the shell says it without flowmcp', () => {
    expect(run('flow', 'create', 'Undo words').code).toBe(0);
    const id = /^\s*id:\s+(s-\S+)/m.exec(run('snapshot', 'create').out)?.[1];
    expect(id).toBeDefined();
    const direct = run('snapshot', 'restore', id!, '--confirm');
    expect(direct.code, direct.err).toBe(0);
    expect(direct.out).toMatch(/^undo: +flowmcp snapshot restore s-\S+ --confirm$/m);
    const viaRun = run('run', '/flow undo restore --confirm');
    expect(viaRun.code, viaRun.err).toBe(0);
    expect(viaRun.out).toMatch(/^undo: +flowmcp snapshot restore s-\S+ --confirm$/m);
    expect(viaRun.out).not.toMatch(/\(confirm: true\)/);
    const inShell = shell('/flow undo restore --confirm', 'exit');
    expect(inShell.status, inShell.stderr).toBe(0);
    expect(inShell.stdout).toMatch(/^undo: +snapshot restore s-\S+ --confirm$/m);
    expect(inShell.stdout).not.toMatch(/flowmcp snapshot|\(confirm: true\)/);
  });
});
