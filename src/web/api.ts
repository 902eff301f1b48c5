// The web page's JSON API: thin routes over the same tool specs the MCP tools and the CLI run (so
// input is validated by the same schemas and refusals are the same errors), and over the views the page
// needs that no single tool call gives (views.ts). Queries and bodies are parsed here, at the edge.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Call } from '../core/kernel/workspace.js';
import { ApiError, run } from './tool-call.js';
import { board, briefing, changedRows, PAGE, restorePreview, ROWS_MAX, taskDetail } from './views.js';
import { sendJson } from './web-guard.js';
import { issueText } from '../core/schemas/issue-text.js';

const Id = z.string().min(1).max(200);
const BoardQuery = z.object({ flow: Id.optional() }).strict();
const TaskQuery = z.object({ id: Id }).strict();
const RowsQuery = z.object({ ids: z.string().transform((s) => s.split(',')).pipe(z.array(Id).min(1).max(ROWS_MAX)) }).strict();
const SearchQuery = z.object({ q: z.string().trim().min(1).max(500), kind: z.enum(['document', 'task', 'plan', 'context']).optional(), flow: Id.optional() }).strict();
const FlowQuery = z.object({ flow: Id.optional() }).strict();
const DiffQuery = z.object({ from: Id, to: Id.optional() }).strict();
const IdQuery = z.object({ id: Id }).strict();
const PathQuery = z.object({ path: z.string().min(1).max(1_000) }).strict();
/** Bodies are checked here only for shape (an object); the tool's own schema checks the fields. */
const Body = z.record(z.string(), z.unknown());

function query<T>(schema: z.ZodType<T>, url: URL): T {
  // A name given twice would be read as its last value only (the others silently dropped): refused.
  const names = [...url.searchParams.keys()];
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined)
    throw new ApiError(400, { error: { code: 'invalid_input', message: `Bad query: "${twice.slice(0, 40)}" is given more than once. Give it once${twice === 'ids' ? ', as one comma-separated list (ids=a,b,c)' : ''}.` } });
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) throw new ApiError(400, { error: { code: 'invalid_input', message: `Bad query: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'query'} ${issueText(i)}`).join('; ')}` } });
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

/** Search across documents, tasks, plans and context, as the search tool answers it. */
async function search(call: Call, q: z.infer<typeof SearchQuery>) {
  return run(call, 'search', { query: q.q, k: 20, ...(q.kind ? { kind: q.kind } : {}), ...(q.flow ? { flow_id: q.flow } : {}) });
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
      case 'GET /api/rows':
        return sendJson(res, 200, await changedRows(call, query(RowsQuery, r.url).ids));
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
      case 'POST /api/snapshots/restore': {
        // The page restores only what it previewed: the preview's fingerprint of the work comes back,
        // and the restore is refused if the work is no longer in that state (snapshots/state-fingerprint.ts).
        const b = body(await r.readBody());
        if (typeof b.previewed !== 'string' || !/^[0-9a-f]{64}$/.test(b.previewed))
          throw new ApiError(400, { error: { code: 'invalid_input', message: 'Preview the restore first (GET /api/snapshots/preview) and send its "previewed" back. Nothing was changed.' } });
        return sendJson(res, 200, await run({ ...call, previewed: b.previewed }, 'snapshot', { action: 'restore', ...pick(b, ['id', 'confirm']) }));
      }
      case 'POST /api/task/status':
        return sendJson(res, 200, await run(call, 'task', { action: 'set_status', ...pick(body(await r.readBody()), ['id', 'status', 'expected_revision']) }));
      case 'POST /api/task': {
        const b = body(await r.readBody());
        // The page names the plan: a session's "current plan" may be in another flow than the board shown.
        if (b.plan_id === undefined) throw new ApiError(400, { error: { code: 'invalid_input', message: 'Choose the plan the task goes in (plan_id). Nothing was changed.' } });
        return sendJson(res, 200, await run(call, 'task', { action: 'create', ...pick(b, ['title', 'description', 'priority', 'plan_id']) }));
      }
      // Steering from the task page: the task tool's depend / undepend / move / release, one action each,
      // only the fields that action names (a release names the holder the page showed: the tool refuses
      // it when the claim changed hands meanwhile).
      case 'POST /api/task/depend':
        return sendJson(res, 200, await run(call, 'task', { action: 'depend', ...pick(body(await r.readBody()), ['id', 'depends_on']) }));
      case 'POST /api/task/undepend':
        return sendJson(res, 200, await run(call, 'task', { action: 'undepend', ...pick(body(await r.readBody()), ['id', 'depends_on']) }));
      case 'POST /api/task/move':
        return sendJson(res, 200, await run(call, 'task', { action: 'move', ...pick(body(await r.readBody()), ['id', 'plan_id']) }));
      case 'POST /api/task/release':
        return sendJson(res, 200, await run(call, 'task', { action: 'release', ...pick(body(await r.readBody()), ['id', 'agent']) }));
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
