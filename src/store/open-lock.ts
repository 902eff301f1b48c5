// Who has a project open, told by SQLite's own file locks on .flow/open.lock (a tiny database in
// rollback-journal mode). Every process that opens the project keeps a read transaction open on it,
// which holds a SHARED lock for as long as the process has the project open; `flowmcp recover` takes
// an EXCLUSIVE lock, which SQLite grants only while nobody holds a SHARED one, and which keeps every
// new opener out until recover is done. The operating system drops a process's locks when it exits,
// however it exits (kill -9 included): no pid files to go stale, no pid reuse to fool it.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { storageError } from '../model/storage-faults.js';

export type LockDb = Database.Database;
export const lockPath = (flowDir: string) => join(flowDir, 'open.lock');

function isBusy(e: unknown): boolean {
  // Stryker disable next-line OptionalChaining: SQLite and fs never throw null or undefined
  const code = String((e as { code?: unknown })?.code ?? '');
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function openLockDb(flowDir: string, timeoutMs: number): LockDb {
  mkdirSync(flowDir, { recursive: true });
  const file = lockPath(flowDir);
  // A symlink or FIFO planted here (or as its journal) was refused before this by the .flow/ shape check
  // (core/kernel/flow-folder.ts), which every opener runs first.
  let db: LockDb;
  try {
    db = new Database(file, { timeout: timeoutMs });
    // Rollback-journal mode, whatever a copied-in file says: in WAL mode readers take no SHARED lock.
    db.pragma('journal_mode = DELETE');
    db.exec('CREATE TABLE IF NOT EXISTS open_lock (x)');
    return db;
  } catch (e) {
    // Stryker disable next-line OptionalChaining: SQLite and fs never throw null or undefined
  const code = String((e as { code?: unknown })?.code ?? '');
    if ((code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') && existsSync(file)) {
      // Not a lock file flowmcp wrote (nobody can hold a lock on it): set it aside and start a fresh one.
      renameSync(file, `${file}.unreadable-${new Date().toISOString().replace(/[:.]/g, '-')}`);
      return openLockDb(flowDir, timeoutMs);
    }
    throw e;
  }
}

/**
 * Holds the project open (SHARED) until the returned handle is closed or the process ends.
 * Returns 'recovering' if `flowmcp recover` holds it (waited `timeoutMs` for it first).
 */
export function holdOpen(flowDir: string, timeoutMs = 2000): LockDb | 'recovering' {
  let db: LockDb | undefined;
  try {
    db = openLockDb(flowDir, timeoutMs);
    db.exec('BEGIN');
    // The read that takes the SHARED lock, kept till close: of SQLite's own schema table, never of
    // open_lock, which a copied-in file may define as a view that runs (one recursing without end held
    // every command at 100% CPU forever).
    db.prepare('SELECT COUNT(*) FROM sqlite_master').get();
    return db;
  } catch (e) {
    if (db?.open) db.close();
    if (isBusy(e)) return 'recovering';
    throw openLockError(e, flowDir);
  }
}

/** The whole project to one process (recover): undefined while any other process has it open. */
export function holdExclusive(flowDir: string): LockDb | undefined {
  let db: LockDb | undefined;
  try {
    db = openLockDb(flowDir, 0);
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (e) {
    if (db?.open) db.close();
    if (isBusy(e)) return undefined;
    throw openLockError(e, flowDir);
  }
}

/** A fault taking the lock as its FlowError; CANTOPEN here means .flow/ may not be written (no journal file). */
function openLockError(e: unknown, flowDir: string): unknown {
  // Stryker disable next-line OptionalChaining: SQLite and fs never throw null or undefined
  const code = String((e as { code?: unknown })?.code ?? '');
  return storageError(e, { where: `${flowDir}/`, ...(code === 'SQLITE_CANTOPEN' ? { fault: 'read_only' as const } : {}) }) ?? e;
}

export function release(db: LockDb | undefined): void {
  if (db?.open) db.close(); // closing rolls the held transaction back, which lets the lock go
}
