// Whether a database file is sound: what `flowmcp recover` asks before it sets a database aside.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { plantedSchema } from './planted-schema.js';

/** Whether the file opens (read-only, never created), passes SQLite's integrity check and holds only flowmcp's own schema. */
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
      // A trigger or view flowmcp did not write makes the database refuse to open (store/planted-schema.ts): recover sets it aside.
      return db.pragma('integrity_check', { simple: true }) === 'ok' && plantedSchema(db).length === 0;
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}
