// What the page shows that no single tool call gives, assembled from tool calls: the whole board of a
// flow (each row with its claim's lease), fresh rows for tasks the event stream said changed (and for the
// tasks waiting on them), a task with its neighbours, documents and history, a flow's briefing, and
// a restore's preview.
import { newestSeq, readLog } from '../core/kernel/event-log.js';
import { ID_PREFIX } from '../core/kernel/ids.js';
import type { Call } from '../core/kernel/workspace.js';
import { restoreTargetFingerprint } from '../core/snapshots/state-fingerprint.js';
import type { ErrorBody } from '../model/errors.js';
import { ApiError, run } from './tool-call.js';

/** Most tasks one board answer carries (the page virtualizes its columns; past this it says so). */
export const BOARD_MAX_TASKS = 20_000;
export const PAGE = 200;
const HISTORY = 50;
/** Most task ids one GET /api/rows names. */
export const ROWS_MAX = 100;
/** A task names at most this many dependents (the task tool's cap): at the cap, the page reloads its board. */
const DEPENDENTS_CAP = 50;

/** The board of one flow (the session's current one when none is named): its plans and every task, compact. */
export async function board(call: Call, flowId: string | undefined) {
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
  // Each row carries its claim's holder and lease end (claimed_by, claim_expires_at): no read per claimed task.
  return { flows, flow_id: flow, plans, tasks, truncated: cursor !== null, seq };
}

interface FullTask {
  id: string;
  flow_id: string;
  plan_id: string;
  title: string;
  status: string;
  priority: string;
  revision: number;
  waiting_on?: string[];
  dependents?: string[];
  claim?: { agent: string; expires_at: string; active: boolean };
}

/** A full task as the compact board row (the task list's own row shape, plus the flow it is in). */
function boardRow(t: FullTask) {
  return {
    id: t.id,
    flow_id: t.flow_id,
    plan_id: t.plan_id,
    title: t.title,
    status: t.status,
    priority: t.priority,
    revision: t.revision,
    ...(t.waiting_on?.length ? { waiting_on_count: t.waiting_on.length } : {}),
    ...(t.claim?.active ? { claimed_by: t.claim.agent, claim_expires_at: t.claim.expires_at } : {}),
    ...(t.claim && !t.claim.active && t.status === 'in_progress' ? { claim_ran_out: true } : {}),
  };
}

/** Most dependents read for one GET /api/rows in all (past it the page reloads its board): the answer stays bounded. */
const DEPENDENTS_READ_MAX = 500;

/**
 * Board rows for tasks the event stream said changed, and for the tasks that depend on them (their
 * "waiting on N" follows a dependency's status): one answer per batch of changes, never one per card.
 * Ids are task ids only, read once each (repeats dropped): an id that names no task now is `gone` when it
 * has a task id's shape, else `unknown` (a title, or another kind's id, is never resolved here: what a
 * guess would find is not said). `reload` says the answer would be too large (a task with more dependents
 * than a task names, or more dependents in all than DEPENDENTS_READ_MAX): the page reads its whole board.
 */
export async function changedRows(call: Call, ids: string[]) {
  const rows = new Map<string, ReturnType<typeof boardRow>>();
  const gone: string[] = [];
  const unknown: string[] = [];
  let reload = false;
  const read = async (id: string): Promise<FullTask | undefined> =>
    run(call, 'task', { action: 'get', id }).then(
      (r) => ((r.task as FullTask).id === id ? (r.task as FullTask) : undefined),
      (e: unknown) => {
        if (e instanceof ApiError && e.status === 404) return undefined;
        throw e;
      },
    );
  const dependents = new Set<string>();
  for (const id of new Set(ids)) {
    const t = await read(id);
    if (!t) {
      (id.startsWith(`${ID_PREFIX.task}-`) ? gone : unknown).push(id);
      continue;
    }
    rows.set(t.id, boardRow(t));
    for (const d of t.dependents ?? []) dependents.add(d);
    if ((t.dependents?.length ?? 0) >= DEPENDENTS_CAP) reload = true;
  }
  // A deleted task's dependents are not known any more: the page reloads for a deletion anyway.
  let dependentsRead = 0;
  for (const d of dependents) {
    if (rows.has(d)) continue;
    if (++dependentsRead > DEPENDENTS_READ_MAX) {
      reload = true;
      break;
    }
    const t = await read(d);
    if (t) rows.set(t.id, boardRow(t));
  }
  return { rows: [...rows.values()], gone, unknown, reload };
}

