import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock();
  t = tempWorkspace({ clock });
});
afterEach(() => t.cleanup());

describe('flow', () => {
  it('create makes the new flow current, and get reports plan/task counts and progress', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'Auth rewrite', description: 'OAuth' });
    expect(f.flow.id).toMatch(/^f-[a-z0-9]{4,}$/);
    expect(f.current).toEqual({ flow_id: f.flow.id, plan_id: null });
    ok('plan', { action: 'create', title: 'Backend' });
    ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b' }, { title: 'c' }, { title: 'd' }] });
    const list = ok('task', { action: 'list' }).tasks;
    ok('task', { action: 'set_status', id: list[0].id, status: 'done' });
    ok('task', { action: 'set_status', id: list[1].id, status: 'cancelled' });
    const g = ok('flow', { action: 'get' });
    expect(g.flow.counts).toMatchObject({ total: 4, done: 1, cancelled: 1, todo: 2, progress: 33 });
    expect(g.flow.plans).toHaveLength(1);
    expect(g.flow.plans[0]).toMatchObject({ title: 'Backend', tasks: 4, position: 1 });
  });

  it('list pages with a cursor: every flow exactly once, newest first, filtered by status', () => {
    const { ok } = caller(t.call);
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(1000);
      ids.push(ok('flow', { action: 'create', name: `flow ${i}` }).flow.id);
    }
    ok('flow', { action: 'archive', id: ids[0] });
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = ok('flow', { action: 'list', limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.flows.map((f: { id: string }) => f.id));
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const active = ok('flow', { action: 'list', status: 'active' }).flows.map((f: { id: string }) => f.id);
    expect(active).toHaveLength(6);
    expect(active).not.toContain(ids[0]);
    expect(ok('flow', { action: 'list', status: 'archived' }).flows.map((f: { id: string }) => f.id)).toEqual([ids[0]]);
  });

  it('a garbled cursor is refused with advice, not treated as page one', () => {
    const { fail } = caller(t.call);
    const e = fail('flow', { action: 'list', cursor: 'not-a-cursor' });
    expect(e.code).toBe('invalid_input');
    expect(e.hint).toMatch(/next_cursor/);
  });

  it('update with a stale expected_revision is a conflict carrying the current row, and changes nothing', () => {
    const { ok, fail } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'one' }).flow;
    const u = ok('flow', { action: 'update', id: f.id, name: 'two', expected_revision: 1 }).flow;
    expect(u).toMatchObject({ name: 'two', revision: 2 });
    const before = dumpDb(t.ws);
    const e = fail('flow', { action: 'update', id: f.id, name: 'three', expected_revision: 1 });
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/revision 2, not 1/);
    expect(e.details?.current).toMatchObject({ id: f.id, name: 'two', revision: 2 });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('delete needs confirm: true; without it nothing is deleted, with it plans and tasks go too', () => {
    const { ok, fail } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'doomed' }).flow;
    ok('plan', { action: 'create', title: 'p' });
    ok('task', { action: 'create', title: 'x' });
    const before = dumpDb(t.ws);
    const e = fail('flow', { action: 'delete', id: f.id });
    expect(e.code).toBe('confirm_required');
    expect(e.message).toMatch(/1 plan and 1 task\b/);
    expect(dumpDb(t.ws)).toEqual(before);
    const d = ok('flow', { action: 'delete', id: f.id, confirm: true });
    expect(d.deleted).toMatchObject({ kind: 'flow', id: f.id, plans: 1, tasks: 1 });
    expect(d.current).toEqual({ flow_id: null, plan_id: null });
    expect(t.ws.db.prepare('SELECT COUNT(*) AS n FROM tasks').get()).toEqual({ n: 0 });
    // Their search entries go too: nothing deleted can still turn up in search.
    expect(t.ws.db.prepare('SELECT COUNT(*) AS n FROM chunks').get()).toEqual({ n: 0 });
    expect(t.ws.db.prepare("SELECT COUNT(*) AS n FROM chunks_fts WHERE chunks_fts MATCH 'x'").get()).toEqual({ n: 0 });
    expect(fail('flow', { action: 'get', id: f.id }).code).toBe('not_found');
  });

  it('an unknown id names the closest existing one', () => {
    const { ok, fail } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'Payments' }).flow;
    const typo = f.id.slice(0, -1) + (f.id.endsWith('z') ? 'y' : 'z');
    const e = fail('flow', { action: 'switch', id: typo });
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(`Did you mean ${f.id}`);
  });

  it('every mutation is in the event log with who, what and before → after', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'A' }).flow;
    ok('flow', { action: 'update', id: f.id, name: 'B' });
    ok('flow', { action: 'archive', id: f.id });
    const rows = t.ws.db.prepare("SELECT action, agent, summary, changes FROM events ORDER BY seq").all() as { action: string; agent: string; summary: string; changes: string }[];
    expect(rows.map((r) => r.action)).toEqual(['flow.create', 'flow.update', 'flow.update']);
    expect(rows.every((r) => r.agent === 'test-agent')).toBe(true);
    expect(JSON.parse(rows[1]!.changes)).toEqual({ name: ['A', 'B'] });
    expect(JSON.parse(rows[2]!.changes)).toEqual({ status: ['active', 'archived'] });
  });
});

