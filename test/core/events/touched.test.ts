// Which resources an event updates (what resource subscriptions are told): the thing itself, what shows
// it (its plan's counts, its flow's progress, the tasks on either side of a dependency), and everything
// in a flow for deletes, restores and imports. Every event here is a real one, written by the core into
// a real project's log (one is written straight into the log, as a damaged or foreign .flow/ could hold it).
import { describe, expect, it } from 'vitest';
import { caller } from '../../helpers/call.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { eventsSince, newestSeq, type StreamEvent } from '../../../src/core/kernel/event-log.js';
import { flowOfThing, touchedBy, type Touched } from '../../../src/core/events/touched.js';
import { appendEvent } from '../../../src/store/events.js';
import { exportState } from '../../../src/core/transfer/export.js';
import { importExport } from '../../../src/core/transfer/import-flowmcp.js';

const workspace = workspacePerTest();

/** A project with one flow and a plan in it, and what an event just written touched. */
function project(t: TempWorkspace = workspace()) {
  const c = caller(t.call);
  const db = t.ws.db;
  const last = (): StreamEvent => eventsSince(db, newestSeq(db) - 1, newestSeq(db), 1)[0]!;
  const touched = (): Touched => touchedBy(db, last());
  const things = () => [...touched().things].sort();
  const flow = c.ok('flow', { action: 'create', name: 'F' }).flow.id as string;
  const plan = c.ok('plan', { action: 'create', title: 'P1' }).plan.id as string;
  const tasks = (...titles: string[]): string[] => c.ok('task', { action: 'create', tasks: titles.map((title) => ({ title })) }).tasks.map((x: { id: string }) => x.id);
  return { t, c, db, last, touched, things, flow, plan, tasks };
}

/** A Touched as the test writes it: sets from lists, `moved` only when given. */
function touchedOf(o: { things?: string[]; flows?: string[]; all?: boolean; moved?: string[] }): Touched {
  const t: Touched = { things: new Set(o.things ?? []), flows: new Set(o.flows ?? []), all: o.all ?? false };
  if (o.moved) t.moved = new Set(o.moved);
  return t;
}

