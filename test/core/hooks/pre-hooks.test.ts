// Pre hooks in-process, called the way the server calls them (dispatchAsync on a real workspace, real
// hook programs): a refusal says which hook refused what and changes nothing; a required hook that fails
// refuses, one not required lets the change through with a warning on stderr; which calls a guard runs
// for (events, filters, the flow a change lands in — unknown flows run the guard); what the hook is
// given; and the runs counted in its state.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { trustHooks } from '../../../src/core/hooks/hook-trust.js';
import { loadHooks } from '../../../src/core/hooks/hook-config.js';
import { hookState } from '../../../src/store/hooks.js';
import { readRecorded, recorder, userConfigWorkspacePerTest } from '../../helpers/hooks.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { dumpDb, type TempWorkspace } from '../../helpers/workspace.js';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

// The user config lives outside the project; it holds no hooks until a test says so.
const fresh = userConfigWorkspacePerTest();
let t: TempWorkspace;
let cfg: string;
let rec: string;
let out: string;
let stderr: string[];
beforeEach(() => {
  ({ t, cfg } = fresh());
  rec = recorder(cfg);
  out = join(cfg, 'calls.jsonl');
  stderr = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any, ...rest: any[]) => {
    stderr.push(String(chunk));
    return write(chunk, ...rest);
  });
  vi.stubEnv('FLOW_LOG', 'info');
});
afterEach(() => vi.restoreAllMocks());

/** A hook running the recorder: it appends what it was given to `out`, then behaves as `mode` says. */
function hook(name: string, events: string[], mode = 'ok', over: Record<string, unknown> = {}, message?: string) {
  return { name, when: 'pre', events, run: [process.execPath, rec, out, mode, ...(message ? [message] : [])], ...over };
}

function userHooks(hooks: unknown[]): void {
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ hooks }));
}

function seen(): Record<string, any>[] {
  return readRecorded(out).map((r) => r.payload);
}

/** A flow with a plan and a task in it; the session's current flow is the last one made. */
async function seed(c: ReturnType<typeof asyncCaller>, name = 'F') {
  const flow = (await c.ok('flow', { action: 'create', name })).flow.id as string;
  const plan = (await c.ok('plan', { action: 'create', title: 'P' })).plan.id as string;
  const task = (await c.ok('task', { action: 'create', title: 'T' })).task.id as string;
  return { flow, plan, task };
}

