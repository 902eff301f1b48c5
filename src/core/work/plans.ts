// Plan operations: create, list, get, update, use, reorder, delete.
import { autoSnapshot } from '../snapshots/catalog.js';
import { countCrossPlanEdges } from '../../store/deps.js';
import { replaceChunks } from '../../store/chunks.js';
import { recordChunk } from '../../search/prepare.js';
import { PLAN_ORDER, closeGap, endPosition, moveWithin } from '../../store/order.js';
import { deletePlan, getPlan, insertPlan, markPlanChanged, plansPage, updatePlanFields, type PlanPageKey, type PlanRow } from '../../store/plans.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { LIMITS } from '../schemas/common.js';
import { rowExists } from '../../store/rows.js';
import { taskCountsByPlan } from '../../store/tasks.js';
import { describeChanges, diffFields, record } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { findPlan, flowOrCurrent, planOrCurrent } from '../kernel/names.js';
import { checkRevision, requireConfirm } from '../kernel/revision.js';
import type {
  PlanCreateInput,
  PlanDeleteInput,
  PlanGetInput,
  PlanListInput,
  PlanReorderInput,
  PlanUpdateInput,
  PlanUseInput,
} from '../schemas/plan.js';
import type { CurrentV, PlanDeleteResultV, PlanListResultV, PlanResultV, PlanV } from '../schemas/results.js';
import { counts, planRowViews, planView } from './views.js';
import type { Call } from '../kernel/workspace.js';

export function createPlan(call: Call, input: PlanCreateInput): PlanResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const flow = flowOrCurrent(call, input.flow_id);
    const now = call.ws.now();
    const id = newId('plan', (x) => rowExists(db, 'plans', x));
    insertPlan(db, {
      id,
      flow_id: flow.id,
      title: input.title,
      objective: input.objective ?? '',
      status: 'active',
      position: endPosition(db, PLAN_ORDER, flow.id),
      legacy_id: null,
      created_at: now,
      updated_at: now,
      revision: 1,
    });
    replaceChunks(db, 'plan', id, recordChunk(input.title, input.objective ?? ''));
    record(call, { action: 'plan.create', entity: 'plan', entity_id: id, flow_id: flow.id, summary: `created plan "${input.title}"` });
    // A new plan is where the next tasks go: make it this session's current plan.
    call.session.setCurrent(flow.id, id);
    return { plan: planView(db, getPlan(db, id)!, true), current: call.session.currentView() };
  });
}

function isPlanKey(v: unknown): v is PlanPageKey {
  const k = v as PlanPageKey;
  return typeof k === 'object' && k !== null && Number.isSafeInteger(k.position) && typeof k.id === 'string';
}

/** A page of a flow's plans in plan order: a flow of thousands of plans never floods the answer. */
export function plansOfFlow(call: Call, input: PlanListInput): PlanListResultV {
  const db = call.ws.db;
  const flow = flowOrCurrent(call, input.flow_id);
  const limit = input.limit ?? LIMITS.pageDefault;
  const after = input.cursor ? decodeCursor('plan', input.cursor, isPlanKey, flow.id) : undefined;
  const rows = plansPage(db, flow.id, { limit: limit + 1, after });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    flow_id: flow.id,
    plans: planRowViews(db, page),
    next_cursor: rows.length > limit && last ? encodeCursor('plan', { position: last.position, id: last.id }, flow.id) : null,
    current: call.session.currentView(),
  };
}

export function showPlan(call: Call, input: PlanGetInput): PlanResultV {
  const row = planOrCurrent(call, input.id, undefined, 'id');
  return { plan: planView(call.ws.db, row, true), current: call.session.currentView() };
}

export function updatePlan(call: Call, input: PlanUpdateInput): PlanResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const row = findPlan(call, input.id);
    checkRevision('plan', row.id, row.revision, input.expected_revision, () => planView(db, row));
    const changes = diffFields(row, { title: input.title, objective: input.objective, status: input.status });
    if (Object.keys(changes).length > 0) {
      updatePlanFields(db, row.id, { title: input.title, objective: input.objective, status: input.status }, call.ws.now());
      if (changes.title || changes.objective) {
        const after = getPlan(db, row.id)!;
        replaceChunks(db, 'plan', row.id, recordChunk(after.title, after.objective));
      }
      record(call, { action: 'plan.update', entity: 'plan', entity_id: row.id, flow_id: row.flow_id, summary: `updated plan: ${describeChanges(changes)}`, changes });
    }
    return { plan: planView(db, getPlan(db, row.id)!, true) };
  });
}

export function usePlan(call: Call, input: PlanUseInput): PlanResultV {
  const row = findPlan(call, input.id);
  call.ws.write(() => call.session.setCurrent(row.flow_id, row.id));
  return { plan: planView(call.ws.db, row, true), current: call.session.currentView() };
}

export function reorderPlan(call: Call, input: PlanReorderInput): PlanResultV {
  return call.ws.write(() => {
    const db = call.ws.db;
    const row = findPlan(call, input.id);
    const before = row.position;
    moveWithin(db, PLAN_ORDER, row.flow_id, row.id, row.position, input.position);
    markPlanChanged(db, row.id, call.ws.now());
    const after = getPlan(db, row.id)!;
    record(call, {
      action: 'plan.reorder',
      entity: 'plan',
      entity_id: row.id,
      flow_id: row.flow_id,
      summary: `moved plan "${row.title}" from position ${before} to ${after.position}`,
      changes: { position: [before, after.position] },
    });
    return { plan: planView(db, getPlan(db, row.id)!, true) };
  });
}

export function removePlan(call: Call, input: PlanDeleteInput): PlanDeleteResultV {
  const db = call.ws.db;
  const row: PlanRow = findPlan(call, input.id);
  const c = counts(taskCountsByPlan(db, row.id));
  requireConfirm(
    input.confirm,
    `plan ${row.id} ("${row.title}") with ${c.total} tasks`,
    ' (a snapshot of its flow is taken first, so snapshot restore can bring it back); plan update status archived hides a plan without deleting it',
  );
  const snapshot = autoSnapshot(call, row.flow_id, `before deleting plan "${row.title}"`);
  return call.ws.write(() => {
    // Dependencies that cross into other plans are dropped with the tasks: say how many.
    const crossing = countCrossPlanEdges(db, row.id);
    deletePlan(db, row.id);
    closeGap(db, PLAN_ORDER, row.flow_id, row.position);
    record(call, {
      action: 'plan.delete',
      entity: 'plan',
      entity_id: row.id,
      flow_id: row.flow_id,
      summary: `deleted plan "${row.title}" (${c.total} tasks); undo: snapshot restore ${snapshot}`,
    });
    call.session.forget(new Set([row.id]));
    return {
      deleted: { kind: 'plan', id: row.id, title: row.title, tasks: c.total, dependencies_dropped: crossing },
      current: call.session.currentView(),
      snapshot,
    };
  });
}
