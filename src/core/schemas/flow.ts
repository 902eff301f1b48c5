// Inputs of the flow operations.
import { z } from 'zod';
import { Confirm, Cursor, FlowStatus, Id, Limit, Name, Revision, Text } from './common.js';

export const FlowCreate = z.object({ name: Name, description: Text.optional() }).strict();
export const FlowList = z.object({ status: FlowStatus.optional(), cursor: Cursor.optional(), limit: Limit.optional() }).strict();
export const FlowGet = z.object({ id: Id.optional() }).strict();
export const FlowUpdate = z
  .object({
    id: Id,
    name: Name.optional(),
    description: Text.optional(),
    status: FlowStatus.optional(),
    expected_revision: Revision.optional(),
  })
  .strict();
export const FlowSwitch = z.object({ id: Id }).strict();
export const FlowArchive = z.object({ id: Id }).strict();
export const FlowDelete = z.object({ id: Id, confirm: Confirm.optional() }).strict();

export type FlowCreateInput = z.infer<typeof FlowCreate>;
export type FlowListInput = z.infer<typeof FlowList>;
export type FlowGetInput = z.infer<typeof FlowGet>;
export type FlowUpdateInput = z.infer<typeof FlowUpdate>;
export type FlowSwitchInput = z.infer<typeof FlowSwitch>;
export type FlowArchiveInput = z.infer<typeof FlowArchive>;
export type FlowDeleteInput = z.infer<typeof FlowDelete>;
