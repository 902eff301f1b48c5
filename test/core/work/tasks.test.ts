import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let clock: ManualClock;
beforeEach(() => {
  clock = new ManualClock();
  t = tempWorkspace({ clock });
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
});
afterEach(() => t.cleanup());

describe('task', () => {
  it('batch create is one transaction: a bad item creates none of them', () => {
    const { ok, fail } = caller(t.call);
    const before = dumpDb(t.ws);
    const e = fail('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }, { title: 'c', depends_on: ['t-nope'] }] });
    expect(e.code).toBe('not_found');
    expect(dumpDb(t.ws)).toEqual(before);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }, { title: 'c', depends_on: ['#1', '#2'] }] });
    expect(r.created).toBe(3);
    expect(r.tasks.map((x: { waiting_on_count?: number }) => x.waiting_on_count ?? 0)).toEqual([0, 1, 2]);
    // one key, one type: list rows count the open dependencies, the full row names them
    expect(r.tasks[0]).not.toHaveProperty('waiting_on');
    expect(ok('task', { action: 'get', id: r.tasks[2].id }).task.waiting_on?.slice().sort()).toEqual([r.tasks[0].id, r.tasks[1].id].sort());
    expect(fail('task', { action: 'create', tasks: [{ title: 'a', depends_on: ['#1'] }] }).message).toMatch(/only earlier items/);
  });

  it('full rows leave out empty optional fields but keep ids, status and revision', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'bare' }).task;
    for (const k of ['description', 'legacy_id', 'claim', 'started_at', 'completed_at', 'depends_on', 'waiting_on', 'dependents']) expect(task).not.toHaveProperty(k);
    expect(task).toMatchObject({ status: 'todo', priority: 'medium', revision: 1 });
    for (const k of ['id', 'flow_id', 'plan_id', 'created_at', 'updated_at', 'position']) expect(task).toHaveProperty(k);
    const plan = ok('plan', { action: 'get', id: task.plan_id }).plan;
    expect(plan).not.toHaveProperty('legacy_id');
    const flow = ok('flow', { action: 'get', id: task.flow_id }).flow;
    expect(flow).not.toHaveProperty('legacy_id');
    expect(flow).toHaveProperty('revision');
    expect(ok('task', { action: 'update', id: task.id, description: 'now said' }).task.description).toBe('now said');
  });

  it('set_status records started/completed times and accepts legacy status words', () => {
    const { ok } = caller(t.call);
    const id = ok('task', { action: 'create', title: 'x' }).task.id;
    clock.set('2026-03-01T10:00:00.000Z');
    expect(ok('task', { action: 'set_status', id, status: 'in-progress' }).task).toMatchObject({ status: 'in_progress', started_at: '2026-03-01T10:00:00.000Z' });
    clock.set('2026-03-01T12:00:00.000Z');
    expect(ok('task', { action: 'set_status', id, status: 'completed' }).task).toMatchObject({ status: 'done', started_at: '2026-03-01T10:00:00.000Z', completed_at: '2026-03-01T12:00:00.000Z' });
    const back = ok('task', { action: 'set_status', id, status: 'todo' }).task;
    expect(back.status).toBe('todo');
    expect(back).not.toHaveProperty('started_at');
    expect(back).not.toHaveProperty('completed_at');
    expect(ok('task', { action: 'set_status', id, status: 'skipped' }).task.status).toBe('cancelled');
  });

  it('two sessions editing the same task: the stale one gets a conflict with the current row', () => {
    const a = caller(t.call);
    const b = caller(t.newCtx('b'));
    const task = a.ok('task', { action: 'create', title: 'shared' }).task;
    a.ok('task', { action: 'update', id: task.id, description: 'from A', expected_revision: task.revision });
    const e = b.fail('task', { action: 'set_status', id: task.id, status: 'done', expected_revision: task.revision });
    expect(e.code).toBe('conflict');
    expect(e.details?.current).toMatchObject({ description: 'from A', status: 'todo', revision: 2 });
    expect(a.ok('task', { action: 'get', id: task.id }).task).toMatchObject({ description: 'from A', status: 'todo' });
  });

  it('list filters by status and query and pages through every task exactly once', () => {
    const { ok } = caller(t.call);
    const made = ok('task', { action: 'create', tasks: Array.from({ length: 23 }, (_, i) => ({ title: `task ${i} ${i % 2 ? 'odd' : 'even'}` })) }).tasks;
    ok('plan', { action: 'create', title: 'Q' });
    const q = ok('task', { action: 'create', tasks: [{ title: 'later odd' }] }).tasks;
    for (const x of made.slice(0, 5)) ok('task', { action: 'set_status', id: x.id, status: 'done' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { tasks: { id: string }[]; next_cursor: string | null } = ok('task', { action: 'list', limit: 4, ...(cursor ? { cursor } : {}) }) as never;
      seen.push(...page.tasks.map((x) => x.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen).toEqual([...made, ...q].map((x: { id: string }) => x.id));
    expect(ok('task', { action: 'list', status: 'done' }).tasks).toHaveLength(5);
    expect(ok('task', { action: 'list', status: ['todo', 'done'], limit: 200 }).tasks).toHaveLength(24);
    expect(ok('task', { action: 'list', query: 'odd', limit: 200 }).tasks).toHaveLength(12);
    expect(ok('task', { action: 'list', query: '100%' }).tasks).toHaveLength(0);
    const row = ok('task', { action: 'list', limit: 1 }).tasks[0];
    expect(Object.keys(row).sort()).toEqual(['id', 'plan_id', 'priority', 'revision', 'status', 'title']);
  });

  it('move puts a task at a position in another plan of the flow', () => {
    const { ok } = caller(t.call);
    const p1 = ok('plan', { action: 'get' }).plan.id;
    const a = ok('task', { action: 'create', title: 'a' }).task;
    const p2 = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    ok('task', { action: 'create', tasks: [{ title: 'b' }, { title: 'c' }] });
    const m = ok('task', { action: 'move', id: a.id, plan_id: p2, position: 2 });
    expect(m.task).toMatchObject({ plan_id: p2, position: 2, revision: 2 });
    expect(ok('task', { action: 'list', plan_id: p2 }).tasks.map((x: { title: string }) => x.title)).toEqual(['b', 'a', 'c']);
    expect(ok('task', { action: 'list', plan_id: p1 }).tasks).toHaveLength(0);
  });

  it('positions stay 1..n in each plan through moves and deletes', () => {
    const { ok } = caller(t.call);
    const p1 = ok('plan', { action: 'get' }).plan.id;
    const ids = ok('task', { action: 'create', tasks: ['a', 'b', 'c', 'd', 'e'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    const p2 = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    ok('task', { action: 'create', tasks: [{ title: 'x' }, { title: 'y' }] });
    ok('task', { action: 'move', id: ids[4], plan_id: p1, position: 1 }); // e a b c d
    ok('task', { action: 'delete', id: ids[1], confirm: true }); // e a c d
    ok('task', { action: 'move', id: ids[0], plan_id: p2, position: 2 }); // p1: e c d · p2: x a y
    const order = (plan: string) =>
      ok('task', { action: 'list', plan_id: plan }).tasks.map((x: { id: string }) => ok('task', { action: 'get', id: x.id }).task).map((x: { title: string; position: number }) => `${x.position}${x.title}`);
    expect(order(p1)).toEqual(['1e', '2c', '3d']);
    expect(order(p2)).toEqual(['1x', '2a', '3y']);
  });

  it('refuses moving a task with dependencies to another flow, naming what to do', () => {
    const { ok, fail } = caller(t.call);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }] });
    ok('flow', { action: 'create', name: 'G' });
    const other = ok('plan', { action: 'create', title: 'elsewhere' }).plan.id;
    const e = fail('task', { action: 'move', id: r.tasks[1].id, plan_id: other });
    expect(e.hint).toMatch(/undepend/);
  });

  it('a move into another flow\'s plan is done and said; within the flow, no warning', () => {
    const { ok } = caller(t.call);
    const [a] = ok('task', { action: 'create', tasks: [{ title: 'a' }] }).tasks;
    const from = ok('task', { action: 'get', id: a.id }).task.flow_id;
    const g = ok('flow', { action: 'create', name: 'G' }).flow.id;
    const other = ok('plan', { action: 'create', title: 'elsewhere' }).plan.id;
    const moved = ok('task', { action: 'move', id: a.id, plan_id: other });
    expect(moved.task).toMatchObject({ plan_id: other, flow_id: g });
    expect(moved.warnings).toEqual([`${a.id} moved from flow ${from} to flow ${g} (plan ${other} is in that flow).`]);
    const again = ok('plan', { action: 'create', title: 'second' }).plan.id;
    expect(ok('task', { action: 'move', id: a.id, plan_id: again }).warnings).toBeUndefined();
  });

  it('delete needs confirm and drops the links of tasks that depended on it', () => {
    const { ok, fail } = caller(t.call);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }] });
    expect(fail('task', { action: 'delete', id: r.tasks[0].id }).code).toBe('confirm_required');
    expect(ok('task', { action: 'delete', id: r.tasks[0].id, confirm: true }).deleted).toMatchObject({ kind: 'task', dependencies_dropped: 1 });
    const left = ok('task', { action: 'get', id: r.tasks[1].id }).task;
    expect(left).not.toHaveProperty('depends_on');
    expect(left).not.toHaveProperty('waiting_on');
  });

  it('rejects empty, oversized and control-character input with what to do instead', () => {
    const { fail } = caller(t.call);
    const before = dumpDb(t.ws);
    expect(fail('task', { action: 'create', title: '   ' }).message).toMatch(/title: must not be empty/);
    expect(fail('task', { action: 'create', title: 'x'.repeat(501) }).message).toMatch(/at most 500/);
    expect(fail('task', { action: 'create', title: 'a\u0000b' }).message).toMatch(/control characters/);
    expect(fail('task', { action: 'create', title: 'ok', description: 'y'.repeat(50_001) }).message).toMatch(/keep long material in a document/);
    expect(fail('task', { action: 'create', title: 'ok', priority: 'asap' }).message).toMatch(/low, medium, high, urgent/);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});

