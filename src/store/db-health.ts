// Whether a database file is sound: what `flowmcp recover` asks before it sets a database aside.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { migrate, SCHEMA_VERSION } from './migrations.js';
import { plantedSchema } from './planted-schema.js';

/** Whether the file opens (read-only, never created), passes SQLite's integrity check, holds only flowmcp's own schema, and (older) migrates. */
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
      return db.pragma('integrity_check', { simple: true }) === 'ok' && plantedSchema(db).length === 0 && migratable(db);
    } finally {
      db.close();
    }
  } catch {
    return false;
  }
}

/**
 * Whether an older database's migrations take it forward: tried on a copy in memory, so the file is not
 * touched. One whose contents its migrations cannot take (a version number lowered by hand, a table
 * dropped) opens with "damaged, run flowmcp recover", and recover must then agree that it is.
 */
function migratable(db: Database.Database): boolean {
  if ((db.pragma('user_version', { simple: true }) as number) >= SCHEMA_VERSION) return true;
  const image = db.serialize();
  // A WAL database's header says so (bytes 18-19 = 2), and SQLite cannot open such an image in memory:
  // the copy is marked a rollback-journal one, which changes nothing the migrations read.
  if (image.length >= 20) image[18] = image[19] = 1;
  const copy = new Database(image);
  try {
    migrate(copy);
    return true;
  } catch {
    return false;
  } finally {
    copy.close();
  }
}
