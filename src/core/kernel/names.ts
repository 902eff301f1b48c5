// The names service: flows, plans, tasks and snapshots found by id or the legacy id they were imported
// with (a snapshot also by its exact label), and the session's current flow/plan when none is named; a
// miss says which come closest (suggest.ts), or that the id is another kind's, or how many plans there
// are when a plan number is past the last one; a hint asks for the argument the action really takes. Title words are matched in resolve-name.ts and completion is in name-completion.ts;
// all of them read names through store/names.ts, capped, never a whole table.
import { changeStamp, type Db } from '../../store/db.js';
import { getFlow, getFlowByLegacyId, listFlows, type FlowRow } from '../../store/flows.js';
import { namesOf, namesWithIdPrefix, namesWithTitle, planAt, snapshotNamesWithIdPrefix, snapshotsLabelled, type Named, type NamedKind } from '../../store/names.js';
import { LIMITS } from '../schemas/common.js';
import { countPlans, getPlan, getPlanByLegacyId, plansPage, type PlanRow } from '../../store/plans.js';
import { getSnapshot, listSnapshots, newestTakenByHand, type SnapshotRow } from '../../store/snapshots.js';
import { getTask, getTaskByLegacyId, type TaskRow } from '../../store/tasks.js';
import { getDocument } from '../../store/documents.js';
import { getEntry } from '../../store/context.js';
import { FlowError } from '../../model/errors.js';
import { clip } from '../../model/error-text.js';
import { closest, didYouMean, type Candidate } from './suggest.js';
import { idKindOf, type IdKind } from './ids.js';
import type { Call } from './workspace.js';

export type { Named };
export type NameKind = NamedKind | 'snapshot';

/**
 * Rows one "did you mean" compares: the first ones in table order plus those whose id starts like the
 * one given (a mistyped id mostly keeps its first characters). Below this many, the answer is the one
 * every row would give.
 */
export const SUGGEST_ROWS = 5_000;
/** Snapshots a name is looked for among: the newest (older ones are named by id). */
export const SNAPSHOTS_NAMED = 200;
/** Snapshots an undo looks back through for the one taken before the change it undoes. */
const UNDO_LOOKBACK = 500;

interface Finder<R> {
  kind: NamedKind;
  byId(db: Db, id: string): R | undefined;
  byLegacyId(db: Db, id: string): R | undefined;
  listHint: string;
}

/** Candidates for "did you mean" after a miss: bounded (SUGGEST_ROWS each way), each id once. */
function suggestionPool(db: Db, kind: NamedKind, given: string): Named[] {
  const start = given.trim().toLowerCase().slice(0, 3);
  const pool = new Map<string, Named>();
  for (const n of namesOf(db, kind, SUGGEST_ROWS)) pool.set(n.id, n);
  if (start) for (const n of namesWithIdPrefix(db, kind, start, SUGGEST_ROWS)) pool.set(n.id, n);
  return [...pool.values()];
}

