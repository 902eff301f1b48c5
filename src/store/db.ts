// Opens .flow/flow.db with the pragmas every process must agree on, then brings the schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FlowError, isFlowError } from '../model/errors.js';
import { faultOf, storageError } from '../model/storage-faults.js';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations.js';
import { trimChangeLog } from './state-changes.js';
import { plantedSchema } from './planted-schema.js';
import { listSome } from '../model/error-text.js';
import { stmt } from './statements.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a writer waits for another process's write lock before giving up (ms). */
  busyTimeoutMs?: number;
}

/**
 * Opens flow.db. A fault on the way is thrown as a FlowError that says what to do: `read_only` (the
 * caller may fall back to openReadOnlyCopy), `damaged`, `schema_too_new`, `busy`, `disk_full`.
 */
export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  const timeout = opts.busyTimeoutMs ?? 10_000;
  let db: Db | undefined;
  try {
    mkdirSync(dirname(file), { recursive: true });
    db = new Database(file, { timeout });
    // WAL lets readers in other processes keep reading while one writes; FULL fsyncs the WAL on
    // every commit, so an acknowledged write survives power loss, not just a process crash.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    // flow.db may come from someone else's repository: its triggers and views may call only functions
    // SQLite marks harmless (trusted_schema=OFF), whatever its schema says.
    db.pragma('trusted_schema = OFF');
    // Before migrating: a migration's own writes would run a planted trigger too.
    const planted = plantedSchema(db);
    if (planted.length) throw plantedError(file, planted);
    migrate(db);
    try {
      trimChangeLog(db);
    } catch {
      // Housekeeping (a read-only file, a busy writer): the next open trims it.
    }
    return db;
  } catch (e) {
    if (db?.open) db.close();
    throw openError(e, file, timeout);
  }
}

function plantedError(file: string, planted: string[]): FlowError {
  return new FlowError(
    'damaged',
    `${file} holds schema flowmcp did not write (${listSome(planted)}): it would run inside every write and could change or refuse it. Nothing was changed.`,
    'If you added it yourself, drop it; otherwise run flowmcp recover: it keeps this file aside and rebuilds the database from .flow/snapshots and .flow/documents.',
  );
}

/** A failure to open flow.db as the FlowError it is (anything unforeseen is passed on as it was). */
function openError(e: unknown, file: string, busyMs: number): unknown {
  // Stryker disable next-line ConditionalExpression: a FlowError has no SQLite code and faultOf names no fault for it, so the lines below pass it on unchanged too
  if (isFlowError(e)) return e;
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  const fault = faultOf(e);
  if (fault === 'damaged') {
    return new FlowError(
      'damaged',
      `${file} is damaged (${(e as Error).message}).`,
      'Run flowmcp recover: it keeps the damaged file aside and rebuilds the database from .flow/snapshots and .flow/documents.',
      { fault: code },
    );
  }
  // CANTOPEN while opening: SQLite could not create the WAL files beside flow.db, so it may not write there.
  if (code === 'SQLITE_CANTOPEN' || fault === 'read_only') return storageError(e, { where: `${dirname(file)}/`, fault: 'read_only' })!;
  return storageError(e, { busyMs }) ?? e;
}

/** Opening the project failed because this process may not write to .flow/ (see openDatabase, holdOpen). */
export function isReadOnlyError(e: unknown): boolean {
  return isFlowError(e) && e.code === 'read_only';
}

/**
 * For a .flow/ this process may read but not write: SQLite cannot open a WAL database there (it needs
 * to create the shared-memory file), so the database is read into memory as it is now and opened
 * query-only. Reads work; every write is refused by SQLite itself. Returns undefined if the file
 * cannot be read either, or needs a schema upgrade (which would be a write).
 */
export function openReadOnlyCopy(file: string): Db | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch {
    return undefined;
  }
  // Bytes 18-19 say "WAL"; an in-memory copy cannot be in WAL mode, so the copy says "rollback journal".
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator: byte 18 of a database is 1 or 2, so setting 1 where it is already 1 changes nothing, and writing past a shorter buffer is ignored; the WAL case is tested
  if (bytes.length >= 20 && bytes[18] === 2) bytes[18] = bytes[19] = 1;
  let db: Db | undefined;
  try {
    db = new Database(bytes);
    // Not opened by openDatabase, so not vetted there: a view or trigger flowmcp did not write would run
    // on the reads this copy answers (one recursing without end held the process forever).
    if (schemaVersion(db) === SCHEMA_VERSION && plantedSchema(db).length === 0) {
      db.pragma('query_only = ON');
      return db;
    }
  } catch {
    // not a database this flowmcp can read: the read-only error stands
  }
  db?.close();
  return undefined;
}

/**
 * Runs fn in a write transaction that takes the write lock up front (BEGIN IMMEDIATE), so a
 * read-check-write sequence can never interleave with another process's write.
 */
export function writeTx<T>(db: Db, fn: () => T): T {
  try {
    return db.transaction(fn).immediate();
  } catch (e) {
    // A storage fault met anywhere in the transaction (BEGIN IMMEDIATE waiting out the busy timeout,
    // a page that does not fit on the disk, a read-only file) rolled it all back: say which and what to do.
    throw storageError(e, { busyMs: faultOf(e) === 'busy' ? (db.pragma('busy_timeout', { simple: true }) as number) : undefined }) ?? e;
  }
}

/**
 * Runs fn (a write) so that it fails at once, as busy, when another connection holds the write lock,
 * instead of waiting out the busy timeout: for writes a server makes beside its calls, which may as well
 * come later (a cache file's epoch).
 */
export function withoutWaiting<T>(db: Db, fn: () => T): T {
  const before = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    return fn();
  } finally {
    db.pragma(`busy_timeout = ${before}`);
  }
}

/**
 * A bigger page cache on this connection until the returned function puts the old size back. Bulk
 * writes that insert into indexes at random places (an import) otherwise evict and re-read the same pages.
 */
export function growPageCache(db: Db, mebibytes: number): () => void {
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${mebibytes * 1024}`);
  return () => {
    if (db.open) db.pragma(`cache_size = ${before}`);
  };
}

/**
 * A stamp that changes whenever the database may have changed since it was last taken: another
 * connection's commit moves data_version, this one's own writes total_changes(). Undefined inside a
 * transaction, where what is read may still roll back (total_changes does not go back with it), so
 * nothing read there may be kept under a stamp.
 */
export function changeStamp(db: Db): string | undefined {
  if (db.inTransaction) return undefined;
  return `${stmt(db, 'PRAGMA data_version').pluck().get() as number}/${stmt(db, 'SELECT total_changes()').pluck().get() as number}`;
}
