// The web page's JSON API: thin routes over the same tool specs the MCP tools and the CLI run
// (dispatch validates with the same schemas and answers the same errors), plus the two views a page
// needs that no single tool call gives: the whole board of a flow, and a task with its history.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Call } from '../core/kernel/workspace.js';
import { newestSeq, readLog } from '../core/kernel/event-log.js';
import type { ErrorBody } from '../model/errors.js';
import { dispatchAsync } from '../tools/dispatch.js';
import { findToolSpec } from '../tools/registry.js';
import { sendJson } from './web-guard.js';

/** Most tasks one board answer carries (the page virtualizes its columns; past this it says so). */
export const BOARD_MAX_TASKS = 20_000;
const PAGE = 200;
const HISTORY = 50;
const CLAIMS_SHOWN = 200;

const STATUS_OF: Partial<Record<ErrorBody['code'], number>> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  cycle: 409,
  claimed: 409,
  not_ready: 409,
  confirm_required: 400,
  no_current: 404,
  refused: 403,
  busy: 503,
  read_only: 503,
  disk_full: 507,
};

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('api');
  }
}

/** Runs one tool action as the MCP tool would; a refusal becomes an ApiError with the tool's error body. */
async function run(call: Call, tool: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  // dispatchAsync, as the MCP server runs tools: pre hooks may veto a change, post hooks are nudged.
  const out = await dispatchAsync(findToolSpec(tool)!, call, args);
  if (out.isError) {
    const error = out.structured.error as ErrorBody;
    throw new ApiError(STATUS_OF[error.code] ?? 500, { error });
  }
  return out.structured;
}

const Id = z.string().min(1).max(200);
const BoardQuery = z.object({ flow: Id.optional() }).strict();
const TaskQuery = z.object({ id: Id }).strict();
const SearchQuery = z.object({ q: z.string().trim().min(1).max(500), kind: z.enum(['document', 'task', 'plan', 'context']).optional(), flow: Id.optional() }).strict();
const FlowQuery = z.object({ flow: Id.optional() }).strict();
const DiffQuery = z.object({ from: Id, to: Id.optional() }).strict();
const IdQuery = z.object({ id: Id }).strict();
const PathQuery = z.object({ path: z.string().min(1).max(1_000) }).strict();
/** Bodies are checked here only for shape (an object); the tool's own schema checks the fields. */
const Body = z.record(z.string(), z.unknown());