/** Most candidates an ambiguous name lists. */
export const CANDIDATES_SHOWN = 8;
/** A plan named by its number (1 first) in the current flow, as plan lists show them: "2", "#2", "no. 2", "2번". */
export const PLAN_NUMBER = /^(?:#|no\.?\s*)?(\d{1,3})(?:번)?$/i;

/**
 * By id, then by the legacy id it was imported with, then case-insensitively, then (byTitleOrNumber)
 * by its exact title or a plan's number; else "did you mean". Every face (MCP tools, /flow commands,
 * the CLI) names a thing the same way.
 */
function find<R>(call: Call, f: Finder<R>, id: string): R {
  const found = rowNamed(call, f, id);
  if (found) return found;
  const db = call.ws.db;
  if (f.kind === 'plan') {
    const miss = planNumberMiss(call, id);
    if (miss) throw miss;
  }
  const other = otherKindId(call, f.kind, id);
  if (other) throw new FlowError('not_found', other.message, `${other.hint} ${f.listHint}`, { candidates: [] });
  throw notFound(f.kind, id, suggestionPool(db, f.kind, id), f.listHint);
}

/** find without the miss: the row `id` names, or undefined (several with that title are still an error). */
function rowNamed<R>(call: Call, f: Finder<R>, id: string): R | undefined {
  const db = call.ws.db;
  const row = f.byId(db, id) ?? f.byLegacyId(db, id) ?? f.byId(db, id.toLowerCase());
  if (row) return row;
  const named = byTitleOrNumber(call, f.kind, id);
  return named ? f.byId(db, named) : undefined;
}

/**
 * When `given` has the shape of another kind's id ("p-kt4t" where a task was asked for): what to say
 * instead of a bare "No task": that it is a plan id, and whether that plan exists (with the command that
 * shows it). Undefined for anything else.
 */
export function otherKindId(call: Call, kind: string, given: string): { message: string; hint: string; kind: string; known?: Named } | undefined {
  const id = given.trim();
  const other = idKindOf(id);
  if (!other || other === kind) return undefined;
  const known = knownId(call, other, id);
  return {
    message: `"${clipName(id)}" is a ${other} id, not a ${kind} id${known ? ` (${other} ${known.id} is "${clip(known.name, 50)}")` : ''}.`,
    hint: known ? `${known.show} shows that ${other}.` : `No ${other} has that id either.`,
    kind: other,
    known: known && { id: known.id, name: known.name },
  };
}

/** The row an id of `kind` names (any letter case), with its name and the command that shows it. */
function knownId(call: Call, kind: IdKind, id: string): (Named & { show: string }) | undefined {
  const l = id.toLowerCase();
  if (kind === 'document') {
    const d = getDocument(call.ws.db, l);
    return d && { id: d.id, name: d.path, show: `document read ${d.id}` };
  }
  if (kind === 'context') {
    const c = getEntry(call.ws.db, l);
    return c && { id: c.id, name: c.text, show: `context history with flow_id ${c.flow_id}` };
  }
  const n = lookupName(call, kind, id);
  return n && { ...n, show: kind === 'snapshot' ? `snapshot show ${n.id}` : `${kind} get ${n.id}` };
}

/**
 * A plan asked for by a number that no plan of the current flow has ("plan use 3" where the flow has
 * one plan): says how many there are, or that numbers count within the current flow and none is current.
 */
export function planNumberMiss(call: Call, given: string): FlowError | undefined {
  const num = PLAN_NUMBER.exec(given.trim());
  if (!num) return undefined;
  const flowId = call.session.current().flowId;
  const flow = flowId ? getFlow(call.ws.db, flowId) : undefined;
  if (!flow) {
    return new FlowError(
      'not_found',
      `No plan "${clipName(given.trim())}": plans are numbered within the current flow, and this session has none.`,
      'Name the plan by its id or title (plan list with flow_id shows them), or pick a flow with flow switch first.',
    );
  }
  const n = countPlans(call.ws.db, flow.id, {});
  return new FlowError(
    'not_found',
    `No plan number ${num[1]} in flow ${flow.id} ("${clipName(flow.name)}"): it has ${n === 0 ? 'no plans' : n === 1 ? 'one plan (number 1)' : `${n} plans (numbers 1 to ${n})`}.`,
    n === 0 ? 'Create one with plan create (title).' : 'Name a plan by its number, id or title; plan list shows them.',
  );
}

/**
 * The id of the row whose title is exactly `text` (letter case aside): in the session's current flow
 * when one is current and holds it, else anywhere; a plan also by its number in the current flow. Two
 * or more with that title are never guessed between: the error lists them.
 */
function byTitleOrNumber(call: Call, kind: NamedKind, text: string): string | undefined {
  const t = text.trim();
  if (!t || t.length > LIMITS.title) return undefined;
  const db = call.ws.db;
  const flow = call.session.current().flowId ?? undefined;
  const num = kind === 'plan' && flow ? PLAN_NUMBER.exec(t) : null;
  if (num) {
    const p = planNumbered(call, flow!, Number(num[1]));
    if (p) return p.id;
  }
  let hits = flow && kind !== 'flow' ? namesWithTitle(db, kind, t, CANDIDATES_SHOWN + 1, flow) : [];
  if (hits.length === 0) hits = namesWithTitle(db, kind, t, CANDIDATES_SHOWN + 1);
  if (hits.length <= 1) return hits[0]?.id;
  const shown = hits.slice(0, CANDIDATES_SHOWN);
  throw new FlowError(
    'invalid_input',
    `"${clipName(t)}" is the title of ${hits.length > CANDIDATES_SHOWN ? `more than ${CANDIDATES_SHOWN}` : hits.length} ${kind}s: ${shown.map((c) => c.id).join(', ')}${hits.length > CANDIDATES_SHOWN ? ', …' : ''}. Nothing was done.`,
    `Name the ${kind} by its id.`,
    { candidates: shown.map((c) => c.id) },
  );
}

/** Names quoted in these errors are cut shorter than other quotes: a candidate list follows them. */
const clipName = (s: string): string => clip(s, 60);

/**
 * The one "not found" for anything named by an id (flows, plans, tasks, snapshots, documents, context
 * entries): what was asked for, the closest names among `pool` ("Did you mean …?"), and the hint.
 */
export function notFound(kind: string, given: string, pool: Candidate[], hint: string): FlowError {
  return notFoundNear(kind, given, closest(given, pool), hint);
}

/** notFound with the closest names already chosen. */
export function notFoundNear(kind: string, given: string, near: Candidate[], hint: string): FlowError {
  return new FlowError('not_found', `No ${kind} "${clipName(given)}".${didYouMean(near)}`, hint, { candidates: near.map((c) => c.id) });
}

/** The closest ids (or titles) to a name that found nothing: what "Did you mean" offers, for any kind. */
export function nearestNames(call: Call, kind: NameKind, given: string): Candidate[] {
  return closest(given, kind === 'snapshot' ? snapshotSuggestionPool(call, given) : suggestionPool(call.ws.db, kind, given));
}

/** Snapshots a mistyped snapshot id is compared with: the newest ones and those whose id starts like it. */
export function snapshotSuggestionPool(call: Call, given: string): Candidate[] {
  const db = call.ws.db;
  const pool = new Map<string, Candidate>();
  for (const s of listSnapshots(db, 0, SNAPSHOTS_NAMED)) pool.set(s.id, { id: s.id, name: s.label || s.reason });
  const start = given.trim().toLowerCase().slice(0, 3);
  if (start) {
    for (const n of snapshotNamesWithIdPrefix(db, start, SNAPSHOTS_NAMED)) if (!pool.has(n.id)) pool.set(n.id, n);
  }
  return [...pool.values()];
}

const FLOWS: Finder<FlowRow> = { kind: 'flow', byId: getFlow, byLegacyId: getFlowByLegacyId, listHint: 'Use flow list to see flow ids.' };
const PLANS: Finder<PlanRow> = { kind: 'plan', byId: getPlan, byLegacyId: getPlanByLegacyId, listHint: 'Use plan list to see plan ids.' };
const TASKS: Finder<TaskRow> = { kind: 'task', byId: getTask, byLegacyId: getTaskByLegacyId, listHint: 'Use task list (with query) to find task ids.' };

export const findFlow = (call: Call, id: string): FlowRow => find(call, FLOWS, id);
export const findPlan = (call: Call, id: string): PlanRow => find(call, PLANS, id);
export const findTask = (call: Call, id: string): TaskRow => find(call, TASKS, id);

/**
 * The id of the flow, plan or task `text` names as findFlow/findPlan/findTask would take it, or
 * undefined where they would say "No …" (for a caller that looks among several kinds); two or more
 * with that title are still an error listing them.
 */
export function idNamed(call: Call, kind: NamedKind, text: string): string | undefined {
  const f: Finder<{ id: string }> = kind === 'flow' ? FLOWS : kind === 'plan' ? PLANS : TASKS;
  return rowNamed(call, f, text)?.id;
}

/**
 * How a hint asks for the thing a call may name: by the argument the action really takes (`flow_id`,
 * `plan_id`, or `id` for the flow or plan the action is about), so the CLI's flag is one that exists.
 */
const passArg = (arg: string, kind: string): string => (arg === 'id' ? `Name the ${kind} by its id` : `Pass ${arg}`);

/**
 * The named flow, else the session's current one; a session without one is told how to get one.
 * `arg` is the argument of the calling action that would name it (the hint asks for that one), and
 * `asks` what that argument names (a plan, for an action that takes a plan and finds its flow from it).
 */
export function flowOrCurrent(call: Call, id: string | undefined, arg = 'flow_id', asks: 'flow' | 'plan' = 'flow'): FlowRow {
  if (id) return findFlow(call, id);
  const cur = call.session.current().flowId;
  if (cur) {
    const row = getFlow(call.ws.db, cur);
    if (row) return row;
  }
  // With no flow at all, switching to one is no advice: only making one is.
  if (listFlows(call.ws.db, { limit: 1 }).length === 0) {
    throw new FlowError('no_current', 'There are no flows in this project yet.', 'Start one with flow create (name); it becomes the current flow.');
  }
  throw new FlowError(
    'no_current',
    'No current flow in this session.',
    `${passArg(arg, asks)}, or pick a flow with flow switch (flow list shows them), or start one with flow create.`,
  );
}

/**
 * The named plan, else the session's current plan (if it belongs to the flow in play), else the
 * flow's only plan. With several plans and no choice made, the error lists them.
 */
export function planOrCurrent(call: Call, id: string | undefined, flowId?: string, arg = 'plan_id'): PlanRow {
  if (id) return findPlan(call, id);
  // No flow to take the plan from: the hint asks for the plan, the argument this action takes.
  const flow = flowId === undefined ? flowOrCurrent(call, undefined, arg, 'plan') : flowOrCurrent(call, flowId);
  const cur = call.session.current().planId;
  if (cur) {
    const row = getPlan(call.ws.db, cur);
    if (row && row.flow_id === flow.id) return row;
  }
  // The first 11 are enough to say "the only one" or to name ten; the count only when it is said.
  const plans = plansPage(call.ws.db, flow.id, { limit: 11, open: true });
  if (plans.length === 1) return plans[0]!;
  if (plans.length === 0) {
    throw new FlowError(
      'no_current',
      `Flow ${flow.id} ("${flow.name}") has no plans yet.`,
      'Create one with plan create (title), then add tasks to it.',
    );
  }
  throw new FlowError(
    'no_current',
    `No current plan in this session, and flow ${flow.id} has ${countPlans(call.ws.db, flow.id, { open: true })} plans.`,
    `${passArg(arg, 'plan')}, or choose one with plan use: ${plans
      .slice(0, 10)
      .map((p) => `${p.id} ("${p.title}")`)
      .join(', ')}${plans.length > 10 ? ', …' : ''}.`,
    { candidates: plans.slice(0, 10).map((p) => p.id) },
  );
}

/**
 * A thing named exactly, as commands name it: its id (any case) or the legacy id it was imported with;
 * a snapshot by its id. Undefined when nothing has that id.
 */
export function lookupName(call: Call, kind: NameKind, text: string): Named | undefined {
  const db = call.ws.db;
  const l = text.toLowerCase();
  if (kind === 'flow') {
    const r = getFlow(db, l) ?? getFlowByLegacyId(db, text);
    return r && { id: r.id, name: r.name };
  }
  if (kind === 'plan') {
    const r = getPlan(db, l) ?? getPlanByLegacyId(db, text);
    return r && { id: r.id, name: r.title };
  }
  if (kind === 'task') {
    const r = getTask(db, l) ?? getTaskByLegacyId(db, text);
    return r && { id: r.id, name: r.title };
  }
  const r = getSnapshot(db, l);
  return r && { id: r.id, name: r.label || r.reason };
}

/** A plan by its number (1 first) in a flow, as plan lists show them: "plan 2", "#2". */
export function planNumbered(call: Call, flowId: string, n: number): Named | undefined {
  const p = n >= 1 ? planAt(call.ws.db, flowId, n - 1) : undefined;
  return p && { id: p.id, name: p.title };
}

/**
 * "The last snapshot": the newest one someone took, by its label; else (none taken by hand) the newest of
 * all, by why it was taken. Undefined when there is none. A delete's own snapshot is newer than the one
 * taken before the work began, but "restore the last snapshot" means the one the person took.
 */
export function newestSnapshot(call: Call): Named | undefined {
  const s = newestTakenByHand(call.ws.db) ?? listSnapshots(call.ws.db, 0, 1)[0];
  return s && { id: s.id, name: s.label || s.reason };
}

/**
 * Changes whenever the names may have (store/db.ts changeStamp): names read under one stamp may be kept
 * until it moves. Undefined inside a transaction.
 */
export function namesStamp(call: Call): string | undefined {
  return changeStamp(call.ws.db);
}

/**
 * Names to match title words against, at most `limit`: in the given flow when there is one (flows
 * belong to none); snapshots by label (else why they were taken), the newest SNAPSHOTS_NAMED.
 */
export function namesToMatch(call: Call, kind: NameKind, limit: number, flowId?: string): Named[] {
  if (kind === 'snapshot') return listSnapshots(call.ws.db, 0, Math.min(limit, SNAPSHOTS_NAMED)).map((s) => ({ id: s.id, name: s.label || s.reason }));
  return namesOf(call.ws.db, kind, limit, flowId);
}

/**
 * The snapshot whose label is exactly `text` (letter case aside), among all of them: one resolves; two
 * or more are listed, never guessed between. Undefined when no label is that.
 */
export function snapshotLabelled(call: Call, text: string): SnapshotRow | undefined {
  const t = text.trim();
  if (!t || t.length > LIMITS.title) return undefined;
  const hits = snapshotsLabelled(call.ws.db, t, CANDIDATES_SHOWN + 1);
  if (hits.length === 1) return getSnapshot(call.ws.db, hits[0]!.id);
  if (hits.length === 0) return undefined;
  const shown = hits.slice(0, CANDIDATES_SHOWN);
  throw new FlowError(
    'invalid_input',
    `"${clipName(t)}" is the label of ${hits.length > CANDIDATES_SHOWN ? `more than ${CANDIDATES_SHOWN}` : hits.length} snapshots: ${shown.map((c) => c.id).join(', ')}${hits.length > CANDIDATES_SHOWN ? ', …' : ''}. Nothing was done.`,
    'Name the snapshot by its id (snapshot list shows them, newest first).',
    { candidates: shown.map((c) => c.id) },
  );
}

/** The newest snapshot taken for `reason` ("before restore", …) among the recent ones: what an undo restores. */
export function snapshotTakenFor(call: Call, reason: string): SnapshotRow | undefined {
  return listSnapshots(call.ws.db, 0, UNDO_LOOKBACK).find((s) => s.reason.startsWith(reason));
}

/**
 * ` ("Refund API")` after an id a preview or refusal names, so it says which thing, not only its id (""
 * for anything that is not the id of a flow, plan, task or snapshot there is).
 */
export function titleAfterId(call: Call, v: unknown): string {
  const kind = typeof v === 'string' ? idKindOf(v) : undefined;
  if (kind !== 'flow' && kind !== 'plan' && kind !== 'task' && kind !== 'snapshot') return '';
  const found = lookupName(call, kind, v as string);
  return found ? ` ("${clip(found.name, 60)}")` : '';
}
