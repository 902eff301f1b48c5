// The rows a snapshot holds, read from and written back to the database. A scope is one flow (its
// plans, tasks, dependencies, context, the links to it and the documents they point at) or the whole
// workspace (every flow and every document). Rows are keyed by id so that two states diff row by row.
import type { Db } from './db.js';
import { stmt } from './statements.js';

type Row = Record<string, unknown>;

export interface SnapshotState {
  flows: Record<string, Row>;
  plans: Record<string, Row>;
  tasks: Record<string, Row>;
  deps: Record<string, Row>;
  /** Document metadata plus `blob`: the hash of its text in the blob store (null: not kept, e.g. project files). */
  documents: Record<string, Row>;
  links: Record<string, Row>;
  context_entries: Record<string, Row>;
  context_state: Record<string, Row>;
}

export type Scope = { kind: 'workspace' } | { kind: 'flow'; flowId: string };

const byId = (rows: Row[], key: (r: Row) => string = (r) => String(r.id)) => Object.fromEntries(rows.map((r) => [key(r), r]));
export const depKey = (r: Row) => `${String(r.task_id)}>${String(r.depends_on)}`;
export const linkKey = (r: Row) => `${String(r.document_id)}|${String(r.target_kind)}|${String(r.target_id)}`;

/** The scope's rows (documents without their text; the caller adds blobs). Read inside one transaction for a consistent view. */
export function readScopeRows(db: Db, scope: Scope): SnapshotState {
  const flow = scope.kind === 'flow' ? scope.flowId : null;
  const p = { flow };
  const where = (col = 'flow_id') => (flow ? `WHERE ${col} = @flow` : '');
  const flows = stmt(db, `SELECT * FROM flows ${flow ? 'WHERE id = @flow' : ''} ORDER BY id`).all(p) as Row[];
  const plans = stmt(db, `SELECT * FROM plans ${where()} ORDER BY id`).all(p) as Row[];
  const tasks = stmt(db, `SELECT * FROM tasks ${where()} ORDER BY id`).all(p) as Row[];
  const deps = stmt(
    db,
    `SELECT d.task_id, d.depends_on, d.created_at FROM task_deps d ${flow ? 'JOIN tasks t ON t.id = d.task_id WHERE t.flow_id = @flow' : ''}
     ORDER BY d.task_id, d.depends_on`,
  ).all(p) as Row[];
  const links = stmt(
    db,
    `SELECT document_id, target_kind, target_id, created_at FROM document_links
     ${flow ? `WHERE target_id = @flow OR target_id IN (SELECT id FROM plans WHERE flow_id = @flow) OR target_id IN (SELECT id FROM tasks WHERE flow_id = @flow)` : ''}
     ORDER BY document_id, target_kind, target_id`,
  ).all(p) as Row[];
  const documents = stmt(
    db,
    `SELECT id, source, path, title, size, sha256, orphaned_at, created_at, updated_at, revision FROM documents
     ${flow ? 'WHERE id IN (SELECT value FROM json_each(@docs))' : ''} ORDER BY id`,
  ).all({ docs: JSON.stringify([...new Set(links.map((l) => l.document_id))]) }) as Row[];
  const context_entries = stmt(db, `SELECT * FROM context_entries ${where()} ORDER BY id`).all(p) as Row[];
  const context_state = stmt(
    db,
    `SELECT flow_id, revision, updated_at, active_plan_id, active_task_id, files FROM context_state ${where()} ORDER BY flow_id`,
  ).all(p) as Row[];
  return {
    flows: byId(flows),
    plans: byId(plans),
    tasks: byId(tasks),
    deps: byId(deps, depKey),
    documents: byId(documents),
    links: byId(links, linkKey),
    context_entries: byId(context_entries),
    context_state: byId(context_state, (r) => String(r.flow_id)),
  };
}

/** Removes the scope's flows with everything that cascades from them (plans, tasks, deps, context, links, chunks). */
export function deleteScopeRows(db: Db, scope: Scope): void {
  if (scope.kind === 'flow') stmt(db, 'DELETE FROM flows WHERE id = ?').run(scope.flowId);
  else {
    stmt(db, 'DELETE FROM flows').run();
    stmt(db, 'DELETE FROM document_links').run();
  }
}

function insertAll(db: Db, table: string, rows: Row[], columns: string[]): void {
  if (rows.length === 0) return;
  const ins = stmt(db, `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => '@' + c).join(', ')})`);
  for (const r of rows) ins.run(Object.fromEntries(columns.map((c) => [c, r[c] ?? null])));
}

const FLOW_COLS = ['id', 'name', 'description', 'status', 'legacy_id', 'created_at', 'updated_at', 'revision'];
const PLAN_COLS = ['id', 'flow_id', 'title', 'objective', 'status', 'position', 'legacy_id', 'created_at', 'updated_at', 'revision'];
const TASK_COLS = [
  'id', 'plan_id', 'flow_id', 'title', 'description', 'status', 'priority', 'position', 'claimed_by', 'claim_expires_at',
  'started_at', 'completed_at', 'legacy_id', 'created_at', 'updated_at', 'revision',
];
const ENTRY_COLS = ['id', 'flow_id', 'kind', 'text', 'why', 'plan_id', 'task_id', 'state', 'legacy_key', 'agent', 'created_at', 'updated_at'];

/** Writes a state's flow-level rows (documents are the caller's: they need files). */
export function insertScopeRows(db: Db, s: SnapshotState): void {
  insertAll(db, 'flows', Object.values(s.flows), FLOW_COLS);
  insertAll(db, 'plans', Object.values(s.plans), PLAN_COLS);
  insertAll(db, 'tasks', Object.values(s.tasks), TASK_COLS);
  insertAll(db, 'task_deps', Object.values(s.deps), ['task_id', 'depends_on', 'created_at']);
  insertAll(db, 'context_entries', Object.values(s.context_entries), ENTRY_COLS);
  insertAll(db, 'context_state', Object.values(s.context_state), ['flow_id', 'revision', 'updated_at', 'active_plan_id', 'active_task_id', 'files']);
}

export function insertLinks(db: Db, links: Row[]): void {
  insertAll(db, 'document_links', links, ['document_id', 'target_kind', 'target_id', 'created_at']);
}
