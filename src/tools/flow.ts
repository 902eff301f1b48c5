// The `flow` tool: workstreams. create · list · get · update · switch · archive · delete.
import { archiveFlow, createFlow, removeFlow, showFlow, flowsPage, switchFlow, updateFlow } from '../core/work/flows.js';
import { FlowArchive, FlowCreate, FlowDelete, FlowGet, FlowList, FlowSwitch, FlowUpdate } from '../core/schemas/flow.js';
import { FlowDeleteResult, FlowGetResult, FlowListResult, FlowResult } from '../core/schemas/results.js';
import { action, type ToolSpec } from './define.js';

export const flowTool: ToolSpec = {
  name: 'flow',
  title: 'Flows (workstreams)',
  description:
    'Workstreams of this project; each holds plans → tasks. The current flow (per session) is used wherever flow_id is omitted. ' +
    'Actions: create(name, description?) becomes current · list(status?, cursor?, limit?) · get(id?) counts+plans · ' +
    'update(id, name?, description?, status?, expected_revision?) · switch(id) · archive(id) · delete(id, confirm:true).',
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
  actions: {
    create: action(FlowCreate, FlowResult, createFlow, ['name']),
    list: action(FlowList, FlowListResult, flowsPage),
    get: action(FlowGet, FlowGetResult, showFlow, ['id']),
    update: action(FlowUpdate, FlowResult, updateFlow, ['id']),
    switch: action(FlowSwitch, FlowResult, switchFlow, ['id']),
    archive: action(FlowArchive, FlowResult, archiveFlow, ['id']),
    delete: action(FlowDelete, FlowDeleteResult, removeFlow, ['id']),
  },
};
