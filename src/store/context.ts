// Persistence of a flow's context: its entries (summaries, decisions, questions, next steps, insights,
// preferences) and its per-flow state (revision, active plan/task, files touched, last written file).
import type { Db } from './db.js';
import { stmt } from './statements.js';

export const ENTRY_KINDS = ['summary', 'decision', 'question', 'next_step', 'insight', 'preference'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export type EntryState = 'open' | 'closed' | 'superseded';

export interface EntryRow {
  id: string;
  flow_id: string;
  kind: EntryKind;
  text: string;
  why: string;
  plan_id: string | null;
  task_id: string | null;
  state: EntryState;
  legacy_key: string | null;
  agent: string;
  created_at: string;
  updated_at: string;
}

export interface StateRow {
  flow_id: string;
  revision: number;
  updated_at: string;
  active_plan_id: string | null;
  active_task_id: string | null;
  files: string;
  file_hash: string | null;
  file_body: string | null;
}

export function insertEntry(db: Db, row: EntryRow): void {
  stmt(
    db,
    `INSERT INTO context_entries (id, flow_id, kind, text, why, plan_id, task_id, state, legacy_key, agent, created_at, updated_at)
     VALUES (@id, @flow_id, @kind, @text, @why, @plan_id, @task_id, @state, @legacy_key, @agent, @created_at, @updated_at)`,
  ).run(row);
}

export function getEntry(db: Db, id: string): EntryRow | undefined {
  return stmt(db, 'SELECT * FROM context_entries WHERE id = ?').get(id) as EntryRow | undefined;
}

export function hasLegacyKey(db: Db, flowId: string, key: string): boolean {
  return stmt(db, 'SELECT 1 FROM context_entries WHERE flow_id = ? AND legacy_key = ?').get(flowId, key) !== undefined;
}

export function setEntryState(db: Db, id: string, state: EntryState, now: string): void {
  stmt(db, 'UPDATE context_entries SET state = ?, updated_at = ? WHERE id = ?').run(state, now, id);
}

export function setEntryText(db: Db, id: string, text: string, why: string, now: string): void {
  stmt(db, 'UPDATE context_entries SET text = ?, why = ?, updated_at = ? WHERE id = ?').run(text, why, now, id);
}

/** Entries of a flow in the order they were written (oldest first), optionally of some kinds and states. */
export function entriesOf(db: Db, flowId: string, opts: { kinds?: readonly EntryKind[]; states?: readonly EntryState[] } = {}): EntryRow[] {
  const kinds = opts.kinds ?? ENTRY_KINDS;
  const states = opts.states ?? ['open', 'closed', 'superseded'];
  return stmt(
    db,
    `SELECT * FROM context_entries WHERE flow_id = @flow
       AND kind IN (SELECT value FROM json_each(@kinds)) AND state IN (SELECT value FROM json_each(@states))
     ORDER BY rowid`,
  ).all({ flow: flowId, kinds: JSON.stringify(kinds), states: JSON.stringify(states) }) as EntryRow[];
}

/** One page of a flow's entries, newest first, after the entry with rowid `before` (0: from the newest). */
export function entryPage(db: Db, flowId: string, before: number, limit: number, kind?: EntryKind): (EntryRow & { seq: number })[] {
  return stmt(
    db,
    `SELECT rowid AS seq, * FROM context_entries WHERE flow_id = @flow AND (@before = 0 OR rowid < @before)
       AND (@kind IS NULL OR kind = @kind) ORDER BY rowid DESC LIMIT @limit`,
  ).all({ flow: flowId, before, limit, kind: kind ?? null }) as (EntryRow & { seq: number })[];
}

/**
 * The newest `limit` open entries of one kind, newest first: by the order they were written, or by
 * their time (imported entries keep the time they were first written).
 */
export function newestOpenEntries(db: Db, flowId: string, kind: EntryKind, limit: number, by: 'written' | 'time' = 'written'): EntryRow[] {
  return stmt(
    db,
    `SELECT * FROM context_entries WHERE flow_id = ? AND kind = ? AND state = 'open'
     ORDER BY ${by === 'time' ? 'created_at DESC, rowid DESC' : 'rowid DESC'} LIMIT ?`,
  ).all(flowId, kind, limit) as EntryRow[];
}

export function countEntries(db: Db, flowId: string, kind: EntryKind, state: EntryState): number {
  return (stmt(db, 'SELECT COUNT(*) AS n FROM context_entries WHERE flow_id = ? AND kind = ? AND state = ?').get(flowId, kind, state) as { n: number }).n;
}

export function getState(db: Db, flowId: string): StateRow | undefined {
  return stmt(db, 'SELECT * FROM context_state WHERE flow_id = ?').get(flowId) as StateRow | undefined;
}

/** Flows that have any context state (a context.json to keep in step). */
export function flowsWithContext(db: Db): string[] {
  return stmt(db, 'SELECT flow_id FROM context_state ORDER BY flow_id').pluck().all() as string[];
}

/** Moves the context's revision forward (creating the state row on first use) and records what is active. */
export function bumpRevision(
  db: Db,
  flowId: string,
  now: string,
  fields: { active_plan_id?: string | null; active_task_id?: string | null; files?: string[] } = {},
): number {
  stmt(db, `INSERT INTO context_state (flow_id, revision, updated_at) VALUES (?, 0, ?) ON CONFLICT (flow_id) DO NOTHING`).run(flowId, now);
  const sets = ['revision = revision + 1', 'updated_at = @now'];
  if (fields.active_plan_id !== undefined) sets.push('active_plan_id = @active_plan_id');
  if (fields.active_task_id !== undefined) sets.push('active_task_id = @active_task_id');
  if (fields.files !== undefined) sets.push('files = @files');
  stmt(db, `UPDATE context_state SET ${sets.join(', ')} WHERE flow_id = @flow`).run({
    flow: flowId,
    now,
    active_plan_id: fields.active_plan_id ?? null,
    active_task_id: fields.active_task_id ?? null,
    // Stryker disable next-line ArrayDeclaration: with no files given the SET leaves files alone, so this bound value is never used
    files: JSON.stringify(fields.files ?? []),
  });
  return getState(db, flowId)!.revision;
}

/** Records the context.json just written (or found already matching the database). */
export function setWrittenFile(db: Db, flowId: string, hash: string, body: string): void {
  stmt(db, 'UPDATE context_state SET file_hash = ?, file_body = ? WHERE flow_id = ?').run(hash, body, flowId);
}

/**
 * A cheap fingerprint of a flow's entries (how many, the newest change): it moves whenever an entry is
 * added, edited, closed or restored, so a context.json rendered before is known to be still current.
 */
export function contextMark(db: Db, flowId: string): string {
  const r = stmt(db, 'SELECT COUNT(*) AS n, MAX(rowid) AS last, MAX(updated_at) AS at FROM context_entries WHERE flow_id = ?').get(flowId) as {
    n: number;
    last: number | null;
    at: string | null;
  };
  return `${r.n}:${r.last ?? 0}:${r.at ?? ''}`;
}
