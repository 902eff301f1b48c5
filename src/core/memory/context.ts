// Context operations: save / get / history / resume of a flow's running memory, kept in flow.db and
// mirrored to .flow/context/<flow>.json (core/memory/context-file.ts). Every entry is indexed for search as
// a `context` chunk, so "what did we decide about auth?" finds the decision.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { MergeOp } from '../../memory-format/merge.js';
import { getFlow } from '../../store/flows.js';
import { log } from '../../log.js';
import { buildBriefing, type Briefing } from '../../memory-format/briefing.js';
import { replaceChunks } from '../../store/chunks.js';
import {
  bumpRevision,
  entriesOf,
  entryPage,
  countEntries,
  newestOpenEntries,
  flowsWithContext,
  getEntry,
  getState,
  insertEntry,
  setEntryState,
  setEntryText,
  type EntryKind,
  type EntryRow,
} from '../../store/context.js';
import { firstActivePlan, getPlan } from '../../store/plans.js';
import { blockedTasks, inProgressTasks, readyTasks, taskCountsByFlow, taskCountsByPlan } from '../../store/tasks.js';
import { recordChunk } from '../../search/prepare.js';
import { claimIsLive, claimRanOut, counts as countsView } from '../work/views.js';
import { contextFilePath, FLOW_ID_SHAPE, reconcileContextFile, syncContextFile, type ReconcileReport } from './context-file.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { FlowError } from '../../model/errors.js';
import { record } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { findPlan, findTask, flowOrCurrent, notFound } from '../kernel/names.js';
import type { ContextGetInput, ContextHistoryInput, ContextResumeInput, ContextSaveInput } from '../schemas/context.js';
import { rowExists } from '../../store/rows.js';
import type { ContextGetResultV, ContextHistoryResultV, ContextResumeResultV, ContextSaveResultV } from '../schemas/context-results.js';
import type { Call } from '../kernel/workspace.js';
import { jsonColumn } from '../../store/rows.js';
import { z } from 'zod';
import { CONTEXT_LIMITS } from '../../model/limits.js';

const FileList = z.array(z.string());

export const DEFAULT_BUDGET_TOKENS = 1500;
const FILES_KEPT = CONTEXT_LIMITS.filesKept;
/** Entries of each kind `context get` answers unless `limit` says otherwise (the newest). */
const GET_PER_KIND = 20;
/**
 * The most entry text one `context get` or one `context history` page answers (~6k tokens, as a
 * document read): 100 entries of 4,000 characters would be ~400 KB in an assistant's context. Past it
 * the older entries of a kind are left out and the answer says how many and where to read them.
 */
export const CONTEXT_ANSWER_CHARS = 24_000;
/** What an entry costs of that room: its text and why. */
const entryChars = (e: EntryRow) => e.text.length + (e.why?.length ?? 0);

const LABEL: Record<EntryKind, string> = {
  summary: 'Summary',
  decision: 'Decision',
  question: 'Open question',
  next_step: 'Next step',
  insight: 'Insight',
  preference: 'Preference',
};

/** The search chunk of an entry: its kind as heading, its text (and why) as body. */
export function indexEntry(call: Call, e: Pick<EntryRow, 'id' | 'kind' | 'text' | 'why'>): void {
  replaceChunks(call.ws.db, 'context', e.id, recordChunk(LABEL[e.kind], e.why ? `${e.text}\nWhy: ${e.why}` : e.text));
}

/**
 * An entry's kind, and whether it is still open, as a person reads it ("Open question", "Question
 * (closed)"): a search result's title says it from the entry's state now, never a closed question as open.
 */
export function entryHeading(kind: EntryKind, state: EntryRow['state'] | undefined): string {
  if (!state || state === 'open') return LABEL[kind];
  const base = kind === 'question' ? 'Question' : LABEL[kind];
  return `${base} (${state === 'closed' ? 'closed' : kind === 'summary' ? 'replaced' : 'superseded'})`;
}

interface NewEntry {
  kind: EntryKind;
  text: string;
  why?: string;
  plan_id?: string | null;
  task_id?: string | null;
  legacy_key?: string | null;
  created_at?: string;
}

