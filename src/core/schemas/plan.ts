// Inputs of the plan operations.
import { z } from 'zod';
import { Confirm, Cursor, Id, Limit, PlanStatus, Position, Revision, Text, Title } from './common.js';

export const PlanCreate = z.object({ title: Title, objective: Text.optional(), flow_id: Id.optional() }).strict();
export const PlanList = z.object({ flow_id: Id.optional(), cursor: Cursor.optional(), limit: Limit.optional() }).strict();
export const PlanGet = z.object({ id: Id.optional() }).strict();
export const PlanUpdate = z
  .object({
    id: Id,
    title: Title.optional(),
    objective: Text.optional(),
    status: PlanStatus.optional(),
    expected_revision: Revision.optional(),
  })
  .strict();
export const PlanUse = z.object({ id: Id }).strict();
export const PlanReorder = z.object({ id: Id, position: Position }).strict();
export const PlanDelete = z.object({ id: Id, confirm: Confirm.optional() }).strict();

export type PlanCreateInput = z.infer<typeof PlanCreate>;
export type PlanListInput = z.infer<typeof PlanList>;
export type PlanGetInput = z.infer<typeof PlanGet>;
export type PlanUpdateInput = z.infer<typeof PlanUpdate>;
export type PlanUseInput = z.infer<typeof PlanUse>;
export type PlanReorderInput = z.infer<typeof PlanReorder>;
export type PlanDeleteInput = z.infer<typeof PlanDelete>;
