// Flow operations: create, list, get, update, switch, archive, delete.
import { counted } from '../../model/counted.js';
import { autoSnapshot } from '../snapshots/catalog.js';
import { countPlans, getPlan, plansPage } from '../../store/plans.js';
import { deleteFlow, getFlow, insertFlow, listFlows, updateFlowFields, type FlowPageKey } from '../../store/flows.js';
import { taskCountsByFlow } from '../../store/tasks.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { describeChanges, diffFields, record } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { findFlow, flowOrCurrent } from '../kernel/names.js';
import { checkRevision, requireConfirm } from '../kernel/revision.js';
import { LIMITS } from '../schemas/common.js';
import type {
  FlowArchiveInput,
  FlowCreateInput,
  FlowDeleteInput,
  FlowGetInput,
  FlowListInput,
  FlowSwitchInput,
  FlowUpdateInput,
} from '../schemas/flow.js';
import type { CurrentV, FlowDeleteResultV, FlowGetResultV, FlowListResultV, FlowResultV, FlowV } from '../schemas/results.js';
import { counts, flowRowView, flowView, planRowViews } from './views.js';
import type { Call } from '../kernel/workspace.js';
import { rowExists } from '../../store/rows.js';
import { forgetFlowPlan } from '../kernel/session.js';

const PLANS_IN_GET = 50;

export function createFlow(call: Call, input: FlowCreateInput): FlowResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const now = call.ws.now();
    const id = newId('flow', (x) => rowExists(db, 'flows', x));
    insertFlow(db, {
      id,
      name: input.name,
      description: input.description ?? '',
      status: 'active',
      legacy_id: null,
      created_at: now,
      updated_at: now,
      revision: 1,
    });
    record(call, { action: 'flow.create', entity: 'flow', entity_id: id, flow_id: id, summary: `created flow "${input.name}"` });
    call.session.setCurrent(id, null);
    return { flow: flowView(db, getFlow(db, id)!, true), current: call.session.currentView() };
  });
}

function isFlowKey(v: unknown): v is FlowPageKey {
  const k = v as FlowPageKey;
  return typeof k === 'object' && k !== null && typeof k.created_at === 'string' && typeof k.id === 'string';
}

export function flowsPage(call: Call, input: FlowListInput): FlowListResultV {
  const db = call.ws.db;
  const limit = input.limit ?? LIMITS.pageDefault;
  const after = input.cursor ? decodeCursor('flow', input.cursor, isFlowKey, input.status ?? null) : undefined;
  const rows = listFlows(db, { status: input.status, after, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    flows: page.map((r) => flowRowView(db, r)),
    next_cursor: rows.length > limit && last ? encodeCursor('flow', { created_at: last.created_at, id: last.id }, input.status ?? null) : null,
    current: call.session.currentView(),
  };
}

export function showFlow(call: Call, input: FlowGetInput): FlowGetResultV {
  const db = call.ws.db;
  const row = flowOrCurrent(call, input.id, 'id');
  const v = flowView(db, row, true);
  v.plans = planRowViews(db, plansPage(db, row.id, { limit: PLANS_IN_GET }));
  v.plans_total = countPlans(db, row.id);
  return { flow: v, current: call.session.currentView() };
}

export function updateFlow(call: Call, input: FlowUpdateInput): FlowResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const row = findFlow(call, input.id);
    checkRevision('flow', row.id, row.revision, input.expected_revision, () => flowView(db, row));
    const changes = diffFields(row, { name: input.name, description: input.description, status: input.status });
    if (Object.keys(changes).length === 0) return { flow: flowView(db, row, true) };
    updateFlowFields(db, row.id, { name: input.name, description: input.description, status: input.status }, call.ws.now());
    record(call, { action: 'flow.update', entity: 'flow', entity_id: row.id, flow_id: row.id, summary: `updated flow: ${describeChanges(changes)}`, changes });
    return { flow: flowView(db, getFlow(db, row.id)!, true) };
  });
}

export function switchFlow(call: Call, input: FlowSwitchInput): FlowResultV {
  const db = call.ws.db;
  const row = findFlow(call, input.id);
  // Keep the session's plan if it belongs to this flow; else the plan the flow was last left on (switching
  // back and forth keeps each flow's plan); else the flow's only plan, if it has one.
  const cur = call.session.current();
  const usable = (id: string | null | undefined) => {
    const p = id ? getPlan(db, id) : undefined;
    return p && p.flow_id === row.id && p.status !== 'archived' ? p : undefined;
  };
  const onlyPlan = () => {
    const plans = plansPage(db, row.id, { limit: 2, open: true }); // enough to tell "the only one"
    return plans.length === 1 ? plans[0]!.id : null;
  };
  const keep = usable(cur.planId) ?? usable(call.session.planLeftIn(row.id));
  call.ws.write(() => call.session.setCurrent(row.id, keep?.id ?? onlyPlan()));
  return { flow: flowView(db, row, true), current: call.session.currentView() };
}

export function archiveFlow(call: Call, input: FlowArchiveInput): FlowResultV {
  return updateFlow(call, { id: input.id, status: 'archived' });
}

export function removeFlow(call: Call, input: FlowDeleteInput): FlowDeleteResultV {
  const db = call.ws.db;
  const row = findFlow(call, input.id);
  const c = counts(taskCountsByFlow(db, row.id));
  const plans = countPlans(db, row.id);
  requireConfirm(
    input.confirm,
    `flow ${row.id} ("${row.name}") with ${counted(plans, 'plan')} and ${counted(c.total, 'task')}`,
    ' (a snapshot is taken first, so snapshot restore can bring it back); flow archive hides a flow without deleting it',
  );
  const snapshot = autoSnapshot(call, row.id, `before deleting flow "${row.name}"`);
  return call.ws.write(() => {
    deleteFlow(db, row.id);
    forgetFlowPlan(db, row.id);
    record(call, {
      action: 'flow.delete',
      entity: 'flow',
      entity_id: row.id,
      flow_id: row.id,
      summary: `deleted flow "${row.name}" (${counted(plans, 'plan')}, ${counted(c.total, 'task')}); undo: snapshot restore ${snapshot}`,
    });
    call.session.forget(new Set([row.id]));
    return { deleted: { kind: 'flow', id: row.id, title: row.name, plans, tasks: c.total }, current: call.session.currentView(), snapshot };
  });
}
