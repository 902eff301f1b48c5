// Inputs of the task operations.
import { z } from 'zod';
import {
  Confirm,
  Cursor,
  Id,
  IdList,
  LIMITS,
  Limit,
  oneLine,
  Position,
  Priority,
  Revision,
  TaskStatus,
  Text,
  Title,
} from './common.js';

/**
 * A new task's dependencies: an empty list means none, as leaving it out does (a model filling in every
 * item of a batch sends `depends_on: []` for the first); `task depend` with nothing stays refused.
 */
const NewDeps = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(Id).max(LIMITS.batch));

/** A dependency inside a batch create may name an earlier item of the same batch as "#1", "#2", ... */
export const NewTask = z
  .object({ title: Title, description: Text.optional(), priority: Priority.optional(), depends_on: NewDeps.optional() })
  .strict();

export const TaskCreate = z
  .object({
    title: Title.optional(),
    description: Text.optional(),
    priority: Priority.optional(),
    depends_on: NewDeps.optional(),
    plan_id: Id.optional(),
    tasks: z.array(NewTask).min(1).max(LIMITS.batch).optional(),
  })
  .strict()
  .superRefine((v, call) => {
    if (v.tasks && (v.title !== undefined || v.description !== undefined || v.priority !== undefined || v.depends_on?.length)) {
      call.addIssue({
        code: 'custom',
        message: 'give either title (one task) or tasks: [...] (many), not both; put title/description/priority/depends_on inside each item of tasks',
      });
    } else if (!v.tasks && v.title === undefined) {
      call.addIssue({ code: 'custom', path: ['title'], message: 'is required (or pass tasks: [{title}, ...] to create many)' });
    }
  });

export const TaskList = z
  .object({
    plan_id: Id.optional(),
    flow_id: Id.optional(),
    status: z.preprocess((v) => (typeof v === 'string' ? v.split(',') : v), z.array(TaskStatus).min(1).max(6)).optional(),
    query: z.string().trim().min(1).max(200).optional(),
    cursor: Cursor.optional(),
    limit: Limit.optional(),
  })
  .strict();
export const TaskGet = z.object({ id: Id }).strict();
export const TaskUpdate = z
  .object({
    id: Id,
    title: Title.optional(),
    description: Text.optional(),
    priority: Priority.optional(),
    expected_revision: Revision.optional(),
  })
  .strict();
export const TaskSetStatus = z.object({ id: Id, status: TaskStatus, expected_revision: Revision.optional() }).strict();
export const TaskMove = z.object({ id: Id, plan_id: Id, position: Position.optional() }).strict();
export const TaskDepend = z.object({ id: Id, depends_on: IdList }).strict();
export const TaskNext = z.object({ flow_id: Id.optional(), plan_id: Id.optional() }).strict();
export const Agent = oneLine(100);
export const TaskClaim = z
  .object({
    agent: Agent,
    id: Id.optional(),
    lease_seconds: z.number().int().min(10).max(LIMITS.leaseMaxSeconds).optional(),
    flow_id: Id.optional(),
    plan_id: Id.optional(),
  })
  .strict();
export const TaskRelease = z.object({ id: Id, agent: Agent }).strict();
export const TaskDelete = z.object({ id: Id, confirm: Confirm.optional() }).strict();

export type NewTaskInput = z.infer<typeof NewTask>;
export type TaskCreateInput = z.infer<typeof TaskCreate>;
export type TaskListInput = z.infer<typeof TaskList>;
export type TaskGetInput = z.infer<typeof TaskGet>;
export type TaskUpdateInput = z.infer<typeof TaskUpdate>;
export type TaskSetStatusInput = z.infer<typeof TaskSetStatus>;
export type TaskMoveInput = z.infer<typeof TaskMove>;
export type TaskDependInput = z.infer<typeof TaskDepend>;
export type TaskNextInput = z.infer<typeof TaskNext>;
export type TaskClaimInput = z.infer<typeof TaskClaim>;
export type TaskReleaseInput = z.infer<typeof TaskRelease>;
export type TaskDeleteInput = z.infer<typeof TaskDelete>;
