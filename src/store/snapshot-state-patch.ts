// A scope's state brought up to date from an earlier one by re-reading only the rows the change log
// names (store/state-changes.ts), with the same rows, columns and order readScopeRows would give.
import type { Db } from './db.js';
import type { ChangedKeys } from './state-changes.js';
import {
  byId,
  cols,
  CONTEXT_STATE_COLS,
  DEP_COLS,
  depKey,
  ENTRY_COLS,
  FLOW_COLS,
  inOrder,
  LINK_COLS,
  linkKey,
  PLAN_COLS,
  readScopeDocuments,
  rowsOf,
  sameRow,
  sorted,
  TASK_COLS,
  type Scope,
  type SnapshotState,
} from './snapshot-state.js';
import { stmt } from './statements.js';
import { depKeyOf, linkKeyOf } from './state-keys.js';

type Row = Record<string, unknown>;
export type Touched = { [T in keyof SnapshotState]: ReadonlySet<string> };
/** Rows per table. */
export type Sizes = { [T in keyof SnapshotState]: number };

const json = (xs: Iterable<unknown>) => JSON.stringify([...xs]);

/**
 * `prev` (the scope's state at some earlier mark) with every row `changed` names read again: kept,
 * replaced or dropped as it now stands and belongs to the scope. `touched` names, per table, the rows
 * that differ from prev's. New row objects are frozen (a state's rows are never changed in place).
 */
export function patchScopeRows(
  db: Db,
  scope: Scope,
  prev: SnapshotState,
  prevSizes: Sizes,
  changed: ChangedKeys,
): { state: SnapshotState; touched: Touched; sizes: Sizes } {
  const flow = scope.kind === 'flow' ? scope.flowId : null;
  const deps = new Map(changed.deps);
  const links = new Map(changed.links);
  if (flow) {
    // A dependency belongs to its task's flow and a link to its target's: a task or plan that changed
    // (moved between flows, say) takes its dependencies and links along, though their rows did not change.
    for (const [t, d] of stmt(db, 'SELECT task_id, depends_on FROM task_deps WHERE task_id IN (SELECT value FROM json_each(?))').raw().all(json(changed.tasks)) as [string, string][]) {
      deps.set(depKeyOf(t, d), [t, d]);
    }
    const targets = json([...changed.tasks, ...changed.plans, ...changed.flows]);
    for (const [d, k, t] of stmt(db, 'SELECT document_id, target_kind, target_id FROM document_links WHERE target_id IN (SELECT value FROM json_each(?))').raw().all(targets) as [string, string, string][]) {
      links.set(linkKeyOf(d, k, t), [d, k, t]);
    }
  }
  const p = (ids: Iterable<unknown>) => ({ ids: json(ids), flow });
  // The unary + keeps SQLite from walking the flow's index (every row of the flow) instead of looking each key up.
  const inFlow = (col: string) => (flow ? `AND +${col} = @flow` : '');
  const byKey = (table: string, columns: string[], key: string, ids: Iterable<string>) =>
    byId(rowsOf(db, `SELECT ${cols(columns)} FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(@ids)) ${inFlow(table === 'flows' ? 'id' : 'flow_id')}`, sorted(columns), p(ids)), (r) => String(r[key]));
  const fresh = {
    flows: byKey('flows', FLOW_COLS, 'id', changed.flows),
    plans: byKey('plans', PLAN_COLS, 'id', changed.plans),
    tasks: byKey('tasks', TASK_COLS, 'id', changed.tasks),
    context_entries: byKey('context_entries', ENTRY_COLS, 'id', changed.context_entries),
    context_state: byId(
      stmt(db, `SELECT ${CONTEXT_STATE_COLS} FROM context_state WHERE flow_id IN (SELECT value FROM json_each(@ids)) ${inFlow('flow_id')}`).all(p(changed.context_state)) as Row[],
      (r) => String(r.flow_id),
    ),
    deps: byId(
      stmt(
        db,
        `SELECT ${DEP_COLS} FROM json_each(@ids) j JOIN task_deps d ON d.task_id = j.value ->> 0 AND d.depends_on = j.value ->> 1
         ${flow ? 'JOIN tasks t ON t.id = d.task_id WHERE +t.flow_id = @flow' : ''}`,
      ).all(p(deps.values())) as Row[],
      depKey,
    ),
    links: byId(
      stmt(
        db,
        `SELECT ${LINK_COLS} FROM json_each(@ids) j
         JOIN document_links l ON l.document_id = j.value ->> 0 AND l.target_kind = j.value ->> 1 AND l.target_id = j.value ->> 2
         ${flow ? 'WHERE l.target_id = @flow OR EXISTS (SELECT 1 FROM plans WHERE id = l.target_id AND +flow_id = @flow) OR EXISTS (SELECT 1 FROM tasks WHERE id = l.target_id AND +flow_id = @flow)' : ''}`,
      ).all(p(links.values())) as Row[],
      linkKey,
    ),
  };
  const out = {} as Record<keyof SnapshotState, Record<string, Row>>;
  const touched = {} as Record<keyof SnapshotState, ReadonlySet<string>>;
  const sizes = { ...prevSizes };
  const put = (t: Exclude<keyof SnapshotState, 'documents'>, candidates: Iterable<string>) => {
    const r = patchTable(prev[t], candidates, fresh[t]);
    out[t] = r.table;
    touched[t] = r.touched;
    sizes[t] += r.grew;
  };
  put('context_entries', changed.context_entries);
  put('context_state', changed.context_state);
  put('deps', deps.keys());
  put('flows', changed.flows);
  put('links', links.keys());
  put('plans', changed.plans);
  put('tasks', changed.tasks);
  // Documents are read whole, as readScopeRows reads them (their text is read from disk each time anyway).
  out.documents = byId(readScopeDocuments(db, flow, Object.values(out.links)));
  touched.documents = new Set([...Object.keys(prev.documents), ...Object.keys(out.documents)]);
  sizes.documents = Object.keys(out.documents).length;
  const state: SnapshotState = {
    context_entries: out.context_entries,
    context_state: out.context_state,
    deps: out.deps,
    documents: out.documents,
    flows: out.flows,
    links: out.links,
    plans: out.plans,
    tasks: out.tasks,
  };
  return { state, touched, sizes };
}

