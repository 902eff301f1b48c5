// The names service: flows, plans, tasks and snapshots found by id or the legacy id they were imported
// with, and the session's current flow/plan when none is named; a miss says which come closest
// (suggest.ts). Title words are matched in resolve-name.ts and completion is in name-completion.ts;
// all of them read names through store/names.ts, capped, never a whole table.
import type { Db } from '../../store/db.js';
import { getFlow, getFlowByLegacyId, type FlowRow } from '../../store/flows.js';
import { namesOf, namesWithIdPrefix, planAt, type Named, type NamedKind } from '../../store/names.js';
import { getPlan, getPlanByLegacyId, listPlans, type PlanRow } from '../../store/plans.js';
import { getSnapshot, listSnapshots, type SnapshotRow } from '../../store/snapshots.js';
import { getTask, getTaskByLegacyId, type TaskRow } from '../../store/tasks.js';
import { FlowError } from '../../model/errors.js';
import { closest, didYouMean } from './suggest.js';
import type { Call } from './workspace.js';

export type { Named };
export type NameKind = NamedKind | 'snapshot';

/**
 * Rows one "did you mean" compares: the first ones in table order plus those whose id starts like the
 * one given (a mistyped id mostly keeps its first characters). Below this many, the answer is the one
 * every row would give.
 */
export const SUGGEST_ROWS = 5_000;
/** Snapshots a name is looked for among: the newest (older ones are named by id). */
export const SNAPSHOTS_NAMED = 200;
/** Snapshots an undo looks back through for the one taken before the change it undoes. */
const UNDO_LOOKBACK = 500;

interface Finder<R> {
  kind: NamedKind;
  byId(db: Db, id: string): R | undefined;
  byLegacyId(db: Db, id: string): R | undefined;
  listHint: string;
}

/** Candidates for "did you mean" after a miss: bounded (SUGGEST_ROWS each way), each id once. */
function suggestionPool(db: Db, kind: NamedKind, given: string): Named[] {
  const start = given.trim().toLowerCase().slice(0, 3);
  const pool = new Map<string, Named>();
  for (const n of namesOf(db, kind, SUGGEST_ROWS)) pool.set(n.id, n);
  if (start) for (const n of namesWithIdPrefix(db, kind, start, SUGGEST_ROWS)) pool.set(n.id, n);
  return [...pool.values()];
}

/** By id, then by the legacy id it was imported with, then case-insensitively; else "did you mean". */
function find<R>(call: Call, f: Finder<R>, id: string): R {
  const db = call.ws.db;
  const row = f.byId(db, id) ?? f.byLegacyId(db, id) ?? f.byId(db, id.toLowerCase());
  if (row) return row;
  const near = closest(id, suggestionPool(db, f.kind, id));
  throw new FlowError('not_found', `No ${f.kind} "${id}".${didYouMean(near)}`, f.listHint, { candidates: near.map((c) => c.id) });
}

const FLOWS: Finder<FlowRow> = { kind: 'flow', byId: getFlow, byLegacyId: getFlowByLegacyId, listHint: 'Use flow list to see flow ids.' };
const PLANS: Finder<PlanRow> = { kind: 'plan', byId: getPlan, byLegacyId: getPlanByLegacyId, listHint: 'Use plan list to see plan ids.' };
const TASKS: Finder<TaskRow> = { kind: 'task', byId: getTask, byLegacyId: getTaskByLegacyId, listHint: 'Use task list (with query) to find task ids.' };

export const findFlow = (call: Call, id: string): FlowRow => find(call, FLOWS, id);
export const findPlan = (call: Call, id: string): PlanRow => find(call, PLANS, id);
export const findTask = (call: Call, id: string): TaskRow => find(call, TASKS, id);

/** The named flow, else the session's current one; a session without one is told how to get one. */
export function flowOrCurrent(call: Call, id: string | undefined): FlowRow {
  if (id) return findFlow(call, id);
  const cur = call.session.current().flowId;
  if (cur) {
    const row = getFlow(call.ws.db, cur);
    if (row) return row;
  }
  throw new FlowError(
    'no_current',
    'No current flow in this session.',
    'Pass flow_id, or pick one with flow switch (flow list shows them), or start one with flow create.',
  );
}

/**
 * The named plan, else the session's current plan (if it belongs to the flow in play), else the
 * flow's only plan. With several plans and no choice made, the error lists them.
 */
export function planOrCurrent(call: Call, id: string | undefined, flowId?: string): PlanRow {
  if (id) return findPlan(call, id);
  const flow = flowOrCurrent(call, flowId);
  const cur = call.session.current().planId;
  if (cur) {
    const row = getPlan(call.ws.db, cur);
    if (row && row.flow_id === flow.id) return row;
  }
  const plans = listPlans(call.ws.db, flow.id).filter((p) => p.status !== 'archived');
  if (plans.length === 1) return plans[0]!;
  if (plans.length === 0) {
    throw new FlowError(
      'no_current',
      `Flow ${flow.id} ("${flow.name}") has no plans yet.`,
      'Create one with plan create (title), then add tasks to it.',
    );
  }
  throw new FlowError(
    'no_current',
    `No current plan in this session, and flow ${flow.id} has ${plans.length} plans.`,
    `Pass plan_id, or choose one with plan use: ${plans
      .slice(0, 10)
      .map((p) => `${p.id} ("${p.title}")`)
      .join(', ')}${plans.length > 10 ? ', …' : ''}.`,
    { candidates: plans.slice(0, 10).map((p) => p.id) },
  );
}

/**
 * A thing named exactly, as commands name it: its id (any case) or the legacy id it was imported with;
 * a snapshot by its id. Undefined when nothing has that id.
 */
export function lookupName(call: Call, kind: NameKind, text: string): Named | undefined {
  const db = call.ws.db;
  const l = text.toLowerCase();
  if (kind === 'flow') {
    const r = getFlow(db, l) ?? getFlowByLegacyId(db, text);
    return r && { id: r.id, name: r.name };
  }
  if (kind === 'plan') {
    const r = getPlan(db, l) ?? getPlanByLegacyId(db, text);
    return r && { id: r.id, name: r.title };
  }
  if (kind === 'task') {
    const r = getTask(db, l) ?? getTaskByLegacyId(db, text);
    return r && { id: r.id, name: r.title };
  }
  const r = getSnapshot(db, l);
  return r && { id: r.id, name: r.label || r.reason };
}

/** A plan by its number (1 first) in a flow, as plan lists show them: "plan 2", "#2". */
export function planNumbered(call: Call, flowId: string, n: number): Named | undefined {
  const p = n >= 1 ? planAt(call.ws.db, flowId, n - 1) : undefined;
  return p && { id: p.id, name: p.title };
}

/**
 * Names to match title words against, at most `limit`: in the given flow when there is one (flows
 * belong to none); snapshots by label (else why they were taken), the newest SNAPSHOTS_NAMED.
 */
export function namesToMatch(call: Call, kind: NameKind, limit: number, flowId?: string): Named[] {
  if (kind === 'snapshot') return listSnapshots(call.ws.db, 0, Math.min(limit, SNAPSHOTS_NAMED)).map((s) => ({ id: s.id, name: s.label || s.reason }));
  return namesOf(call.ws.db, kind, limit, flowId);
}

/** The newest snapshot taken for `reason` ("before restore", …) among the recent ones: what an undo restores. */
export function snapshotTakenFor(call: Call, reason: string): SnapshotRow | undefined {
  return listSnapshots(call.ws.db, 0, UNDO_LOOKBACK).find((s) => s.reason.startsWith(reason));
}
