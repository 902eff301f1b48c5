// Post delivery on a real database, in-process, with real hook programs: a hook first seen starts at the
// newest event; what comes after is delivered once, in order, with its payload, and the cursor moves only
// past what was acknowledged; a failure backs off (doubling) for that hook and holds back the events
// behind it; the lease is taken for a delivery's timeout plus a margin, respected while another process
// holds it, and let go after; a one-shot command's stop is counted and not started again; a hook passing
// over a long stretch of events it does not want gives the event loop turns; hook state that no flowmcp
// run could have written (a lease held for years, a cursor past the log, a retry years away) does not
// stop delivery for good.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { hookOwnerId } from '../../../src/core/hooks/hook-owner.js';
import { setSetting } from '../../../src/store/settings.js';
import { BACKLOG_SCAN, backlogOf, drainHook, MAX_LEASE_MS, OWNER, postPayload, primeHookCursors } from '../../../src/core/hooks/delivery.js';
import { runnableHooks, type LoadedHook } from '../../../src/core/hooks/hook-config.js';
import { hookRows } from '../../../src/core/hooks/hooks-report.js';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { record } from '../../../src/core/kernel/events.js';
import { eventsAfter, lastEventSeq } from '../../../src/store/events.js';
import { ensureHookState, hookState, takeLease } from '../../../src/store/hooks.js';
import { readRecorded, recorder, waitFor, captureStderr } from '../../helpers/hooks.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let clock: ManualClock;
let stderr: string[];
beforeEach(() => {
  clock = new ManualClock();
  t = tempWorkspace({ clock });
  stderr = captureStderr();
  vi.stubEnv('FLOW_LOG', 'info');
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  t.cleanup();
});

function hooks(defs: unknown[]): void {
  const dir = join(t.dir, 'cfg');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ hooks: defs }));
  vi.stubEnv('FLOWMCP_CONFIG', join(dir, 'config.json'));
}

function events(n: number, action = 'flow.update'): void {
  t.ws.write(() => {
    for (let i = 0; i < n; i++) record(t.call, { action, entity: 'flow', entity_id: 'f-x', flow_id: 'f-x', summary: `event ${i}` });
  });
}

describe('post delivery', () => {
  it('passing over a long unmatched stretch yields to the event loop and ends at the newest event', async () => {
    hooks([{ name: 'rare', when: 'post', events: ['plan.completed'], run: ['true'] }]);
    const h = runnableHooks(t.ws, 'post')[0]!;
    t.ws.write(() => ensureHookState(t.ws.db, 'rare', h.hash, 0));
    events(40_000);
    const order: string[] = [];
    setImmediate(() => order.push('another turn'));
    await drainHook(t.ws, h, { signal: new AbortController().signal });
    order.push('drained');
    expect(order).toEqual(['another turn', 'drained']);
    expect(hookState(t.ws.db, 'rare')).toMatchObject({ cursor: lastEventSeq(t.ws.db), lease_owner: null });
  });

  it('a planted lease, cursor or retry time does not stop delivery', async () => {
    const out = join(t.dir, 'out.jsonl');
    hooks([{ name: 'rec', when: 'post', events: ['flow.updated'], run: [process.execPath, recorder(t.dir), out], env: ['FLOWMCP_TEST_CHILD'] }]);
    const h = runnableHooks(t.ws, 'post')[0]!;
    events(3);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', h.hash, 0));
    const years = Date.now() + 10 * 365 * 24 * 3600_000;
    t.ws.db.prepare('UPDATE hook_state SET lease_owner = ?, lease_until = ?, cursor = ?, retry_at = ? WHERE name = ?').run('someone:1:x', years, 1e12, years, 'rec');
    const signal = new AbortController().signal;
    // hooks list says who holds the lease and when the next try is.
    expect(hookRows(t.ws).hooks[0]).toMatchObject({ name: 'rec', lease_owner: 'someone:1:x', lease_until: new Date(years).toISOString(), retry_at: new Date(years).toISOString() });

    await drainHook(t.ws, h, { signal });
    const s = hookState(t.ws.db, 'rec')!;
    expect(s.cursor).toBe(3); // put back to the newest event
    expect(s.retry_at!).toBeLessThanOrEqual(Date.now() + 60_000); // brought back within the backoff cap

    // Once that (capped) retry time has come, the years-long lease does not hold delivery back.
    t.ws.db.prepare('UPDATE hook_state SET retry_at = ? WHERE name = ?').run(Date.now() - 1, 'rec');
    events(1);
    expect(hookState(t.ws.db, 'rec')!.lease_until).toBeGreaterThan(Date.now() + MAX_LEASE_MS);
    await drainHook(t.ws, h, { signal });
    expect(readRecorded(out).map((r) => r.payload.seq)).toEqual([4]);
    expect(hookState(t.ws.db, 'rec')).toMatchObject({ cursor: 4, lease_owner: null });
  });
});