function query<T>(schema: z.ZodType<T>, url: URL): T {
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new ApiError(400, { error: { code: 'invalid_input', message: `Bad query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'} ${i.message}`).join('; ')}` } });
  return parsed.data;
}

function body(raw: unknown): Record<string, unknown> {
  const parsed = Body.safeParse(raw);
  if (!parsed.success) throw new ApiError(400, { error: { code: 'invalid_input', message: 'Send a JSON object.' } });
  return parsed.data;
}

/** Only these fields of a body reach a tool: the page cannot name another action. */
function pick(b: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => b[k] !== undefined).map((k) => [k, b[k]]));
}

/** The board of one flow (the session's current one when none is named): its plans and every task, compact. */
async function board(call: Call, flowId: string | undefined) {
  const flows = (await run(call, 'flow', { action: 'list', limit: PAGE })).flows as { id: string; name: string }[];
  const flow = flowId ?? call.session.current().flowId ?? flows[0]?.id;
  if (!flow) return { flows, flow_id: null, plans: [], tasks: [], truncated: false, seq: newestSeq(call.ws.db) };
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

async function taskDetail(call: Call, id: string) {
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

/** Search across documents, tasks, plans and context, as the search tool answers it. */
async function search(call: Call, q: z.infer<typeof SearchQuery>) {
  return run(call, 'search', { query: q.q, k: 20, ...(q.kind ? { kind: q.kind } : {}), ...(q.flow ? { flow_id: q.flow } : {}) });
}

/** A flow's memory for a person: the resume briefing an assistant would get, and the context itself. */
async function briefing(call: Call, flowId: string | undefined) {
  const flow = flowId ?? call.session.current().flowId ?? undefined;
  const at = flow ? { flow_id: flow } : {};
  const resume = await run(call, 'context', { action: 'resume', ...at });
  const context = await run(call, 'context', { action: 'get', flow_id: resume.flow_id });
  return { resume, context };
}

/** What restoring a snapshot would remove, change and bring back, changing nothing: the restore tool's own answer when not confirmed. */
async function restorePreview(call: Call, id: string) {
  try {
    await run(call, 'snapshot', { action: 'restore', id });
  } catch (e) {
    const error = e instanceof ApiError ? (e.body as { error: ErrorBody }).error : undefined;
    if (error?.code === 'confirm_required') return { message: error.message, ...error.details };
    throw e;
  }
  throw new Error('snapshot restore without confirm changed something'); // never: the tool refuses without confirm
}

export interface ApiRequest {
  method: string;
  url: URL;
  /** Reads the request's JSON body (with the server's limits). */
  readBody: () => Promise<unknown>;
}

/** Answers one /api/ request; the caller has checked the session (and, for writes, origin and CSRF). */
export async function answerApi(call: Call, r: ApiRequest, res: ServerResponse): Promise<void> {
  try {
    const route = `${r.method} ${r.url.pathname}`;
    switch (route) {
      case 'GET /api/board':
        return sendJson(res, 200, await board(call, query(BoardQuery, r.url).flow));
      case 'GET /api/task':
        return sendJson(res, 200, await taskDetail(call, query(TaskQuery, r.url).id));
      case 'GET /api/search':
        return sendJson(res, 200, await search(call, query(SearchQuery, r.url)));
      case 'GET /api/briefing':
        return sendJson(res, 200, await briefing(call, query(FlowQuery, r.url).flow));
      case 'GET /api/document':
        return sendJson(res, 200, await run(call, 'document', { action: 'read', path: query(PathQuery, r.url).path }));
      case 'GET /api/snapshots': {
        const flow = query(FlowQuery, r.url).flow;
        return sendJson(res, 200, await run(call, 'snapshot', { action: 'list', limit: PAGE, ...(flow ? { flow_id: flow } : {}) }));
      }
      case 'GET /api/snapshots/diff': {
        const q = query(DiffQuery, r.url);
        return sendJson(res, 200, await run(call, 'snapshot', { action: 'diff', from: q.from, ...(q.to && q.to !== 'now' ? { to: q.to } : {}) }));
      }
      case 'GET /api/snapshots/preview':
        return sendJson(res, 200, await restorePreview(call, query(IdQuery, r.url).id));
      case 'POST /api/snapshots/restore':
        return sendJson(res, 200, await run(call, 'snapshot', { action: 'restore', ...pick(body(await r.readBody()), ['id', 'confirm']) }));
      case 'POST /api/task/status':
        return sendJson(res, 200, await run(call, 'task', { action: 'set_status', ...pick(body(await r.readBody()), ['id', 'status', 'expected_revision']) }));
      case 'POST /api/task':
        return sendJson(res, 200, await run(call, 'task', { action: 'create', ...pick(body(await r.readBody()), ['title', 'description', 'priority', 'plan_id']) }));
      case 'PATCH /api/task':
        return sendJson(res, 200, await run(call, 'task', { action: 'update', ...pick(body(await r.readBody()), ['id', 'title', 'description', 'priority', 'expected_revision']) }));
      default:
        return sendJson(res, 404, { error: { code: 'not_found', message: `No ${route}.` } });
    }
  } catch (e) {
    if (e instanceof ApiError) return sendJson(res, e.status, e.body);
    throw e;
  }
}

/** Whether a route changes state (and so needs same-origin and the CSRF token). */
export function isWrite(req: IncomingMessage): boolean {
  return req.method !== 'GET' && req.method !== 'HEAD';
}
