// What the page shows that no single tool call gives, assembled from tool calls: the whole board of a
// flow (with claims' leases), a task with its neighbours, documents and history, a flow's briefing, and
// a restore's preview.
import { newestSeq, readLog } from '../core/kernel/event-log.js';
import type { Call } from '../core/kernel/workspace.js';
import type { ErrorBody } from '../model/errors.js';
import { ApiError, run } from './tool-call.js';

/** Most tasks one board answer carries (the page virtualizes its columns; past this it says so). */
export const BOARD_MAX_TASKS = 20_000;
export const PAGE = 200;
const HISTORY = 50;
const CLAIMS_SHOWN = 200;

/** The board of one flow (the session's current one when none is named): its plans and every task, compact. */
export async function board(call: Call, flowId: string | undefined) {
  const flows = (await run(call, 'flow', { action: 'list', limit: PAGE })).flows as { id: string; name: string }[];
  const flow = flowId ?? call.session.current().flowId ?? flows[0]?.id;
  if (!flow) return { flows, flow_id: null, plans: [], tasks: [], leases: {}, truncated: false, seq: newestSeq(call.ws.db) };
  // The position in the event log is read first: a change committed while the board is read is then
  // also delivered by the stream the page opens from this seq (applied twice, harmlessly), never lost.
  const seq = newestSeq(call.ws.db);
  const plans: unknown[] = [];
  let cursor: string | null = null;
  do {
    const page = await run(call, 'plan', { action: 'list', flow_id: flow, limit: PAGE, ...(cursor ? { cursor } : {}) });
    plans.push(...page.plans);
    cursor = page.next_cursor;
  } while (cursor);
  const tasks: unknown[] = [];
  cursor = null;
  do {
    const page = await run(call, 'task', { action: 'list', flow_id: flow, limit: PAGE, ...(cursor ? { cursor } : {}) });
    tasks.push(...page.tasks);
    cursor = page.next_cursor;
  } while (cursor && tasks.length < BOARD_MAX_TASKS);
  // Claims: the rows name who holds one; how long the lease has left comes from the task itself (few
  // tasks are claimed at once; past CLAIMS_SHOWN the card shows the holder without the time).
  const claimed = (tasks as { id: string; claimed_by?: string }[]).filter((t) => t.claimed_by).slice(0, CLAIMS_SHOWN);
  const leases: Record<string, string> = {};
  for (const t of claimed) {
    const { task } = await run(call, 'task', { action: 'get', id: t.id });
    if (task.claim?.active) leases[t.id] = task.claim.expires_at;
  }
  return { flows, flow_id: flow, plans, tasks, leases, truncated: cursor !== null, seq };
}

export async function taskDetail(call: Call, id: string) {
  const { task } = await run(call, 'task', { action: 'get', id });
  const history = readLog(call, { entity_id: task.id, limit: HISTORY }).events;
  const names = async (ids: string[] | undefined) => {
    const out: { id: string; title: string; status: string }[] = [];
    for (const d of ids ?? []) {
      // A dependency deleted since is named as such; any other refusal (a storage fault) is the answer's.
      const t = await run(call, 'task', { action: 'get', id: d }).then(
        (r) => r.task as { id: string; title: string; status: string },
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 404) return undefined;
          throw e;
        },
      );
      out.push(t ? { id: t.id, title: t.title, status: t.status } : { id: d, title: '(deleted)', status: 'cancelled' });
    }
    return out;
  };
  const documents = (await run(call, 'document', { action: 'list', task_id: task.id, limit: HISTORY })).documents as { path: string; title: string }[];
  return { task, depends_on: await names(task.depends_on), dependents: await names(task.dependents), history, documents: documents.map((d) => ({ path: d.path, title: d.title })) };
}

/** A flow's memory for a person: the resume briefing an assistant would get, and the context itself. */
export async function briefing(call: Call, flowId: string | undefined) {
  const flow = flowId ?? call.session.current().flowId ?? undefined;
  const at = flow ? { flow_id: flow } : {};
  const resume = await run(call, 'context', { action: 'resume', ...at });
  const context = await run(call, 'context', { action: 'get', flow_id: resume.flow_id });
  return { resume, context };
}

/** What restoring a snapshot would remove, change and bring back, changing nothing: the restore tool's own answer when not confirmed. */
export async function restorePreview(call: Call, id: string) {
  try {
    await run(call, 'snapshot', { action: 'restore', id });
  } catch (e) {
    const error = e instanceof ApiError ? (e.body as { error: ErrorBody }).error : undefined;
    if (error?.code === 'confirm_required') return { message: error.message, ...error.details };
    throw e;
  }
  throw new Error('snapshot restore without confirm changed something'); // never: the tool refuses without confirm
}