/** The events of one action, oldest first, as the log stores them. */
function events(action: string): { entity_id: string; summary: string; changes: unknown }[] {
  const rows = t.ws.db.prepare('SELECT entity_id, summary, changes FROM events WHERE action = ? ORDER BY seq').all(action) as { entity_id: string; summary: string; changes: string | null }[];
  return rows.map((r) => ({ ...r, changes: r.changes === null ? null : JSON.parse(r.changes) }));
}

describe('task create: dependencies and batch references', () => {
  it('refuses a dependency on another flow\'s task, saying which and what to do; nothing is created', () => {
    const { ok, fail } = caller(t.call);
    const theirs = ok('task', { action: 'create', title: 'in F' }).task;
    ok('flow', { action: 'create', name: 'G' });
    ok('plan', { action: 'create', title: 'PG' });
    const before = dumpDb(t.ws);
    const e = fail('task', { action: 'create', tasks: [{ title: 'ok' }, { title: 'crosses', depends_on: [theirs.id] }] });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(`Task "crosses" cannot depend on ${theirs.id}: it belongs to another flow (${theirs.flow_id}). Nothing was created.`);
    expect(e.hint).toBe('Dependencies link tasks of the same flow; move the task first or drop that dependency.');
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('each created task is logged naming its plan', () => {
    const { ok } = caller(t.call);
    const plan = ok('plan', { action: 'get' }).plan.id;
    const r = ok('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two' }] });
    expect(events('task.create')).toEqual([
      { entity_id: r.tasks[0].id, summary: `created task "one" in plan ${plan}`, changes: null },
      { entity_id: r.tasks[1].id, summary: `created task "two" in plan ${plan}`, changes: null },
    ]);
  });

  it('batch rows count only the unfinished dependencies', () => {
    const { ok } = caller(t.call);
    const done = ok('task', { action: 'create', title: 'finished' }).task.id;
    const open = ok('task', { action: 'create', title: 'open' }).task.id;
    ok('task', { action: 'set_status', id: done, status: 'done' });
    const r = ok('task', { action: 'create', tasks: [{ title: 'after done', depends_on: [done] }, { title: 'after both', depends_on: [done, open] }] });
    expect(r.tasks[0]).not.toHaveProperty('waiting_on_count');
    expect(r.tasks[1].waiting_on_count).toBe(1);
  });

  it('"#n" names the n-th earlier item of the batch, any number of digits; other text is an id', () => {
    const { ok, fail } = caller(t.call);
    const items = Array.from({ length: 10 }, (_, i) => ({ title: `item ${i + 1}` }));
    const r = ok('task', { action: 'create', tasks: [...items, { title: 'last', depends_on: ['#10'] }] });
    expect(ok('task', { action: 'get', id: r.tasks[10].id }).task.depends_on).toEqual([r.tasks[9].id]);
    for (const ref of ['x#1', '#1x']) {
      const e = fail('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: [ref] }] });
      expect(e.code, ref).toBe('not_found');
    }
  });

  it('"#0" or a later item is refused with the range that may be named and what to do', () => {
    const { fail } = caller(t.call);
    const before = dumpDb(t.ws);
    for (const ref of ['#0', '#3']) {
      const e = fail('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: [ref] }, { title: 'c' }] });
      expect(e.code, ref).toBe('invalid_input');
      expect(e.message).toBe(`Item 2 of tasks depends on "${ref}", but only earlier items can be named that way (here only #1). Nothing was created.`);
      expect(e.hint).toBe('Order the batch so every task comes after the ones it depends on, or use existing task ids.');
    }
    // The first item has nothing before it to name (it said "#1..#0").
    expect(fail('task', { action: 'create', tasks: [{ title: 'a', depends_on: ['#1'] }] }).message).toContain('(the first item has none before it)');
    expect(fail('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b' }, { title: 'c', depends_on: ['#5'] }] }).message).toContain('(here #1..#2)');
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('an empty depends_on means no dependencies, as a model filling in every item sends it; task depend with none stays refused', () => {
    const { ok, fail } = caller(t.call);
    const r = ok('task', { action: 'create', tasks: [{ title: 'a', depends_on: [] }, { title: 'b', depends_on: ['#1'] }, { title: 'c', depends_on: [] }] });
    expect(r.tasks.map((x: { waiting_on_count?: number }) => x.waiting_on_count ?? 0)).toEqual([0, 1, 0]);
    const one = ok('task', { action: 'create', title: 'd', depends_on: [] }).task;
    expect(one).not.toHaveProperty('depends_on');
    expect(ok('task', { action: 'create', tasks: [{ title: 'e' }], depends_on: [] }).created).toBe(1);
    expect(fail('task', { action: 'create', tasks: [{ title: 'f' }], depends_on: [r.tasks[0].id] }).message).toMatch(/not both/);
    expect(fail('task', { action: 'depend', id: one.id, depends_on: [] }).code).toBe('invalid_input');
  });
});