const node = process.execPath;
// The worker's mark goes along, so a hook left running is killed with the test (helpers/children.ts).
const MARK = ['FLOWMCP_TEST_CHILD'];
const outOf = (name: string) => join(t.dir, `${name}.jsonl`);
function rec(name: string, on: string[], mode = 'ok', over: Record<string, unknown> = {}) {
  return { name, when: 'post', events: on, run: [node, recorder(t.dir), outOf(name), mode], env: MARK, ...over };
}
function loaded(name: string): LoadedHook {
  return runnableHooks(t.ws, 'post').find((h) => h.def.name === name)!;
}
function ev(action: string, entity_id: string, over: Record<string, unknown> = {}): number {
  t.ws.write(() => record(t.call, { action, entity: action.split('.')[0] as 'task', entity_id, flow_id: 'f-1', summary: `${action} ${entity_id}`, ...over }));
  return lastEventSeq(t.ws.db);
}
const drain = (h: LoadedHook, ctl: { signal?: AbortSignal; until?: number } = {}) => drainHook(t.ws, h, { signal: new AbortController().signal, ...ctl });
const seqsOf = (name: string) => readRecorded(outOf(name)).map((r) => r.payload.seq as number);
const state = (name: string) => hookState(t.ws.db, name)!;
const started = (name: string) => waitFor(`${name} to start`, () => existsSync(`${outOf(name)}.started`));
const letGo = (name: string) => writeFileSync(`${outOf(name)}.go`, '');

