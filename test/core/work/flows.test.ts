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
    expect(e.message).toMatch(/1 plans and 1 tasks/);
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
