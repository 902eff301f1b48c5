// MCP resources, each the JSON the matching tool action returns, with id completion, and subscribable
// (server/subscriptions.ts):
//   flow://flows/{id}           a flow with its plans (flow get), listed for every flow
//   flow://flows/{id}/context   a flow's context (context get), listed for every flow
//   flow://plans/{id}           a plan with its task counts (plan get)
//   flow://tasks/{id}           a task with its dependencies and claim (task get)
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { getContext } from '../core/memory/context.js';
import { showFlow } from '../core/work/flows.js';
import { showPlan } from '../core/work/plans.js';
import { showTask } from '../core/work/tasks.js';
import type { Call } from '../core/kernel/workspace.js';
import { completeFlowIds, completeIdsOf, someFlowNames } from '../core/kernel/name-completion.js';
import { isFlowError } from '../model/errors.js';
import { asRpcError, listed, opened, RESOURCE_NOT_FOUND, rpcError } from './rpc-errors.js';
import type { ThingKind } from '../core/events/touched.js';

const LISTED = 200;
const URI = /^flow:\/\/(?:(flows)\/([^/]+)(\/context)?|(plans|tasks)\/([^/]+))$/;

/** What a flowmcp resource URI names, or undefined when it names none. */
export function parseResourceUri(uri: string): { kind: ThingKind; id: string } | undefined {
  const m = URI.exec(uri);
  if (!m) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(m[2] ?? m[5]!);
  } catch {
    return undefined;
  }
  if (m[1]) return { kind: m[3] ? 'context' : 'flow', id };
  return { kind: m[4] === 'plans' ? 'plan' : 'task', id };
}

export function resourceUri(kind: ThingKind, id: string): string {
  const enc = encodeURIComponent(id);
  return kind === 'context' ? `flow://flows/${enc}/context` : `flow://${kind}s/${enc}`;
}

/** A read of something that is not there is the protocol's "resource not found", with what to do. */
async function answer(uri: URL, read: () => unknown) {
  try {
    return { contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(read(), null, 2) }] };
  } catch (e) {
    if (isFlowError(e) && e.code === 'not_found') throw rpcError(RESOURCE_NOT_FOUND, e.message, { uri: uri.href });
    throw asRpcError(e);
  }
}

export function registerResources(mcp: McpServer, context: () => Promise<Call>): void {
  mcp.registerResource(
    'flow',
    new ResourceTemplate('flow://flows/{id}', {
      list: async () => ({
        resources: (await listed(context, (call) => someFlowNames(call, LISTED))).map((f) => ({ uri: resourceUri('flow', f.id), name: f.name, mimeType: 'application/json' })),
      }),
      complete: { id: async (value) => listed(context, (call) => completeFlowIds(call, value)) },
    }),
    { title: 'Flow', description: 'A flow with its plans and their progress (as flow get returns it).', mimeType: 'application/json' },
    async (uri, { id }) => {
      const call = await opened(context);
      return answer(uri, () => ({ flow: showFlow(call, { id: String(id) }).flow }));
    },
  );
  mcp.registerResource(
    'flow-context',
    new ResourceTemplate('flow://flows/{id}/context', {
      list: async () => ({
        resources: (await listed(context, (call) => someFlowNames(call, LISTED))).map((f) => ({ uri: resourceUri('context', f.id), name: `${f.name} — context`, mimeType: 'application/json' })),
      }),
      complete: { id: async (value) => listed(context, (call) => completeFlowIds(call, value)) },
    }),
    {
      title: 'Flow context',
      description: "A flow's summary, decisions, open questions, next steps and files touched (as context get returns them).",
      mimeType: 'application/json',
    },
    async (uri, { id }) => {
      const call = await opened(context);
      return answer(uri, () => getContext(call, { flow_id: String(id) }));
    },
  );
  // Plans and tasks are not listed (a project may hold 100k tasks): read or subscribe by id.
  mcp.registerResource(
    'plan',
    new ResourceTemplate('flow://plans/{id}', { list: undefined, complete: { id: async (value) => listed(context, (call) => completeIdsOf(call, 'plan', value)) } }),
    { title: 'Plan', description: 'A plan with its task counts (as plan get returns it).', mimeType: 'application/json' },
    async (uri, { id }) => {
      const call = await opened(context);
      return answer(uri, () => ({ plan: showPlan(call, { id: String(id) }).plan }));
    },
  );
  mcp.registerResource(
    'task',
    new ResourceTemplate('flow://tasks/{id}', { list: undefined, complete: { id: async (value) => listed(context, (call) => completeIdsOf(call, 'task', value)) } }),
    { title: 'Task', description: 'A task with its dependencies, dependents and claim (as task get returns it).', mimeType: 'application/json' },
    async (uri, { id }) => {
      const call = await opened(context);
      return answer(uri, () => showTask(call, { id: String(id) }));
    },
  );
}