describe('pre hooks refuse', () => {
  it('a refusal names the hook and what it refused, strips the end punctuation, points at your config, and changes nothing', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    userHooks([hook('guard', ['task.status_changed'], 'refuse', {}, 'not on a Friday. Ask again Monday!?')]);
    const before = dumpDb(t.ws);
    const e = await c.fail('task', { action: 'set_status', id: task, status: 'done' });
    expect(e.code).toBe('refused');
    expect(e.message).toBe('The hook "guard" refused task set_status: not on a Friday. Ask again Monday. Nothing was changed.');
    expect(e.hint).toBe('The hook (in your own config, run before task.status_changed) decides; change what it objects to, or the hook.');
    expect((e as any).details ?? (e as any)).toMatchObject({ hook: 'guard', event: 'task.status_changed', message: 'not on a Friday. Ask again Monday!?' });
    expect(dumpDb(t.ws)).toEqual(before);
    // The refusal is counted (runs and refusals), with what the hook said.
    expect(hookState(t.ws.db, 'guard')).toMatchObject({ runs: 1, refusals: 1, failures: 0, last_error: 'refused: not on a Friday. Ask again Monday!?' });
  });

  it('a /flow command refused is "the command"; a project hook refusing points at .flow/config.json', async () => {
    const c = asyncCaller(t.call);
    await seed(c);
    const def = hook('proj', ['command'], 'refuse', {}, 'no commands here');
    writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks: [def] }));
    const loaded = loadHooks(t.ws, { quiet: true }).hooks.filter((h) => h.def.name === 'proj');
    trustHooks(t.ws.root, loaded);
    const before = dumpDb(t.ws);
    const e = await c.fail('command', { text: '/flow plan add Another' });
    expect(e.message).toBe('The hook "proj" refused the command: no commands here. Nothing was changed.');
    expect(e.hint).toBe('The hook (in .flow/config.json, run before command) decides; change what it objects to, or the hook.');
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a required hook that times out refuses, and says how to look at it; the failure is counted', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    userHooks([hook('slow', ['task.status_changed'], 'hang', { required: true, timeout_ms: 300 })]);
    const before = dumpDb(t.ws);
    const e = await c.fail('task', { action: 'set_status', id: task, status: 'done' });
    expect(e.code).toBe('refused');
    expect(e.message).toMatch(/^The required hook "slow" failed \(.+\), so task set_status was refused\. Nothing was changed\.$/);
    expect(e.hint).toBe('A required pre hook must answer for a change to go through: fix the hook (flowmcp hooks test slow) or drop "required".');
    expect((e as any).details).toMatchObject({ hook: 'slow', event: 'task.status_changed', message: expect.any(String) });
    expect(dumpDb(t.ws)).toEqual(before);
    expect(hookState(t.ws.db, 'slow')).toMatchObject({ runs: 1, failures: 1, refusals: 0 });
    expect(hookState(t.ws.db, 'slow')!.last_error).toBeTruthy();
  });

  it('a hook that fails and is not required lets the change through, with a warning on stderr', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    userHooks([hook('flaky', ['task.status_changed'], 'crash')]);
    const r = await c.ok('task', { action: 'set_status', id: task, status: 'done' });
    expect(r.task.status).toBe('done');
    const warn = stderr.find((l) => l.includes('hook flaky'));
    expect(warn).toMatch(/^flowmcp warn: hook flaky \(pre task\.status_changed\) failed and did not block task set_status: .+/);
    expect(hookState(t.ws.db, 'flaky')).toMatchObject({ runs: 1, failures: 1, refusals: 0 });
  });

  it('a hook that allows (required or not) is counted as a success, and says nothing', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    userHooks([hook('fine', ['task.status_changed']), hook('must', ['task.status_changed'], 'ok', { required: true })]);
    await c.ok('task', { action: 'set_status', id: task, status: 'done' });
    expect(hookState(t.ws.db, 'must')).toMatchObject({ runs: 1, failures: 0, refusals: 0 });
    expect(hookState(t.ws.db, 'fine')).toMatchObject({ runs: 1, failures: 0, refusals: 0, last_error: null });
    expect(stderr.join('')).not.toContain('hook fine');
  });

  it('a run that cannot be counted (its state table gone) still lets the change through, and says so at debug level', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    vi.stubEnv('FLOW_LOG', 'debug');
    // The hook program drops the table its run would be counted in, then allows the change.
    const drop = join(cfg, 'drop.cjs');
    writeFileSync(drop, `const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))}); const db = new Database(process.argv[2]); db.exec('DROP TABLE hook_state'); db.close();\n`);
    userHooks([{ name: 'eraser', when: 'pre', events: ['task.status_changed'], run: [process.execPath, drop, join(t.ws.flowDir, 'flow.db')] }]);
    expect((await c.ok('task', { action: 'set_status', id: task, status: 'done' })).task.status).toBe('done');
    expect(stderr.join('')).toMatch(/flowmcp debug: hook eraser: its run was not counted: .*hook_state/);
  });
});

