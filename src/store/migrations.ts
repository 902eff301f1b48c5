// Numbered, forward-only schema migrations. The version lives in the database (PRAGMA user_version,
// plus a schema_migrations row per step with when it was applied).
import type Database from 'better-sqlite3';

interface Migration {
  version: number;
  name: string;
  sql: string;
}

const TASK_STATUSES = `'todo','in_progress','blocked','review','done','cancelled'`;
const PLAN_STATUSES = `'active','done','cancelled','archived'`;
const PRIORITIES = `'low','medium','high','urgent'`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'flows, plans, tasks, dependencies, events, settings',
    sql: `
      CREATE TABLE schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at TEXT NOT NULL
      );
      CREATE TABLE flows (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','archived')),
        legacy_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX flows_by_status ON flows(status, created_at, id);
      CREATE UNIQUE INDEX flows_by_legacy ON flows(legacy_id) WHERE legacy_id IS NOT NULL;

      CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        flow_id TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        objective TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'active' CHECK (status IN (${PLAN_STATUSES})),
        position INTEGER NOT NULL,
        legacy_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX plans_by_flow ON plans(flow_id, position);
      CREATE UNIQUE INDEX plans_by_legacy ON plans(legacy_id) WHERE legacy_id IS NOT NULL;

      CREATE TABLE tasks (
        id TEXT PRIMARY KEY,
        plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
        flow_id TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN (${TASK_STATUSES})),
        priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN (${PRIORITIES})),
        position INTEGER NOT NULL,
        claimed_by TEXT,
        claim_expires_at TEXT,
        started_at TEXT,
        completed_at TEXT,
        legacy_id TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX tasks_by_plan ON tasks(plan_id, position);
      CREATE INDEX tasks_by_flow_status ON tasks(flow_id, status);
      -- Only open work, in the order "next" walks it: plan, priority, position. Done tasks stay out,
      -- so the index stays as small as the backlog however long the history grows.
      CREATE INDEX tasks_open ON tasks(plan_id, priority, position) WHERE status IN ('todo','in_progress');
      CREATE UNIQUE INDEX tasks_by_legacy ON tasks(legacy_id) WHERE legacy_id IS NOT NULL;

      CREATE TABLE task_deps (
        task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        depends_on TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        PRIMARY KEY (task_id, depends_on)
      ) WITHOUT ROWID;
      CREATE INDEX task_deps_by_target ON task_deps(depends_on, task_id);

      CREATE TABLE events (
        seq INTEGER PRIMARY KEY, -- never deleted, so rowids only grow: no AUTOINCREMENT bookkeeping page per write
        at TEXT NOT NULL,
        session_id TEXT NOT NULL,
        agent TEXT NOT NULL,
        action TEXT NOT NULL,
        entity TEXT NOT NULL,
        entity_id TEXT NOT NULL,
        flow_id TEXT,
        summary TEXT NOT NULL,
        changes TEXT
      );
      CREATE INDEX events_by_flow ON events(flow_id, seq);
      CREATE INDEX events_by_entity ON events(entity_id, seq);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      );
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

export class SchemaTooNewError extends Error {
  constructor(public readonly found: number) {
    super(
      `This .flow/flow.db has schema version ${found}, but this flowmcp only knows up to ${SCHEMA_VERSION}. ` +
        `It was written by a newer flowmcp: upgrade flowmcp (npm install -g flowmcp@latest) rather than ` +
        `opening it with this one; the file was left untouched.`,
    );
  }
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database, now: () => string = () => new Date().toISOString()): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw new SchemaTooNewError(current);
  if (current === SCHEMA_VERSION) return current;
  // Take the write lock before re-reading the version: two processes opening a fresh .flow/ at
  // the same moment must not both run migration 1.
  db.transaction(() => {
    const locked = schemaVersion(db);
    if (locked > SCHEMA_VERSION) throw new SchemaTooNewError(locked);
    for (const m of MIGRATIONS) {
      if (m.version <= locked) continue;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
  return schemaVersion(db);
}
