// Opens .flow/flow.db with the pragmas every process must agree on, then brings the schema up to date.
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate, schemaVersion, SCHEMA_VERSION } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** How long a writer waits for another process's write lock before giving up (ms). */
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, opts: OpenOptions = {}): Db {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file, { timeout: opts.busyTimeoutMs ?? 10_000 });
  // WAL lets readers in other processes keep reading while one writes; FULL fsyncs the WAL on
  // every commit, so an acknowledged write survives power loss, not just a process crash.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  // flow.db may come from someone else's repository: its triggers and views may call only functions
  // SQLite marks harmless (trusted_schema=OFF), whatever its schema says.
  db.pragma('trusted_schema = OFF');
  migrate(db);
  return db;
}

/**
 * Which storage fault an error from SQLite or the file system is, where it is one a person can fix:
 * the disk is full, or .flow/ may not be written by this process.
 */
export function storageFault(e: unknown): 'full' | 'read_only' | undefined {
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT') return 'full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return 'read_only';
  return undefined;
}

/** Opening flow.db failed because this process may not write there (CANTOPEN: it could not create the WAL files). */
export function isReadOnlyError(e: unknown): boolean {
  return storageFault(e) === 'read_only' || (e as { code?: string }).code === 'SQLITE_CANTOPEN';
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
  if (bytes.length >= 20 && bytes[18] === 2) bytes[18] = bytes[19] = 1;
  const db = new Database(bytes);
  if (schemaVersion(db) !== SCHEMA_VERSION) {
    db.close();
    return undefined;
  }
  db.pragma('query_only = ON');
  return db;
}

/**
 * Runs fn in a write transaction that takes the write lock up front (BEGIN IMMEDIATE), so a
 * read-check-write sequence can never interleave with another process's write.
 */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Runs fn with a bigger page cache on this connection, then puts the old size back. Bulk writes that
 * insert into indexes at random places (an import) otherwise evict and re-read the same pages.
 */
export function withPageCache<T>(db: Db, mebibytes: number, fn: () => T): T {
  const before = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${mebibytes * 1024}`);
  try {
    return fn();
  } finally {
    db.pragma(`cache_size = ${before}`);
  }
}