describe('delivering post hooks', () => {
  it('a hook first seen starts at the newest event; what comes after is delivered once, in order, with its payload', async () => {
    hooks([rec('rec', ['task.created', 'task.status_changed'])]);
    ev('task.create', 't-0');
    const h = loaded('rec');
    await drain(h);
    expect(readRecorded(outOf('rec'))).toEqual([]);
    expect(state('rec')).toMatchObject({ cursor: 1, def_hash: h.hash, runs: 0, lease_owner: null });

    const a = ev('task.create', 't-1');
    ev('flow.update', 'f-1');
    const b = ev('task.set_status', 't-1', { changes: { status: ['todo', 'done'] } });
    await drain(h);
    const got = readRecorded(outOf('rec'));
    expect(got.map((g) => g.payload.seq)).toEqual([a, b]);
    expect(got[0]!.payload).toEqual({
      event: 'task.created',
      phase: 'post',
      hook: 'rec',
      seq: a,
      at: '2026-01-01T00:00:00.000Z',
      project: t.ws.root,
      agent: 'test-agent',
      session_id: t.call.session.id,
      action: 'task.create',
      entity: 'task',
      entity_id: 't-1',
      flow_id: 'f-1',
      summary: 'task.create t-1',
      changes: null,
    });
    expect(got[1]!.payload).toMatchObject({ event: 'task.status_changed', status: 'done', changes: { status: ['todo', 'done'] } });
    expect(got[0]!.env).toMatchObject({ FLOWMCP_HOOK: 'rec', FLOWMCP_EVENT: 'task.created', FLOWMCP_PHASE: 'post', FLOWMCP_SEQ: String(a) });
    expect(state('rec')).toMatchObject({ cursor: b, runs: 2, failures: 0, attempts: 0, retry_at: null, last_error: null, last_run_at: '2026-01-01T00:00:00.000Z', lease_owner: null, lease_until: null });
    expect(state('rec').last_latency_ms).toBeGreaterThan(0);

    // Nothing new: nothing is run again, and nothing is written.
    const write = vi.spyOn(t.ws, 'write');
    await drain(h);
    expect(write).not.toHaveBeenCalled();
    expect(seqsOf('rec')).toEqual([a, b]);
  });

  it('the payload: status when a status changed to a value, the command text for a command, changes always there', () => {
    const row = (over: Record<string, unknown>) => ({ seq: 9, at: 'A', session_id: 's', agent: 'g', action: 'x', entity: 'task' as const, entity_id: 't-1', flow_id: null, summary: 'S', changes: null, ...over });
    const cmd = postPayload(row({ action: 'command.run', entity: 'command', summary: '/flow done t-1', changes: JSON.stringify({ outcome: [null, 'ok'] }) }), 'command', 'h', '/p');
    expect(cmd).toMatchObject({ event: 'command', command: '/flow done t-1', changes: { outcome: [null, 'ok'] }, project: '/p', hook: 'h' });
    expect(cmd).not.toHaveProperty('status');
    const cleared = postPayload(row({ changes: JSON.stringify({ status: ['done', null] }) }), 'task.updated', 'h', '/p');
    expect(cleared).not.toHaveProperty('status');
    expect(cleared).not.toHaveProperty('command');
    expect(postPayload(row({ changes: JSON.stringify({ status: ['todo', 'review'] }) }), 'task.status_changed', 'h', '/p')).toMatchObject({ status: 'review' });
  });

  it('a failing hook backs off, doubling, holds back the events behind it, and after a success starts clean', async () => {
    hooks([rec('flaky', ['task.created'], 'refuse', {}), rec('steady', ['task.created'])]);
    hooks([{ ...rec('flaky', ['task.created'], 'refuse'), run: [node, recorder(t.dir), outOf('flaky'), 'refuse', 'not now'] }, rec('steady', ['task.created'])]);
    for (const n of ['flaky', 'steady']) t.ws.write(() => ensureHookState(t.ws.db, n, loaded(n).hash, 0));
    ev('task.create', 't-1');
    ev('task.create', 't-2');
    const retry = () => t.ws.db.prepare('UPDATE hook_state SET retry_at = ? WHERE name = ?').run(Date.now() - 1, 'flaky');

    const expectTry = async (attempt: number, waitMs: number, inSeconds: number) => {
      const before = Date.now();
      await drain(loaded('flaky'));
      const after = Date.now();
      const s = state('flaky');
      expect(s).toMatchObject({ cursor: 0, attempts: attempt, failures: attempt, runs: attempt, last_error: 'not now', lease_owner: null });
      expect(s.retry_at!).toBeGreaterThanOrEqual(before + waitMs);
      expect(s.retry_at!).toBeLessThanOrEqual(after + waitMs);
      expect(stderr.filter((l) => l.startsWith('flowmcp warn: hook flaky:')).at(-1)).toBe(`flowmcp warn: hook flaky: event 1 (task.created) not delivered (attempt ${attempt}): not now; next try in ${inSeconds} s\n`);
    };
    await expectTry(1, 500, 1);
    // Before its retry time, nothing is tried: asked 1 ms before it on drain's clock (that this drain comes
    // within 500 ms of the failure, as the real clock goes, is more than a loaded machine promises).
    const now = vi.spyOn(Date, 'now').mockReturnValue(state('flaky').retry_at! - 1);
    try {
      await drain(loaded('flaky'));
    } finally {
      now.mockRestore();
    }
    expect(seqsOf('flaky')).toEqual([1]);
    retry();
    await expectTry(2, 1000, 1);
    retry();
    await expectTry(3, 2000, 2);
    // The other hook goes on meanwhile.
    await drain(loaded('steady'));
    expect(seqsOf('steady')).toEqual([1, 2]);

    // Fixed (a changed definition keeps its place in the log): both events, in order; the retry state is cleared.
    hooks([rec('flaky', ['task.created']), rec('steady', ['task.created'])]);
    retry();
    await drain(loaded('flaky'));
    expect(seqsOf('flaky')).toEqual([1, 1, 1, 1, 2]);
    expect(state('flaky')).toMatchObject({ cursor: 2, attempts: 0, failures: 3, runs: 5, retry_at: null, last_error: null, def_hash: loaded('flaky').hash });
  });

  it('a failure message is cut to 300 characters in the state and the warning', async () => {
    hooks([{ name: 'loud', when: 'post', events: ['task.created'], run: [node, '-e', "console.log('y'.repeat(600)); process.exit(1)"], env: MARK }]);
    t.ws.write(() => ensureHookState(t.ws.db, 'loud', loaded('loud').hash, 0));
    ev('task.create', 't-1');
    await drain(loaded('loud'));
    expect(state('loud').last_error).toBe(`${'y'.repeat(299)}…`);
  });

  it('the lease is held for the delivery\'s timeout plus 5 s while it runs, and let go after', async () => {
    // A timeout no start of the hook program can reach (a loaded machine took ~2 s to start node): the hook must answer, not time out.
    hooks([rec('slow', ['task.created'], 'block', { timeout_ms: 60_000 })]);
    t.ws.write(() => ensureHookState(t.ws.db, 'slow', loaded('slow').hash, 0));
    ev('task.create', 't-1');
    const before = Date.now();
    const run = drain(loaded('slow'));
    await started('slow');
    const after = Date.now();
    const s = state('slow');
    expect(s.lease_owner).toBe(OWNER);
    expect(s.lease_until!).toBeGreaterThanOrEqual(before + 65_000);
    expect(s.lease_until!).toBeLessThanOrEqual(after + 65_000);
    letGo('slow');
    await run;
    expect(state('slow')).toMatchObject({ cursor: 1, runs: 1, lease_owner: null, lease_until: null });
    expect(OWNER).toMatch(new RegExp(`^${hostname().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${process.pid}:[0-9a-f]{8}$`));
  });

  it('the lease is renewed for each delivery of a pass, so a backlog of slow deliveries is not taken over midway', async () => {
    // Waits for <dir>/go-<seq> after writing <dir>/started-<seq>.
    const code = "const fs=require('fs'),p=require('path');const d=process.argv[1],s=process.env.FLOWMCP_SEQ;fs.writeFileSync(p.join(d,'started-'+s),'');const i=setInterval(()=>{if(fs.existsSync(p.join(d,'go-'+s))){clearInterval(i);process.exit(0)}},20)";
    hooks([{ name: 'slow', when: 'post', events: ['task.created'], run: [node, '-e', code, t.dir], env: MARK, timeout_ms: 60_000 }]);
    t.ws.write(() => ensureHookState(t.ws.db, 'slow', loaded('slow').hash, 0));
    ev('task.create', 't-1');
    ev('task.create', 't-2');
    const run = drain(loaded('slow'));
    const leaseWhile = async (seq: number) => {
      await waitFor(`delivery ${seq}`, () => existsSync(join(t.dir, `started-${seq}`)));
      const until = state('slow').lease_until!;
      writeFileSync(join(t.dir, `go-${seq}`), '');
      return until;
    };
    const first = await leaseWhile(1);
    const second = await leaseWhile(2);
    await run;
    expect(second).toBeGreaterThan(first);
    expect(state('slow')).toMatchObject({ cursor: 2, runs: 2, lease_owner: null });
  });

  it('the project closing during a long pass over unwanted events ends the pass quietly', async () => {
    hooks([{ name: 'rare', when: 'post', events: ['plan.completed'], run: ['true'] }]);
    const h = loaded('rare');
    t.ws.write(() => ensureHookState(t.ws.db, 'rare', h.hash, 0));
    events(40_000);
    setImmediate(() => t.ws.db.close());
    await expect(drain(h)).resolves.toBeUndefined();
  });

  it('a long pass over unwanted events keeps its lease renewed, so another process does not take the hook over meanwhile', async () => {
    hooks([{ name: 'rare', when: 'post', events: ['plan.completed'], run: ['true'], timeout_ms: 100 }]); // a lease of 5.1 s
    const h = loaded('rare');
    t.ws.write(() => ensureHookState(t.ws.db, 'rare', h.hash, 0));
    events(40_000);
    // Time is injected: at every turn of the event loop the clock moves on 1 s and another process tries to take the lease.
    const real = Date.now.bind(Date);
    let offset = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => real() + offset);
    let done = false;
    let takenOver = false;
    const other = () => {
      if (done) return;
      offset += 1000;
      const now = Date.now();
      if (takeLease(t.ws.db, 'rare', 'other:9:zz', now, now + 5100, now + MAX_LEASE_MS)) takenOver = true;
      else setImmediate(other);
    };
    setImmediate(other);
    await drain(h);
    done = true;
    expect(takenOver).toBe(false);
    expect(state('rare')).toMatchObject({ cursor: lastEventSeq(t.ws.db), lease_owner: null });
  });

  it('a lease another process holds is respected up to the longest any process takes; an expired one is taken over', async () => {
    hooks([rec('rec', ['task.created'])]);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', loaded('rec').hash, 0));
    ev('task.create', 't-1');
    const plant = (until: number) => t.ws.db.prepare('UPDATE hook_state SET lease_owner = ?, lease_until = ? WHERE name = ?').run('other:1:aa', until, 'rec');
    plant(Date.now() + MAX_LEASE_MS - 1000);
    await drain(loaded('rec'));
    expect(seqsOf('rec')).toEqual([]);
    expect(state('rec')).toMatchObject({ cursor: 0, lease_owner: 'other:1:aa' });
    plant(Date.now() - 1);
    await drain(loaded('rec'));
    expect(seqsOf('rec')).toEqual([1]);
    expect(state('rec')).toMatchObject({ cursor: 1, lease_owner: null });
  });

  it('a delivery whose lease was taken over meanwhile records nothing: the new holder delivers it', async () => {
    hooks([rec('slow', ['task.created'], 'block')]);
    t.ws.write(() => ensureHookState(t.ws.db, 'slow', loaded('slow').hash, 0));
    ev('task.create', 't-1');
    const run = drain(loaded('slow'));
    await started('slow');
    t.ws.db.prepare('UPDATE hook_state SET lease_owner = ?, lease_until = ? WHERE name = ?').run('other:2:bb', Date.now() + 60_000, 'slow');
    letGo('slow');
    await run;
    expect(state('slow')).toMatchObject({ cursor: 0, runs: 0, failures: 0, lease_owner: 'other:2:bb' });
  });

  it('a hook edited or removed since its pass began is not run under the old definition', async () => {
    hooks([rec('rec', ['task.created'])]);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', loaded('rec').hash, 0));
    const old = loaded('rec');
    ev('flow.update', 'f-1');
    ev('task.create', 't-1');
    hooks([rec('rec', ['task.created'], 'ok', { timeout_ms: 60_000 })]); // edited (its timeout), and still able to answer on a loaded machine
    await drain(old);
    expect(seqsOf('rec')).toEqual([]);
    // The event it does not want was passed over; the one it wants waits for the definition that runs now.
    expect(state('rec')).toMatchObject({ cursor: 1, lease_owner: null });
    await drain(loaded('rec'));
    expect(seqsOf('rec')).toEqual([2]);
    hooks([]);
    ev('task.create', 't-2');
    await drain(old);
    expect(seqsOf('rec')).toEqual([2]);
  });

  it('told to stop, or past the command\'s time, it starts nothing and lets the lease go', async () => {
    hooks([rec('rec', ['task.created'])]);
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', loaded('rec').hash, 0));
    ev('task.create', 't-1');
    const ac = new AbortController();
    ac.abort();
    await drain(loaded('rec'), { signal: ac.signal });
    await drain(loaded('rec'), { until: Date.now() - 1 });
    expect(seqsOf('rec')).toEqual([]);
    expect(state('rec')).toMatchObject({ cursor: 0, runs: 0, lease_owner: null });
    // A hook never stopped before is started even when less time is left than its timeout: it may well answer.
    await drain(loaded('rec'), { until: Date.now() + 1000 });
    expect(seqsOf('rec')).toEqual([1]);
    expect(state('rec')).toMatchObject({ cursor: 1, runs: 1 });
  });

  it('a run a one-shot command stopped is counted, not restarted by a command with less time than its timeout, and delivered by one with more', async () => {
    hooks([rec('slow', ['task.created'], 'block')]);
    t.ws.write(() => ensureHookState(t.ws.db, 'slow', loaded('slow').hash, 0));
    ev('task.create', 't-1');
    const ac = new AbortController();
    const run = drain(loaded('slow'), { signal: ac.signal, until: Date.now() + 60_000 });
    await started('slow');
    ac.abort();
    await run;
    const s = state('slow');
    expect(s).toMatchObject({ cursor: 0, interrupted: 1, runs: 0, failures: 0, attempts: 0, retry_at: null, lease_owner: null, last_run_at: '2026-01-01T00:00:00.000Z' });
    expect(s.last_error).toMatch(/^interrupted: the command's \d+ ms ran out before it answered \(event 1\)$/);

    // A command with 1 s left (its timeout is the default 10 s) does not start it; said once.
    await drain(loaded('slow'), { until: Date.now() + 1000 });
    await drain(loaded('slow'), { until: Date.now() + 1000 });
    expect(seqsOf('slow')).toEqual([1]);
    const notes = stderr.filter((l) => l.includes('not started by this command'));
    expect(notes).toEqual(['flowmcp warn: hook slow: not started by this command, which has less time left than its timeout (10000 ms) and stopped it before; a server or `flowmcp hooks deliver` delivers it\n']);
    // One with time enough does, and the count starts over.
    letGo('slow');
    await drain(loaded('slow'), { until: Date.now() + 60_000 });
    expect(seqsOf('slow')).toEqual([1, 1]);
    expect(state('slow')).toMatchObject({ cursor: 1, interrupted: 0, runs: 1 });
  });

  it('a run stopped because the process is closing (no command time) is not counted against the hook', async () => {
    hooks([rec('slow', ['task.created'], 'block')]);
    t.ws.write(() => ensureHookState(t.ws.db, 'slow', loaded('slow').hash, 0));
    ev('task.create', 't-1');
    const ac = new AbortController();
    const run = drain(loaded('slow'), { signal: ac.signal });
    await started('slow');
    ac.abort();
    await run;
    expect(state('slow')).toMatchObject({ cursor: 0, interrupted: 0, runs: 0, failures: 0, last_error: null, lease_owner: null });
  });

  it('a hook with no cursor yet (a pre hook turned post) gets one at the newest event', async () => {
    hooks([rec('rec', ['task.created'])]);
    ev('task.create', 't-1');
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', 'an older definition', null));
    await drain(loaded('rec'));
    expect(seqsOf('rec')).toEqual([]);
    expect(state('rec')).toMatchObject({ cursor: 1, def_hash: loaded('rec').hash });
  });

  it('a cursor past the newest event is put back, and said', async () => {
    hooks([rec('rec', ['task.created'])]);
    ev('task.create', 't-1');
    t.ws.write(() => ensureHookState(t.ws.db, 'rec', loaded('rec').hash, 50));
    await drain(loaded('rec'));
    expect(state('rec').cursor).toBe(1);
    expect(stderr.join('')).toContain('flowmcp warn: hook rec: its delivery cursor (50) was past the newest event (1); it was put back to the newest');
  });

  it('the project closing while a hook runs: the answer is not recorded and nothing throws', async () => {
    hooks([rec('slow', ['task.created'], 'block')]);
    t.ws.write(() => ensureHookState(t.ws.db, 'slow', loaded('slow').hash, 0));
    ev('task.create', 't-1');
    const run = drain(loaded('slow'));
    await started('slow');
    t.ws.db.close();
    letGo('slow');
    await expect(run).resolves.toBeUndefined();
  });
});

