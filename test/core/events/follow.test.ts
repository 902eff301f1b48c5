// Following the event log from a position, as `flowmcp events --follow`, the SSE stream and resource
// subscriptions do: every event after `since`, in order, each once, whoever wrote it (this connection,
// another connection to the same file, another process); a page at a time, the next only once the
// consumer took the last; a busy consumer reads on afterwards; a filter narrows what is handed over but
// not how far the position moves; a stopped or failed follower hears nothing more, stalls no one, and
// lets the poll timer go. Real projects on disk, real writes through the core; waits are for conditions.
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caller } from '../../helpers/call.js';
import { waitFor } from '../../helpers/hooks.js';
import { CLI, assertBuilt } from '../../helpers/server.js';
import { workspacePerTest } from '../../helpers/workspace.js';
import { newestSeq, type EventFilter, type StreamEvent } from '../../../src/core/kernel/event-log.js';
import type { Workspace } from '../../../src/core/kernel/workspace.js';
import { followEvents, PAGE, PAGE_BYTES, type Follower } from '../../../src/core/events/follow.js';
import { POLL_MS, watchEvents } from '../../../src/core/events/watch.js';

const workspace = workspacePerTest();
const followers: Follower[] = [];
const unwatch: (() => void)[] = [];
afterEach(() => {
  for (const f of followers.splice(0)) f.stop();
  for (const u of unwatch.splice(0)) u();
  vi.useRealTimers();
});

/** Far longer than a poll (150 ms) ever takes, even on a loaded machine. */
const DEADLINE = 15_000;
const until = <T>(what: string, probe: () => T | undefined | false) => waitFor(what, probe, DEADLINE);

/** A project with a flow and a plan; `theirs` writes through a second connection to the same file. */
function project() {
  const t = workspace();
  const mine = caller(t.call);
  const flow = mine.ok('flow', { action: 'create', name: 'F' }).flow.id as string;
  const plan = mine.ok('plan', { action: 'create', title: 'P' }).plan.id as string;
  const other = workspace({ dir: t.dir });
  const theirs = caller(other.newCtx('other-agent'));
  const tasks = (c: typeof mine, n: number, prefix = 'task'): string[] =>
    c.ok('task', { action: 'create', plan_id: plan, tasks: Array.from({ length: n }, (_, i) => ({ title: `${prefix} ${i}` })) }).tasks.map((x: { id: string }) => x.id);
  return { t, other, mine, theirs, flow, plan, tasks, newest: () => newestSeq(t.ws.db) };
}

