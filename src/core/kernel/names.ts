// Finds flows, plans and tasks by id (or the legacy id they were imported with), and the session's
// current flow/plan when none is named. A miss says which ids come closest and how to list them.
import type { Db } from '../../store/db.js';
import { getFlow, getFlowByLegacyId, flowNames, type FlowRow } from '../../store/flows.js';
import { getPlan, getPlanByLegacyId, listPlans, planTitles, type PlanRow } from '../../store/plans.js';
import { getTask, getTaskByLegacyId, taskTitles, type TaskRow } from '../../store/tasks.js';
import { FlowError } from '../../model/errors.js';
import { closest, didYouMean, type Candidate } from './suggest.js';
import type { Ctx } from './workspace.js';

interface Finder<R> {
  kind: string;
  byId(db: Db, id: string): R | undefined;
  byLegacyId(db: Db, id: string): R | undefined;
  candidates(db: Db): Candidate[];
  listHint: string;
}

/** By id, then by the legacy id it was imported with, then case-insensitively; else "did you mean". */
function find<R>(ctx: Ctx, f: Finder<R>, id: string): R {
  const db = ctx.ws.db;
  const row = f.byId(db, id) ?? f.byLegacyId(db, id) ?? f.byId(db, id.toLowerCase());
  if (row) return row;
  const near = closest(id, f.candidates(db));
  throw new FlowError('not_found', `No ${f.kind} "${id}".${didYouMean(near)}`, f.listHint, { candidates: near.map((c) => c.id) });
}

const FLOWS: Finder<FlowRow> = { kind: 'flow', byId: getFlow, byLegacyId: getFlowByLegacyId, candidates: flowNames, listHint: 'Use flow list to see flow ids.' };
const PLANS: Finder<PlanRow> = { kind: 'plan', byId: getPlan, byLegacyId: getPlanByLegacyId, candidates: (db) => planTitles(db), listHint: 'Use plan list to see plan ids.' };
const TASKS: Finder<TaskRow> = {
  kind: 'task',
  byId: getTask,
  byLegacyId: getTaskByLegacyId,
  candidates: (db) => taskTitles(db),
  listHint: 'Use task list (with query) to find task ids.',
};

export const findFlow = (ctx: Ctx, id: string): FlowRow => find(ctx, FLOWS, id);
export const findPlan = (ctx: Ctx, id: string): PlanRow => find(ctx, PLANS, id);
export const findTask = (ctx: Ctx, id: string): TaskRow => find(ctx, TASKS, id);

/** The named flow, else the session's current one; a session without one is told how to get one. */
export function flowOrCurrent(ctx: Ctx, id: string | undefined): FlowRow {
  if (id) return findFlow(ctx, id);
  const cur = ctx.session.current().flowId;
  if (cur) {
    const row = getFlow(ctx.ws.db, cur);
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
export function planOrCurrent(ctx: Ctx, id: string | undefined, flowId?: string): PlanRow {
  if (id) return findPlan(ctx, id);
  const flow = flowOrCurrent(ctx, flowId);
  const cur = ctx.session.current().planId;
  if (cur) {
    const row = getPlan(ctx.ws.db, cur);
    if (row && row.flow_id === flow.id) return row;
  }
  const plans = listPlans(ctx.ws.db, flow.id).filter((p) => p.status !== 'archived');
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
