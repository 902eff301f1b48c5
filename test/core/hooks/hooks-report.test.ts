// What `flowmcp hooks` shows and does, in-process on a real workspace: each hook's row (where it comes
// from, whether it runs and why not, counters, average latency, backlog, retry time, who holds its
// lease), trusting a project's hooks by name or all at once, and a test run with a sample event of the
// hook's own kind that records nothing.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { drainHook } from '../../../src/core/hooks/delivery.js';
import { loadHooks, runnableHooks, untrustedNote } from '../../../src/core/hooks/hook-config.js';
import { hookRows, hooksReport, testHook, trustProjectHooks } from '../../../src/core/hooks/hooks-report.js';
import { trustFilePath } from '../../../src/core/hooks/hook-trust.js';
import { record } from '../../../src/core/kernel/events.js';
import { FlowError } from '../../../src/model/errors.js';
import { lastEventSeq } from '../../../src/store/events.js';
import { ensureHookState, hookState } from '../../../src/store/hooks.js';
import { readRecorded, recorder, userConfigWorkspacePerTest } from '../../helpers/hooks.js';
import type { TempWorkspace } from '../../helpers/workspace.js';

const fresh = userConfigWorkspacePerTest();
let t: TempWorkspace;
let cfg: string;
let rec: string;
beforeEach(() => {
  ({ t, cfg } = fresh());
  rec = recorder(cfg);
});
afterEach(() => vi.restoreAllMocks());

const node = process.execPath;
const MARK = ['FLOWMCP_TEST_CHILD'];
const outOf = (name: string) => join(cfg, `${name}.jsonl`);
const hook = (name: string, when: 'pre' | 'post', on: string[], over: Record<string, unknown> = {}, mode = 'ok') => ({ name, when, events: on, run: [node, rec, outOf(name), mode], env: MARK, ...over });
const userHooks = (hooks: unknown[]) => writeFileSync(join(cfg, 'config.json'), JSON.stringify({ hooks }));
const projectHooks = (hooks: unknown[]) => writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks }));
const row = (name: string) => hookRows(t.ws).hooks.find((h) => h.name === name)!;
const plant = (name: string, set: Record<string, unknown>) =>
  t.ws.db.prepare(`UPDATE hook_state SET ${Object.keys(set).map((k) => `${k} = @${k}`).join(', ')} WHERE name = @name`).run({ ...set, name });
function ev(action: string, entity_id = 't-1'): void {
  t.ws.write(() => record(t.call, { action, entity: action.split('.')[0] as 'task', entity_id, flow_id: 'f-1', summary: action }));
}
function thrown(f: () => unknown): FlowError {
  try {
    f();
  } catch (e) {
    if (e instanceof FlowError) return e;
    throw e;
  }
  throw new Error('did not throw');
}
async function rejected(p: Promise<unknown>): Promise<FlowError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof FlowError) return e;
    throw e;
  }
  throw new Error('did not reject');
}

