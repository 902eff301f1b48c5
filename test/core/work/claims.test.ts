import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let clock: ManualClock;
let ids: string[];
beforeEach(() => {
  clock = new ManualClock();
  t = tempWorkspace({ clock });
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
  ids = ok('task', {
    action: 'create',
    tasks: [{ title: 'one', priority: 'high' }, { title: 'two' }, { title: 'three', depends_on: ['#1'] }],
  }).tasks.map((x: { id: string }) => x.id);
});
afterEach(() => t.cleanup());

describe('task claim / release', () => {
  it('claim without id takes the next ready task; a second agent gets the next one, never the same', () => {
    const alice = caller(t.call);
    const bob = caller(t.newCtx('bob'));
    const a = alice.ok('task', { action: 'claim', agent: 'alice' });
    expect(a.task).toMatchObject({ id: ids[0], status: 'in_progress', claim: { agent: 'alice', active: true } });
    const b = bob.ok('task', { action: 'claim', agent: 'bob' });
    expect(b.task.id).toBe(ids[1]);
    // 'three' waits on 'one': nothing left for a third agent, and it is told why.
    const c = caller(t.newCtx('carol')).ok('task', { action: 'claim', agent: 'carol' });
    expect(c.task).toBeNull();
    expect(c.reason).toMatch(/2 in progress \(2 claimed\).*1 waiting/);
    // Claimed work is not offered by next either.
    expect(alice.ok('task', { action: 'next' }).task).toBeNull();
  });

  it('a status change on another agent\'s live claim warns, and says when it ends that claim', () => {
    const alice = caller(t.newCtx('alice'));
    const bob = caller(t.newCtx('bob'));
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 600 });
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[1], lease_seconds: 600 });
    // The holder's own change warns of nothing.
    expect(alice.ok('task', { action: 'set_status', id: ids[0], status: 'review' }).warnings).toBeUndefined();
    const blocked = bob.ok('task', { action: 'set_status', id: ids[0], status: 'blocked' });
    expect(blocked.warnings).toEqual([expect.stringMatching(new RegExp(`^${ids[0]} is claimed by alice until [^;]+\\.$`))]);
    const done = bob.ok('task', { action: 'set_status', id: ids[1], status: 'done' });
    expect(done.warnings).toEqual([expect.stringMatching(new RegExp(`^${ids[1]} is claimed by alice until .+; finishing it releases that claim\\.$`))]);
    expect(done.task.claim ?? null).toBeNull();
    const cancelled = bob.ok('task', { action: 'set_status', id: ids[0], status: 'cancelled' });
    expect(cancelled.warnings).toEqual([expect.stringMatching(/; cancelling it releases that claim\.$/)]);
  });
  it('a session finishing a task it claimed under another name than its client\'s (as the README\'s claude-1) is not warned; another session still is', () => {
    const window = caller(t.newCtx('claude-code'));
    window.ok('task', { action: 'claim', agent: 'claude-1', id: ids[0], lease_seconds: 600 });
    window.ok('task', { action: 'claim', agent: 'claude-1', id: ids[1], lease_seconds: 600 });
    const done = window.ok('task', { action: 'set_status', id: ids[0], status: 'done' });
    expect(done.warnings).toBeUndefined();
    expect(done.task.claim ?? null).toBeNull();
    // The same agent name from another session (a second window) is not this session's claim.
    const other = caller(t.newCtx('claude-code')).ok('task', { action: 'set_status', id: ids[1], status: 'done' });
    expect(other.warnings).toEqual([expect.stringMatching(new RegExp(`^${ids[1]} is claimed by claude-1 until .+; finishing it releases that claim\\.$`))]);
  });

  it('another agent cannot claim a live claim; nothing changes and the holder is named', () => {
    const alice = caller(t.call);
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 600 });
    const before = dumpDb(t.ws);
    const e = caller(t.newCtx('bob')).fail('task', { action: 'claim', agent: 'bob', id: ids[0] });
    expect(e.code).toBe('claimed');
    expect(e.message).toMatch(/claimed by alice until 2026-01-01T00:10:00.000Z/);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('an expired lease can be reclaimed by another agent, and the takeover is recorded', () => {
    caller(t.call).ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    clock.advance(59_000);
    expect(caller(t.newCtx('bob')).fail('task', { action: 'claim', agent: 'bob', id: ids[0] }).code).toBe('claimed');
    clock.advance(2_000);
    // The abandoned in-progress task is offered again, ahead of lower-priority work.
    const r = caller(t.newCtx('bob')).ok('task', { action: 'claim', agent: 'bob' });
    expect(r.task.id).toBe(ids[0]);
    expect(r.claim).toMatchObject({ agent: 'bob', took_over_from: 'alice', expires_at: '2026-01-01T00:31:01.000Z' });
  });

  it('the holder can renew; release puts in-progress work back in the queue; only the holder may release', () => {
    const alice = caller(t.call);
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[1], lease_seconds: 60 });
    clock.advance(30_000);
    const renewed = alice.ok('task', { action: 'claim', agent: 'alice', id: ids[1], lease_seconds: 60 });
    expect(renewed.claim).toMatchObject({ renewed: true, expires_at: '2026-01-01T00:01:30.000Z' });
    expect(caller(t.newCtx('bob')).fail('task', { action: 'release', id: ids[1], agent: 'bob' }).code).toBe('claimed');
    const rel = alice.ok('task', { action: 'release', id: ids[1], agent: 'alice' });
    expect(rel.task).toMatchObject({ status: 'todo' });
    expect(rel.task).not.toHaveProperty('claim');
    expect(caller(t.newCtx('bob')).ok('task', { action: 'claim', agent: 'bob', id: ids[1] }).task.claim.agent).toBe('bob');
  });

  it('refuses to claim a task whose dependencies are unfinished, naming them', () => {
    const e = caller(t.call).fail('task', { action: 'claim', agent: 'alice', id: ids[2] });
    expect(e.code).toBe('not_ready');
    expect(e.message).toContain(ids[0]);
  });

  it('completing a task ends its claim', () => {
    const alice = caller(t.call);
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0] });
    expect(alice.ok('task', { action: 'set_status', id: ids[0], status: 'done' }).task.claim).toBeUndefined();
  });

  it('a lease ends at exactly its expiry time: a millisecond before it holds, at the instant it is up for grabs', () => {
    const alice = caller(t.call);
    const bob = caller(t.newCtx('bob'));
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    clock.advance(59_999);
    expect(bob.fail('task', { action: 'claim', agent: 'bob', id: ids[0] }).code).toBe('claimed');
    expect(bob.ok('task', { action: 'next' }).task.id).toBe(ids[1]);
    expect(alice.ok('task', { action: 'get', id: ids[0] }).task.claim).toMatchObject({ agent: 'alice', active: true });
    clock.advance(1); // now == claim_expires_at
    expect(alice.ok('task', { action: 'get', id: ids[0] }).task.claim).toMatchObject({ agent: 'alice', active: false });
    // next offers it again (it is high priority), and claim agrees: next and claim share one notion of "expired".
    expect(bob.ok('task', { action: 'next' }).task.id).toBe(ids[0]);
    const r = bob.ok('task', { action: 'claim', agent: 'bob', id: ids[0] });
    expect(r.claim).toMatchObject({ agent: 'bob', took_over_from: 'alice', renewed: false });
  });

  it('the holder claiming again after its own lease ran out is a fresh claim, not a renewal', () => {
    const alice = caller(t.call);
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    clock.advance(60_000);
    const again = alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    expect(again.claim).toEqual({ agent: 'alice', expires_at: '2026-01-01T00:02:00.000Z', renewed: false });
  });

  it('a task whose dependency was cancelled is neither offered by next nor claimable: next and claim agree', () => {
    const { ok, fail } = caller(t.call);
    // 'three' depends on 'one'; cancel 'one' and finish 'two' so 'three' is the only candidate left.
    ok('task', { action: 'set_status', id: ids[0], status: 'cancelled' });
    ok('task', { action: 'set_status', id: ids[1], status: 'done' });
    const n = ok('task', { action: 'next' });
    expect(n.task).toBeNull();
    expect(n.reason).toMatch(/1 waiting on unfinished dependencies/);
    const e = fail('task', { action: 'claim', agent: 'alice', id: ids[2] });
    expect(e.code).toBe('not_ready');
    expect(e.message).toContain(`${ids[0]} (cancelled)`);
    expect(e.details).toMatchObject({ waiting_on: [ids[0]], waiting_count: 1 });
    expect(e.hint).toBe('Claim one of those first, or claim without id to take the next ready task.');
    expect(ok('task', { action: 'claim', agent: 'alice' }).task).toBeNull();
    // Dropping the cancelled dependency makes it ready for both at once.
    ok('task', { action: 'undepend', id: ids[2], depends_on: [ids[0]] });
    expect(ok('task', { action: 'next' }).task.id).toBe(ids[2]);
    expect(ok('task', { action: 'claim', agent: 'alice' }).task.id).toBe(ids[2]);
  });

  it('done, cancelled and blocked tasks cannot be claimed by id; review work can', () => {
    const { ok, fail } = caller(t.call);
    for (const status of ['done', 'cancelled', 'blocked'] as const) {
      ok('task', { action: 'set_status', id: ids[1], status });
      const e = fail('task', { action: 'claim', agent: 'alice', id: ids[1] });
      expect(e.code).toBe('not_ready');
      expect(e.message).toContain(`is ${status}`);
      expect(e.hint).toMatch(status === 'blocked' ? /Set its status to todo/ : /task next/);
    }
    ok('task', { action: 'set_status', id: ids[1], status: 'review' });
    const r = ok('task', { action: 'claim', agent: 'alice', id: ids[1] });
    expect(r.task).toMatchObject({ status: 'review', claim: { agent: 'alice' } });
    // Releasing review work keeps it in review.
    expect(ok('task', { action: 'release', agent: 'alice', id: ids[1] }).task.status).toBe('review');
  });

  it('a refused claim says who holds it until when, in the message and in details', () => {
    caller(t.call).ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    const e = caller(t.newCtx('bob')).fail('task', { action: 'claim', agent: 'bob', id: ids[0] });
    expect(e.details).toEqual({ claimed_by: 'alice', expires_at: '2026-01-01T00:01:00.000Z' });
    expect(e.hint).toMatch(/wait for the lease to expire/);
  });

  it('a first claim is no renewal and no takeover; a done dependency does not hold a claim back', () => {
    const { ok } = caller(t.call);
    const first = ok('task', { action: 'claim', agent: 'alice', id: ids[1] });
    expect(first.claim).toEqual({ agent: 'alice', expires_at: '2026-01-01T00:30:00.000Z', renewed: false });
    ok('task', { action: 'set_status', id: ids[0], status: 'done' });
    expect(ok('task', { action: 'claim', agent: 'alice', id: ids[2] }).task).toMatchObject({ id: ids[2], status: 'in_progress' });
  });

  it('an id with a scope must lie in it: another flow or plan is refused; without a scope any flow is fine', () => {
    const { ok, fail } = caller(t.call);
    const flowF = ok('task', { action: 'get', id: ids[0] }).task.flow_id;
    const planP = ok('task', { action: 'get', id: ids[0] }).task.plan_id;
    const otherPlan = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    const g = ok('flow', { action: 'create', name: 'G' }).flow.id;
    ok('plan', { action: 'create', title: 'PG' });
    const before = dumpDb(t.ws);
    const e1 = fail('task', { action: 'claim', agent: 'alice', id: ids[0], flow_id: g });
    expect(e1.code).toBe('invalid_input');
    expect(e1.message).toBe(`Task ${ids[0]} is not in flow ${g}. Nothing was changed.`);
    const e2 = fail('task', { action: 'claim', agent: 'alice', id: ids[0], plan_id: otherPlan });
    expect(e2.message).toBe(`Task ${ids[0]} is not in plan ${otherPlan}. Nothing was changed.`);
    expect(e2.hint).toMatch(/Leave out flow_id\/plan_id/);
    expect(dumpDb(t.ws)).toEqual(before);
    // The session is now in flow G; a task of flow F named by id alone, or with its own scope, is claimed.
    expect(ok('task', { action: 'claim', agent: 'alice', id: ids[0] }).task.id).toBe(ids[0]);
    expect(ok('task', { action: 'claim', agent: 'alice', id: ids[1], flow_id: flowF, plan_id: planP }).task.id).toBe(ids[1]);
  });

  it('claim and release are logged with who, what and before → after', () => {
    const alice = caller(t.call);
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[0], lease_seconds: 60 });
    alice.ok('task', { action: 'release', agent: 'alice', id: ids[0] });
    clock.advance(1_000);
    alice.ok('task', { action: 'claim', agent: 'alice', id: ids[1], lease_seconds: 60 });
    clock.advance(60_000);
    caller(t.newCtx('bob')).ok('task', { action: 'claim', agent: 'bob', id: ids[1], lease_seconds: 60 });
    const rows = t.ws.db.prepare("SELECT action, entity, entity_id, summary, changes FROM events WHERE action LIKE 'task.%' AND action != 'task.create' ORDER BY seq").all() as Record<string, string>[];
    expect(rows.map((r) => ({ ...r, changes: JSON.parse(r.changes!) }))).toEqual([
      { action: 'task.claim', entity: 'task', entity_id: ids[0], summary: 'alice claimed task "one" until 2026-01-01T00:01:00.000Z', changes: { claimed_by: [null, 'alice'], status: ['todo', 'in_progress'] } },
      { action: 'task.claim', entity: 'task', entity_id: ids[0], summary: 'alice renewed its claim on task "one" until 2026-01-01T00:01:00.000Z', changes: { claimed_by: ['alice', 'alice'], status: ['in_progress', 'in_progress'] } },
      { action: 'task.release', entity: 'task', entity_id: ids[0], summary: "alice's claim on task \"one\" released", changes: { claimed_by: ['alice', null], status: ['in_progress', 'todo'] } },
      { action: 'task.claim', entity: 'task', entity_id: ids[1], summary: 'alice claimed task "two" until 2026-01-01T00:01:01.000Z', changes: { claimed_by: [null, 'alice'], status: ['todo', 'in_progress'] } },
      { action: 'task.claim', entity: 'task', entity_id: ids[1], summary: 'bob claimed task "two" until 2026-01-01T00:02:01.000Z (expired claim of alice)', changes: { claimed_by: ['alice', 'bob'], status: ['in_progress', 'in_progress'] } },
    ]);
  });

  it('releasing a task nobody holds says so and changes nothing; a non-holder is told who holds it', () => {
    const { ok } = caller(t.call);
    const before = dumpDb(t.ws);
    const r = ok('task', { action: 'release', agent: 'alice', id: ids[0] });
    expect(r.reason).toBe(`Task ${ids[0]} was not claimed; nothing to release.`);
    expect(dumpDb(t.ws)).toEqual(before);
    ok('task', { action: 'claim', agent: 'alice', id: ids[0] });
    const e = caller(t.newCtx('bob')).fail('task', { action: 'release', agent: 'bob', id: ids[0] });
    expect(e.message).toBe(`Task ${ids[0]} is claimed by alice, not bob. Nothing was changed.`);
    expect(e.hint).toContain('pass agent "alice" if that is you');
  });
});

