// The `flow` tool: workstreams. create · list · get · update · switch · archive · delete.
import { z } from 'zod';
import { archiveFlow, createFlow, deleteFlowOp, getFlowOp, listFlowsOp, switchFlow, updateFlow } from '../core/work/flows.js';
import { FlowArchive, FlowCreate, FlowDelete, FlowGet, FlowList, FlowSwitch, FlowUpdate } from '../core/schemas/flow.js';
import { CurrentView, DeletedView, ErrorView, FlowRowView, FlowView } from '../core/schemas/results.js';
import { action, type ToolSpec } from './define.js';

export const flowTool: ToolSpec = {
  name: 'flow',
  title: 'Flows (workstreams)',
  description:
    'Workstreams of this project; each holds plans → tasks. The current flow is per session and used when flow_id is omitted elsewhere. ' +
    'Actions: create(name, description?) becomes current · list(status?, cursor?, limit?) · get(id?) counts+plans · ' +
    'update(id, name?, description?, status?, expected_revision?) · switch(id) · archive(id) · delete(id, confirm:true).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    create: action(FlowCreate, createFlow, ['name']),
    list: action(FlowList, listFlowsOp),
    get: action(FlowGet, getFlowOp, ['id']),
    update: action(FlowUpdate, updateFlow, ['id']),
    switch: action(FlowSwitch, switchFlow, ['id']),
    archive: action(FlowArchive, archiveFlow, ['id']),
    delete: action(FlowDelete, deleteFlowOp, ['id']),
  },
  output: z.object({
    action: z.string().optional(),
    flow: FlowView.optional(),
    flows: z.array(FlowRowView).optional(),
    next_cursor: z.string().nullable().optional(),
    current: CurrentView.optional(),
    deleted: DeletedView.optional(),
    snapshot: z.string().optional(),
    error: ErrorView.optional(),
  }),
};