describe('hooks list', () => {
  it('a hook never run: where it comes from, what it runs, zero counters, nothing pending, nobody delivering', () => {
    userHooks([hook('mine', 'post', ['task.created', 'plan.completed'])]);
    ev('task.create');
    const r = hooksReport(t.call);
    expect(r).toEqual({
      hooks: [
        {
          name: 'mine',
          scope: 'user',
          when: 'post',
          events: ['task.created', 'plan.completed'],
          target: `${node} ${rec} ${outOf('mine')} ok`,
          state: 'runs',
          runs: 0,
          failures: 0,
          refusals: 0,
          last_error: null,
          last_run_at: null,
          last_latency_ms: null,
          avg_latency_ms: null,
          backlog: null,
          retry_at: null,
          interrupted: 0,
          lease_owner: null,
          lease_until: null,
        },
      ],
      problems: [],
      last_seq: 1,
    });
  });

  it('a required hook says so; an HTTP hook shows where it posts; an untrusted project hook says why it does not run and how to allow it', () => {
    userHooks([hook('guard', 'pre', ['*'], { required: true }), { name: 'web', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/in' }]);
    projectHooks([{ name: 'theirs', when: 'post', events: ['task.created'], run: ['echo', 'hi'] }, { name: 'bad', when: 'later', events: ['*'], run: ['x'] }]);
    const r = hookRows(t.ws);
    expect(r.hooks.map((h) => [h.name, h.required, h.state, h.target])).toEqual([
      ['guard', true, 'runs', `${node} ${rec} ${outOf('guard')} ok`],
      ['web', undefined, 'runs', 'POST http://127.0.0.1:9/in'],
      ['theirs', undefined, 'untrusted', 'echo hi'],
    ]);
    expect(r.hooks[1]).not.toHaveProperty('required');
    expect(r.hooks[0]).not.toHaveProperty('note');
    const theirs = loadHooks(t.ws, { quiet: true }).hooks.find((h) => h.def.name === 'theirs')!;
    expect(r.hooks[2]!.note).toBe(untrustedNote(theirs));
    expect(r.problems).toEqual(['.flow/config.json hooks[1] "bad" was not read: when: "later" is not one of pre, post.']);
  });

  it('after deliveries: runs, failures, refusals, the last error and run, the rounded average latency, the backlog of what it wants', async () => {
    userHooks([hook('rec', 'post', ['task.created']), hook('guard', 'pre', ['task.created'])]);
    const h = runnableHooks(t.ws, 'post')[0]!;
    t.ws.write(() => {
      ensureHookState(t.ws.db, 'rec', h.hash, 0);
      ensureHookState(t.ws.db, 'guard', 'x', 0); // a pre hook that was post once: it has no backlog
    });
    ev('task.create', 't-1');
    await drainHook(t.ws, h, { signal: new AbortController().signal });
    ev('task.create', 't-2');
    ev('flow.update', 'f-1');
    ev('task.create', 't-3');
    plant('rec', { runs: 2, failures: 1, refusals: 0, total_latency_ms: 5, last_latency_ms: 4, last_error: 'HTTP 500', last_run_at: '2026-02-03T04:05:06.000Z' });
    plant('guard', { runs: 3, refusals: 2 });
    expect(row('rec')).toMatchObject({ runs: 2, failures: 1, last_error: 'HTTP 500', last_run_at: '2026-02-03T04:05:06.000Z', last_latency_ms: 4, avg_latency_ms: 3, backlog: 2 });
    expect(row('guard')).toMatchObject({ runs: 3, refusals: 2, backlog: null, avg_latency_ms: 0 });
    plant('rec', { runs: 0 });
    expect(row('rec').avg_latency_ms).toBeNull();
  });

  it('the next try shows while it is ahead; the lease shows while it lasts; a time no date can hold is shown as the number', () => {
    userHooks([hook('rec', 'post', ['*'])]);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', 'x', 0));
    const ahead = Date.now() + 3_600_000;
    plant('rec', { retry_at: ahead, lease_owner: 'host:1:ab', lease_until: ahead });
    expect(row('rec')).toMatchObject({ retry_at: new Date(ahead).toISOString(), lease_owner: 'host:1:ab', lease_until: new Date(ahead).toISOString() });
    const past = Date.now() - 1000;
    plant('rec', { retry_at: past, lease_until: past });
    expect(row('rec')).toMatchObject({ retry_at: null, lease_owner: null, lease_until: null });
    plant('rec', { lease_until: ahead, lease_owner: null });
    expect(row('rec')).toMatchObject({ lease_owner: null, lease_until: null });
    plant('rec', { lease_owner: 'host:1:ab', lease_until: null });
    expect(row('rec')).toMatchObject({ lease_owner: null, lease_until: null });
    plant('rec', { retry_at: 1e20, lease_owner: 'host:1:ab', lease_until: 1e20, interrupted: 2 });
    expect(row('rec')).toMatchObject({ retry_at: '100000000000000000000', lease_until: '100000000000000000000', lease_owner: 'host:1:ab', interrupted: 2 });
    expect(hookRows(t.ws).last_seq).toBe(lastEventSeq(t.ws.db));
  });
  it('a retry time or lease ending right now is over: not shown', () => {
    userHooks([hook('rec', 'post', ['*'])]);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', 'x', 0));
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now);
    plant('rec', { retry_at: now, lease_owner: 'host:1:ab', lease_until: now });
    expect(row('rec')).toMatchObject({ retry_at: null, lease_owner: null, lease_until: null });
    plant('rec', { retry_at: now + 1, lease_until: now + 1 });
    expect(row('rec')).toMatchObject({ retry_at: new Date(now + 1).toISOString(), lease_owner: 'host:1:ab', lease_until: new Date(now + 1).toISOString() });
  });
});

describe('hooks trust', () => {
  it('trusts the named project hooks in their current definitions, with the project files they run', () => {
    mkdirSync(join(t.dir, 'hooks'));
    writeFileSync(join(t.dir, 'hooks', 'a.mjs'), 'process.exit(0)\n');
    const a = { name: 'a', when: 'post', events: ['*'], run: [node, 'hooks/a.mjs'] };
    projectHooks([a, { name: 'b', when: 'post', events: ['*'], run: ['true'] }]);
    const r = trustProjectHooks(t.call, ['a']);
    expect(r.file).toBe(trustFilePath());
    expect(r.already_yours).toEqual([]);
    const loaded = loadHooks(t.ws, { quiet: true }).hooks;
    expect(r.trusted).toEqual([{ name: 'a', hash: loaded[0]!.hash, definition: a, files: ['hooks/a.mjs'] }]);
    expect(loaded.map((h) => [h.def.name, h.trusted])).toEqual([
      ['a', true],
      ['b', false],
    ]);
  });

  it('--all trusts every project hook; a user hook named is said to be yours already; nothing to trust writes nothing', () => {
    userHooks([hook('mine', 'post', ['*'])]);
    expect(trustProjectHooks(t.call, ['mine'])).toEqual({ trusted: [], file: null, already_yours: ['mine'] });
    expect(trustProjectHooks(t.call, 'all')).toEqual({ trusted: [], file: null, already_yours: [] });
    expect(existsSync(trustFilePath())).toBe(false);
    projectHooks([{ name: 'x', when: 'post', events: ['*'], run: ['true'] }, { name: 'y', when: 'pre', events: ['*'], run: ['true'] }]);
    const r = trustProjectHooks(t.call, 'all');
    expect(r.trusted.map((h) => [h.name, h.files])).toEqual([
      ['x', []],
      ['y', []],
    ]);
    expect(loadHooks(t.ws, { quiet: true }).hooks.every((h) => h.trusted)).toBe(true);
    expect(trustProjectHooks(t.call, ['mine', 'x'])).toMatchObject({ trusted: [{ name: 'x' }], already_yours: ['mine'] });
  });

  it('a name that is no hook: not found, listing the hooks there are, or saying where to define them', () => {
    const none = thrown(() => trustProjectHooks(t.call, ['ghost']));
    expect(none.code).toBe('not_found');
    expect(none.message).toBe('No hook named "ghost".');
    expect(none.hint).toBe('No hooks are defined: add them under "hooks" in .flow/config.json or your own config.');
    userHooks([hook('one', 'post', ['*']), hook('two', 'pre', ['*'])]);
    const some = thrown(() => trustProjectHooks(t.call, ['ghost']));
    expect(some.hint).toBe('Hooks: one, two (flowmcp hooks list).');
  });
});

describe('hooks test', () => {
  const sample = async (name: string) => {
    const r = await testHook(t.call, name);
    return { r, got: readRecorded(outOf(name)) };
  };

  it('a post hook gets a sample event of its first event, marked as a test, with sequence 0; nothing is recorded', async () => {
    userHooks([hook('created', 'post', ['*', 'task.created'], { timeout_ms: 60_000 })]);
    const before = Date.now();
    const { r, got } = await sample('created');
    expect(Date.parse(got[0]!.payload.at)).toBeGreaterThanOrEqual(before - 1);
    expect(Date.parse(got[0]!.payload.at)).toBeLessThanOrEqual(Date.now());
    expect(r).toMatchObject({ name: 'created', event: 'task.created', timeout_ms: 60_000, outcome: { kind: 'ok' } });
    expect(got).toHaveLength(1);
    expect(got[0]!.payload).toEqual({
      event: 'task.created',
      phase: 'post',
      hook: 'created',
      test: true,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      project: t.ws.root,
      agent: 'test-agent',
      session_id: t.call.session.id,
      seq: 0,
      action: 'test',
      entity: 'task',
      entity_id: 't-test',
      flow_id: null,
      summary: 'a sample event from flowmcp hooks test',
      changes: null,
    });
    expect(r.payload).toEqual(got[0]!.payload);
    expect(got[0]!.env).toMatchObject({ FLOWMCP_SEQ: '0', FLOWMCP_EVENT: 'task.created', FLOWMCP_PHASE: 'post' });
    expect(hookState(t.ws.db, 'created')).toBeUndefined();
  });

  it('the sample names a thing of the event\'s kind; a status change or a completed plan is to done', async () => {
    userHooks([
      hook('any', 'post', ['*']),
      hook('plans', 'post', ['plan.completed']),
      hook('cmd', 'post', ['command']),
      hook('docs', 'post', ['document.written']),
    ]);
    expect((await sample('any')).got[0]!.payload).toMatchObject({ event: 'task.status_changed', entity: 'task', entity_id: 't-test', changes: { status: ['todo', 'done'] }, status: 'done' });
    expect((await sample('plans')).got[0]!.payload).toMatchObject({ event: 'plan.completed', entity: 'plan', entity_id: 'p-test', changes: { status: ['active', 'done'] }, status: 'done' });
    const cmd = (await sample('cmd')).got[0]!.payload;
    expect(cmd).toMatchObject({ event: 'command', entity: 'flow', entity_id: 'f-test', changes: null });
    expect(cmd).not.toHaveProperty('status');
    expect((await sample('docs')).got[0]!.payload).toMatchObject({ entity: 'document', entity_id: 'd-test' });
  });

  it('a pre hook gets the call it would guard: tool, action and input, and no sequence', async () => {
    userHooks([hook('guard', 'pre', ['task.status_changed']), hook('plan-guard', 'pre', ['plan.completed']), hook('upd', 'pre', ['task.updated'])]);
    const { r, got } = await sample('guard');
    expect(r.timeout_ms).toBe(5000);
    const p = got[0]!.payload;
    expect(p).toMatchObject({ phase: 'pre', test: true, tool: 'task', action: 'set_status', input: { id: 't-test', status: 'done' }, entity_id: 't-test', flow_id: null, status: 'done' });
    expect(p).not.toHaveProperty('seq');
    expect(got[0]!.env.FLOWMCP_SEQ).toBeUndefined();
    expect((await sample('plan-guard')).got[0]!.payload).toMatchObject({ tool: 'plan', action: 'update', input: { id: 'p-test', status: 'done' }, status: 'done' });
    const upd = (await sample('upd')).got[0]!.payload;
    expect(upd).toMatchObject({ tool: 'task', action: 'update', input: { id: 't-test' } });
    expect(upd).not.toHaveProperty('status');
    expect(hookState(t.ws.db, 'guard')).toBeUndefined();
  });

  it('the outcome is the hook\'s answer; an untrusted hook is not run and says how to trust it; an unknown one is not found', async () => {
    userHooks([hook('no', 'pre', ['task.created'], {}, 'refuse')]);
    expect((await testHook(t.call, 'no')).outcome).toMatchObject({ kind: 'refused', message: 'refused by the test hook' });
    projectHooks([{ name: 'theirs', when: 'post', events: ['*'], run: [node, rec, outOf('theirs')] }]);
    const e = await rejected(testHook(t.call, 'theirs'));
    expect(e.code).toBe('refused');
    expect(e.message).toBe('The hook "theirs" is not trusted, so it was not run.');
    expect(e.hint).toContain('flowmcp hooks trust theirs');
    expect(readRecorded(outOf('theirs'))).toEqual([]);
    expect((await rejected(testHook(t.call, 'ghost'))).code).toBe('not_found');
  });
});
