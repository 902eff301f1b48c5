// The `task` tool: the work itself. create · list · get · update · set_status · move · depend · undepend
// · next · claim · release · delete.
import { z } from 'zod';
import { claimTask, releaseTask } from '../core/work/claims.js';
import { depend, undepend } from '../core/work/dependencies.js';
import { nextTask } from '../core/work/next.js';
import {
  TaskClaim,
  TaskCreate,
  TaskDelete,
  TaskDepend,
  TaskGet,
  TaskList,
  TaskMove,
  TaskNext,
  TaskRelease,
  TaskSetStatus,
  TaskUpdate,
} from '../core/schemas/task.js';
import { CurrentView, DeletedView, ErrorView, TaskRowView, TaskView } from '../core/schemas/results.js';
import { createTasks, deleteTaskOp, getTaskOp, listTasksOp, moveTask, setTaskStatus, updateTask } from '../core/work/tasks.js';
import { action, type ToolSpec } from './define.js';

export const taskTool: ToolSpec = {
  name: 'task',
  title: 'Tasks (with dependencies and claims)',
  description:
    'Tasks of the current plan/flow. status: todo|in_progress|blocked|review|done|cancelled; priority: low|medium|high|urgent. ' +
    'Actions: create(title, description?, priority?, depends_on?, plan_id?) or create(tasks:[{title,...}], depends_on "#1" = 1st item) · ' +
    'list(plan_id?, flow_id?, status?, query?, cursor?, limit?) · get(id) · update(id, title?, description?, priority?, expected_revision?) · ' +
    'set_status(id, status, expected_revision?) · move(id, plan_id, position?) · depend/undepend(id, depends_on) · ' +
    'next(flow_id?, plan_id?) best ready task · claim(agent, id?, lease_seconds?) takes it (or next ready) so other agents skip it · release(id, agent) · delete(id, confirm:true).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    create: action(TaskCreate, createTasks, ['title']),
    list: action(TaskList, listTasksOp),
    get: action(TaskGet, getTaskOp, ['id']),
    update: action(TaskUpdate, updateTask, ['id']),
    set_status: action(TaskSetStatus, setTaskStatus, ['id', 'status']),
    move: action(TaskMove, moveTask, ['id', 'plan_id', 'position']),
    depend: action(TaskDepend, depend, ['id', 'depends_on']),
    undepend: action(TaskDepend, undepend, ['id', 'depends_on']),
    next: action(TaskNext, nextTask),
    claim: action(TaskClaim, claimTask, ['agent', 'id']),
    release: action(TaskRelease, releaseTask, ['id', 'agent']),
    delete: action(TaskDelete, deleteTaskOp, ['id']),
  },
  output: z.object({
    action: z.string().optional(),
    task: TaskView.nullable().optional(),
    tasks: z.array(TaskRowView).optional(),
    created: z.number().int().optional(),
    also_ready: z.array(TaskRowView).optional(),
    reason: z.string().optional(),
    unblocked: z.array(z.string()).optional(),
    added: z.array(z.string()).optional(),
    removed: z.array(z.string()).optional(),
    warnings: z.array(z.string()).optional(),
    claim: z
      .object({ agent: z.string(), expires_at: z.string(), renewed: z.boolean(), took_over_from: z.string().optional() })
      .optional(),
    flow_id: z.string().optional(),
    plan_id: z.string().nullable().optional(),
    next_cursor: z.string().nullable().optional(),
    current: CurrentView.optional(),
    deleted: DeletedView.optional(),
    snapshot: z.string().optional(),
    error: ErrorView.optional(),
  }),
};
