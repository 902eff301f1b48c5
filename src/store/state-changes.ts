// The change log of migration 12, read by incremental snapshots: where the database stands (a mark),
// which rows a snapshot holds may have changed since a mark, and trimming the log. (It takes the bare
// better-sqlite3 type, not db.ts's: opening a database trims the log, so db.ts imports this file.)
import type Database from 'better-sqlite3';
import { OWN_TRIGGERS } from './planted-schema.js';
import { stmt } from './statements.js';
import { depKeyOf, linkKeyOf } from './state-keys.js';

type Db = Database.Database;

/** The tables a snapshot holds that have a rowid: their inserts are found by rowid, not logged. */
export const ROWID_TABLES = ['flows', 'plans', 'tasks', 'context_entries', 'context_state'] as const;
export type RowidTable = (typeof ROWID_TABLES)[number];
const KEY_COLUMN: Record<RowidTable, string> = { flows: 'id', plans: 'id', tasks: 'id', context_entries: 'id', context_state: 'flow_id' };

/** Where the database stood when a state was read: the last change logged, the schema, each table's highest rowids. */
export interface ChangeMark {
  /** MARK_FORMAT: which rows and keys the state read at this mark holds. */
  format: number;
  /** The database's id (migration 12): a change number means nothing in another database. */
  db: string;
  seq: number;
  schema: number;
  /** Highest first, at most TOP_ROWIDS of them (see changesSince: where rows inserted since can be). */
  rowids: Record<RowidTable, number[]>;
}

/**
 * A payload's state is adopted by the next process only if it holds what a state read now holds: bump
 * this when the columns or keys of a snapshot state change without a schema change (a schema change
 * refuses every older mark by itself).
 */
export const MARK_FORMAT = 1;

/** How many of each table's highest rowids a mark keeps: past deletes of all of them, every row is looked at again. */
const TOP_ROWIDS = 64;

/** Rows that may differ from a mark's: by key, for each table a snapshot holds (documents aside). */
export interface ChangedKeys {
  flows: Set<string>;
  plans: Set<string>;
  tasks: Set<string>;
  context_entries: Set<string>;
  context_state: Set<string>;
  /** By depKeyOf (state-keys.ts), with the two ids. */
  deps: Map<string, [string, string]>;
  /** By linkKeyOf, with the three. */
  links: Map<string, [string, string, string]>;
}

/**
 * Past this rowid SQLite may hand a new row any unused rowid, not 1 + the highest, and "above the
 * highest rowid seen" would miss it. flowmcp never gets near; a planted row could.
 */
const HIGHEST_TRUSTED_ROWID = 2 ** 52;

/** Where the database stands now; undefined when rowids cannot tell new rows apart (see HIGHEST_TRUSTED_ROWID). */
export function changeMark(db: Db): ChangeMark | undefined {
  const id = (stmt(db, "SELECT value FROM settings WHERE key = 'db_id'").get() as { value: unknown } | undefined)?.value;
  if (typeof id !== 'string' || !id) return undefined;
  // The newest change logged: never trimmed (trimChangeLog), so it only grows (migration 16).
  const seq = (stmt(db, 'SELECT MAX(seq) AS seq FROM state_changes').get() as { seq: number | null }).seq ?? 0;
  // A planted seq past 2^53 reads back rounded (to a higher number, maybe): "changes after it"
  // would then skip the changes logged just after the real one.
  if (!(seq < HIGHEST_TRUSTED_ROWID)) return undefined;
  const rowids = {} as Record<RowidTable, number[]>;
  for (const t of ROWID_TABLES) {
    const top = stmt(db, `SELECT rowid FROM ${t} ORDER BY rowid DESC LIMIT ${TOP_ROWIDS}`).pluck().all() as number[];
    if (!((top[0] ?? 0) < HIGHEST_TRUSTED_ROWID)) return undefined;
    rowids[t] = top;
  }
  return { format: MARK_FORMAT, db: id, seq, schema: db.pragma('schema_version', { simple: true }) as number, rowids };
}

/** A mark as a snapshot payload's header holds it (untrusted: a cloned .flow/ may have written it), or undefined. */
export function markFromHeader(x: unknown): ChangeMark | undefined {
  if (typeof x !== 'object' || x === null) return undefined;
  const m = x as Record<string, unknown>;
  const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) < HIGHEST_TRUSTED_ROWID;
  const rowids = m.rowids as Record<string, unknown> | null | undefined;
  if (m.format !== MARK_FORMAT || typeof m.db !== 'string' || !m.db || !count(m.seq) || !count(m.schema) || typeof rowids !== 'object' || rowids === null) return undefined;
  // Each table's highest rowids, highest first, as changeMark reads them.
  const descending = (v: unknown): v is number[] =>
    Array.isArray(v) && v.length <= TOP_ROWIDS && v.every((r, i) => count(r) && (i === 0 || r < (v[i - 1] as number)));
  if (!ROWID_TABLES.every((t) => descending(rowids[t]))) return undefined;
  return { format: MARK_FORMAT, db: m.db, seq: m.seq, schema: m.schema, rowids: Object.fromEntries(ROWID_TABLES.map((t) => [t, [...(rowids[t] as number[])]])) as Record<RowidTable, number[]> };
}