describe('touchedBy', () => {
  it('names the thing, its plan and flow, a move\'s old plan, dependency neighbours; deletes touch the whole flow', () => {
    const { c, db, last, things, flow, plan: p1, tasks } = project();
    const [a, b] = tasks('A', 'B');
    c.ok('task', { action: 'depend', id: b, depends_on: a });
    expect(things()).toEqual([`flow:${flow}`, `plan:${p1}`, `task:${a}`, `task:${b}`].sort());
    // A's status shows in B's waiting_on: B is touched too.
    c.ok('task', { action: 'set_status', id: a, status: 'done' });
    expect(things()).toContain(`task:${b}`);
    const p2 = c.ok('plan', { action: 'create', title: 'P2' }).plan.id;
    c.ok('task', { action: 'move', id: a, plan_id: p2 });
    expect(things()).toEqual(expect.arrayContaining([`plan:${p1}`, `plan:${p2}`, `task:${a}`]));
    c.ok('context', { action: 'save', summary: 'S', flow_id: flow });
    expect(things()).toEqual([`context:${flow}`]);
    c.ok('snapshot', { action: 'create', label: 'x', flow_id: flow });
    expect(touchedBy(db, last())).toEqual(touchedOf({}));
    c.ok('task', { action: 'delete', id: b, confirm: true });
    const del = touchedBy(db, last());
    expect([...del.flows]).toEqual([flow]);
  });

  it('a flow, plan or task change touches just what shows it: never the whole flow, and nothing moved', () => {
    const { c, db, touched, flow, plan, tasks } = project();
    c.ok('flow', { action: 'update', id: flow, description: 'new words' });
    expect(touched()).toEqual(touchedOf({ things: [`flow:${flow}`] }));
    c.ok('plan', { action: 'update', id: plan, objective: 'ship it' });
    expect(touched()).toEqual(touchedOf({ things: [`plan:${plan}`, `flow:${flow}`] }));
    const [a] = tasks('A');
    c.ok('task', { action: 'set_status', id: a, status: 'in_progress' });
    expect(touched()).toEqual(touchedOf({ things: [`task:${a}`, `flow:${flow}`, `plan:${plan}`] }));
    c.ok('plan', { action: 'create', title: 'P2' });
    c.ok('plan', { action: 'reorder', id: plan, position: 2 });
    expect(touched()).toEqual(touchedOf({ things: [`plan:${plan}`, `flow:${flow}`] }));
    c.ok('context', { action: 'save', decision: { what: 'SQLite', why: 'local' }, flow_id: flow });
    expect(touched()).toEqual(touchedOf({ things: [`context:${flow}`] }));
    // A plan event is never read as a task's, whatever its changes say (a log from elsewhere may say anything).
    appendEvent(db, { at: new Date().toISOString(), session_id: 's', agent: 'someone', action: 'plan.update', entity: 'plan', entity_id: plan, flow_id: flow, summary: 'odd', changes: { plan_id: [plan, 'p-else'], flow_id: [flow, 'f-else'] } });
    expect(touched()).toEqual(touchedOf({ things: [`plan:${plan}`, `flow:${flow}`] }));
  });

  it('a task\'s own dependencies and its dependents are touched by its change (their depends_on / waiting_on show it)', () => {
    const { c, things, flow, plan, tasks } = project();
    const [a, b, x] = tasks('A', 'B', 'X');
    c.ok('task', { action: 'depend', id: b, depends_on: a });
    c.ok('task', { action: 'depend', id: x, depends_on: b });
    // B depends on A (A's dependents list shows B) and X depends on B (X's waiting_on shows B).
    c.ok('task', { action: 'update', id: b, title: 'B, renamed' });
    expect(things()).toEqual([`flow:${flow}`, `plan:${plan}`, `task:${a}`, `task:${b}`, `task:${x}`].sort());
  });

  it('undepend touches the task that is no longer a dependency, which only the event\'s changes still name', () => {
    const { c, things, flow, plan, tasks } = project();
    const [a, b, x] = tasks('A', 'B', 'X');
    c.ok('task', { action: 'depend', id: b, depends_on: [a, x] });
    c.ok('task', { action: 'undepend', id: b, depends_on: [a, x] });
    expect(things()).toEqual([`flow:${flow}`, `plan:${plan}`, `task:${a}`, `task:${b}`, `task:${x}`].sort());
  });

  it('a task that moves (even within its flow) is marked moved, so a subscription looks its flow up again; other changes are not', () => {
    const { c, touched, flow, plan: p1, tasks } = project();
    const [a] = tasks('A');
    const p2 = c.ok('plan', { action: 'create', title: 'P2' }).plan.id;
    c.ok('task', { action: 'move', id: a, plan_id: p2 });
    expect(touched()).toEqual(touchedOf({ things: [`task:${a}`, `flow:${flow}`, `plan:${p1}`, `plan:${p2}`], moved: [`task:${a}`] }));
    c.ok('task', { action: 'set_status', id: a, status: 'done' });
    expect(touched().moved).toBeUndefined();
    // To another flow's plan: the old plan and the new one, and the task is marked moved.
    const g = c.ok('flow', { action: 'create', name: 'G' }).flow.id;
    const q = c.ok('plan', { action: 'create', title: 'Q', flow_id: g }).plan.id;
    c.ok('task', { action: 'move', id: a, plan_id: q });
    const moved = touched();
    expect([...moved.things].sort()).toEqual([`flow:${g}`, `plan:${p2}`, `plan:${q}`, `task:${a}`].sort());
    expect(moved.moved).toEqual(new Set([`task:${a}`]));
  });

  it('deletes touch everything in their flow and name what went by its own kind', () => {
    const { c, touched, flow, plan, tasks } = project();
    const [a] = tasks('A');
    c.ok('task', { action: 'delete', id: a, confirm: true });
    expect(touched()).toEqual(touchedOf({ things: [`task:${a}`], flows: [flow] }));
    c.ok('plan', { action: 'delete', id: plan, confirm: true });
    expect(touched()).toEqual(touchedOf({ things: [`plan:${plan}`], flows: [flow] }));
    c.ok('flow', { action: 'delete', id: flow, confirm: true });
    expect(touched()).toEqual(touchedOf({ things: [`flow:${flow}`], flows: [flow] }));
  });

  it('a flow restore touches that flow (rows came back whose ids the event does not list); a workspace restore and an import touch everything', () => {
    const { t, c, touched, flow, tasks } = project();
    const snap = c.ok('snapshot', { action: 'create', label: 'before', flow_id: flow }).snapshot.id;
    tasks('A');
    c.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(touched()).toEqual(touchedOf({ things: [`flow:${flow}`], flows: [flow] }));

    const all = c.ok('snapshot', { action: 'create', label: 'everything' }).snapshot.id;
    c.ok('flow', { action: 'create', name: 'G' });
    c.ok('snapshot', { action: 'restore', id: all, confirm: true });
    const restored = touched();
    expect(restored.all).toBe(true);
    expect(restored.flows).toEqual(new Set());

    const other = project();
    importExport(other.t.call, JSON.parse(exportState(t.call)) as Record<string, unknown>, { source: 'export.json' });
    expect(other.touched().all).toBe(true);
  });

  it('documents and snapshot bookkeeping touch nothing: no flow, plan, task or context shows them', () => {
    const { c, touched, flow, plan } = project();
    c.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\ntext', flow_id: flow, plan_id: plan });
    expect(touched()).toEqual(touchedOf({}));
    const snap = c.ok('snapshot', { action: 'create', label: 'x', flow_id: flow }).snapshot.id;
    expect(touched()).toEqual(touchedOf({}));
    c.ok('snapshot', { action: 'pin', id: snap });
    expect(touched()).toEqual(touchedOf({}));
    c.ok('snapshot', { action: 'unpin', id: snap });
    expect(touched()).toEqual(touchedOf({}));
  });

  it('up to 500 dependency neighbours are named one by one; past that the whole flow is touched instead', () => {
    const { c, touched, flow, tasks } = project();
    const [hub] = tasks('hub');
    const deps = tasks(...Array.from({ length: 500 }, (_, i) => `dep ${i}`));
    c.ok('task', { action: 'depend', id: hub!, depends_on: deps });
    c.ok('task', { action: 'set_status', id: hub, status: 'in_progress' });
    const at500 = touched();
    expect(at500.flows).toEqual(new Set());
    for (const d of deps) expect(at500.things.has(`task:${d}`)).toBe(true);

    const [one] = tasks('one more');
    c.ok('task', { action: 'depend', id: hub, depends_on: one });
    c.ok('task', { action: 'set_status', id: hub, status: 'todo' });
    const past = touched();
    expect(past.flows).toEqual(new Set([flow]));
    expect([...past.things].filter((k) => k.startsWith('task:'))).toEqual([`task:${hub}`]);
  });

  it('an event whose changes hold something other than ids (a log written by someone else) names only ids', () => {
    const { db, touched, flow, plan, tasks } = project();
    const [a, b] = tasks('A', 'B');
    appendEvent(db, {
      at: new Date().toISOString(),
      session_id: 's',
      agent: 'someone',
      action: 'task.update',
      entity: 'task',
      entity_id: a!,
      flow_id: flow,
      summary: 'odd changes',
      changes: { plan_id: [7, { id: plan }], depends_on: [[1, null, { x: b }], [b, true]] },
    });
    expect(touched()).toEqual(touchedOf({ things: [`task:${a}`, `flow:${flow}`, `plan:${plan}`, `task:${b}`], moved: [`task:${a}`] }));
  });
});

describe('flowOfThing', () => {
  it('answers the flow of a task, a plan, a flow or a flow\'s context, and nothing for ids that are not there', () => {
    const { c, db, flow, plan, tasks } = project();
    const [a] = tasks('A');
    const g = c.ok('flow', { action: 'create', name: 'G' }).flow.id as string;
    const q = c.ok('plan', { action: 'create', title: 'Q', flow_id: g }).plan.id as string;
    expect(flowOfThing(db, 'task', a!)).toBe(flow);
    expect(flowOfThing(db, 'plan', plan)).toBe(flow);
    expect(flowOfThing(db, 'plan', q)).toBe(g);
    expect(flowOfThing(db, 'flow', g)).toBe(g);
    expect(flowOfThing(db, 'context', flow)).toBe(flow);
    // Each kind is looked up as that kind: another kind's id is no such thing.
    expect(flowOfThing(db, 'task', plan)).toBeUndefined();
    expect(flowOfThing(db, 'plan', a!)).toBeUndefined();
    expect(flowOfThing(db, 'flow', a!)).toBeUndefined();
    expect(flowOfThing(db, 'task', 't-none')).toBeUndefined();
  });
});