/** prev with the candidates' rows as `fresh` has them (absent: gone), in canonical key order. */
function patchTable(prev: Record<string, Row>, candidates: Iterable<string>, fresh: Record<string, Row>): { table: Record<string, Row>; touched: Set<string>; grew: number } {
  const changes = new Map<string, Row | null>();
  const added: string[] = [];
  for (const k of candidates) {
    const before = Object.hasOwn(prev, k) ? prev[k] : undefined;
    const after = Object.hasOwn(fresh, k) ? Object.freeze(fresh[k]!) : undefined;
    if (!after) {
      if (before) changes.set(k, null);
    } else if (!before) {
      changes.set(k, after);
      added.push(k);
    } else if (!sameRow(before, after)) changes.set(k, after);
  }
  if (!changes.size) return { table: prev, touched: new Set(), grew: 0 };
  let removed = 0;
  for (const r of changes.values()) if (!r) removed++;
  let table: Record<string, Row>;
  if (!added.length) {
    // Replacing a key's value or deleting a key leaves the others in their order.
    table = { ...prev };
    for (const [k, r] of changes) {
      if (r) table[k] = r;
      else delete table[k];
    }
  } else {
    // New keys go where a state read whole would have them: built in sorted order, as byId builds.
    const keys = Object.keys(prev).filter((k) => changes.get(k) !== null);
    added.sort((a, b) => (a < b ? -1 : 1));
    let merged: string[];
    if (inOrder(keys)) {
      merged = [];
      let i = 0;
      let j = 0;
      while (i < keys.length || j < added.length) merged.push(j >= added.length || (i < keys.length && keys[i]! < added[j]!) ? keys[i++]! : added[j++]!);
    } else merged = [...keys, ...added].sort((a, b) => (a < b ? -1 : 1));
    // Made by fromEntries, as byId makes a table: assigning a new key "__proto__" (an id an import may
    // carry) would set the object's prototype instead, and the row would be missing from the state.
    table = Object.fromEntries(merged.map((k) => [k, changes.get(k) ?? prev[k]!]));
  }
  return { table, touched: new Set(changes.keys()), grew: added.length - removed };
}