describe('cursors at open and the backlog', () => {
  /** The hook state as this user's flowmcp left it on an earlier open (hook-owner.ts). */
  const mine = () => t.ws.write(() => setSetting(t.ws.db, 'hooks.owner', hookOwnerId()!));

  it('primeHookCursors gives every runnable post hook without a cursor one at the newest event, and leaves the others', async () => {
    hooks([rec('fresh', ['task.created']), rec('known', ['task.created']), rec('was-pre', ['task.created']), { name: 'guard', when: 'pre', events: ['*'], run: ['true'] }]);
    mine();
    writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks: [rec('untrusted', ['task.created'])] }));
    ev('task.create', 't-1');
    t.ws.write(() => {
      ensureHookState(t.ws.db, 'known', loaded('known').hash, 0);
      ensureHookState(t.ws.db, 'was-pre', loaded('was-pre').hash, null);
    });
    ev('task.create', 't-2');
    primeHookCursors(t.ws);
    expect(state('fresh').cursor).toBe(2);
    expect(state('was-pre').cursor).toBe(2);
    expect(state('known').cursor).toBe(0);
    expect(hookState(t.ws.db, 'guard')).toBeUndefined();
    expect(hookState(t.ws.db, 'untrusted')).toBeUndefined();
    // The first change after the hook was configured is delivered.
    const s = ev('task.create', 't-3');
    await drain(loaded('fresh'));
    expect(seqsOf('fresh')).toEqual([s]);
  });

  it('hook state this user did not write (a cloned flow.db: a planted cursor at 0) starts at the newest event, said once; the next state is kept', async () => {
    hooks([rec('notify', ['task.created'])]);
    for (const id of ['t-1', 't-2', 't-3']) ev('task.create', id);
    t.ws.write(() => ensureHookState(t.ws.db, 'notify', loaded('notify').hash, 0)); // as a repository would plant it
    primeHookCursors(t.ws);
    expect(state('notify').cursor).toBe(3);
    expect(stderr.join('')).toMatch(/hook delivery state that your flowmcp did not write .*notify start at the newest event \(3\), and earlier events were not sent/);
    await drain(loaded('notify'));
    expect(seqsOf('notify')).toEqual([]); // none of the repository's history
    // From then on the state is this user's: a backlog it leaves (an event not yet sent) is kept at the next open.
    const s = ev('task.create', 't-4');
    primeHookCursors(t.ws);
    expect(state('notify').cursor).toBe(3);
    await drain(loaded('notify'));
    expect(seqsOf('notify')).toEqual([s]);
  });

  it('primeHookCursors writes nothing when every hook has its cursor, and a broken config does not stop the project opening', () => {
    hooks([rec('known', ['task.created'])]);
    mine();
    t.ws.write(() => ensureHookState(t.ws.db, 'known', loaded('known').hash, 0));
    const write = vi.spyOn(t.ws, 'write');
    primeHookCursors(t.ws);
    expect(write).not.toHaveBeenCalled();
    writeFileSync(join(t.dir, 'cfg', 'config.json'), '{ "hooks": [ broken');
    expect(() => primeHookCursors(t.ws)).not.toThrow();
  });

  it('the backlog counts only the events a hook wants, by event and filter, after its cursor', () => {
    hooks([
      rec('created', ['task.created']),
      rec('flow-2', ['*'], 'ok', { filter: { flow_id: 'f-2' } }),
      rec('done', ['task.status_changed'], 'ok', { filter: { status: ['done', 'cancelled'] } }),
      rec('entity', ['*'], 'ok', { filter: { entity_id: 't-9' } }),
      rec('agent', ['*'], 'ok', { filter: { agent: 'test-agent' } }),
      rec('here', ['*'], 'ok', { filter: { project: t.ws.root } }),
      rec('elsewhere', ['*'], 'ok', { filter: { project: '/somewhere/else' } }),
    ]);
    ev('task.create', 't-1');
    ev('task.create', 't-9', { flow_id: 'f-2' });
    ev('task.set_status', 't-1', { changes: { status: ['todo', 'done'] } });
    ev('task.set_status', 't-1', { changes: { status: ['done', 'review'] } });
    ev('no.such_action', 't-1');
    const backlog = (name: string, cursor = 0) => backlogOf(t.ws, loaded(name), cursor);
    expect(Object.fromEntries(['created', 'flow-2', 'done', 'entity', 'agent', 'here', 'elsewhere'].map((n) => [n, backlog(n)]))).toEqual({
      created: 2,
      'flow-2': 1,
      done: 1,
      entity: 1,
      agent: 4,
      here: 4,
      elsewhere: 0,
    });
    expect(backlog('created', 1)).toBe(1);
    expect(backlog('created', 5)).toBe(0);
  });

  it(`the backlog reads at most ${BACKLOG_SCAN} events past the cursor`, () => {
    hooks([rec('all', ['flow.updated'])]);
    events(BACKLOG_SCAN + 500);
    expect(eventsAfter(t.ws.db, { after: 0, limit: 1 })[0]!.seq).toBe(1);
    expect(backlogOf(t.ws, loaded('all'), 0)).toBe(BACKLOG_SCAN);
    expect(backlogOf(t.ws, loaded('all'), 1000)).toBe(BACKLOG_SCAN - 500);
  });
});