/** Adds an entry and its search chunk. Inside a write transaction. */
export function addEntry(call: Call, flowId: string, e: NewEntry): EntryRow {
  const now = call.ws.now();
  const row: EntryRow = {
    id: newId('context', (x) => rowExists(call.ws.db, 'context_entries', x)),
    flow_id: flowId,
    kind: e.kind,
    text: e.text,
    why: e.why ?? '',
    plan_id: e.plan_id ?? null,
    task_id: e.task_id ?? null,
    state: 'open',
    legacy_key: e.legacy_key ?? null,
    agent: call.session.agent,
    created_at: e.created_at ?? now,
    updated_at: now,
  };
  insertEntry(call.ws.db, row);
  indexEntry(call, row);
  return row;
}

function currentSummary(call: Call, flowId: string): EntryRow | undefined {
  return entriesOf(call.ws.db, flowId, { kinds: ['summary'], states: ['open'] }).at(-1);
}

/** Replaces the summary: the new one is open, the old one superseded (kept in history). */
function setSummary(call: Call, flowId: string, text: string): EntryRow {
  const old = currentSummary(call, flowId);
  if (old) setEntryState(call.ws.db, old.id, 'superseded', call.ws.now());
  return addEntry(call, flowId, { kind: 'summary', text });
}

const STATE_ON_CLOSE = { decision: 'superseded', question: 'closed', next_step: 'closed', insight: 'closed', preference: 'closed', summary: 'superseded' } as const;

/** The flow's touched files as saved (newest first); none before its context was first written. */
export function files(call: Call, flowId: string): string[] {
  const s = getState(call.ws.db, flowId);
  return s ? jsonColumn(s.files, 'context_state.files', FileList) : [];
}

/** Applies merged hand edits of context.json (inside reconcile's transaction). */
function applyMerge(call: Call, flowId: string, ops: MergeOp[]): void {
  const now = call.ws.now();
  let fileList: string[] | undefined;
  for (const op of ops) {
    if (op.op === 'summary') setSummary(call, flowId, op.text);
    else if (op.op === 'add') addEntry(call, flowId, { kind: op.kind, text: op.text, why: op.why });
    // Stryker disable next-line MethodExpression: the layout (memory-format/layout.ts) refuses a file with more than filesKept files, so the slice never cuts
    else if (op.op === 'files') fileList = op.files.slice(0, FILES_KEPT);
    else {
      const e = getEntry(call.ws.db, op.id);
      if (!e || e.flow_id !== flowId) continue;
      if (op.op === 'close') setEntryState(call.ws.db, e.id, STATE_ON_CLOSE[e.kind], now);
      else {
        setEntryText(call.ws.db, e.id, op.text, op.why ?? e.why, now);
        indexEntry(call, { ...e, text: op.text, why: op.why ?? e.why });
      }
    }
  }
  bumpRevision(call.ws.db, flowId, now, fileList ? { files: fileList } : {});
  record(call, {
    action: 'context.merge',
    entity: 'context',
    entity_id: flowId,
    flow_id: flowId,
    summary: `merged ${ops.length} hand edit(s) of context.json`,
  });
}

/** Brings the database and the flow's context.json into agreement (hand edits merged first). */
export function reconcile(call: Call, flowId: string): ReconcileReport {
  return reconcileContextFile(call, flowId, (ops) => applyMerge(call, flowId, ops));
}

function reportIfAny(r: ReconcileReport): { file_merge?: ReconcileReport } {
  return r.outcome === 'merged' || r.outcome === 'unreadable' ? { file_merge: r } : {};
}

