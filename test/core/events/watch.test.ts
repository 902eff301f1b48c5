// Noticing new events, whoever wrote them: one poll timer per open workspace, shared by its listeners,
// each told the newest seq when it changes (and once at first, where the log stands); a listener that
// throws does not silence the others; a log that cannot be read is said once and retried; the timer
// goes when the last listener leaves or the workspace closes. Real projects on disk; writes made through
// the core on a second connection to the same file (as another process's would arrive). The poll timer
// is a fake one here, moved a poll at a time, so "nothing more was said" is an exact statement.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, workspacePerTest } from '../../helpers/workspace.js';
import { newestSeq } from '../../../src/core/kernel/event-log.js';
import { POLL_MS, watchEvents } from '../../../src/core/events/watch.js';
import { log } from '../../../src/log.js';

const workspace = workspacePerTest();

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** One poll of the shared timer (or `n`). */
const poll = (n = 1) => vi.advanceTimersByTime(POLL_MS * n);

/** A project with one flow, and a second connection to the same file that writes through the core. */
function project() {
  const t = workspace();
  const mine = caller(t.call);
  const flow = mine.ok('flow', { action: 'create', name: 'F' }).flow.id as string;
  const other = workspace({ dir: t.dir });
  const theirs = caller(other.call);
  return { t, other, mine, theirs, flow, newest: () => newestSeq(t.ws.db) };
}

/** A listener that keeps what it is told. */
function listener() {
  const heard: number[] = [];
  const fn = (n: number) => void heard.push(n);
  return { heard, fn };
}