describe('task create: a title the plan already has', () => {
  it('creates the task and warns, naming the tasks with that title (case and spacing aside) and how to undo a twin', () => {
    const { ok } = caller(t.call);
    const first = ok('task', { action: 'create', title: 'Write tests' });
    expect(first).not.toHaveProperty('warnings');
    // An assistant that sends the same create again after a timeout.
    const again = ok('task', { action: 'create', title: 'write  Tests ' });
    const plan = again.task.plan_id;
    expect(again.task.title).toBe('write  Tests');
    expect(again.warnings).toEqual([
      `A task titled "write  Tests" is already in plan ${plan} (${first.task.id}); ${again.task.id} was created beside it. If it was made twice by mistake (a call sent again), delete one: task delete ${again.task.id} (confirm: true). Two tasks with one title can only be named by id.`,
    ]);
    // One that looks the same, an invisible character inside, is a twin too.
    expect(ok('task', { action: 'create', title: 'Write\u200b tests' }).warnings?.[0]).toContain(`(${first.task.id}, ${again.task.id})`);
    ok('task', { action: 'delete', id: ok('task', { action: 'list' }).tasks.at(-1).id, confirm: true });
    // A third names both, and the command it gives undoes it.
    const third = ok('task', { action: 'create', title: 'Write tests' });
    expect(third.warnings[0]).toContain(`(${first.task.id}, ${again.task.id})`);
    ok('task', { action: 'delete', id: third.task.id, confirm: true });
    expect(ok('task', { action: 'list' }).tasks.map((x: { id: string }) => x.id)).toEqual([first.task.id, again.task.id]);
  });

  it('warns within a batch too; another plan, or another title, is no twin', () => {
    const { ok } = caller(t.call);
    ok('task', { action: 'create', title: 'Deploy' });
    const batch = ok('task', { action: 'create', tasks: [{ title: 'Review' }, { title: 'Ship' }, { title: 'review' }] });
    expect(batch.created).toBe(3);
    expect(batch.warnings).toHaveLength(1);
    expect(batch.warnings[0]).toMatch(new RegExp(`^A task titled "review" is already in plan p-\\w+ \\(${batch.tasks[0].id}\\); ${batch.tasks[2].id} was created beside it\\.`));
    expect(ok('task', { action: 'create', title: 'Deploy later' })).not.toHaveProperty('warnings');
    ok('plan', { action: 'create', title: 'Other' });
    expect(ok('task', { action: 'create', title: 'Deploy' })).not.toHaveProperty('warnings');
  });
});