export function saveContext(call: Call, input: ContextSaveInput): ContextSaveResultV {
  const flow = flowOrCurrent(call, input.flow_id);
  const merge = reconcile(call, flow.id);
  // Everything named is checked before anything is written: a bad id changes nothing.
  const decisions = (input.decision ? [input.decision] : []).map((d) => ({
    ...d,
    plan_id: d.plan_id ? findPlan(call, d.plan_id).id : null,
    task_id: d.task_id ? findTask(call, d.task_id).id : null,
  }));
  const toClose = (input.close ?? []).map((id) => {
    const e = getEntry(call.ws.db, id);
    if (!e || e.flow_id !== flow.id) {
      const pool = entryPage(call.ws.db, flow.id, 0, 500).map((x) => ({ id: x.id, name: x.text }));
      throw notFound('context entry', id, pool, `Flow ${flow.id} has no entry by that id; use context get to see the ids of open questions, next steps and decisions.`);
    }
    return e;
  });
  const result = call.ws.write(() => {
    const db = call.ws.db;
    const now = call.ws.now();
    const saved: EntryRow[] = [];
    if (input.summary) {
      const old = currentSummary(call, flow.id);
      saved.push(setSummary(call, flow.id, input.mode === 'append' && old ? `${old.text}\n\n${input.summary}` : input.summary));
    }
    const lists: [EntryKind, string | undefined][] = [
      ['question', input.question],
      ['next_step', input.next_step],
      ['insight', input.insight],
      ['preference', input.preference],
    ];
    if (input.mode === 'replace') {
      for (const [kind, item] of lists) {
        if (!item) continue;
        for (const e of entriesOf(db, flow.id, { kinds: [kind], states: ['open'] })) setEntryState(db, e.id, 'superseded', now);
      }
    }
    for (const d of decisions) saved.push(addEntry(call, flow.id, { kind: 'decision', text: d.what, why: d.why, plan_id: d.plan_id, task_id: d.task_id }));
    for (const [kind, text] of lists) if (text) saved.push(addEntry(call, flow.id, { kind, text }));
    for (const e of toClose) setEntryState(db, e.id, STATE_ON_CLOSE[e.kind], now);
    const touched = input.files ? [...new Set([...input.files, ...files(call, flow.id)])].slice(0, FILES_KEPT) : undefined;
    const cur = call.session.current();
    const activePlan = cur.flowId === flow.id && cur.planId ? cur.planId : (getState(db, flow.id)?.active_plan_id ?? null);
    const activeTask = decisions.find((d) => d.task_id)?.task_id ?? inProgressTasks(db, flow.id, 1)[0]?.id ?? null;
    const revision = bumpRevision(db, flow.id, now, { active_plan_id: activePlan, active_task_id: activeTask, ...(touched ? { files: touched } : {}) });
    record(call, {
      action: 'context.save',
      entity: 'context',
      entity_id: flow.id,
      flow_id: flow.id,
      summary: `saved ${[...saved.map((e) => e.kind), ...(input.files ? ['files'] : [])].join(', ') || 'changes'}${toClose.length ? `, closed ${toClose.map((e) => e.id).join(', ')}` : ''}`,
    });
    return {
      revision,
      saved: saved.map((e) => ({ id: e.id, kind: e.kind })),
      ...(input.files ? { files_saved: [...new Set(input.files)] } : {}),
      ...(toClose.length ? { closed: toClose.map((e) => e.id) } : {}),
    };
  });
  syncContextFile(call, flow.id);
  return { flow_id: flow.id, ...result, file: contextFilePath(call, flow.id), ...reportIfAny(merge) };
}

