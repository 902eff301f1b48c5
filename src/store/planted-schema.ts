// flow.db may come from someone else's repository. trusted_schema=OFF keeps its triggers and views to
// functions SQLite marks harmless, but a trigger still runs inside every write flowmcp makes: it could
// set a finished task back, rewrite rows, or refuse the write (seen as a flowmcp bug). So the only
// triggers a database may hold are flowmcp's own, exactly as its migrations write them, and no views.
import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations.js';

/** Each trigger the migrations create, by name, as SQLite keeps its statement (CREATE … END). */
export const OWN_TRIGGERS: ReadonlyMap<string, string> = new Map(
  MIGRATIONS.flatMap((m) => [...m.sql.matchAll(/CREATE TRIGGER (\w+)[\s\S]*?\bEND(?=;)/g)].map((x) => [x[1]!, x[0]] as const)),
);

/** The triggers and views in db that flowmcp did not write as they stand ("trigger name"), in schema order. */
export function plantedSchema(db: Database.Database): string[] {
  const rows = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')").all() as { type: string; name: string; sql: string | null }[];
  return rows.filter((r) => r.type === 'view' || OWN_TRIGGERS.get(r.name) !== r.sql).map((r) => `${r.type} ${r.name}`);
}

/**
 * Whether something named `name` stands in db where a plain table belongs: a view or a virtual table. A
 * database flowmcp did not vet (one recover set aside) may hold a view in a table's place, which runs
 * when it is read. (No object of that name at all is no stand-in: reading it fails by itself.)
 */
export function standsInForTable(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = ? AND NOT (type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL TABLE%')").get(name) !== undefined;
}