describe('task list paging', () => {
  const cursorOf = (v: unknown) => Buffer.from(JSON.stringify({ k: 'task', v }), 'utf8').toString('base64url');

  it('a page holds at most limit rows, names the plan it was asked for, and has no cursor when nothing follows', () => {
    const { ok } = caller(t.call);
    const plan = ok('plan', { action: 'get' }).plan.id;
    ok('task', { action: 'create', tasks: ['a', 'b', 'c', 'd', 'e'].map((title) => ({ title })) });
    const first = ok('task', { action: 'list', limit: 4 });
    expect(first.tasks).toHaveLength(4);
    expect(first).not.toHaveProperty('plan_id');
    expect(first.next_cursor).toEqual(expect.any(String));
    const rest = ok('task', { action: 'list', limit: 4, cursor: first.next_cursor });
    expect(rest.tasks.map((x: { title: string }) => x.title)).toEqual(['e']);
    expect(rest.next_cursor).toBeNull();
    const exact = ok('task', { action: 'list', plan_id: plan, limit: 5 });
    expect(exact.plan_id).toBe(plan);
    expect(exact.tasks).toHaveLength(5);
    expect(exact.next_cursor).toBeNull();
  });

  it('refuses a cursor of the wrong shape; a cursor from before plan ids were in it still pages on', () => {
    const { ok, fail } = caller(t.call);
    ok('task', { action: 'create', tasks: ['a', 'b', 'c'].map((title) => ({ title })) });
    const good = { pp: 1, pid: ok('plan', { action: 'get' }).plan.id, tp: 1, id: ok('task', { action: 'list', limit: 1 }).tasks[0].id };
    const bad: unknown[] = [undefined, 5, null, { ...good, pp: '1' }, { ...good, tp: '1' }, { ...good, id: 7 }, { ...good, pid: 3 }];
    for (const v of bad) {
      const e = fail('task', { action: 'list', cursor: cursorOf(v) });
      expect(e.code, JSON.stringify(v)).toBe('invalid_input');
      expect(e.message).toBe('cursor is not one this task list issued.');
    }
    expect(ok('task', { action: 'list', cursor: cursorOf(good) }).tasks.map((x: { title: string }) => x.title)).toEqual(['b', 'c']);
    const { pid: _pid, ...older } = good;
    expect(ok('task', { action: 'list', cursor: cursorOf(older) }).tasks.map((x: { title: string }) => x.title)).toEqual(['b', 'c']);
  });
});

