// Whether a database file is sound: what `flowmcp recover` asks before it sets a database aside.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/** Whether the file opens (read-only, never created) and passes SQLite's integrity check. */
export function databaseHealthy(file: string): boolean {
  // Stryker disable next-line ConditionalExpression: opening a missing file with fileMustExist throws, and the catch answers false too; this only says so first
  if (!existsSync(file)) return false;
  try {
    // Read-only: asking must not change the file (a read-write connection would fold a crash's WAL into it on close).
    const db = new Database(file, {
      readonly: true,
      // Stryker disable next-line BooleanLiteral: a read-only open never creates a missing file either; this only says so
      fileMustExist: true,
    });
    try {
      return db.pragma('integrity_check', { simple: true }) === 'ok';
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
