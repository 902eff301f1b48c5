import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => (t = tempWorkspace()));
afterEach(() => t.cleanup());

describe('plan', () => {
  it('create becomes the current plan and new tasks land in it', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const a = ok('plan', { action: 'create', title: 'A' }).plan;
    const b = ok('plan', { action: 'create', title: 'B', objective: 'second' });
    expect(b.current.plan_id).toBe(b.plan.id);
    expect(ok('task', { action: 'create', title: 'x' }).task.plan_id).toBe(b.plan.id);
    ok('plan', { action: 'use', id: a.id });
    expect(ok('task', { action: 'create', title: 'y' }).task.plan_id).toBe(a.id);
    expect(ok('plan', { action: 'get' }).plan.id).toBe(a.id);
  });

  it('reorder moves a plan to a 1-based position and list shows the new order', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const ids = ['A', 'B', 'C', 'D'].map((title) => ok('plan', { action: 'create', title }).plan.id);
    ok('plan', { action: 'reorder', id: ids[3], position: 1 });
    expect(ok('plan', { action: 'list' }).plans.map((p: { title: string }) => p.title)).toEqual(['D', 'A', 'B', 'C']);
    const r = ok('plan', { action: 'reorder', id: ids[0], position: 3 });
    expect(r.plan.position).toBe(3);
    expect(ok('plan', { action: 'list' }).plans.map((p: { title: string }) => p.title)).toEqual(['D', 'B', 'A', 'C']);
    ok('plan', { action: 'reorder', id: ids[1], position: 99 });
    expect(ok('plan', { action: 'list' }).plans.map((p: { title: string }) => p.title)).toEqual(['D', 'A', 'C', 'B']);
  });

  it('after many moves the order is still exactly what the moves asked for', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const ids = Array.from({ length: 5 }, (_, i) => ok('plan', { action: 'create', title: `P${i}` }).plan.id);
    // Alternately move the last plan into slot 2: each move halves the gap between slots 1 and 2.
    let expected = ['P0', 'P1', 'P2', 'P3', 'P4'];
    for (let i = 0; i < 80; i++) {
      const list = ok('plan', { action: 'list' }).plans as { id: string; title: string }[];
      const last = list[list.length - 1]!;
      ok('plan', { action: 'reorder', id: last.id, position: 2 });
      expected = [expected[0]!, last.title, ...expected.slice(1).filter((x) => x !== last.title)];
    }
    expect(ok('plan', { action: 'list' }).plans.map((p: { title: string }) => p.title)).toEqual(expected);
    expect(ids).toHaveLength(5);
  });

  it('update refuses an unknown status with the valid ones, and accepts legacy "completed" and "finished" (as tasks do)', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const p = ok('plan', { action: 'create', title: 'A' }).plan;
    const e = fail('plan', { action: 'update', id: p.id, status: 'finished-ish' });
    expect(e.message).toMatch(/active, done, cancelled, archived/);
    expect(ok('plan', { action: 'update', id: p.id, status: 'completed' }).plan.status).toBe('done');
    ok('plan', { action: 'update', id: p.id, status: 'active' });
    expect(ok('plan', { action: 'update', id: p.id, status: 'finished' }).plan.status).toBe('done');
  });

  it('delete needs confirm and reports dependencies into other plans that go with it', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const a = ok('plan', { action: 'create', title: 'A' }).plan;
    const ta = ok('task', { action: 'create', title: 'in A' }).task;
    ok('plan', { action: 'create', title: 'B' });
    const tb = ok('task', { action: 'create', title: 'in B', depends_on: [ta.id] }).task;
    const before = dumpDb(t.ws);
    expect(fail('plan', { action: 'delete', id: a.id }).code).toBe('confirm_required');
    expect(dumpDb(t.ws)).toEqual(before);
    const d = ok('plan', { action: 'delete', id: a.id, confirm: true });
    expect(d.deleted).toMatchObject({ kind: 'plan', tasks: 1, dependencies_dropped: 1 });
    expect(ok('task', { action: 'get', id: tb.id }).task.depends_on).toBeUndefined();
  });

  it('with several plans and none chosen, task create says which plans exist instead of guessing', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    ok('plan', { action: 'create', title: 'A' });
    ok('plan', { action: 'create', title: 'B' });
    const fresh = caller(t.newCtx('second'));
    // The second session starts from the last used flow/plan (B) ...
    expect(fresh.ok('task', { action: 'create', title: 'x' }).task.plan_id).toBe(ok('plan', { action: 'get' }).plan.id);
    // ... but once the remembered plan is deleted, a new session must choose between A and B.
    ok('plan', { action: 'create', title: 'C' });
    ok('plan', { action: 'delete', id: ok('plan', { action: 'get' }).plan.id, confirm: true });
    const third = caller(t.newCtx('third'));
    const e = third.fail('task', { action: 'create', title: 'y' });
    expect(e.code).toBe('no_current');
    expect(e.hint).toMatch(/"A".*"B"/);
  });

  it('a flow of many plans is listed a page at a time: every plan once, in order, however many there are', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const titles = Array.from({ length: 123 }, (_, i) => `P${i}`);
    for (const title of titles) ok('plan', { action: 'create', title });
    ok('plan', { action: 'reorder', id: ok('plan', { action: 'get' }).plan.id, position: 1 }); // P122 first
    const first = ok('plan', { action: 'list' });
    expect(first.plans).toHaveLength(50);
    const seen: string[] = first.plans.map((p: { title: string }) => p.title);
    for (let cursor = first.next_cursor; cursor; ) {
      const page = ok('plan', { action: 'list', cursor, limit: 40 });
      expect(page.plans.length).toBeLessThanOrEqual(40);
      seen.push(...page.plans.map((p: { title: string }) => p.title));
      cursor = page.next_cursor;
    }
    expect(seen).toEqual(['P122', ...titles.slice(0, 122)]);
    expect(fail('plan', { action: 'list', cursor: 'not-a-cursor' }).code).toBe('invalid_input');
    // flow get shows the first plans and says how many there are.
    const flow = ok('flow', { action: 'get' }).flow;
    expect(flow.plans).toHaveLength(50);
    expect(flow.plans_total).toBe(123);
    // Without a current plan, a new session is told how many plans there are and shown ten of them.
    ok('plan', { action: 'delete', id: ok('plan', { action: 'get' }).plan.id, confirm: true });
    const e = caller(t.newCtx('other')).fail('task', { action: 'create', title: 'x' });
    expect(e.message).toMatch(/has 122 plans/);
    expect(e.details?.candidates).toHaveLength(10);
  });

  it('switching to a flow whose only open plan sits among archived ones makes that plan current', () => {
    const { ok } = caller(t.call);
    const f = ok('flow', { action: 'create', name: 'F' }).flow;
    const a = ok('plan', { action: 'create', title: 'Old' }).plan;
    const live = ok('plan', { action: 'create', title: 'Live' }).plan;
    ok('plan', { action: 'update', id: a.id, status: 'archived' });
    ok('flow', { action: 'create', name: 'G' });
    const r = ok('flow', { action: 'switch', id: f.id });
    expect(r.current.plan_id).toBe(live.id);
  });
});

