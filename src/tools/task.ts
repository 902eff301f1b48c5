// The `task` tool: the work itself. create · list · get · update · set_status · move · depend · undepend
// · next · claim · release · delete.
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
import {
  TaskClaimResult,
  TaskCreateResult,
  TaskDeleteResult,
  TaskDependResult,
  TaskListResult,
  TaskNextResult,
  TaskResult,
  TaskSetStatusResult,
  TaskUndependResult,
} from '../core/schemas/results.js';
import { createTasks, removeTask, showTask, tasksPage, moveTask, setTaskStatus, updateTask } from '../core/work/tasks.js';
import { action, type ToolSpec } from './define.js';

export const taskTool: ToolSpec = {
  name: 'task',
  title: 'Tasks (with dependencies and claims)',
  description:
    'Tasks of the current plan/flow; an id may be an exact title. status: todo|in_progress|blocked|review|done|cancelled; priority: low|medium|high|urgent. ' +
    'Actions: create(title, description?, priority?, depends_on?, plan_id?) or create(tasks:[{title,...}], depends_on "#1" = 1st item) · ' +
    'list(plan_id?, flow_id?, status?, query?, cursor?, limit?) · get(id) · update(id, title?, description?, priority?, expected_revision?) · ' +
    'set_status(id, status, expected_revision?) · move(id, plan_id, position?) · depend/undepend(id, depends_on) · ' +
    'next(flow_id?, plan_id?) best ready task (list/next without plan_id: whole flow) · claim(agent, id?, lease_seconds?) reserves it (or the next ready) from other agents · release(id, agent) · delete(id, confirm:true).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    create: action(TaskCreate, TaskCreateResult, createTasks, ['title']),
    list: action(TaskList, TaskListResult, tasksPage),
    get: action(TaskGet, TaskResult, showTask, ['id']),
    update: action(TaskUpdate, TaskResult, updateTask, ['id']),
    set_status: action(TaskSetStatus, TaskSetStatusResult, setTaskStatus, ['id', 'status']),
    move: action(TaskMove, TaskResult, moveTask, ['id', 'plan_id', 'position']),
    depend: action(TaskDepend, TaskDependResult, depend, ['id', 'depends_on']),
    undepend: action(TaskDepend, TaskUndependResult, undepend, ['id', 'depends_on']),
    next: action(TaskNext, TaskNextResult, nextTask),
    claim: action(TaskClaim, TaskClaimResult, claimTask, ['agent', 'id']),
    release: action(TaskRelease, TaskClaimResult, releaseTask, ['id', 'agent']),
    delete: action(TaskDelete, TaskDeleteResult, removeTask, ['id']),
  },
};
