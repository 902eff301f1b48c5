// Program hooks, for real: a node script written by the test receives post events in order with the
// documented environment (and not the server's), a pre hook refuses task set_status and its message
// reaches the MCP client with nothing changed, pre hooks that time out or crash do not block unless
// required, `hooks test` sends a sample event, and `hooks list` shows the counters.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';
import { cli, readRecorded, recorder, userConfig, waitFor } from '../helpers/hooks.js';

let dir: string;
let project: string;
let server: Connected | undefined;

beforeEach(() => {
  dir = tempDir();
  project = join(dir, 'project');
  mkdirSync(project);
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;
// The test's process mark goes along, so a hook left running is killed with the test (helpers/children.ts).
const MARK = ['FLOWMCP_TEST_CHILD'];

describe('program hooks', () => {
  it('a post hook gets every task.created event once, in order, with the documented environment only', async () => {
    const out = join(dir, 'post.jsonl');
    const env = { ...userConfig(join(dir, 'cfg'), [{ name: 'rec', when: 'post', events: ['task.created', 'plan.completed'], run: [node, recorder(dir), out], env: MARK }]), SECRET_PARENT_VAR: 'do-not-pass' };
    server = await connect({ dir: project, env });
    await server.call('flow', { action: 'create', name: 'F' });
    const plan = (await server.call('plan', { action: 'create', title: 'P' })).structuredContent.plan;
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await server.call('task', { action: 'create', title: `task ${i}` })).structuredContent.task.id);
    await server.call('plan', { action: 'update', id: plan.id, status: 'done' });

    const got = await waitFor('7 deliveries', () => {
      const r = readRecorded(out);
      return r.length >= 7 && r;
    });
    expect(got.map((g) => g.payload.event)).toEqual([...ids.map(() => 'task.created'), 'plan.completed']);
    expect(got.slice(0, 6).map((g) => g.payload.entity_id)).toEqual(ids);
    const seqs = got.map((g) => g.payload.seq as number);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(got[6]!.payload).toMatchObject({ phase: 'post', entity: 'plan', entity_id: plan.id, status: 'done', changes: { status: ['active', 'done'] } });
    // Every payload has changes, null when the event has none (one shape for receivers to parse).
    expect(got[0]!.payload).toHaveProperty('changes', null);
    const e = got[0]!.env;
    expect(e).toMatchObject({ FLOWMCP_EVENT: 'task.created', FLOWMCP_HOOK: 'rec', FLOWMCP_PHASE: 'post', FLOWMCP_SEQ: String(seqs[0]) });
    expect(e.FLOWMCP_PROJECT).toBe(got[0]!.payload.project);
    expect(e.PATH).toBeTruthy();
    expect(e.SECRET_PARENT_VAR).toBeUndefined();
    expect(e.FLOWMCP_CONFIG).toBeUndefined();
  });

  it('an on_command hook (post, event "command") gets each /flow command after the changes it made', async () => {
    const out = join(dir, 'cmd.jsonl');
    const env = userConfig(join(dir, 'cfg'), [{ name: 'on-command', when: 'post', events: ['command', 'task.status_changed'], run: [node, recorder(dir), out], env: MARK }]);
    server = await connect({ dir: project, env });
    await server.call('command', { text: '/flow new flow Launch' });
    await server.call('command', { text: '/flow add plan Ship' });
    const task = (await server.call('task', { action: 'create', title: 'notes' })).structuredContent.task;
    await server.call('command', { text: `/flow done ${task.id}` });
    await server.call('command', { text: `/flow done ${task.id}`, dry_run: true }); // a preview is no command run
    const got = await waitFor('4 deliveries', () => {
      const r = readRecorded(out);
      return r.length >= 4 && r;
    });
    expect(got.map((g) => g.payload.event)).toEqual(['command', 'command', 'task.status_changed', 'command']);
    expect(got[3]!.payload).toMatchObject({ command: `/flow done ${task.id}`, entity: 'command', changes: { outcome: [null, 'ok'] } });
    expect(got[2]!.payload.seq).toBeLessThan(got[3]!.payload.seq);
    await server.call('task', { action: 'list' });
    expect(readRecorded(out)).toHaveLength(4);
  });

  it('a pre hook refuses task set_status: the MCP client sees its message, and nothing changed', async () => {
    const out = join(dir, 'pre.jsonl');
    const env = userConfig(join(dir, 'cfg'), [
      { name: 'no-cancel', when: 'pre', events: ['task.status_changed'], filter: { status: 'cancelled' }, run: [node, recorder(dir), out, 'refuse', 'cancelling needs a lead; ask in #planning'], env: MARK },
    ]);
    server = await connect({ dir: project, env });
    await server.call('flow', { action: 'create', name: 'F' });
    await server.call('plan', { action: 'create', title: 'P' });
    const task = (await server.call('task', { action: 'create', title: 'keep me' })).structuredContent.task;

    const r = await server.call('task', { action: 'set_status', id: task.id, status: 'cancelled' });
    expect(r.isError).toBe(true);
    expect(r.structuredContent.error.code).toBe('refused');
    expect(r.structuredContent.error.message).toContain('no-cancel');
    expect(r.structuredContent.error.message).toContain('cancelling needs a lead; ask in #planning');
    expect(r.structuredContent.error.message).toContain('Nothing was changed');
    expect(JSON.parse((r.content as { text: string }[])[0]!.text).error.code).toBe('refused');

    const now = (await server.call('task', { action: 'get', id: task.id })).structuredContent.task;
    expect(now).toMatchObject({ status: 'todo', revision: task.revision });
    const log = cli(project, env, 'log', '--json');
    expect(JSON.parse(log.out).events.map((e: { action: string }) => e.action)).not.toContain('task.set_status');

    // The hook saw the intended change and the task as it was.
    const seen = readRecorded(out);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.payload).toMatchObject({ phase: 'pre', event: 'task.status_changed', tool: 'task', action: 'set_status', input: { id: task.id, status: 'cancelled' }, entity_id: task.id, current: { id: task.id, status: 'todo' } });

    // The filter lets other statuses through without running it; a /flow command is refused the same way.
    expect((await server.call('task', { action: 'set_status', id: task.id, status: 'in_progress' })).isError).toBe(false);
    expect(readRecorded(out)).toHaveLength(1);
    const viaCommand = await server.call('command', { text: `/flow task cancel ${task.id}` });
    expect(viaCommand.isError).toBe(true);
    expect(viaCommand.structuredContent.error.message).toContain('cancelling needs a lead');
    expect((await server.call('task', { action: 'get', id: task.id })).structuredContent.task.status).toBe('in_progress');
  });

  it('pre hooks that time out or crash do not block the change; a required one that fails does', async () => {
    const out = join(dir, 'pre.jsonl');
    const script = recorder(dir);
    const cfg = join(dir, 'cfg');
    const env = userConfig(cfg, [
      { name: 'slow', when: 'pre', events: ['task.created'], run: [node, script, out, 'hang'], timeout_ms: 3000, env: MARK },
      { name: 'crashy', when: 'pre', events: ['task.created'], run: [node, script, out, 'crash'], env: MARK },
    ]);
    server = await connect({ dir: project, env });
    await server.call('flow', { action: 'create', name: 'F' });
    await server.call('plan', { action: 'create', title: 'P' });
    const ok = await server.call('task', { action: 'create', title: 'goes through' });
    expect(ok.isError).toBe(false);
    expect(readRecorded(out)).toHaveLength(2); // both ran
    await waitFor('the warnings', () => /hook slow \(pre task\.created\) failed and did not block task create: timed out after 3000 ms/.test(server!.stderr()) && /hook crashy .*crashed \(killed by SIGKILL\)/.test(server!.stderr()));

    // The same failing hook, required: the change is refused and not made.
    userConfig(cfg, [{ name: 'crashy', when: 'pre', events: ['task.created'], run: [node, script, out, 'crash'], required: true, env: MARK }]);
    const refused = await server.call('task', { action: 'create', title: 'must not exist' });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent.error).toMatchObject({ code: 'refused', details: { hook: 'crashy' } });
    expect(refused.structuredContent.error.message).toContain('required hook "crashy" failed');
    const titles = (await server.call('task', { action: 'list' })).structuredContent.tasks.map((t: { title: string }) => t.title);
    expect(titles).toEqual(['goes through']);
  });

  it('hooks test sends a sample event; hooks list shows runs, failures, latency and backlog', async () => {
    const out = join(dir, 'post.jsonl');
    const env = userConfig(join(dir, 'cfg'), [
      { name: 'rec', when: 'post', events: ['task.created'], run: [node, recorder(dir), out], env: MARK },
      { name: 'refuser', when: 'pre', events: ['task.deleted'], run: [node, recorder(dir), join(dir, 'pre.jsonl'), 'refuse', 'no deleting'], env: MARK },
    ]);
    const t = cli(project, env, 'hooks', 'test', 'rec');
    expect(t.code).toBe(0);
    expect(t.out).toContain('rec (task.created, sample event): ok');
    expect(readRecorded(out)[0]!.payload).toMatchObject({ test: true, event: 'task.created', phase: 'post', hook: 'rec' });
    // The sample is of the event's kind: a plan event names a plan.
    const planOut = join(dir, 'plan.jsonl');
    const planEnv = userConfig(join(dir, 'cfg-plan'), [{ name: 'plans', when: 'post', events: ['plan.completed'], run: [node, recorder(dir), planOut], env: MARK }]);
    expect(cli(project, planEnv, 'hooks', 'test', 'plans').code).toBe(0);
    expect(readRecorded(planOut)[0]!.payload).toMatchObject({ test: true, event: 'plan.completed', entity: 'plan', entity_id: 'p-test', status: 'done', changes: { status: ['active', 'done'] } });
    const pre = cli(project, env, 'hooks', 'test', 'refuser');
    expect(pre.out).toContain('refused: no deleting');

    cli(project, env, 'flow', 'create', '--name', 'F');
    cli(project, env, 'plan', 'create', '--title', 'P');
    // A one-shot CLI command delivers what it produced before it exits.
    const made = cli(project, env, 'task', 'create', '--title', 'one', '--json');
    const id = JSON.parse(made.out).task.id;
    expect(readRecorded(out).map((r) => r.payload.entity_id)).toContain(id);
    expect(cli(project, env, 'task', 'delete', id, '--confirm').code).not.toBe(0);

    const list = JSON.parse(cli(project, env, 'hooks', 'list', '--json').out);
    const rec = list.hooks.find((h: { name: string }) => h.name === 'rec');
    expect(rec).toMatchObject({ scope: 'user', when: 'post', state: 'runs', runs: 1, failures: 0, backlog: 0 });
    expect(rec.avg_latency_ms).toBeGreaterThanOrEqual(0);
    expect(list.hooks.find((h: { name: string }) => h.name === 'refuser')).toMatchObject({ runs: 1, refusals: 1, failures: 0, last_error: 'refused: no deleting' });
    const text = cli(project, env, 'hooks', 'list').out;
    expect(text).toMatch(/rec\s+user\s+post\s+task\.created\s+runs\s+1\s+0/);
  });
});
