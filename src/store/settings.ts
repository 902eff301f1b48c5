// Small key/value settings kept in the database (e.g. the last flow and plan used, the default for new sessions).
import type { Db } from './db.js';
import { stmt } from './statements.js';

export function getSetting(db: Db, key: string): string | undefined {
  return (stmt(db, 'SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
}

export function setSetting(db: Db, key: string, value: string | null): void {
  if (value === null) stmt(db, 'DELETE FROM settings WHERE key = ?').run(key);
  else stmt(db, 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
