// The shapes results are made of. Tools publish them as outputSchema; TS types come from here.
import { z } from 'zod';
import { FLOW_STATUSES, PLAN_STATUSES, PRIORITIES, TASK_STATUSES } from '../../model/vocab.js';

const Ts = z.string();

export const Counts = z.object({
  total: z.number().int(),
  todo: z.number().int(),
  in_progress: z.number().int(),
  blocked: z.number().int(),
  review: z.number().int(),
  done: z.number().int(),
  cancelled: z.number().int(),
  progress: z.number().int().describe('percent of tasks done, cancelled ones not counted'),
});

export const FlowRowView = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(FLOW_STATUSES),
  updated_at: Ts,
  revision: z.number().int(),
  progress: z.number().int().optional(),
});

export const PlanRowView = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(PLAN_STATUSES),
  position: z.number().int(),
  revision: z.number().int(),
  tasks: z.number().int().optional(),
  progress: z.number().int().optional(),
});

export const FlowView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().optional().describe('left out when empty'),
  status: z.enum(FLOW_STATUSES),
  legacy_id: z.string().optional().describe('the id this row had in the tool it was imported from; left out when none'),
  created_at: Ts,
  updated_at: Ts,
  revision: z.number().int(),
  counts: Counts.optional(),
  plans: z.array(PlanRowView).optional(),
  plans_total: z.number().int().optional(),
});

export const PlanView = z.object({
  id: z.string(),
  flow_id: z.string(),
  title: z.string(),
  objective: z.string().optional().describe('left out when empty'),
  status: z.enum(PLAN_STATUSES),
  position: z.number().int(),
  legacy_id: z.string().optional().describe('the id this row had in the tool it was imported from; left out when none'),
  created_at: Ts,
  updated_at: Ts,
  revision: z.number().int(),
  counts: Counts.optional(),
});

export const TaskRowView = z.object({
  id: z.string(),
  plan_id: z.string(),
  title: z.string(),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES),
  revision: z.number().int(),
  waiting_on_count: z.number().int().optional().describe('how many dependencies are not done yet; left out when none (the full task row lists them as waiting_on)'),
  claimed_by: z.string().optional(),
  claim_expires_at: Ts.optional().describe('when the live claim named by claimed_by ends; left out when nobody holds one'),
  claim_ran_out: z.literal(true).optional().describe('in progress, but its claim\'s lease ran out: nobody holds it, free to take; left out otherwise'),
});

export const TaskView = z.object({
  id: z.string(),
  flow_id: z.string(),
  plan_id: z.string(),
  title: z.string(),
  description: z.string().optional().describe('left out when empty'),
  status: z.enum(TASK_STATUSES),
  priority: z.enum(PRIORITIES),
  position: z.number().int(),
  depends_on: z.array(z.string()).optional().describe('ids of the tasks this one depends on; left out when none'),
  waiting_on: z.array(z.string()).optional().describe('ids of the dependencies not done yet; left out when none'),
  dependents: z.array(z.string()).optional().describe('ids of tasks that depend on this one (at most 50); left out when none'),
  claim: z.object({ agent: z.string(), expires_at: Ts, active: z.boolean() }).optional().describe('left out when nobody holds or held a claim'),
  started_at: Ts.optional(),
  completed_at: Ts.optional(),
  legacy_id: z.string().optional().describe('the id this row had in the tool it was imported from; left out when none'),
  created_at: Ts,
  updated_at: Ts,
  revision: z.number().int(),
});

export const CurrentView = z.object({ flow_id: z.string().nullable(), plan_id: z.string().nullable() });

export const DeletedView = z.object({
  kind: z.enum(['flow', 'plan', 'task']),
  id: z.string(),
  title: z.string(),
  plans: z.number().int().optional(),
  tasks: z.number().int().optional(),
  dependencies_dropped: z.number().int().optional(),
});

export const ErrorView = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  details: z.record(z.string(), z.unknown()).optional(),
});

