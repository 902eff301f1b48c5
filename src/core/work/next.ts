// "What should I work on next?": the best ready task in scope, a few runners-up, and, when nothing is
// ready, why not.
import { notReadyBreakdown, readyTasks } from '../../store/tasks.js';
import { getFlow } from '../../store/flows.js';
import { countPlans, getPlan } from '../../store/plans.js';
import { findPlan, flowOrCurrent } from '../kernel/names.js';
import type { TaskNextInput } from '../schemas/task.js';
import type { TaskNextResultV } from '../schemas/results.js';
import { taskRowView, taskView } from './views.js';
import type { Call } from '../kernel/workspace.js';

const RUNNERS_UP = 5;

/** Scope: the given plan, else the given flow, else the session's current flow (all its active plans). */
export function scopeOf(call: Call, input: { flow_id?: string; plan_id?: string }): { flowId: string; planId?: string } {
  if (input.plan_id) {
    const plan = findPlan(call, input.plan_id);
    return { flowId: plan.flow_id, planId: plan.id };
  }
  return { flowId: flowOrCurrent(call, input.flow_id).id };
}

/**
 * What a list or `next` covered, said so a person cannot mistake it: without a plan_id it is the whole
 * flow, every plan in it, whatever the session's current plan is.
 */
export function scopeText(call: Call, scope: { flowId: string; planId?: string }): string {
  const flow = getFlow(call.ws.db, scope.flowId);
  const flowText = `flow ${scope.flowId}${flow ? ` "${flow.name}"` : ''}`;
  if (!scope.planId) return `${flowText} (all plans)`;
  const plan = getPlan(call.ws.db, scope.planId);
  return `plan ${scope.planId}${plan ? ` "${plan.title}"` : ''} in ${flowText}`;
}

export function nextTask(call: Call, input: TaskNextInput): TaskNextResultV {
  const db = call.ws.db;
  const now = call.ws.now();
  const scope = scopeOf(call, input);
  const rows = readyTasks(db, { ...scope, now, limit: RUNNERS_UP + 1 });
  const base = { scope: scopeText(call, scope), flow_id: scope.flowId, ...(scope.planId ? { plan_id: scope.planId } : {}) };
  if (rows.length === 0) return { ...base, task: null, also_ready: [], reason: whyNothingReady(call, scope, now) };
  return { ...base, task: taskView(db, rows[0]!, now), also_ready: rows.slice(1).map((r) => taskRowView(r, now, 0)) };
}

export function whyNothingReady(call: Call, scope: { flowId: string; planId?: string }, now: string): string {
  const b = notReadyBreakdown(call.ws.db, { ...scope, now });
  const parts: string[] = [];
  if (b.in_progress) parts.push(`${b.in_progress} in progress${b.claimed ? ` (${b.claimed} claimed)` : ''}`);
  if (b.waiting_on_deps) parts.push(`${b.waiting_on_deps} waiting on unfinished dependencies`);
  if (b.blocked) parts.push(`${b.blocked} blocked`);
  if (b.review) parts.push(`${b.review} in review`);
  if (b.todo_in_closed_plans) parts.push(`${b.todo_in_closed_plans} todo in plans that are not active`);
  const where = scope.planId ? `plan ${scope.planId}` : `flow ${scope.flowId}`;
  if (parts.length === 0) {
    // Tasks live in plans: with none, "task create" would be refused too.
    if (!scope.planId && countPlans(call.ws.db, scope.flowId) === 0) return `Nothing is ready in ${where}: it has no plans yet. Create one with plan create, then add tasks with task create.`;
    return `Nothing is ready in ${where}: no open tasks. Add some with task create.`;
  }
  return `Nothing is ready in ${where}: ${parts.join(', ')}. Finish or unblock those (task list with status shows them).`;
}