export function getContext(call: Call, input: ContextGetInput): ContextGetResultV {
  const flow = flowOrCurrent(call, input.flow_id);
  const merge = reconcile(call, flow.id);
  const db = call.ws.db;
  const state = getState(db, flow.id);
  const limit = input.limit ?? GET_PER_KIND;
  let room = CONTEXT_ANSWER_CHARS;
  const omitted: Partial<Record<EntryKind, number>> = {};
  const totals: Partial<Record<EntryKind, number>> = {};
  // The newest of each kind, read with a bound (a flow may hold thousands of open entries), then cut to
  // the answer's room: kinds in the order a resuming session needs them, each newest first, so what is
  // left out is always a kind's oldest entries.
  const newest = (kind: EntryKind, n: number): EntryRow[] => {
    const rows = newestOpenEntries(db, flow.id, kind, n);
    const kept: EntryRow[] = [];
    for (const e of rows) {
      const size = entryChars(e);
      if (size > room) break;
      room -= size;
      kept.push(e);
    }
    const total = (totals[kind] = countEntries(db, flow.id, kind, 'open'));
    if (total > kept.length && kind !== 'summary') omitted[kind] = total - kept.length;
    return kept;
  };
  const item = (e: EntryRow) => ({ id: e.id, text: e.text, at: e.created_at });
  const summary = newest('summary', 1)[0];
  const listed = (kind: EntryKind) => newest(kind, limit).reverse().map(item);
  const next_steps = listed('next_step');
  const questions = listed('question');
  const decisions = newest('decision', limit).map((e) => ({ id: e.id, what: e.text, ...(e.why ? { why: e.why } : {}), at: e.created_at, plan_id: e.plan_id, task_id: e.task_id }));
  const preferences = listed('preference');
  const insights = listed('insight');
  const left = Object.entries(omitted).map(([k, n]) => `${n} older ${k === 'next_step' ? 'next steps' : `${k}s`}`);
  return {
    flow: { id: flow.id, name: flow.name },
    revision: state?.revision ?? 0,
    updated_at: state?.updated_at ?? null,
    summary: summary ? { id: summary.id, text: summary.text, at: summary.created_at } : null,
    decisions,
    decisions_total: totals.decision!,
    questions,
    next_steps,
    insights,
    preferences,
    ...(left.length
      ? {
          omitted: {
            ...omitted,
            note: `Left out: ${left.join(', ')} (the newest ${limit} of each kind are shown, within ${CONTEXT_ANSWER_CHARS} characters). context history with kind pages through all of them.`,
          },
        }
      : {}),
    active: { plan_id: state?.active_plan_id ?? null, task_id: state?.active_task_id ?? null },
    files_touched: files(call, flow.id),
    file: contextFilePath(call, flow.id),
    ...reportIfAny(merge),
  };
}

export function contextHistory(call: Call, input: ContextHistoryInput): ContextHistoryResultV {
  const flow = flowOrCurrent(call, input.flow_id);
  // Like every context call, history first takes in hand edits of context.json (cheap when unchanged).
  const merge = reconcile(call, flow.id);
  const before = input.cursor ? decodeCursor('context history', input.cursor, (v): v is number => Number.isInteger(v) && (v as number) > 0, { f: flow.id, k: input.kind ?? null }) : 0;
  const limit = input.limit ?? 50;
  const rows = entryPage(call.ws.db, flow.id, before, limit + 1, input.kind);
  // A page ends at `limit` entries or at the answer's room, whichever comes first; it always holds one,
  // so paging never stalls on a long entry.
  let room = CONTEXT_ANSWER_CHARS;
  let end = 0;
  while (end < Math.min(limit, rows.length)) {
    const size = entryChars(rows[end]!);
    if (end > 0 && size > room) break;
    room -= size;
    end++;
  }
  const page = rows.slice(0, end);
  return {
    flow_id: flow.id,
    entries: page.map((e) => ({
      id: e.id,
      kind: e.kind,
      text: e.text,
      ...(e.why ? { why: e.why } : {}),
      state: e.state,
      at: e.created_at,
      ...(e.plan_id ? { plan_id: e.plan_id } : {}),
      ...(e.task_id ? { task_id: e.task_id } : {}),
    })),
    next_cursor: rows.length > end ? encodeCursor('context history', page.at(-1)!.seq, { f: flow.id, k: input.kind ?? null }) : null,
    ...reportIfAny(merge),
  };
}

const IN_PROGRESS_SHOWN = 10;
const NEXT_SHOWN = 5;
const BLOCKED_SHOWN = 5;
/** The fewest tokens one line of the briefing costs ("- x" and its newline). */
const MIN_LINE_TOKENS = 3;