describe('the resume briefing and claims', () => {
  it('names the holder of a live claim; once the lease ran out the task is listed once, under In progress marked free to take (not again under Next ready)', () => {
    const { ok } = caller(t.call);
    ok('task', { action: 'claim', agent: 'agent-alpha', id: ids[0], lease_seconds: 60 });
    const live = ok('context', { action: 'resume' }).text as string;
    expect(live).toMatch(new RegExp(`In progress:\\n- ${ids[0]} one \\(claimed by agent-alpha\\)`));
    clock.advance(61_000);
    const expired = ok('context', { action: 'resume' }).text as string;
    expect(expired).not.toContain('claimed by');
    expect(expired).toMatch(new RegExp(`In progress:\\n- ${ids[0]} one \\(claim ran out, free to take\\)\\n`));
    expect(expired.split(ids[0]!).length - 1, expired).toBe(1);
    // Next ready still lists the other ready task (the one left out does not shorten the list).
    expect(expired).toMatch(new RegExp(`Next ready:\\n- ${ids[1]} \\[medium\\] two`));
    // A task set in progress without a claim is neither marked nor ready.
    ok('task', { action: 'set_status', id: ids[1], status: 'in_progress' });
    const unclaimed = ok('context', { action: 'resume' }).text as string;
    expect(unclaimed).toMatch(new RegExp(`- ${ids[1]} two\\n`));
  });
});