describe('what a pre hook is given', () => {
  it('the event, the call, its validated input, the entity as it is now and the fields filters see', async () => {
    const c = asyncCaller(t.call);
    const { flow, task } = await seed(c);
    userHooks([hook('look', ['task.status_changed'])]);
    await c.ok('task', { action: 'set_status', id: task, status: 'done' });
    const [p] = seen();
    expect(p).toMatchObject({
      event: 'task.status_changed',
      phase: 'pre',
      hook: 'look',
      project: t.ws.root,
      session_id: t.call.session.id,
      tool: 'task',
      action: 'set_status',
      input: { id: task, status: 'done' },
      entity_id: task,
      flow_id: flow,
      status: 'done',
      agent: 'test-agent',
      current: { id: task, status: 'todo', flow_id: flow },
    });
    expect(typeof p!.at).toBe('string');
  });

  it('a call naming nothing has no entity, no status and no current; its flow is the current one', async () => {
    const c = asyncCaller(t.call);
    const { flow } = await seed(c);
    userHooks([hook('look', ['task.created'])]);
    await c.ok('task', { action: 'create', title: 'Second' });
    const [p] = seen();
    expect(p).toMatchObject({ event: 'task.created', entity_id: null, status: null, flow_id: flow });
    expect(p).not.toHaveProperty('current');
  });

  it('an id that does not resolve is given as the entity, with no flow and no current; the call says what is wrong', async () => {
    const c = asyncCaller(t.call);
    await seed(c);
    userHooks([hook('look', ['task.status_changed'])]);
    await c.fail('task', { action: 'set_status', id: 't-nope', status: 'done' });
    const [p] = seen();
    expect(p).toMatchObject({ entity_id: 't-nope', flow_id: null });
    expect(p).not.toHaveProperty('current');
  });
});