/**
 * What changed between `mark` and `now` (both read in the same transaction as the caller's reads), or
 * undefined when the log cannot tell: the schema changed (a trigger dropped, the file vacuumed, which
 * renumbers rowids), the log was trimmed past the mark, or more than `cap` rows changed (reading
 * everything is then as cheap).
 */
export function changesSince(db: Db, mark: ChangeMark, now: ChangeMark, cap: number): ChangedKeys | undefined {
  if (now.format !== mark.format || now.db !== mark.db || now.schema !== mark.schema || now.seq < mark.seq) return undefined;
  const oldest = (stmt(db, 'SELECT MIN(seq) AS s FROM state_changes').get() as { s: number | null }).s;
  if ((oldest ?? now.seq + 1) - 1 > mark.seq) return undefined;
  const logged = stmt(db, 'SELECT tbl, a, b, c, rid FROM state_changes WHERE seq > ? ORDER BY seq LIMIT ?').raw().all(mark.seq, cap + 1) as [string, string, string | null, string | null, number | null][];
  if (logged.length > cap) return undefined;
  const changed: ChangedKeys = {
    flows: new Set(),
    plans: new Set(),
    tasks: new Set(),
    context_entries: new Set(),
    context_state: new Set(),
    deps: new Map(),
    links: new Map(),
  };
  const freed = new Map<RowidTable, number[]>();
  for (const [tbl, a, b, c, rid] of logged) {
    if (tbl === 'deps') changed.deps.set(depKeyOf(a, b!), [a, b!]);
    else if (tbl === 'links') changed.links.set(linkKeyOf(a, b!, c!), [a, b!, c!]);
    else if ((ROWID_TABLES as readonly string[]).includes(tbl)) {
      changed[tbl as RowidTable].add(a);
      if (rid !== null) {
        const list = freed.get(tbl as RowidTable) ?? [];
        list.push(rid);
        freed.set(tbl as RowidTable, list);
      }
    }
  }
  // Inserts: SQLite hands a new row 1 + the highest rowid there is then. The mark's highest row that no
  // delete since took has been there all along, so every row inserted since sits above it (not only
  // above the mark's highest: with that row and the ones next to it deleted, a new row takes the
  // rowid after the highest left, maybe one freed before the mark). And rows at a rowid a delete freed.
  let count = logged.length;
  for (const t of ROWID_TABLES) {
    const gone = new Set(freed.get(t));
    // With every row the mark kept track of gone, any row may be new (past the cap: read whole).
    const stayed = mark.rowids[t].find((r) => !gone.has(r));
    const keys = stmt(db, `SELECT ${KEY_COLUMN[t]} FROM ${t} WHERE rowid > ? LIMIT ?`).raw().all(stayed ?? 0, cap + 1) as [string][];
    const reused = freed.has(t)
      ? (stmt(db, `SELECT ${KEY_COLUMN[t]} FROM ${t} WHERE rowid IN (SELECT value FROM json_each(?))`).raw().all(JSON.stringify(freed.get(t))) as [string][])
      : [];
    count += keys.length + reused.length;
    if (count > cap) return undefined;
    for (const [k] of keys) changed[t].add(k);
    for (const [k] of reused) changed[t].add(k);
  }
  return changed;
}

/** The change log's triggers, checked once per schema version of each connection. */
const TRIGGERS = [...OWN_TRIGGERS].filter(([name]) => name.startsWith('state_changes_'));
const checkedSchema = new WeakMap<Db, { schema: number; intact: boolean }>();

/**
 * Whether every change-log trigger stands as migration 12 wrote it. A database from someone else's
 * repository could have dropped one; a change it then failed to log would be missing from every later
 * incremental snapshot, and restoring one would lose it.
 */
export function changeLogIntact(db: Db, schema: number): boolean {
  const known = checkedSchema.get(db);
  if (known?.schema === schema) return known.intact;
  const have = new Map(
    (stmt(db, "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name GLOB 'state_changes_*'").all() as { name: string; sql: string }[]).map((r) => [r.name, r.sql]),
  );
  const intact = TRIGGERS.length > 0 && TRIGGERS.every(([name, sql]) => have.get(name) === sql);
  checkedSchema.set(db, { schema, intact });
  return intact;
}

/** How many logged changes are kept: a process whose mark is older reads its next state whole. */
const KEEP_CHANGES = 100_000;

/** Drops the oldest logged changes once there are twice KEEP_CHANGES (a write; cheap to call when there are not). */
export function trimChangeLog(db: Db): void {
  const r = stmt(db, 'SELECT MIN(seq) AS lo, MAX(seq) AS hi FROM state_changes').get() as { lo: number | null; hi: number | null };
  if (r.lo === null || r.hi! - r.lo < 2 * KEEP_CHANGES) return;
  // The newest row always stays: MIN(seq) - 1 is how far the log was trimmed (changesSince).
  db.transaction(() => stmt(db, 'DELETE FROM state_changes WHERE seq <= ?').run(r.hi! - KEEP_CHANGES))();
}