/** The events of one action, oldest first, as the log stores them. */
function events(action: string): { entity_id: string; summary: string; changes: unknown }[] {
  const rows = t.ws.db.prepare('SELECT entity_id, summary, changes FROM events WHERE action = ? ORDER BY seq').all(action) as { entity_id: string; summary: string; changes: string | null }[];
  return rows.map((r) => ({ ...r, changes: r.changes === null ? null : JSON.parse(r.changes) }));
}

describe('flow answers, log and switching', () => {
  it('create, update (even one that changes nothing) and switch answer with task counts; no description, no field', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'F' }).flow;
    expect(f).not.toHaveProperty('description');
    expect(f.counts).toMatchObject({ total: 0, progress: 0 });
    ok('plan', { action: 'create', title: 'P' });
    ok('task', { action: 'create', title: 'x' });
    expect(ok('flow', { action: 'update', id: f.id, name: 'F2' }).flow.counts).toMatchObject({ total: 1, todo: 1 });
    expect(ok('flow', { action: 'update', id: f.id, name: 'F2' }).flow.counts).toMatchObject({ total: 1, todo: 1 });
    expect(ok('flow', { action: 'switch', id: f.id }).flow.counts).toMatchObject({ total: 1, todo: 1 });
  });

  it('an update that changes nothing keeps the revision and logs nothing', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'F', description: 'd' }).flow;
    const before = dumpDb(t.ws);
    expect(ok('flow', { action: 'update', id: f.id, name: 'F', description: 'd', status: 'active' }).flow.revision).toBe(1);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('create, update and delete are logged: what, before → after, and how to undo a delete', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'Alpha' }).flow;
    ok('flow', { action: 'update', id: f.id, name: 'Beta' });
    ok('plan', { action: 'create', title: 'P' });
    ok('task', { action: 'create', tasks: [{ title: 'x' }, { title: 'y' }] });
    const d = ok('flow', { action: 'delete', id: f.id, confirm: true });
    expect(events('flow.create')).toEqual([{ entity_id: f.id, summary: 'created flow "Alpha"', changes: null }]);
    expect(events('flow.update')).toEqual([{ entity_id: f.id, summary: 'updated flow: name Alpha → Beta', changes: { name: ['Alpha', 'Beta'] } }]);
    expect(events('flow.delete')).toEqual([{ entity_id: f.id, summary: `deleted flow "Beta" (1 plan, 2 tasks); undo: snapshot restore ${d.snapshot}`, changes: null }]);
    const snap = ok('snapshot', { action: 'list' }).snapshots.find((s: { id: string }) => s.id === d.snapshot);
    expect(snap.reason).toBe('before deleting flow "Beta"');
  });

  it('delete asks for confirm naming the flow, its plans and tasks, and the gentler archive', () => {
    const { ok, fail } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'Doomed' }).flow;
    expect(fail('flow', { action: 'delete', id: f.id }).message).toBe(
      `Deleting flow ${f.id} ("Doomed") with 0 plans and 0 tasks needs confirm: true (a snapshot is taken first, so snapshot restore can bring it back); flow archive hides a flow without deleting it. Nothing was deleted.`,
    );
  });

  it('switch keeps the session\'s open plan of that flow, else the plan the flow was left on; a plan of another flow or an archived one is not kept', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'F' }).flow.id;
    const a = ok('plan', { action: 'create', title: 'A' }).plan.id;
    const b = ok('plan', { action: 'create', title: 'B' }).plan.id;
    ok('plan', { action: 'create', title: 'C' });
    ok('plan', { action: 'use', id: b });
    expect(ok('flow', { action: 'switch', id: f }).current).toEqual({ flow_id: f, plan_id: b });
    const g = ok('flow', { action: 'create', name: 'G' }).flow.id;
    const gp = ok('plan', { action: 'create', title: 'GP' }).plan.id;
    ok('plan', { action: 'create', title: 'GQ' });
    ok('plan', { action: 'use', id: gp });
    // Back to F: G's plan is not kept, F's own (B, where it was left) comes back; and back to G, GP.
    expect(ok('flow', { action: 'switch', id: f }).current).toEqual({ flow_id: f, plan_id: b });
    expect(ok('flow', { action: 'switch', id: g }).current).toEqual({ flow_id: g, plan_id: gp });
    ok('flow', { action: 'switch', id: f });
    ok('plan', { action: 'use', id: a });
    ok('plan', { action: 'update', id: a, status: 'archived' });
    ok('flow', { action: 'switch', id: g });
    // F was left on A, archived since: not kept (F has two open plans: none is chosen for the person).
    expect(ok('flow', { action: 'switch', id: f }).current).toEqual({ flow_id: f, plan_id: null });
    // A session with no current plan at all switches too, to the plan G was left on.
    expect(caller(t.newCtx('fresh')).ok('flow', { action: 'switch', id: g }).current).toEqual({ flow_id: g, plan_id: gp });
  });

  it("switching back comes back to this session's own plan, never one another session chose meanwhile", () => {
    const a = caller(t.call);
    const x = a.ok('flow', { action: 'create', name: 'X' }).flow.id;
    const p1 = a.ok('plan', { action: 'create', title: 'P1' }).plan.id;
    const p2 = a.ok('plan', { action: 'create', title: 'P2' }).plan.id;
    a.ok('plan', { action: 'use', id: p1 });
    const y = a.ok('flow', { action: 'create', name: 'Y' }).flow.id;
    a.ok('plan', { action: 'create', title: 'Q1' });
    a.ok('plan', { action: 'create', title: 'Q2' });
    const b = caller(t.newCtx('b'));
    b.ok('flow', { action: 'switch', id: x });
    b.ok('plan', { action: 'use', id: p2 });
    // A, back in X, is on P1 where it left X; B, which chose P2 there, stays on it.
    expect(a.ok('flow', { action: 'switch', id: x }).current).toEqual({ flow_id: x, plan_id: p1 });
    b.ok('flow', { action: 'switch', id: y });
    expect(b.ok('flow', { action: 'switch', id: x }).current).toEqual({ flow_id: x, plan_id: p2 });
    // A session never in X starts from the plan X was last left on.
    expect(caller(t.newCtx('c')).ok('flow', { action: 'switch', id: x }).current).toEqual({ flow_id: x, plan_id: p2 });
  });

  it('list pages: no cursor when the page holds the last flow; cursors of the wrong shape are refused', () => {
    const { ok, fail } = caller(t.call);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      ids.push(ok('flow', { action: 'create', name: `flow ${i}` }).flow.id);
    }
    expect(ok('flow', { action: 'list', limit: 4 }).next_cursor).toBeNull();
    const first = ok('flow', { action: 'list', limit: 2 });
    const second = ok('flow', { action: 'list', limit: 2, cursor: first.next_cursor });
    expect(second.flows.map((f: { id: string }) => f.id)).toEqual([ids[1], ids[0]]);
    expect(second.next_cursor).toBeNull();
    const cursorOf = (v: unknown) => Buffer.from(JSON.stringify({ k: 'flow', v }), 'utf8').toString('base64url');
    const top = ok('flow', { action: 'get', id: ids[3] }).flow;
    for (const v of [undefined, 5, null, { created_at: 1, id: top.id }, { created_at: top.created_at, id: 7 }]) {
      const e = fail('flow', { action: 'list', cursor: cursorOf(v) });
      expect(e.code, JSON.stringify(v)).toBe('invalid_input');
      expect(e.message).toBe('cursor is not one this flow list issued.');
    }
    expect(ok('flow', { action: 'list', cursor: cursorOf({ created_at: top.created_at, id: top.id }) }).flows).toHaveLength(3);
  });
});
