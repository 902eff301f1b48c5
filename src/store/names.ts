// Naming things: ids with their names or titles, read in bounded numbers for the names service
// (core/kernel/names.ts): lookup by title words, "did you mean", completion. Every read here has a
// LIMIT, so no lookup loads a whole table however many tasks a project holds.
import type { Db } from './db.js';
import type { PlanRow } from './plans.js';
import { stmt } from './statements.js';

export type NamedKind = 'flow' | 'plan' | 'task';
export interface Named {
  id: string;
  name: string;
}

/** Each kind's table and the column that names its rows. Code-chosen identifiers, never input. */
const TABLES: Record<NamedKind, { table: string; name: string }> = {
  flow: { table: 'flows', name: 'name' },
  plan: { table: 'plans', name: 'title' },
  task: { table: 'tasks', name: 'title' },
};

/**
 * At most `limit` ids with their names, of one flow when `flowId` is given (flows themselves belong to
 * none), in the table's own order: the order the unbounded reads gave, so capped answers match them.
 */
export function namesOf(db: Db, kind: NamedKind, limit: number, flowId?: string): Named[] {
  const { table, name } = TABLES[kind];
  return (
    flowId && kind !== 'flow'
      ? stmt(db, `SELECT id, ${name} AS name FROM ${table} WHERE flow_id = ? LIMIT ?`).all(flowId, limit)
      : stmt(db, `SELECT id, ${name} AS name FROM ${table} LIMIT ?`).all(limit)
  ) as Named[];
}

/** At most `limit` tasks or plans outside one flow, with the flow each belongs to, in the table's order. */
export function namesOutsideFlow(db: Db, kind: 'plan' | 'task', flowId: string, limit: number): (Named & { flow_id: string; flow_name: string })[] {
  const { table, name } = TABLES[kind];
  return stmt(db, `SELECT t.id, t.${name} AS name, t.flow_id, f.name AS flow_name FROM ${table} t JOIN flows f ON f.id = t.flow_id WHERE t.flow_id != ? LIMIT ?`).all(
    flowId,
    limit,
  ) as (Named & { flow_id: string; flow_name: string })[];
}

/**
 * At most `limit` ids starting with `prefix` (with their names), in id order. Ids are ASCII, so the
 * prefix is a range on the primary key: only the matching rows are read.
 */
export function namesWithIdPrefix(db: Db, kind: NamedKind, prefix: string, limit: number, flowId?: string): Named[] {
  const { table, name } = TABLES[kind];
  const range = { lo: prefix, hi: `${prefix}\u{10ffff}`, limit };
  return (
    flowId && kind !== 'flow'
      ? stmt(db, `SELECT id, ${name} AS name FROM ${table} WHERE id >= @lo AND id < @hi AND flow_id = @flow ORDER BY id LIMIT @limit`).all({ ...range, flow: flowId })
      : stmt(db, `SELECT id, ${name} AS name FROM ${table} WHERE id >= @lo AND id < @hi ORDER BY id LIMIT @limit`).all(range)
  ) as Named[];
}

/**
 * At most `limit` snapshots whose id starts with `prefix`, in id order (a range on the primary key),
 * each named by its label, else why it was taken.
 */
export function snapshotNamesWithIdPrefix(db: Db, prefix: string, limit: number): Named[] {
  return stmt(db, "SELECT id, COALESCE(NULLIF(label, ''), reason) AS name FROM snapshots WHERE id >= ? AND id < ? ORDER BY id LIMIT ?").all(
    prefix,
    `${prefix}\u{10ffff}`,
    limit,
  ) as Named[];
}

/** At most `limit` snapshots labelled `label` exactly (ASCII letter case aside), newest first. */
export function snapshotsLabelled(db: Db, label: string, limit: number): Named[] {
  return stmt(db, 'SELECT id, label AS name FROM snapshots WHERE label = ? COLLATE NOCASE ORDER BY seq DESC LIMIT ?').all(label, limit) as Named[];
}

/** At most `limit` snapshot ids starting with `prefix`, in id order. */
export function snapshotIdsWithPrefix(db: Db, prefix: string, limit: number): string[] {
  return snapshotNamesWithIdPrefix(db, prefix, limit).map((n) => n.id);
}

/** A flow's plan by its place in the flow's order (0 first), as plan lists show them. */
export function planAt(db: Db, flowId: string, index: number): PlanRow | undefined {
  return stmt(db, 'SELECT * FROM plans WHERE flow_id = ? ORDER BY position, id LIMIT 1 OFFSET ?').get(flowId, index) as PlanRow | undefined;
}

/**
 * At most `limit` rows whose name is `title` exactly, letter case aside (ASCII letters; other scripts
 * compare as written), of one flow when `flowId` is given. A name is one title long (bounded input).
 */
export function namesWithTitle(db: Db, kind: NamedKind, title: string, limit: number, flowId?: string): Named[] {
  const { table, name } = TABLES[kind];
  return (
    flowId && kind !== 'flow'
      ? stmt(db, `SELECT id, ${name} AS name FROM ${table} WHERE ${name} = ? COLLATE NOCASE AND flow_id = ? ORDER BY id LIMIT ?`).all(title, flowId, limit)
      : stmt(db, `SELECT id, ${name} AS name FROM ${table} WHERE ${name} = ? COLLATE NOCASE ORDER BY id LIMIT ?`).all(title, limit)
  ) as Named[];
}