export async function taskDetail(call: Call, id: string) {
  const { task } = await run(call, 'task', { action: 'get', id });
  // The newest HISTORY events; `history_more` says there are older ones (the page says how to read them).
  const log = readLog(call, { entity_id: task.id, limit: HISTORY });
  const history = log.events;
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
  const documents = (await run(call, 'document', { action: 'list', task_id: task.id, limit: HISTORY })).documents as { id: string; path: string; title: string }[];
  return { task, depends_on: await names(task.depends_on), dependents: await names(task.dependents), history, history_more: log.next_cursor !== null, documents: documents.map((d) => ({ id: d.id, path: d.path, title: d.title })) };
}

/** A flow's memory for a person: the resume briefing an assistant would get, and the context itself. */
export async function briefing(call: Call, flowId: string | undefined) {
  const flow = flowId ?? call.session.current().flowId ?? undefined;
  const at = flow ? { flow_id: flow } : {};
  const resume = await run(call, 'context', { action: 'resume', ...at });
  const context = await run(call, 'context', { action: 'get', flow_id: resume.flow_id });
  return { resume, context };
}

/** Most items a preview names per kind and direction (the rest are counted). */
const PREVIEW_NAMED = 20;

interface Named {
  id: string;
  title: string;
}
interface DiffSection {
  added: Named[];
  removed: Named[];
  changed: (Named & { fields: Record<string, [unknown, unknown]> })[];
  totals: { added: number; removed: number; changed: number };
}

/** One value of a changed field as a person reads it (long text cut short). */
function shown(v: unknown): string {
  const s = v === null || v === undefined ? '∅' : Array.isArray(v) ? (v.length ? v.join(', ') : 'none') : String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/**
 * What restoring a snapshot would remove, change and bring back, changing nothing: the restore tool's
 * own answer when not confirmed (its counts), and which tasks, plans and documents those are, named
 * from the snapshot's diff against now (what exists now and not in the snapshot is thrown away; what
 * the snapshot has and now lacks comes back): the first PREVIEW_NAMED of each, with the total.
 */
export async function restorePreview(call: Call, id: string) {
  // Read first: a change landing while the preview is made leaves this older than the preview, and the
  // restore is refused (never the other way round, a restore of a state the preview did not show).
  const seq = newestSeq(call.ws.db); // the page marks the preview out of date at any later change
  const previewed = restoreTargetFingerprint(call, id);
  let preview: Record<string, unknown> | undefined;
  try {
    await run(call, 'snapshot', { action: 'restore', id });
  } catch (e) {
    const error = e instanceof ApiError ? (e.body as { error: ErrorBody }).error : undefined;
    if (error?.code !== 'confirm_required') throw e;
    preview = { message: error.message, ...error.details };
  }
  if (!preview) throw new Error('snapshot restore without confirm changed something'); // never: the tool refuses without confirm
  const diff = (await run(call, 'snapshot', { action: 'diff', from: id })) as Record<string, DiffSection | undefined>;
  const named = (sec: DiffSection | undefined) => ({
    thrown_away: (sec?.added ?? []).slice(0, PREVIEW_NAMED),
    thrown_away_total: sec?.totals.added ?? 0,
    brought_back: (sec?.removed ?? []).slice(0, PREVIEW_NAMED),
    brought_back_total: sec?.totals.removed ?? 0,
    // The diff runs from the snapshot to now; a restore goes the other way: each field now → then.
    changed_back: (sec?.changed ?? []).slice(0, PREVIEW_NAMED).map((c) => ({
      id: c.id,
      title: c.title,
      // Times that follow a status (started_at, completed_at) are left out beside it: noise to a reader.
      fields: Object.entries(c.fields)
        .filter(([field], _, all) => !(field.endsWith('_at') && all.some(([f]) => !f.endsWith('_at'))))
        .map(([field, [then, now]]) => ({ field, now: shown(now), then: shown(then) })),
    })),
    changed_back_total: sec?.totals.changed ?? 0,
  });
  return { ...preview, previewed, seq, named: { tasks: named(diff.tasks), plans: named(diff.plans), documents: named(diff.documents), context: named(diff.context) } };
}