describe('task update', () => {
  it('an edit that changes nothing is no change: same revision, no event, search index untouched', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'steady', description: 'words', priority: 'high' }).task;
    const before = dumpDb(t.ws);
    expect(ok('task', { action: 'update', id: task.id, title: 'steady', description: 'words', priority: 'high' }).task.revision).toBe(1);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a priority-only edit leaves the search rows as they were (rewriting them would queue the task for vectors again)', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'steady' }).task;
    const chunks = () => t.ws.db.prepare('SELECT * FROM chunks WHERE owner_id = ?').all(task.id);
    const before = chunks();
    expect(ok('task', { action: 'update', id: task.id, priority: 'urgent' }).task).toMatchObject({ priority: 'urgent', revision: 2 });
    expect(chunks()).toEqual(before);
  });

  it('search finds a task by its new title and by its new description, not by the old words', async () => {
    const { ok } = caller(t.call);
    const a = ok('task', { action: 'create', title: 'marmalade jar' }).task;
    const b = ok('task', { action: 'create', title: 'plain', description: 'quokka habitat' }).task;
    ok('task', { action: 'update', id: a.id, title: 'zeppelin hangar' });
    ok('task', { action: 'update', id: b.id, description: 'wombat burrow' });
    const found = async (q: string) => ((await asyncCaller(t.call).ok('search', { query: q, kind: 'task' })).results as { id: string }[]).map((x) => x.id);
    expect(await found('zeppelin')).toEqual([a.id]);
    expect(await found('marmalade')).toEqual([]);
    expect(await found('wombat')).toEqual([b.id]);
    expect(await found('quokka')).toEqual([]);
  });

  it('is logged with what changed, before → after', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'old' }).task;
    ok('task', { action: 'update', id: task.id, title: 'new', priority: 'low' });
    expect(events('task.update')).toEqual([
      { entity_id: task.id, summary: 'updated task: title old → new, priority medium → low', changes: { title: ['old', 'new'], priority: ['medium', 'low'] } },
    ]);
  });
});