/** A follower that keeps what it is handed; `consume` may make it wait (returns a promise). */
function follow(ws: Workspace, opts: { since: number; filter?: EventFilter }, consume?: (page: StreamEvent[]) => void | Promise<void>) {
  const got: StreamEvent[] = [];
  const pages: number[] = [];
  const errors: unknown[] = [];
  const f = followEvents(ws, { ...opts, onError: (e) => void errors.push(e) }, (page) => {
    pages.push(page.length);
    got.push(...page);
    return consume?.(page);
  });
  followers.push(f);
  return { f, got, pages, errors, seqs: () => got.map((e) => e.seq) };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('followEvents', () => {
  it('hands over every event after `since`, in order and once: what the log holds, then each kind of change as another connection makes it', async () => {
    const { t, mine, theirs, flow, plan, tasks, newest } = project();
    const [a, b] = tasks(mine, 2);
    const s = follow(t.ws, { since: 1 }); // the flow's creation is before the position
    await until('the backlog', () => s.got.length === newest() - 1);
    expect(s.seqs()).toEqual(range(2, newest()));
    expect(s.got.map((e) => e.action)).toEqual(['plan.create', 'task.create', 'task.create']);

    theirs.ok('task', { action: 'set_status', id: a, status: 'done' });
    theirs.ok('plan', { action: 'update', id: plan, objective: 'ship' });
    theirs.ok('flow', { action: 'update', id: flow, description: 'the work' });
    theirs.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\ntext', flow_id: flow });
    theirs.ok('context', { action: 'save', summary: 'where we are', flow_id: flow });
    theirs.ok('snapshot', { action: 'create', label: 'now', flow_id: flow });
    await until('the changes from the other connection', () => s.got.length === newest() - 1);
    // Another round after the first: the position carries on from where it stood.
    theirs.ok('task', { action: 'depend', id: b, depends_on: a });
    await until('the second round', () => s.got.length === newest() - 1);

    expect(s.seqs()).toEqual(range(2, newest()));
    expect(s.f.position()).toBe(newest());
    expect(s.errors).toEqual([]);
    expect(new Set(s.got.map((e) => e.entity))).toEqual(new Set(['plan', 'task', 'flow', 'document', 'context', 'snapshot']));
    const done = s.got.find((e) => e.action === 'task.set_status')!;
    expect(done).toMatchObject({ entity: 'task', entity_id: a, flow_id: flow, agent: 'other-agent', changes: { status: ['todo', 'done'] } });
    expect(s.got.find((e) => e.action === 'flow.update')).toMatchObject({ entity_id: flow, flow_id: flow, changes: { description: expect.any(Array) } });
    expect(s.got.find((e) => e.action === 'task.depend')).toMatchObject({ entity_id: b, changes: { depends_on: [null, [a]] } });
    expect(s.got.filter((e) => e.entity === 'context')).toHaveLength(1);
  });

  it('an event another process writes (the CLI) arrives with who wrote it', async () => {
    assertBuilt();
    const { t, newest } = project();
    const s = follow(t.ws, { since: newest() });
    const r = spawnSync(process.execPath, [CLI, 'task', 'create', 'From the CLI', '--dir', t.dir], { encoding: 'utf8', input: '', env: { ...process.env, FLOW_AGENT: 'cli-agent' } });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const [e] = await until('the CLI\'s event', () => s.got.length > 0 && s.got);
    expect(e).toMatchObject({ action: 'task.create', entity: 'task', agent: 'cli-agent', seq: newest() });
    expect(s.got).toHaveLength(1);
  });

  it('a follower resumed from where another stopped gets the rest: nothing skipped, nothing twice', async () => {
    const { t, theirs, tasks, newest } = project();
    const first = follow(t.ws, { since: 0 });
    tasks(theirs, 3, 'early');
    await until('the first follower to catch up', () => first.got.length === newest());
    first.f.stop();
    const stoppedAt = first.f.position();
    tasks(theirs, 4, 'late');
    const second = follow(t.ws, { since: stoppedAt });
    await until('the rest', () => second.got.length === newest() - stoppedAt);
    expect([...first.seqs(), ...second.seqs()]).toEqual(range(1, newest()));
    expect(first.seqs()).toEqual(range(1, stoppedAt)); // the stopped one heard nothing more
  });

  it('a backlog longer than a page comes a page at a time, each only after the consumer took the last', async () => {
    const { t, tasks, newest } = project();
    tasks(caller(t.call), 2 * PAGE + 50);
    const total = newest();
    const order: string[] = [];
    const s = follow(t.ws, { since: 0 }, (page) => {
      order.push(`page of ${page.length}`);
      // A consumer that takes its time (a socket waiting to drain).
      return new Promise<void>((resolve) =>
        setTimeout(() => {
          order.push('taken');
          resolve();
        }, 20),
      );
    });
    await until('the whole backlog', () => s.got.length === total && order.length === 6);
    expect(order).toEqual([`page of ${PAGE}`, 'taken', `page of ${PAGE}`, 'taken', `page of ${total - 2 * PAGE}`, 'taken']);
    expect(s.seqs()).toEqual(range(1, total));
    await until('the position at the end', () => s.f.position() === total);
  });

  it('a backlog of big events comes in pages of at most PAGE_BYTES of their text, each in order and once', async () => {
    const { t, tasks, newest } = project();
    const c = caller(t.call);
    const [id] = tasks(c, 1);
    const since = newest();
    // Each update's event holds the description before and after: ~2 × 40 KB of text.
    for (let i = 0; i < 30; i++) c.ok('task', { action: 'update', id, description: `${'x'.repeat(40_000)} ${i}` });
    const total = newest();
    const sizes: number[] = [];
    const s = follow(t.ws, { since }, (page) => void sizes.push(page.reduce((n, e) => n + Buffer.byteLength(e.summary) + Buffer.byteLength(JSON.stringify(e.changes ?? null)), 0)));
    await until('the whole backlog', () => s.got.length === total - since);
    expect(s.seqs()).toEqual(range(since + 1, total));
    // Without the budget: one page of all 30 (~2.4 MB). With it, pages of three (~80 KB each), none past it.
    expect(s.pages.length).toBeGreaterThanOrEqual(10);
    for (const [i, n] of sizes.entries()) expect(n, `page ${i}`).toBeLessThanOrEqual(PAGE_BYTES);
  });

  it('events that come while the consumer is busy are read on once it is done: nothing missed, nothing twice', async () => {
    const { t, theirs, tasks, newest } = project();
    let release: (() => void) | undefined;
    const s = follow(t.ws, { since: newest() }, () => {
      if (release) return;
      return new Promise<void>((resolve) => (release = resolve));
    });
    tasks(theirs, 1, 'first');
    await until('the first event, held by its consumer', () => release !== undefined);
    tasks(theirs, 2, 'while busy');
    const target = newest();
    // A listener after the follower's on the same poller: once it hears `target`, the follower was told too.
    const heard: number[] = [];
    unwatch.push(watchEvents(t.ws, (n) => void heard.push(n)));
    await until('the poll to notice the new events', () => heard.includes(target));
    expect(s.got).toHaveLength(1);
    release!();
    await until('the events that came meanwhile', () => s.got.length === 3);
    expect(s.seqs()).toEqual(range(target - 2, target));
    await until('the position at the end', () => s.f.position() === target);
  });

  it('a filter hands over only what matches, never an empty page, yet the position moves past the rest', async () => {
    const { t, mine, theirs, flow, tasks, newest } = project();
    const g = mine.ok('flow', { action: 'create', name: 'G' }).flow.id as string;
    const q = mine.ok('plan', { action: 'create', title: 'Q', flow_id: g }).plan.id as string;
    tasks(mine, 2);
    const inF = follow(t.ws, { since: 0, filter: { flow_id: flow } });
    const inG = follow(t.ws, { since: 0, filter: { flow_id: g } });
    const contexts = follow(t.ws, { since: 0, filter: { entity: 'context' } });
    await until('both caught up', () => inF.f.position() === newest() && inG.f.position() === newest() && contexts.f.position() === newest());
    expect(inF.got.map((e) => e.action)).toEqual(['flow.create', 'plan.create', 'task.create', 'task.create']);
    expect(inG.got.map((e) => e.action)).toEqual(['flow.create', 'plan.create']);
    expect(contexts.got).toEqual([]);

    // Changes in G only: F's follower moves on without being handed anything.
    theirs.ok('task', { action: 'create', title: 'in G', plan_id: q });
    theirs.ok('plan', { action: 'update', id: q, objective: 'g' });
    await until('F\'s follower to move past them', () => inF.f.position() === newest());
    await until('G\'s follower to get them', () => inG.got.length === 4);
    expect(inF.got).toHaveLength(4);
    theirs.ok('context', { action: 'save', summary: 'F so far', flow_id: flow });
    await until('the context event', () => contexts.got.length === 1 && inF.got.length === 5);
    expect(contexts.got[0]).toMatchObject({ action: 'context.save', flow_id: flow });
    for (const s of [inF, inG, contexts]) expect(s.pages.every((n) => n > 0)).toBe(true);
    expect(inG.got.every((e) => e.flow_id === g)).toBe(true);
  });

  it('a consumer that fails stops its follower and says so once; the others go on', async () => {
    const { t, theirs, tasks, newest } = project();
    const broken = new Error('consumer broke');
    const bad = follow(t.ws, { since: newest() }, () => {
      throw broken;
    });
    const good = follow(t.ws, { since: newest() });
    tasks(theirs, 1, 'one');
    await until('the good follower to get it', () => good.got.length === 1);
    await until('the failure to be said', () => bad.errors.length === 1);
    expect(bad.errors).toEqual([broken]);
    tasks(theirs, 2, 'more');
    await until('the good follower to get the rest', () => good.got.length === 3);
    expect(good.seqs()).toEqual(range(newest() - 2, newest()));
    expect(bad.got).toHaveLength(1); // only the page it failed on
    expect(bad.errors).toHaveLength(1);
  });

  it('a log that cannot be read stops the follower with the fault; followers started later are not held up', async () => {
    const { t, other, theirs, tasks, newest } = project();
    other.ws.db.exec('ALTER TABLE events RENAME TO events_aside');
    const bad = follow(t.ws, { since: 0 });
    await until('the fault to be said', () => bad.errors.length === 1);
    expect((bad.errors[0] as Error).message).toMatch(/events/);
    other.ws.db.exec('ALTER TABLE events_aside RENAME TO events');
    const good = follow(t.ws, { since: newest() });
    tasks(theirs, 1);
    await until('the later follower to get the new event', () => good.got.length === 1);
    expect(bad.got).toEqual([]);
    expect(bad.errors).toHaveLength(1);
  });

  it('stop() ends it there, even in the middle of a backlog', async () => {
    const { t, tasks, newest } = project();
    tasks(caller(t.call), 2 * PAGE + 50);
    let stopNow = () => undefined as void;
    const s = follow(t.ws, { since: 0 }, () => new Promise<void>((resolve) => setImmediate(() => (stopNow(), resolve()))));
    stopNow = () => s.f.stop(); // while the consumer holds the first page (a stream closing while it drains)
    const probe = follow(t.ws, { since: 0 });
    await until('another follower to get the whole backlog', () => probe.got.length === newest());
    tasks(caller(t.call), 1, 'after');
    await until('another follower to get a later event', () => probe.got.length === newest());
    expect(s.pages).toEqual([PAGE]);
    expect(s.f.position()).toBe(PAGE);
  });

  it('stopping, or failing, lets the poll timer go; a stopped follower is handed nothing more', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const { t, mine, tasks, newest } = project();
    const a = follow(t.ws, { since: newest() });
    const b = follow(t.ws, { since: 0 }, () => {
      throw new Error('no');
    });
    expect(b.errors).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(1); // a's, shared with no one now
    tasks(mine, 1);
    vi.advanceTimersByTime(POLL_MS);
    await until('a to get the new event', () => a.got.length === 1);
    a.f.stop();
    expect(vi.getTimerCount()).toBe(0);
    tasks(mine, 1);
    vi.advanceTimersByTime(POLL_MS * 3);
    // Nothing can be handed over any more: no poll is left to notice, and a's position stays.
    expect(a.got).toHaveLength(1);
    expect(a.f.position()).toBe(newest() - 1);
  });
});
