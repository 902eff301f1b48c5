// /flow commands through real processes: the command tool over stdio (session scope: after use plan,
// add task goes there), the `flow` prompt's preview, `flowmcp run` and `flowmcp shell` with its
// history kept in .flow/.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
let s: Connected;

beforeAll(async () => {
  dir = tempDir();
  s = await connect({ dir });
});
afterAll(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = async (text: string, extra: Record<string, unknown> = {}) => (await s.call('command', { text, ...extra })).structuredContent;

describe('commands over stdio', () => {
  it('grammar and plain language drive the same tools; scope follows /flow use plan', async () => {
    await run('/flow add flow "Checkout"');
    const a = (await run('/flow add plan Build')).result.plan.id;
    const b = (await run('/flow add plan "Ship it"')).result.plan.id;
    await run('/flow use plan build');
    const t1 = (await run('add a task to write the API')).result.task;
    expect(t1).toMatchObject({ title: 'write the API', plan_id: a });
    await run('/flow use plan 2');
    const t2 = (await run('/flow add task "Release notes" --priority high')).result.task;
    expect(t2).toMatchObject({ plan_id: b, priority: 'high' });
    const done = await run('mark the release notes task done');
    expect(done.command).toBe(`/flow done ${t2.id}`);
    expect(done.result.task.status).toBe('done');
    const next = await run("what's next?");
    expect(next.result.task.id).toBe(t1.id);
  });

  it('a dry run previews and changes nothing; an ambiguous name lists candidates', async () => {
    await run('/flow add task "Login page"');
    await run('/flow add task "Fix login redirect"');
    const before = (await s.call('task', { action: 'list' })).structuredContent.tasks.length;
    const dry = await run('/flow delete task "login page" --confirm', { dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, changed: false });
    expect(dry.would).toMatch(/^call task delete/);
    const amb = await run('/flow done login');
    expect(amb.ambiguous).toBe(true);
    expect(amb.candidates.map((c: { title: string }) => c.title).sort()).toEqual(['Fix login redirect', 'Login page']);
    expect((await s.call('task', { action: 'list' })).structuredContent.tasks.length).toBe(before);
    const bad = await s.call('command', { text: '/flow frobnicate' });
    expect(bad.isError).toBe(true);
    expect(bad.structuredContent.error.hint).toMatch(/\/flow help/);
  });

  it('the flow prompt reads the command and hands back the exact call, running nothing', async () => {
    const p = await s.client.getPrompt({ name: 'flow', arguments: { command: 'add task "Prompted task"' } });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toContain('command` tool with text: /flow add task "Prompted task"');
    const tasks = (await s.call('task', { action: 'list', query: 'Prompted' })).structuredContent.tasks;
    expect(tasks).toEqual([]);
  });
});

describe('the flow prompt and destructive commands', () => {
  it('a delete is not handed to the model with a --confirm nobody gave: it is told to ask first, and nothing is deleted', async () => {
    const id = (await s.call('task', { action: 'create', title: 'Keep me unless asked' })).structuredContent.task.id as string;
    for (const command of [`delete task ${id}`, '/flow delete task keep me unless asked']) {
      const p = await s.client.getPrompt({ name: 'flow', arguments: { command } });
      const text = (p.messages[0]!.content as { text: string }).text;
      expect(text, command).toMatch(/^This changes or removes stored work: .*Ask the user to confirm it first; only if they do, call the flowmcp `command` tool with text: \/flow delete task t-\S+ --confirm$/s);
    }
    expect((await s.call('task', { action: 'get', id })).structuredContent.task.title).toBe('Keep me unless asked');
  });

  it('a delete that names two tasks asks which one and to confirm it, never just "run its command"', async () => {
    const a = (await s.call('task', { action: 'create', title: 'Old report export' })).structuredContent.task.id as string;
    const b = (await s.call('task', { action: 'create', title: 'Old report import' })).structuredContent.task.id as string;
    const p = await s.client.getPrompt({ name: 'flow', arguments: { command: 'delete task old report' } });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toMatch(/^More than one thing fits, and this changes or removes stored work\. Ask the user which one, and to confirm it; only if they do, run its command with --confirm:/);
    expect(text).toContain(a);
    expect(text).toContain(b);
    for (const id of [a, b]) expect((await s.call('task', { action: 'get', id })).isError).toBeFalsy();
  });

  it('an undo (a restore that throws away what was done since) is not handed over confirmed either', async () => {
    const gone = (await s.call('task', { action: 'create', title: 'Deleted on purpose' })).structuredContent.task.id as string;
    await s.call('task', { action: 'delete', id: gone, confirm: true });
    const kept = (await s.call('task', { action: 'create', title: 'Made after the delete' })).structuredContent.task.id as string;
    for (const command of ['undo delete', '/flow undo delete']) {
      const p = await s.client.getPrompt({ name: 'flow', arguments: { command } });
      const text = (p.messages[0]!.content as { text: string }).text;
      expect(text, command).toMatch(/^This changes or removes stored work: .*Ask the user to confirm it first; only if they do, call the flowmcp `command` tool with text: \/flow snapshot restore s-\S+ --confirm$/s);
    }
    expect((await s.call('task', { action: 'get', id: kept })).structuredContent.task.title).toBe('Made after the delete');
  });
});

describe('text the parser cannot read, with a client that offers sampling', () => {
  it("the client's model translates it into one /flow line, which is shown with a preview and not run", async () => {
    const seen: string[] = [];
    const c = await connect({
      dir,
      sampling: (text, system) => {
        seen.push(text);
        expect(system).toContain('/flow add task');
        return 'Sure!\n/flow add task "Buy oat milk" --priority low\n';
      },
    });
    try {
      const r = await c.call('command', { text: 'could you jot down that we are out of oat milk' });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent).toMatchObject({
        translated_from: 'could you jot down that we are out of oat milk',
        command: '/flow add task "Buy oat milk" --priority low',
        needs_confirmation: true,
        changed: false,
      });
      expect(seen).toEqual(['could you jot down that we are out of oat milk']);
      expect((await c.call('task', { action: 'list', query: 'oat milk' })).structuredContent.tasks).toEqual([]);
      // Sending the shown line runs it.
      const ran = await c.call('command', { text: r.structuredContent.command });
      expect(ran.structuredContent.result.task.title).toBe('Buy oat milk');
    } finally {
      await c.close();
    }
  });
});

describe('commands from the shell', () => {
  it('flowmcp run and flowmcp shell (with history)', () => {
    const r = spawnSync(process.execPath, [CLI, 'run', '/flow', 'add', 'task', 'From the CLI', '--priority', 'urgent', '--dir', dir, '--json'], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).result.task).toMatchObject({ title: 'From the CLI', priority: 'urgent' });
    const sh = spawnSync(process.execPath, [CLI, 'shell', '--dir', dir], { input: '/flow list tasks --status todo\nwhat\'s next?\n/flow nonsense here\n', encoding: 'utf8' });
    expect(sh.status).toBe(0);
    expect(sh.stdout).toContain('From the CLI');
    expect(sh.stdout).toContain('error: Could not read');
    expect(readFileSync(join(dir, '.flow', 'shell_history'), 'utf8').split('\n').filter(Boolean)).toEqual([
      '/flow list tasks --status todo',
      "what's next?",
      '/flow nonsense here',
    ]);
  });
});
