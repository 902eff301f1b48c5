// The `plan` tool: ordered plans inside a flow. create · list · get · update · use · reorder · delete.
import { createPlan, removePlan, showPlan, plansOfFlow, reorderPlan, updatePlan, usePlan } from '../core/work/plans.js';
import { PlanCreate, PlanDelete, PlanGet, PlanList, PlanReorder, PlanUpdate, PlanUse } from '../core/schemas/plan.js';
import { PlanDeleteResult, PlanListResult, PlanResult } from '../core/schemas/results.js';
import { action, type ToolSpec } from './define.js';

export const planTool: ToolSpec = {
  name: 'plan',
  title: 'Plans (ordered steps of a flow)',
  description:
    'Ordered plans of a flow, holding its tasks. The current plan (per session) gets new tasks. ' +
    'Actions: create(title, objective?, flow_id?) becomes current · list(flow_id?, cursor?, limit?) · get(id?) · ' +
    'update(id, title?, objective?, status?, expected_revision?) · use(id) · reorder(id, position 1-based) · delete(id, confirm:true).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    create: action(PlanCreate, PlanResult, createPlan, ['title']),
    list: action(PlanList, PlanListResult, plansOfFlow),
    get: action(PlanGet, PlanResult, showPlan, ['id']),
    update: action(PlanUpdate, PlanResult, updatePlan, ['id']),
    use: action(PlanUse, PlanResult, usePlan, ['id']),
    reorder: action(PlanReorder, PlanResult, reorderPlan, ['id', 'position']),
    delete: action(PlanDelete, PlanDeleteResult, removePlan, ['id']),
  },
};