export type CountsV = z.infer<typeof Counts>;
export type FlowRowV = z.infer<typeof FlowRowView>;
export type PlanRowV = z.infer<typeof PlanRowView>;
export type FlowV = z.infer<typeof FlowView>;
export type PlanV = z.infer<typeof PlanView>;
export type TaskRowV = z.infer<typeof TaskRowView>;
export type TaskV = z.infer<typeof TaskView>;
export type CurrentV = z.infer<typeof CurrentView>;
export type DeletedV = z.infer<typeof DeletedView>;

// ——— What each action of the flow, plan and task tools returns (the core functions' return types). ———

const Snapshot = z.string().describe('id of the snapshot taken before the change');
const NextCursor = z.string().nullable();

export const FlowResult = z.object({ flow: FlowView, current: CurrentView.optional() });
export const FlowGetResult = FlowResult.extend({ plans_truncated: z.boolean().optional() });
export const FlowListResult = z.object({ flows: z.array(FlowRowView), next_cursor: NextCursor, current: CurrentView });
export const FlowDeleteResult = z.object({ deleted: DeletedView, current: CurrentView, snapshot: Snapshot });

export const PlanResult = z.object({ plan: PlanView, current: CurrentView.optional() });
export const PlanListResult = z.object({ flow_id: z.string(), plans: z.array(PlanRowView), next_cursor: NextCursor, current: CurrentView });
export const PlanDeleteResult = FlowDeleteResult;

export const TaskResult = z.object({ task: TaskView, warnings: z.array(z.string()).optional() });
export const TaskCreateResult = z.union([
  TaskResult.extend({ current: CurrentView }),
  z.object({ tasks: z.array(TaskRowView), created: z.number().int(), current: CurrentView, warnings: TaskResult.shape.warnings }),
]);
/** What a list or `next` covered, for a person: `flow f-1 "Checkout" (all plans)` or `plan p-2 "Release" in flow f-1`. */
const CoveredScope = z.string().describe('what was covered: one plan, or the whole flow (all its plans) when no plan_id was given');
export const TaskListResult = z.object({
  scope: CoveredScope,
  tasks: z.array(TaskRowView),
  next_cursor: NextCursor,
  flow_id: z.string(),
  plan_id: z.string().optional().describe('left out when the whole flow was covered'),
});
export const TaskSetStatusResult = TaskResult.extend({ unblocked: z.array(z.string()).optional() });
export const TaskDependResult = z.object({ task: TaskView, added: z.array(z.string()) });
export const TaskUndependResult = z.object({ task: TaskView, removed: z.array(z.string()) });
export const TaskNextResult = z.object({
  scope: CoveredScope,
  task: TaskView.nullable(),
  also_ready: z.array(TaskRowView),
  flow_id: z.string(),
  plan_id: z.string().optional().describe('left out when the whole flow was covered'),
  reason: z.string().optional(),
});
export const TaskClaimResult = z.object({
  task: TaskView.nullable(),
  claim: z.object({ agent: z.string(), expires_at: Ts, renewed: z.boolean(), took_over_from: z.string().optional() }).optional(),
  reason: z.string().optional(),
});
export const TaskDeleteResult = z.object({ deleted: DeletedView, snapshot: Snapshot });

export type FlowResultV = z.infer<typeof FlowResult>;
export type FlowGetResultV = z.infer<typeof FlowGetResult>;
export type FlowListResultV = z.infer<typeof FlowListResult>;
export type FlowDeleteResultV = z.infer<typeof FlowDeleteResult>;
export type PlanResultV = z.infer<typeof PlanResult>;
export type PlanListResultV = z.infer<typeof PlanListResult>;
export type PlanDeleteResultV = z.infer<typeof PlanDeleteResult>;
export type TaskResultV = z.infer<typeof TaskResult>;
export type TaskCreateResultV = z.infer<typeof TaskCreateResult>;
export type TaskListResultV = z.infer<typeof TaskListResult>;
export type TaskSetStatusResultV = z.infer<typeof TaskSetStatusResult>;
export type TaskDependResultV = z.infer<typeof TaskDependResult>;
export type TaskUndependResultV = z.infer<typeof TaskUndependResult>;
export type TaskNextResultV = z.infer<typeof TaskNextResult>;
export type TaskClaimResultV = z.infer<typeof TaskClaimResult>;
export type TaskDeleteResultV = z.infer<typeof TaskDeleteResult>;