export function resumeContext(call: Call, input: ContextResumeInput): ContextResumeResultV {
  const flow = flowOrCurrent(call, input.flow_id);
  const merge = reconcile(call, flow.id);
  const db = call.ws.db;
  const now = call.ws.now();
  const state = getState(db, flow.id);
  const cur = call.session.current();
  const planId =
    (cur.flowId === flow.id ? cur.planId : null) ?? state?.active_plan_id ?? firstActivePlan(db, flow.id)?.id ?? null;
  const plan = planId ? getPlan(db, planId) : undefined;
  const counts = plan ? taskCountsByPlan(db, plan.id) : undefined;
  // Newest first, read with a bound: a line of the briefing costs at least MIN_LINE_TOKENS, so no more
  // than budget / MIN_LINE_TOKENS of any kind can fit; the rest is counted, never read.
  const budget = input.budget_tokens ?? DEFAULT_BUDGET_TOKENS;
  const cap = Math.ceil(budget / MIN_LINE_TOKENS) + 1;
  const unread: Record<string, number> = {};
  const open = (kind: EntryKind, section: string) => {
    const rows = newestOpenEntries(db, flow.id, kind, cap, 'time');
    if (rows.length === cap) {
      const more = countEntries(db, flow.id, kind, 'open') - rows.length;
      // Stryker disable next-line EqualityOperator: more is never negative, and buildBriefing drops a zero count
      if (more > 0) unread[section] = more;
    }
    return rows;
  };
  const summary = newestOpenEntries(db, flow.id, 'summary', 1)[0];
  const item = (e: EntryRow) => ({ id: e.id, text: e.text, why: e.why, at: e.created_at });
  // Only a live claim is "claimed by": once its lease ran out the task is free to take, and naming the
  // old holder would say the opposite. Such a task is listed once, under In progress marked so (it is
  // still in progress: someone started it), and left out of Next ready.
  const inProgress = inProgressTasks(db, flow.id, IN_PROGRESS_SHOWN + 1).map((t) => ({
    id: t.id,
    title: t.title,
    claimed_by: claimIsLive(t, now) ? t.claimed_by : null,
    claim_ran_out: claimRanOut(t, now),
  }));
  const inProgressIds = new Set(inProgress.map((t) => t.id));
  const flowCounts = taskCountsByFlow(db, flow.id);
  const briefing = buildBriefing(
    {
      flow: { id: flow.id, name: flow.name },
      plan: plan && counts ? { id: plan.id, title: plan.title, done: counts.done, total: countsView(counts).total } : undefined,
      flowTasks: { done: flowCounts.done, total: countsView(flowCounts).total },
      inProgress,
      // Blocked work is what a new session is most likely to be asked about: named, not left for a list.
      blocked: { tasks: blockedTasks(db, flow.id, BLOCKED_SHOWN), total: flowCounts.blocked },
      // A task listed under In progress (its claim ran out) is not repeated here: said once, there.
      next: readyTasks(db, { flowId: flow.id, now, limit: NEXT_SHOWN + inProgress.length })
        .filter((t) => !inProgressIds.has(t.id))
        .slice(0, NEXT_SHOWN)
        .map((t) => ({ id: t.id, title: t.title, priority: t.priority })),
      summary: summary ? { text: summary.text, at: summary.created_at } : undefined,
      decisions: open('decision', 'decisions').map(item),
      questions: open('question', 'questions').map(item),
      nextSteps: open('next_step', 'next_steps').map(item),
      insights: open('insight', 'insights').map(item),
      preferences: open('preference', 'preferences').map(item),
      unread,
      files: files(call, flow.id),
    },
    budget,
  );
  return { flow_id: flow.id, plan_id: plan?.id ?? null, ...briefing, ...reportIfAny(merge) };
}

/** At start: every flow's context.json brought into agreement with the database (hand edits merged). */
export function reconcileAll(call: Call): { flow_id: string; report: ReconcileReport }[] {
  const dir = join(call.ws.flowDir, 'context');
  const named = existsSync(dir) ? readdirSync(dir).filter((f) => /^f-[a-z0-9]+\.json$/.test(f)).map((f) => f.slice(0, -5)) : [];
  const ids = [...new Set([...flowsWithContext(call.ws.db), ...named])].filter((id) => FLOW_ID_SHAPE.test(id) && getFlow(call.ws.db, id));
  const out: { flow_id: string; report: ReconcileReport }[] = [];
  for (const id of ids) {
    try {
      const report = reconcile(call, id);
      if (report.outcome !== 'current') out.push({ flow_id: id, report });
    } catch (e) {
      log.warn(`context ${id}: could not check context.json (${(e as Error).message})`);
    }
  }
  return out;
}
