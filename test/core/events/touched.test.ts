// Which resources an event updates (what resource subscriptions are told): the thing itself, what shows
// it (its plan's counts, its flow's progress, the tasks on either side of a dependency), and everything
// in a flow for deletes, restores and imports.
import { describe, expect, it } from 'vitest';
import { caller } from '../../helpers/call.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';
import { eventsSince, newestSeq, type StreamEvent } from '../../../src/core/kernel/event-log.js';
import { touchedBy } from '../../../src/core/events/touched.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

describe('touchedBy', () => {
  it('names the thing, its plan and flow, a move\'s old plan, dependency neighbours; deletes touch the whole flow', () => {
    t = workspace();
    const c = caller(t.call);
    const db = t.ws.db;
    const last = (): StreamEvent => eventsSince(db, newestSeq(db) - 1, newestSeq(db), 1)[0]!;
    const things = () => [...touchedBy(db, last()).things].sort();

    const flow = c.ok('flow', { action: 'create', name: 'F' }).flow.id;
    expect(things()).toEqual([`flow:${flow}`]);
    const p1 = c.ok('plan', { action: 'create', title: 'P1' }).plan.id;
    expect(things()).toEqual([`flow:${flow}`, `plan:${p1}`]);
    const [a, b] = c.ok('task', { action: 'create', tasks: [{ title: 'A' }, { title: 'B' }] }).tasks.map((x: { id: string }) => x.id);
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
    c.ok('snapshot', { action: 'create', label: 'x' });
    expect(touchedBy(db, last())).toEqual({ things: new Set(), flows: new Set(), all: false });
    c.ok('task', { action: 'delete', id: b, confirm: true });
    const del = touchedBy(db, last());
    expect([...del.flows]).toEqual([flow]);
  });
});
