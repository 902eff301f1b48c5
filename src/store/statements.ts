// Prepared-statement cache per connection: preparing is the expensive part of a small query.
import type Database from 'better-sqlite3';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const rawCaches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function cached(all: WeakMap<Database.Database, Map<string, Database.Statement>>, db: Database.Database, sql: string, raw: boolean): Database.Statement {
  let cache = all.get(db);
  if (!cache) {
    cache = new Map();
    all.set(db, cache);
  }
  let s = cache.get(sql);
  if (!s) {
    s = db.prepare(sql);
    if (raw) s.raw(true);
    cache.set(sql, s);
  }
  return s;
}

export function stmt(db: Database.Database, sql: string): Database.Statement {
  return cached(caches, db, sql, false);
}

/**
 * The statement answering rows as arrays of column values, in the SELECT's order. For queries that
 * return many rows: better-sqlite3 builds each row object key by key in C++, which for a 50-row page
 * cost about as much as the query itself; the caller makes its objects in JS (measured: task list's
 * page 123 → 77 µs in process). Cached apart from stmt's, since raw mode belongs to the statement.
 */
export function rawStmt(db: Database.Database, sql: string): Database.Statement {
  return cached(rawCaches, db, sql, true);
}