describe('task set_status', () => {
  it('setting the status a task already has changes nothing, logs nothing, and says so', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'x' }).task;
    ok('task', { action: 'set_status', id: task.id, status: 'review' });
    const before = dumpDb(t.ws);
    const r = ok('task', { action: 'set_status', id: task.id, status: 'review' });
    expect(r.task).toMatchObject({ status: 'review', revision: 2 });
    // "I finished X" about a task already done must not read as a change that just happened.
    expect(r.warnings).toEqual([`${task.id} is already review; nothing was changed.`]);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('is logged with the title and before → after', () => {
    const { ok } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'x' }).task;
    ok('task', { action: 'set_status', id: task.id, status: 'in_progress' });
    expect(events('task.set_status')).toEqual([{ entity_id: task.id, summary: 'task "x" todo → in_progress', changes: { status: ['todo', 'in_progress'] } }]);
  });

  it('going back to in progress clears the completion time and keeps the started time', () => {
    const { ok } = caller(t.call);
    const id = ok('task', { action: 'create', title: 'x' }).task.id;
    clock.set('2026-03-01T10:00:00.000Z');
    ok('task', { action: 'set_status', id, status: 'done' });
    clock.set('2026-03-01T11:00:00.000Z');
    const back = ok('task', { action: 'set_status', id, status: 'in_progress' }).task;
    expect(back).toMatchObject({ status: 'in_progress', started_at: '2026-03-01T10:00:00.000Z' });
    expect(back).not.toHaveProperty('completed_at');
  });

  it('todo, in progress and review keep a claim; done and cancelled release it, telling whose it was', () => {
    const alice = caller(t.call);
    const bob = caller(t.newCtx('bob'));
    const ids = alice.ok('task', { action: 'create', tasks: ['a', 'b', 'c'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    for (const id of ids) alice.ok('task', { action: 'claim', agent: 'test-agent', id, lease_seconds: 600 });
    const until = alice.ok('task', { action: 'get', id: ids[0] }).task.claim.expires_at;
    const held = { agent: 'test-agent', expires_at: until, active: true };
    const toTodo = bob.ok('task', { action: 'set_status', id: ids[0], status: 'todo' });
    expect(toTodo.task.claim).toEqual(held);
    expect(toTodo.warnings).toEqual([`${ids[0]} is claimed by test-agent until ${until}.`]);
    expect(bob.ok('task', { action: 'set_status', id: ids[0], status: 'in_progress' }).task.claim).toEqual(held);
    expect(bob.ok('task', { action: 'set_status', id: ids[1], status: 'review' }).task.claim).toEqual(held);
    const finished = bob.ok('task', { action: 'set_status', id: ids[1], status: 'done' });
    expect(finished.task).not.toHaveProperty('claim');
    expect(finished.warnings).toEqual([`${ids[1]} is claimed by test-agent until ${until}; finishing it releases that claim.`]);
    const cancelled = bob.ok('task', { action: 'set_status', id: ids[2], status: 'cancelled' });
    expect(cancelled.task).not.toHaveProperty('claim');
    expect(cancelled.warnings).toEqual([`${ids[2]} is claimed by test-agent until ${until}; cancelling it releases that claim.`]);
  });

  it('starting or finishing a task whose dependencies are unfinished warns, naming only the unfinished ones', () => {
    const { ok } = caller(t.call);
    const [a, b, c] = ok('task', { action: 'create', tasks: ['a', 'b', 'c'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    ok('task', { action: 'set_status', id: a, status: 'done' });
    ok('task', { action: 'set_status', id: c, status: 'review' });
    const [w] = ok('task', { action: 'create', tasks: [{ title: 'waits', depends_on: [a, b, c] }] }).tasks.map((x: { id: string }) => x.id);
    const want = [`${w} depends on unfinished ${b} (todo), ${c} (review).`];
    expect(ok('task', { action: 'set_status', id: w, status: 'review' })).not.toHaveProperty('warnings');
    expect(ok('task', { action: 'set_status', id: w, status: 'in_progress' }).warnings).toEqual(want);
    expect(ok('task', { action: 'set_status', id: w, status: 'todo' })).not.toHaveProperty('warnings');
    expect(ok('task', { action: 'set_status', id: w, status: 'done' }).warnings).toEqual(want);
    expect(ok('task', { action: 'set_status', id: w, status: 'cancelled' })).not.toHaveProperty('warnings');
    ok('task', { action: 'set_status', id: b, status: 'done' });
    ok('task', { action: 'set_status', id: c, status: 'done' });
    // Its dependencies are done now: only its own reopening is said.
    expect(ok('task', { action: 'set_status', id: w, status: 'in_progress' }).warnings).toEqual([`${w} was cancelled and is open again (in_progress).`]);
  });

  it('reopening a done task says so, and how many open tasks wait for it again; the change is made', () => {
    const { ok } = caller(t.call);
    const [a, other] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'other' }] }).tasks.map((x: { id: string }) => x.id);
    ok('task', { action: 'create', tasks: [{ title: 'w1', depends_on: [a] }, { title: 'w2', depends_on: [a] }, { title: 'w3', depends_on: [a] }] });
    const w3 = ok('task', { action: 'list', query: 'w3' }).tasks[0].id;
    ok('task', { action: 'set_status', id: a, status: 'done' });
    ok('task', { action: 'set_status', id: w3, status: 'cancelled' }); // closed: it waits for nothing
    const r = ok('task', { action: 'set_status', id: a, status: 'in_progress' });
    expect(r.warnings).toEqual([`${a} was done and is open again (in_progress); the 2 tasks that depend on it wait for it again.`]);
    expect(r.task.status).toBe('in_progress');
    ok('task', { action: 'set_status', id: other, status: 'done' });
    expect(ok('task', { action: 'set_status', id: other, status: 'todo' }).warnings).toEqual([`${other} was done and is open again (todo).`]);
    // Closing a closed task another way is no reopening.
    expect(ok('task', { action: 'set_status', id: other, status: 'done' })).not.toHaveProperty('warnings');
    expect(ok('task', { action: 'set_status', id: other, status: 'cancelled' })).not.toHaveProperty('warnings');
  });

  it('finishing a task lists the waiting tasks it freed: todo, with every dependency done; at most 50', () => {
    const { ok } = caller(t.call);
    const [a, x] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'x' }] }).tasks.map((r: { id: string }) => r.id);
    const [free, half, started] = ok('task', {
      action: 'create',
      tasks: [{ title: 'free', depends_on: [a] }, { title: 'half', depends_on: [a, x] }, { title: 'started', depends_on: [a] }],
    }).tasks.map((r: { id: string }) => r.id);
    ok('task', { action: 'set_status', id: started, status: 'in_progress' });
    expect(ok('task', { action: 'set_status', id: a, status: 'done' }).unblocked).toEqual([free]);
    expect(ok('task', { action: 'set_status', id: free, status: 'done' })).not.toHaveProperty('unblocked');
    expect(ok('task', { action: 'set_status', id: x, status: 'done' }).unblocked).toEqual([half]);
    const hub = ok('task', { action: 'create', title: 'hub' }).task.id;
    ok('task', { action: 'create', tasks: Array.from({ length: 51 }, (_, i) => ({ title: `w${i}`, depends_on: [hub] })) });
    expect(ok('task', { action: 'set_status', id: hub, status: 'done' }).unblocked).toHaveLength(50);
  });
});