describe('watchEvents', () => {
  it('tells a listener where the log stands on the first poll, then once per change, whichever connection wrote it', () => {
    const { t, theirs, mine, flow, newest } = project();
    expect(newest()).toBe(1);
    const l = listener();
    const stop = watchEvents(t.ws, l.fn);
    expect(l.heard).toEqual([]);
    poll();
    expect(l.heard).toEqual([1]);
    poll(3);
    expect(l.heard).toEqual([1]); // nothing new: nothing said
    const plan = theirs.ok('plan', { action: 'create', title: 'P', flow_id: flow }).plan.id;
    poll();
    expect(l.heard).toEqual([1, 2]);
    // Several writes between two polls: one call, with the newest seq.
    theirs.ok('task', { action: 'create', tasks: [{ title: 'A' }, { title: 'B' }], plan_id: plan });
    mine.ok('context', { action: 'save', summary: 'S', flow_id: flow });
    poll(2);
    expect(l.heard).toEqual([1, 2, newest()]);
    expect(newest()).toBeGreaterThan(3);
    stop();
  });

  it('one timer per workspace however many listen; each unsubscribed listener hears nothing more; the timer goes with the last one', () => {
    const { t, other, theirs, flow } = project();
    const a = listener();
    const b = listener();
    const stopA = watchEvents(t.ws, a.fn);
    const stopB = watchEvents(t.ws, b.fn);
    expect(vi.getTimerCount()).toBe(1);
    poll();
    expect(a.heard).toEqual([1]);
    expect(b.heard).toEqual([1]);
    // A listener arriving while the timer runs does not make the others hear the same seq again.
    const c = listener();
    const stopC = watchEvents(t.ws, c.fn);
    expect(vi.getTimerCount()).toBe(1);
    poll(2);
    expect(a.heard).toEqual([1]);

    stopA();
    expect(vi.getTimerCount()).toBe(1);
    theirs.ok('plan', { action: 'create', title: 'P', flow_id: flow });
    poll();
    expect(a.heard).toEqual([1]);
    expect(b.heard).toEqual([1, 2]);
    expect(c.heard).toEqual([2]);

    stopB();
    stopC();
    expect(vi.getTimerCount()).toBe(0);
    theirs.ok('plan', { action: 'create', title: 'Q', flow_id: flow });
    poll(3);
    expect([a.heard, b.heard, c.heard]).toEqual([[1], [1, 2], [2]]);

    // A newcomer after everyone left is told where the log stands, by a new timer.
    const d = listener();
    const stopD = watchEvents(t.ws, d.fn);
    expect(vi.getTimerCount()).toBe(1);
    poll();
    expect(d.heard).toEqual([3]);
    stopD();
    expect(vi.getTimerCount()).toBe(0);
    // Each workspace has its own timer and its own listeners.
    const e = listener();
    const stopE = watchEvents(other.ws, e.fn);
    const f = listener();
    const stopF = watchEvents(t.ws, f.fn);
    expect(vi.getTimerCount()).toBe(2);
    stopE();
    poll();
    expect(e.heard).toEqual([]);
    expect(f.heard).toEqual([3]);
    stopF();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a listener that throws does not silence the others, nor itself; the fault goes to stderr with its stack', () => {
    const { t, theirs, flow } = project();
    const errors: string[] = [];
    vi.spyOn(log, 'error').mockImplementation((m) => void errors.push(m));
    let throwing: unknown = new Error('listener broke');
    const thrownAt: number[] = [];
    const stopBad = watchEvents(t.ws, (n) => {
      thrownAt.push(n);
      throw throwing;
    });
    const good = listener();
    const stopGood = watchEvents(t.ws, good.fn);
    poll();
    expect(good.heard).toEqual([1]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain('event stream: a follower failed: Error: listener broke');
    expect(errors[0]).toMatch(/\n\s+at /); // the stack, for finding the fault
    // Something thrown that is not an Error is said as it is.
    throwing = 'plain words';
    theirs.ok('plan', { action: 'create', title: 'P', flow_id: flow });
    poll();
    expect(thrownAt).toEqual([1, 2]);
    expect(good.heard).toEqual([1, 2]);
    expect(errors[1]).toBe('event stream: a follower failed: plain words');
    stopBad();
    stopGood();
  });

  it('a log that cannot be read is said once however many polls fail, retried each poll, and said again after it came back and failed anew', () => {
    const { t, other, theirs, flow } = project();
    const warnings: string[] = [];
    vi.spyOn(log, 'warn').mockImplementation((m) => void warnings.push(m));
    // Another connection takes the events table away (as a damaged file or a half-finished swap would).
    other.ws.db.exec('ALTER TABLE events RENAME TO events_aside');
    const l = listener();
    const stop = watchEvents(t.ws, l.fn);
    poll(4);
    expect(l.heard).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^event stream: cannot read the event log \(.*events.*\); retrying$/);

    other.ws.db.exec('ALTER TABLE events_aside RENAME TO events');
    poll();
    expect(l.heard).toEqual([1]);
    theirs.ok('plan', { action: 'create', title: 'P', flow_id: flow });
    poll();
    expect(l.heard).toEqual([1, 2]);
    expect(warnings).toHaveLength(1);

    other.ws.db.exec('ALTER TABLE events RENAME TO events_aside');
    poll(3);
    expect(warnings).toHaveLength(2);
    other.ws.db.exec('ALTER TABLE events_aside RENAME TO events');
    poll();
    expect(l.heard).toEqual([1, 2]); // back as it was: nothing new to tell
    stop();
  });

  it('closing the workspace stops its timer, without a word and without reading the closed database', () => {
    const t = tempWorkspace();
    const warnings: string[] = [];
    vi.spyOn(log, 'warn').mockImplementation((m) => void warnings.push(m));
    const l = listener();
    watchEvents(t.ws, l.fn);
    poll();
    expect(l.heard).toEqual([0]); // an empty log stands at 0
    expect(vi.getTimerCount()).toBe(1);
    t.cleanup();
    poll(3);
    expect(vi.getTimerCount()).toBe(0);
    expect(warnings).toEqual([]);
    expect(l.heard).toEqual([0]);
  });
});