describe('which calls a guard runs for', () => {
  it('only its events; reads, previews and no hooks at all run nothing', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    userHooks([hook('g', ['task.status_changed'], 'refuse')]);
    await c.ok('task', { action: 'update', id: task, title: 'Renamed' });
    await c.ok('task', { action: 'get', id: task });
    await c.ok('command', { text: '/flow done', dry_run: true }).catch(() => undefined);
    expect(seen()).toEqual([]);
    userHooks([]);
    await c.ok('task', { action: 'set_status', id: task, status: 'done' });
  });

  it('filters on status, agent and entity', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    const other = (await c.ok('task', { action: 'create', title: 'Other' })).task.id as string;
    userHooks([
      hook('done-only', ['task.status_changed'], 'refuse', { filter: { status: 'done' } }, 'done-only'),
      hook('not-me', ['task.status_changed'], 'refuse', { filter: { agent: 'someone-else' } }, 'not-me'),
      hook('that-task', ['task.status_changed'], 'refuse', { filter: { entity_id: other } }, 'that-task'),
    ]);
    await c.ok('task', { action: 'set_status', id: task, status: 'in_progress' });
    expect(seen()).toEqual([]);
    expect((await c.fail('task', { action: 'set_status', id: task, status: 'done' })).message).toContain('"done-only"');
    expect(seen().map((p) => p.hook)).toEqual(['done-only']);
    expect((await c.fail('task', { action: 'set_status', id: other, status: 'blocked' })).message).toContain('"that-task"');
  });

  it('a project filter names the project as opened', async () => {
    const c = asyncCaller(t.call);
    const { task } = await seed(c);
    userHooks([
      hook('here', ['task.status_changed'], 'ok', { filter: { project: t.ws.root } }),
      hook('elsewhere', ['task.status_changed'], 'refuse', { filter: { project: '/somewhere/else' } }),
    ]);
    await c.ok('task', { action: 'set_status', id: task, status: 'done' });
    expect(seen().map((p) => p.hook)).toEqual(['here']);
  });

  it('a flow_id filter guards changes in that flow: named by id, by its plan, by its task, or the current flow', async () => {
    const c = asyncCaller(t.call);
    const frozen = await seed(c, 'Frozen');
    const open = await seed(c, 'Open');
    userHooks([hook('freeze', ['*'], 'refuse', { filter: { flow_id: frozen.flow } }, 'frozen')]);
    // The current flow is "Open": a create there and changes named in it pass.
    await c.ok('task', { action: 'create', title: 'New' });
    await c.ok('task', { action: 'set_status', id: open.task, status: 'done' });
    await c.ok('plan', { action: 'update', id: open.plan, title: 'P2' });
    await c.ok('flow', { action: 'update', id: open.flow, name: 'Open2' });
    await c.ok('task', { action: 'create', title: 'There', plan_id: open.plan });
    expect(seen()).toEqual([]);
    // Named in the frozen flow: refused.
    expect((await c.fail('task', { action: 'set_status', id: frozen.task, status: 'done' })).code).toBe('refused');
    expect((await c.fail('flow', { action: 'update', id: frozen.flow, name: 'X' })).code).toBe('refused');
    expect((await c.fail('task', { action: 'create', title: 'X', plan_id: frozen.plan })).code).toBe('refused');
    expect((await c.fail('document', { action: 'write', path: 'notes.md', content: 'x', task_id: frozen.task })).code).toBe('refused');
    await c.ok('document', { action: 'write', path: 'notes.md', content: 'x', task_id: open.task });
    // Moving a task from the open flow into the frozen one is a change in both.
    expect((await c.fail('task', { action: 'move', id: open.task, plan_id: frozen.plan })).code).toBe('refused');
    // Back in the frozen flow, a create naming nothing lands there.
    await c.ok('flow', { action: 'switch', id: frozen.flow });
    expect((await c.fail('task', { action: 'create', title: 'X' })).code).toBe('refused');
    // A change named in the open flow lands there, not in the current one, whatever it names it by.
    await c.ok('task', { action: 'update', id: open.task, title: 'Renamed' });
    await c.ok('document', { action: 'write', path: 'a.md', content: 'x', task_id: open.task });
    await c.ok('document', { action: 'write', path: 'b.md', content: 'x', plan_id: open.plan });
    await c.ok('document', { action: 'write', path: 'c.md', content: 'x', flow_id: open.flow });
    expect((await c.fail('document', { action: 'write', path: 'd.md', content: 'x', flow_id: frozen.flow })).code).toBe('refused');
  });

  it('a /flow command in a flow with no plan yet lands in the current flow', async () => {
    const c = asyncCaller(t.call);
    const frozen = await seed(c, 'Frozen');
    await c.ok('flow', { action: 'create', name: 'Empty' });
    userHooks([hook('freeze', ['command'], 'refuse', { filter: { flow_id: frozen.flow } }, 'frozen')]);
    await c.ok('command', { text: '/flow add plan Ship' });
    expect(seen()).toEqual([]);
    await c.ok('flow', { action: 'switch', id: frozen.flow });
    expect((await c.fail('command', { text: '/flow add plan Ship' })).message).toBe('The hook "freeze" refused the command: frozen. Nothing was changed.');
  });

  it('a change whose flow cannot be known runs a flow_id guard all the same', async () => {
    const c = asyncCaller(t.call);
    const { plan, task } = await seed(c);
    userHooks([hook('freeze', ['*'], 'refuse', { filter: { flow_id: 'f-elsewhere' } }, 'frozen')]);
    // A flow being created has no id yet; a plan id that does not resolve; a flow named by a name.
    expect((await c.fail('flow', { action: 'create', name: 'New' })).code).toBe('refused');
    expect((await c.fail('task', { action: 'create', title: 'X', plan_id: 'p-nope' })).code).toBe('refused');
    expect((await c.fail('flow', { action: 'update', id: 'f-nope', name: 'Y' })).code).toBe('refused');
    // One flow known, another named that does not resolve: unknown all the same.
    expect((await c.fail('task', { action: 'move', id: task, plan_id: 'p-nope' })).code).toBe('refused');
    // A known flow that is not the filtered one: the guard is not run.
    await c.ok('task', { action: 'create', title: 'Y', plan_id: plan });
    expect(seen().map((p) => [p.tool, p.action, p.flow_id])).toEqual([
      ['flow', 'create', null],
      ['task', 'create', null],
      ['flow', 'update', null],
      ['task', 'move', null],
    ]);
  });
});