describe('task move and delete', () => {
  it('moving within its own plan without a position leaves the task where it is', () => {
    const { ok } = caller(t.call);
    const plan = ok('plan', { action: 'get' }).plan.id;
    const [a] = ok('task', { action: 'create', tasks: ['a', 'b', 'c'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    expect(ok('task', { action: 'move', id: a, plan_id: plan }).task.position).toBe(1);
    expect(ok('task', { action: 'list', plan_id: plan }).tasks.map((x: { title: string }) => x.title)).toEqual(['a', 'b', 'c']);
  });

  it('a task with a dependency and a dependent may not leave its flow; the refusal counts both links', () => {
    const { ok, fail } = caller(t.call);
    const flow = ok('flow', { action: 'get' }).flow.id;
    const [, b] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }, { title: 'c', depends_on: ['#2'] }] }).tasks.map((x: { id: string }) => x.id);
    const g = ok('flow', { action: 'create', name: 'G' }).flow.id;
    const other = ok('plan', { action: 'create', title: 'elsewhere' }).plan.id;
    const before = dumpDb(t.ws);
    const e = fail('task', { action: 'move', id: b, plan_id: other });
    expect(e.message).toBe(`Task ${b} has 2 dependencies inside flow ${flow}; it cannot move to plan ${other} in flow ${g}. Nothing was changed.`);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a move is logged from plan#position to plan#position', () => {
    const { ok } = caller(t.call);
    const p1 = ok('plan', { action: 'get' }).plan.id;
    const [a] = ok('task', { action: 'create', tasks: ['a', 'b'].map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
    const p2 = ok('plan', { action: 'create', title: 'P2' }).plan.id;
    ok('task', { action: 'create', title: 'z' });
    ok('task', { action: 'move', id: a, plan_id: p2, position: 1 });
    expect(events('task.move')).toEqual([{ entity_id: a, summary: `moved task "a" from ${p1}#1 to ${p2}#1`, changes: { plan_id: [p1, p2], position: [1, 1] } }]);
  });

  it('delete asks for confirm naming just the task when it has no links, and logs how to undo it', () => {
    const { ok, fail } = caller(t.call);
    const task = ok('task', { action: 'create', title: 'lonely' }).task;
    expect(fail('task', { action: 'delete', id: task.id }).message).toBe(
      `Deleting task ${task.id} ("lonely") needs confirm: true (a snapshot of its flow is taken first, so snapshot restore can bring it back); set_status cancelled keeps the record instead. Nothing was deleted.`,
    );
    const r = ok('task', { action: 'delete', id: task.id, confirm: true });
    expect(events('task.delete')).toEqual([{ entity_id: task.id, summary: `deleted task "lonely"; undo: snapshot restore ${r.snapshot}`, changes: null }]);
  });
});
