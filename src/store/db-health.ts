// Whether a database file is sound: what `flowmcp recover` asks before it sets a database aside.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/** Whether the file opens (read-only, never created) and passes SQLite's integrity check. */
export function databaseHealthy(file: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      return db.pragma('integrity_check', { simple: true }) === 'ok';
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