/** The events of one action, oldest first, as the log stores them. */
function events(action: string): { entity_id: string; summary: string; changes: unknown }[] {
  const rows = t.ws.db.prepare('SELECT entity_id, summary, changes FROM events WHERE action = ? ORDER BY seq').all(action) as { entity_id: string; summary: string; changes: string | null }[];
  return rows.map((r) => ({ ...r, changes: r.changes === null ? null : JSON.parse(r.changes) }));
}

const noTasks = { total: 0, todo: 0, in_progress: 0, blocked: 0, review: 0, done: 0, cancelled: 0, progress: 0 };

describe('plan answers, log and search', () => {
  it('create, get, update, use and reorder answer with the plan\'s task counts', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const made = ok('plan', { action: 'create', title: 'A' });
    expect(made.plan.counts).toEqual(noTasks);
    const id = made.plan.id;
    ok('task', { action: 'create', tasks: [{ title: 'x' }, { title: 'y' }] });
    const two = { ...noTasks, total: 2, todo: 2 };
    expect(ok('plan', { action: 'get', id }).plan.counts).toEqual(two);
    expect(ok('plan', { action: 'update', id, title: 'A2' }).plan.counts).toEqual(two);
    ok('plan', { action: 'create', title: 'B' });
    expect(ok('plan', { action: 'use', id }).plan.counts).toEqual(two);
    expect(ok('plan', { action: 'reorder', id, position: 2 }).plan.counts).toEqual(two);
  });

  it('a plan without an objective has none in its answer and is indexed by its title', async () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const plan = ok('plan', { action: 'create', title: 'Quasar calibration' }).plan;
    expect(plan).not.toHaveProperty('objective');
    expect(ok('plan', { action: 'get', id: plan.id }).plan).not.toHaveProperty('objective');
    const hits = (await asyncCaller(t.call).ok('search', { query: 'quasar', kind: 'plan' })).results as { id: string; snippet: string }[];
    expect(hits.map((h) => h.id)).toEqual([plan.id]);
    expect(hits[0]!.snippet).toContain('Quasar calibration');
  });

  it('search finds a plan by its new title and objective, not the old words; a status change leaves its search rows alone', async () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const a = ok('plan', { action: 'create', title: 'marmalade jar' }).plan;
    const b = ok('plan', { action: 'create', title: 'plain', objective: 'quokka habitat' }).plan;
    ok('plan', { action: 'update', id: a.id, title: 'zeppelin hangar' });
    ok('plan', { action: 'update', id: b.id, objective: 'wombat burrow' });
    const found = async (q: string) => ((await asyncCaller(t.call).ok('search', { query: q, kind: 'plan' })).results as { id: string }[]).map((x) => x.id);
    expect(await found('zeppelin')).toEqual([a.id]);
    expect(await found('marmalade')).toEqual([]);
    expect(await found('wombat')).toEqual([b.id]);
    expect(await found('quokka')).toEqual([]);
    const chunks = () => t.ws.db.prepare('SELECT * FROM chunks WHERE owner_id = ?').all(a.id);
    const before = chunks();
    expect(ok('plan', { action: 'update', id: a.id, status: 'done' }).plan).toMatchObject({ status: 'done', revision: 3 });
    expect(chunks()).toEqual(before);
  });

  it('an update that changes nothing is no change: same revision, nothing logged', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const p = ok('plan', { action: 'create', title: 'A', objective: 'o' }).plan;
    const before = dumpDb(t.ws);
    expect(ok('plan', { action: 'update', id: p.id, title: 'A', objective: 'o', status: 'active' }).plan.revision).toBe(1);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('create, update, reorder and delete are logged with what changed', () => {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const a = ok('plan', { action: 'create', title: 'A' }).plan.id;
    ok('plan', { action: 'create', title: 'B' });
    ok('task', { action: 'create', title: 'x' });
    ok('plan', { action: 'update', id: a, title: 'A2', status: 'done' });
    ok('plan', { action: 'reorder', id: a, position: 2 });
    const b = ok('plan', { action: 'list' }).plans[0].id;
    const d = ok('plan', { action: 'delete', id: b, confirm: true });
    expect(events('plan.create').map((e) => e.summary)).toEqual(['created plan "A"', 'created plan "B"']);
    expect(events('plan.update')).toEqual([{ entity_id: a, summary: 'updated plan: title A → A2, status active → done', changes: { title: ['A', 'A2'], status: ['active', 'done'] } }]);
    expect(events('plan.reorder')).toEqual([{ entity_id: a, summary: 'moved plan "A2" from position 1 to 2', changes: { position: [1, 2] } }]);
    expect(events('plan.delete')).toEqual([{ entity_id: b, summary: `deleted plan "B" (1 tasks); undo: snapshot restore ${d.snapshot}`, changes: null }]);
  });

  it('delete asks for confirm naming the plan and its task count; deleting the current plan leaves no current plan', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const p = ok('plan', { action: 'create', title: 'Doomed' }).plan;
    ok('task', { action: 'create', tasks: [{ title: 'x' }, { title: 'y' }] });
    expect(fail('plan', { action: 'delete', id: p.id }).message).toBe(
      `Deleting plan ${p.id} ("Doomed") with 2 tasks needs confirm: true (a snapshot of its flow is taken first, so snapshot restore can bring it back); plan update status archived hides a plan without deleting it. Nothing was deleted.`,
    );
    const d = ok('plan', { action: 'delete', id: p.id, confirm: true });
    expect(d.current).toEqual({ flow_id: p.flow_id, plan_id: null });
  });

  it('list pages: no cursor when the page holds the last plan; cursors of the wrong shape are refused', () => {
    const { ok, fail } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    const ids = ['A', 'B', 'C'].map((title) => ok('plan', { action: 'create', title }).plan.id);
    expect(ok('plan', { action: 'list', limit: 3 }).next_cursor).toBeNull();
    const first = ok('plan', { action: 'list', limit: 2 });
    expect(first.next_cursor).toEqual(expect.any(String));
    const cursorOf = (v: unknown) => Buffer.from(JSON.stringify({ k: 'plan', v }), 'utf8').toString('base64url');
    for (const v of [undefined, 5, null, { position: '1', id: ids[0] }, { position: 1.5, id: ids[0] }, { position: 1, id: 7 }]) {
      const e = fail('plan', { action: 'list', cursor: cursorOf(v) });
      expect(e.code, JSON.stringify(v)).toBe('invalid_input');
      expect(e.message).toBe('cursor is not one this plan list issued.');
    }
    expect(ok('plan', { action: 'list', cursor: cursorOf({ position: 1, id: ids[0] }) }).plans.map((p: { title: string }) => p.title)).toEqual(['B', 'C']);
  });
});
