// Numbered, forward-only schema migrations. The version lives in the database (PRAGMA user_version,
// plus a schema_migrations row per step with when it was applied).
import type Database from 'better-sqlite3';
import { FlowError } from '../model/errors.js';
import { log } from '../log.js';

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
  {
    version: 2,
    name: 'documents, chunks, full-text index, embeddings',
    sql: `
      CREATE TABLE documents (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL CHECK (source IN ('flow','project')), -- flow: owned under .flow/documents; project: indexed read-only
        path TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        size INTEGER NOT NULL,
        mtime_ms REAL NOT NULL,
        sha256 TEXT NOT NULL,
        orphaned_at TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        revision INTEGER NOT NULL DEFAULT 1,
        UNIQUE (source, path)
      );

      CREATE TABLE document_links (
        document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
        target_kind TEXT NOT NULL CHECK (target_kind IN ('flow','plan','task')),
        target_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (document_id, target_kind, target_id)
      ) WITHOUT ROWID;
      CREATE INDEX document_links_by_target ON document_links(target_id);

      -- What search looks through: pieces of documents, and the text of tasks and plans.
      -- AUTOINCREMENT: chunk ids only ever grow, so "embedded up to chunk N" is a complete watermark.
      CREATE TABLE chunks (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL CHECK (kind IN ('document','task','plan','context')),
        owner_id TEXT NOT NULL,
        ordinal INTEGER NOT NULL,
        heading TEXT NOT NULL DEFAULT '',
        body TEXT NOT NULL,
        hash TEXT NOT NULL, -- of heading + body: what an embedder sees
        start_line INTEGER,
        end_line INTEGER,
        UNIQUE (owner_id, ordinal)
      );
      CREATE INDEX chunks_by_hash ON chunks(hash);
      CREATE INDEX chunks_by_kind ON chunks(kind, owner_id);

      CREATE VIRTUAL TABLE chunks_fts USING fts5(
        heading, body, content='', contentless_delete=1, tokenize='porter unicode61 remove_diacritics 2'
      );
      CREATE TRIGGER chunks_fts_delete AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.id;
      END;

      -- Vectors by content hash and embedder: text that did not change is never embedded again. The
      -- (hash, embedder) index is kept narrow (vectors live in the table) so lookups stay cheap.
      CREATE TABLE embeddings (
        id INTEGER PRIMARY KEY,
        hash TEXT NOT NULL,
        embedder TEXT NOT NULL,
        vector BLOB NOT NULL,
        bits BLOB NOT NULL -- one sign bit per dimension: what the in-memory prefilter loads (1/32 of the vector)
      );
      CREATE UNIQUE INDEX embeddings_by_hash ON embeddings(hash, embedder);
      -- Per embedder: every chunk with an id up to this one has its vector (or is known to have none).
      CREATE TABLE vector_progress (
        embedder TEXT PRIMARY KEY,
        upto INTEGER NOT NULL
      );

      -- Links and chunks of things that are deleted go with them (also when a flow's delete cascades).
      CREATE TRIGGER tasks_unindex AFTER DELETE ON tasks BEGIN
        DELETE FROM chunks WHERE owner_id = old.id;
        DELETE FROM document_links WHERE target_id = old.id;
      END;
      CREATE TRIGGER plans_unindex AFTER DELETE ON plans BEGIN
        DELETE FROM chunks WHERE owner_id = old.id;
        DELETE FROM document_links WHERE target_id = old.id;
      END;
      CREATE TRIGGER flows_unlink AFTER DELETE ON flows BEGIN
        DELETE FROM document_links WHERE target_id = old.id;
      END;
      -- A flowmcp-owned document nothing links to any more is an orphan from that moment (a later
      -- prune may remove it after a retention period, never at once); a new link adopts it again.
      CREATE TRIGGER document_links_orphan AFTER DELETE ON document_links
      WHEN NOT EXISTS (SELECT 1 FROM document_links WHERE document_id = old.document_id) BEGIN
        UPDATE documents SET orphaned_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = old.document_id AND source = 'flow' AND orphaned_at IS NULL;
      END;
      CREATE TRIGGER document_links_adopt AFTER INSERT ON document_links BEGIN
        UPDATE documents SET orphaned_at = NULL WHERE id = new.document_id;
      END;
      CREATE TRIGGER documents_unindex AFTER DELETE ON documents BEGIN
        DELETE FROM chunks WHERE owner_id = old.id;
      END;
    `,
  },
  {
    version: 3,
    name: 'embeddings: sign bits in their own narrow table',
    // The prefilter loads only the sign bits, but beside 6 KB vectors each row's bits sit on a page of
    // their own (and SQLite reached them by walking the vector's overflow pages): loading 100k × 1536
    // took ~1.3 s. In a narrow table 20 rows share a page.
    sql: `
      CREATE TABLE embedding_bits (
        id INTEGER PRIMARY KEY REFERENCES embeddings(id) ON DELETE CASCADE,
        bits BLOB NOT NULL -- one sign bit per dimension: what the in-memory prefilter loads (1/32 of the vector)
      );
      INSERT INTO embedding_bits (id, bits) SELECT id, bits FROM embeddings;
      ALTER TABLE embeddings DROP COLUMN bits;
    `,
  },
  {
    version: 4,
    name: 'context: per-flow summaries, decisions, questions, next steps',
    sql: `
      -- The running memory of a flow. Entries are never deleted by flowmcp: a replaced summary, an answered
      -- question or a dropped decision changes state and stays in the history.
      CREATE TABLE context_entries (
        id TEXT PRIMARY KEY,
        flow_id TEXT NOT NULL REFERENCES flows(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('summary','decision','question','next_step','insight','preference')),
        text TEXT NOT NULL,
        why TEXT NOT NULL DEFAULT '',
        plan_id TEXT,
        task_id TEXT,
        state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open','closed','superseded')),
        legacy_key TEXT, -- set by imports: importing the same file twice adds nothing
        agent TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE INDEX context_by_flow ON context_entries(flow_id, kind, state);
      CREATE UNIQUE INDEX context_by_legacy_key ON context_entries(flow_id, legacy_key) WHERE legacy_key IS NOT NULL;
      CREATE TRIGGER context_unindex AFTER DELETE ON context_entries BEGIN
        DELETE FROM chunks WHERE owner_id = old.id;
      END;

      -- Per flow: the context revision, what is active, files touched, and the context.json file as
      -- flowmcp last wrote it (its hash tells a hand edit from a stale file; its text is the base that
      -- hand edits are merged against).
      CREATE TABLE context_state (
        flow_id TEXT PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
        revision INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        active_plan_id TEXT,
        active_task_id TEXT,
        files TEXT NOT NULL DEFAULT '[]',
        file_hash TEXT,
        file_body TEXT
      );
    `,
  },
  {
    version: 5,
    name: 'snapshot catalog',
    sql: `
      -- The catalog of snapshots; payloads live in .flow/snapshots/ (self-describing, so a lost database
      -- can be rebuilt from them). No foreign key to flows: a snapshot outlives the flow it can restore.
      CREATE TABLE snapshots (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL DEFAULT '',
        scope TEXT NOT NULL CHECK (scope IN ('flow','workspace')),
        flow_id TEXT,
        reason TEXT NOT NULL DEFAULT 'manual',
        pinned INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL CHECK (kind IN ('full','patch')),
        base_id TEXT, -- the snapshot a patch applies to
        depth INTEGER NOT NULL DEFAULT 0, -- patches since the last full checkpoint
        file TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        counts TEXT NOT NULL,
        blobs TEXT NOT NULL DEFAULT '[]', -- document text blobs this snapshot's state refers to
        state_hash TEXT NOT NULL,
        created_at TEXT NOT NULL,
        seq INTEGER NOT NULL -- creation order (timestamps can tie)
      );
      CREATE INDEX snapshots_by_scope ON snapshots(scope, flow_id, seq);
      CREATE INDEX snapshots_by_seq ON snapshots(seq);
    `,
  },
  {
    version: 6,
    name: 'drop chunks_by_hash',
    sql: `
      -- Nothing looks chunks up by hash (vectors are found from chunks, never the other way), and this
      -- index of 64-character random keys was the dearest part of adding a chunk: ~a third of an import.
      DROP INDEX chunks_by_hash;
    `,
  },
  {
    version: 7,
    name: 'plan and task order indexes, task counts kept by triggers',
    sql: `
      -- A task list walks plans in order and each plan's tasks through an index in list order, so a page
      -- costs its own rows, not a sort of the whole flow (at 100k tasks the sort took ~20–30 ms). The
      -- id makes the order total. The status index grows to serve filtered pages (flow, status, plan,
      -- then list order); it replaces the old one rather than adding a fifth index on tasks: each index
      -- costs an import ~20% more time.
      CREATE INDEX tasks_by_plan_order ON tasks(plan_id, position, id);
      DROP INDEX tasks_by_plan;
      CREATE INDEX plans_by_flow_order ON plans(flow_id, position, id);
      DROP INDEX plans_by_flow;
      CREATE INDEX tasks_by_flow_status_plan ON tasks(flow_id, status, plan_id, position, id);
      DROP INDEX tasks_by_flow_status;
      -- Tasks per plan and status, kept in step in the same transaction as every change: flow get, flow
      -- list and plan list read a few rows instead of counting every task (15 ms at 100k). Status changes,
      -- moves and deletes (cascades included) are counted by triggers; inserts by the code that inserts
      -- (store/tasks.ts insertTask, recountTasks): an insert trigger, even one switched off for bulk
      -- work, made an import ~50% slower.
      CREATE TABLE task_counts (
        plan_id TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (plan_id, status)
      ) WITHOUT ROWID;
      INSERT INTO task_counts (plan_id, status, n) SELECT plan_id, status, COUNT(*) FROM tasks GROUP BY plan_id, status;
      CREATE TRIGGER task_counts_delete AFTER DELETE ON tasks BEGIN
        UPDATE task_counts SET n = n - 1 WHERE plan_id = OLD.plan_id AND status = OLD.status;
      END;
      CREATE TRIGGER task_counts_update AFTER UPDATE OF plan_id, status ON tasks
        WHEN OLD.plan_id IS NOT NEW.plan_id OR OLD.status IS NOT NEW.status BEGIN
        UPDATE task_counts SET n = n - 1 WHERE plan_id = OLD.plan_id AND status = OLD.status;
        INSERT INTO task_counts (plan_id, status, n) VALUES (NEW.plan_id, NEW.status, 1)
          ON CONFLICT (plan_id, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER task_counts_plan_delete AFTER DELETE ON plans BEGIN
        DELETE FROM task_counts WHERE plan_id = OLD.id;
      END;
    `,
  },
  {
    version: 8,
    name: 'hook delivery state',
    sql: `
      -- One row per hook (by name): the events table is the outbox (every change is written there in its
      -- own transaction), and cursor is the last event seq this hook has passed — acknowledged by its
      -- receiver, or not matching it. It only moves forward, in its own transaction after an
      -- acknowledgement, and only by the lease holder: at least once, in order, never again after the
      -- ack is recorded. The lease (owner, until: epoch ms) keeps two processes from delivering one
      -- hook at once; an expired lease (a process killed mid-delivery) is taken over. Pre hooks keep
      -- their counters here too (cursor NULL). The rest is retry state and metrics for hooks list.
      CREATE TABLE hook_state (
        name TEXT PRIMARY KEY,
        def_hash TEXT NOT NULL,
        cursor INTEGER,
        lease_owner TEXT,
        lease_until INTEGER,
        attempts INTEGER NOT NULL DEFAULT 0,
        retry_at INTEGER,
        runs INTEGER NOT NULL DEFAULT 0,
        failures INTEGER NOT NULL DEFAULT 0,
        refusals INTEGER NOT NULL DEFAULT 0,
        last_error TEXT,
        last_run_at TEXT,
        last_latency_ms INTEGER,
        total_latency_ms INTEGER NOT NULL DEFAULT 0
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 9,
    name: 'hook_state.interrupted',
    sql: `
      -- Post hook runs a one-shot command stopped when its time ran out, since the hook's last success:
      -- one such hook is not started again by a one-shot command whose remaining time its timeout exceeds.
      ALTER TABLE hook_state ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 10,
    name: 'tasks.open_deps kept by triggers, ready index',
    sql: `
      -- How many of a task's dependencies are not done, kept in step by triggers in the same statement
      -- as every change that can move it (a dependency added or removed, cascades included; a
      -- dependency's status moving into or out of done), so "next" walks an index of ready work instead
      -- of checking every open task's dependencies: with thousands of open tasks waiting on others,
      -- next took ~5 ms (57x a bare round trip). Each trigger recounts from the rows as they are,
      -- never adds or subtracts, so the order in which a restore or an import writes rows cannot skew
      -- it. No trigger on task insert: a new task has no dependencies yet, and a dependency can only
      -- name a task that exists (foreign keys are on), so its row is recounted when the dependency is added.
      ALTER TABLE tasks ADD COLUMN open_deps INTEGER NOT NULL DEFAULT 0;
      UPDATE tasks SET open_deps = (SELECT COUNT(*) FROM task_deps d JOIN tasks u ON u.id = d.depends_on
                                    WHERE d.task_id = tasks.id AND u.status != 'done')
        WHERE id IN (SELECT task_id FROM task_deps);
      CREATE INDEX tasks_ready ON tasks(plan_id, priority, position) WHERE status IN ('todo','in_progress') AND open_deps = 0;
      -- tasks_open (all open tasks in the same order) served only next; an unused index costs every insert.
      DROP INDEX tasks_open;
      CREATE TRIGGER open_deps_dep_insert AFTER INSERT ON task_deps BEGIN
        UPDATE tasks SET open_deps = (SELECT COUNT(*) FROM task_deps d JOIN tasks u ON u.id = d.depends_on
                                      WHERE d.task_id = NEW.task_id AND u.status != 'done')
          WHERE id = NEW.task_id;
      END;
      CREATE TRIGGER open_deps_dep_delete AFTER DELETE ON task_deps BEGIN
        UPDATE tasks SET open_deps = (SELECT COUNT(*) FROM task_deps d JOIN tasks u ON u.id = d.depends_on
                                      WHERE d.task_id = OLD.task_id AND u.status != 'done')
          WHERE id = OLD.task_id;
      END;
      CREATE TRIGGER open_deps_status AFTER UPDATE OF status ON tasks
        WHEN (OLD.status = 'done') IS NOT (NEW.status = 'done') BEGIN
        UPDATE tasks SET open_deps = (SELECT COUNT(*) FROM task_deps d JOIN tasks u ON u.id = d.depends_on
                                      WHERE d.task_id = tasks.id AND u.status != 'done')
          WHERE id IN (SELECT task_id FROM task_deps WHERE depends_on = NEW.id);
      END;
    `,
  },
  {
    version: 11,
    name: 'flow task counts kept by triggers',
    sql: `
      -- Tasks per flow and status, kept like task_counts (migration 7) and in the same places: flow get
      -- and flow list read a few rows instead of adding up every plan's counts (1.9 ms for a flow of
      -- 5,000 plans). Status changes, moves between flows and deletes (cascades included) by triggers;
      -- inserts by the code that inserts (store/tasks.ts).
      CREATE TABLE flow_counts (
        flow_id TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (flow_id, status)
      ) WITHOUT ROWID;
      INSERT INTO flow_counts (flow_id, status, n) SELECT flow_id, status, COUNT(*) FROM tasks GROUP BY flow_id, status;
      CREATE TRIGGER flow_counts_delete AFTER DELETE ON tasks BEGIN
        UPDATE flow_counts SET n = n - 1 WHERE flow_id = OLD.flow_id AND status = OLD.status;
      END;
      CREATE TRIGGER flow_counts_update AFTER UPDATE OF flow_id, status ON tasks
        WHEN OLD.flow_id IS NOT NEW.flow_id OR OLD.status IS NOT NEW.status BEGIN
        UPDATE flow_counts SET n = n - 1 WHERE flow_id = OLD.flow_id AND status = OLD.status;
        INSERT INTO flow_counts (flow_id, status, n) VALUES (NEW.flow_id, NEW.status, 1)
          ON CONFLICT (flow_id, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER flow_counts_flow_delete AFTER DELETE ON flows BEGIN
        DELETE FROM flow_counts WHERE flow_id = OLD.id;
      END;
    `,
  },
  {
    version: 12,
    name: 'change log for incremental snapshots',
    sql: `
      -- Which rows a snapshot holds changed since a process last read them (core/snapshots/live-state.ts):
      -- a snapshot of a flow of 100k tasks re-reads the few rows that changed, not all of them (a task
      -- delete, whose undo is a snapshot, took ~1 s). Updates and deletes of every table a snapshot holds
      -- are logged here by triggers, whoever writes. Inserts into the tables that have a rowid are not:
      -- any trigger on an insert, even an empty one, made a bulk insert ~2x slower (measured at 200k
      -- tasks); a reader finds them instead by rowid (SQLite hands a new row 1 + the highest rowid
      -- there is: see store/state-changes.ts changesSince), with the rowids deletes freed (rid). The
      -- two tables without a rowid log their inserts.
      -- AUTOINCREMENT: a seq is never handed out twice, so "read up to seq N" stays a complete watermark.
      CREATE TABLE state_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tbl TEXT NOT NULL,
        a TEXT,
        b TEXT,
        c TEXT,
        rid INTEGER
      );
      -- Which database a change number belongs to: a snapshot records the number it was read at, and
      -- only this database's log says what changed since (recover makes a new database, with a new id).
      INSERT INTO settings (key, value) VALUES ('db_id', lower(hex(randomblob(16)))) ON CONFLICT (key) DO NOTHING;
      CREATE TRIGGER state_changes_flows_update AFTER UPDATE OF id, name, description, status, legacy_id, created_at, updated_at, revision ON flows BEGIN
        INSERT INTO state_changes (tbl, a) VALUES ('flows', OLD.id);
        INSERT INTO state_changes (tbl, a) SELECT 'flows', NEW.id WHERE NEW.id IS NOT OLD.id;
      END;
      CREATE TRIGGER state_changes_flows_delete AFTER DELETE ON flows BEGIN
        INSERT INTO state_changes (tbl, a, rid) VALUES ('flows', OLD.id, OLD.rowid);
      END;
      CREATE TRIGGER state_changes_plans_update AFTER UPDATE OF id, flow_id, title, objective, status, position, legacy_id, created_at, updated_at, revision ON plans BEGIN
        INSERT INTO state_changes (tbl, a) VALUES ('plans', OLD.id);
        INSERT INTO state_changes (tbl, a) SELECT 'plans', NEW.id WHERE NEW.id IS NOT OLD.id;
      END;
      CREATE TRIGGER state_changes_plans_delete AFTER DELETE ON plans BEGIN
        INSERT INTO state_changes (tbl, a, rid) VALUES ('plans', OLD.id, OLD.rowid);
      END;
      CREATE TRIGGER state_changes_tasks_update AFTER UPDATE OF id, plan_id, flow_id, title, description, status, priority, position, claimed_by, claim_expires_at, started_at, completed_at, legacy_id, created_at, updated_at, revision ON tasks BEGIN
        INSERT INTO state_changes (tbl, a) VALUES ('tasks', OLD.id);
        INSERT INTO state_changes (tbl, a) SELECT 'tasks', NEW.id WHERE NEW.id IS NOT OLD.id;
      END;
      CREATE TRIGGER state_changes_tasks_delete AFTER DELETE ON tasks BEGIN
        INSERT INTO state_changes (tbl, a, rid) VALUES ('tasks', OLD.id, OLD.rowid);
      END;
      CREATE TRIGGER state_changes_context_entries_update AFTER UPDATE OF id, flow_id, kind, text, why, plan_id, task_id, state, legacy_key, agent, created_at, updated_at ON context_entries BEGIN
        INSERT INTO state_changes (tbl, a) VALUES ('context_entries', OLD.id);
        INSERT INTO state_changes (tbl, a) SELECT 'context_entries', NEW.id WHERE NEW.id IS NOT OLD.id;
      END;
      CREATE TRIGGER state_changes_context_entries_delete AFTER DELETE ON context_entries BEGIN
        INSERT INTO state_changes (tbl, a, rid) VALUES ('context_entries', OLD.id, OLD.rowid);
      END;
      CREATE TRIGGER state_changes_context_state_update AFTER UPDATE OF flow_id, revision, updated_at, active_plan_id, active_task_id, files ON context_state BEGIN
        INSERT INTO state_changes (tbl, a) VALUES ('context_state', OLD.flow_id);
        INSERT INTO state_changes (tbl, a) SELECT 'context_state', NEW.flow_id WHERE NEW.flow_id IS NOT OLD.flow_id;
      END;
      CREATE TRIGGER state_changes_context_state_delete AFTER DELETE ON context_state BEGIN
        INSERT INTO state_changes (tbl, a, rid) VALUES ('context_state', OLD.flow_id, OLD.rowid);
      END;
      CREATE TRIGGER state_changes_deps_insert AFTER INSERT ON task_deps BEGIN
        INSERT INTO state_changes (tbl, a, b) VALUES ('deps', NEW.task_id, NEW.depends_on);
      END;
      CREATE TRIGGER state_changes_deps_update AFTER UPDATE ON task_deps BEGIN
        INSERT INTO state_changes (tbl, a, b) VALUES ('deps', OLD.task_id, OLD.depends_on);
        INSERT INTO state_changes (tbl, a, b) VALUES ('deps', NEW.task_id, NEW.depends_on);
      END;
      CREATE TRIGGER state_changes_deps_delete AFTER DELETE ON task_deps BEGIN
        INSERT INTO state_changes (tbl, a, b) VALUES ('deps', OLD.task_id, OLD.depends_on);
      END;
      CREATE TRIGGER state_changes_links_insert AFTER INSERT ON document_links BEGIN
        INSERT INTO state_changes (tbl, a, b, c) VALUES ('links', NEW.document_id, NEW.target_kind, NEW.target_id);
      END;
      CREATE TRIGGER state_changes_links_update AFTER UPDATE ON document_links BEGIN
        INSERT INTO state_changes (tbl, a, b, c) VALUES ('links', OLD.document_id, OLD.target_kind, OLD.target_id);
        INSERT INTO state_changes (tbl, a, b, c) VALUES ('links', NEW.document_id, NEW.target_kind, NEW.target_id);
      END;
      CREATE TRIGGER state_changes_links_delete AFTER DELETE ON document_links BEGIN
        INSERT INTO state_changes (tbl, a, b, c) VALUES ('links', OLD.document_id, OLD.target_kind, OLD.target_id);
      END;
    `,
  },
  {
    version: 13,
    name: 'flow plan counts kept by triggers',
    sql: `
      -- Plans per flow and status, kept like flow_counts (migration 11): flow get counted a flow's plans
      -- through its index, ~0.22 ms of its ~0.4 ms at 5,000 plans. Kept by triggers, inserts included, so
      -- every writer (create, import, restore, recover) keeps them right without knowing of them: a plan
      -- insert is rare beside a task insert (measured: an import of 100k flows with 100k plans, npm run
      -- bench -- import).
      CREATE TABLE plan_counts (
        flow_id TEXT NOT NULL,
        status TEXT NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (flow_id, status)
      ) WITHOUT ROWID;
      INSERT INTO plan_counts (flow_id, status, n) SELECT flow_id, status, COUNT(*) FROM plans GROUP BY flow_id, status;
      CREATE TRIGGER plan_counts_insert AFTER INSERT ON plans BEGIN
        INSERT INTO plan_counts (flow_id, status, n) VALUES (NEW.flow_id, NEW.status, 1)
          ON CONFLICT (flow_id, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER plan_counts_delete AFTER DELETE ON plans BEGIN
        UPDATE plan_counts SET n = n - 1 WHERE flow_id = OLD.flow_id AND status = OLD.status;
      END;
      CREATE TRIGGER plan_counts_update AFTER UPDATE OF flow_id, status ON plans
        WHEN OLD.flow_id IS NOT NEW.flow_id OR OLD.status IS NOT NEW.status BEGIN
        UPDATE plan_counts SET n = n - 1 WHERE flow_id = OLD.flow_id AND status = OLD.status;
        INSERT INTO plan_counts (flow_id, status, n) VALUES (NEW.flow_id, NEW.status, 1)
          ON CONFLICT (flow_id, status) DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER plan_counts_flow_delete AFTER DELETE ON flows BEGIN
        DELETE FROM plan_counts WHERE flow_id = OLD.id;
      END;
    `,
  },
  {
    version: 14,
    name: 'flows in list order',
    sql: `
      -- flow list without a status walks flows newest first. flows_by_status leads with the status, so
      -- that list sorted every flow before its page: ~14 ms a call at 100k flows (an import of 1M tasks),
      -- where a page read through this index costs its own rows.
      CREATE INDEX flows_by_created ON flows(created_at, id);
    `,
  },
  {
    version: 15,
    name: 'chunk deletions counted',
    sql: `
      -- Whether the chunks changed since a search last counted them, in two single reads: an insert moves
      -- the table's sequence (AUTOINCREMENT), a delete this count. FTS5's own row count cannot say it
      -- (with contentless_delete it counts every row ever added), and counting 1.1M chunks and their
      -- full-text rows took ~27 ms of every search after an import of 1M tasks.
      CREATE TABLE chunk_deletes (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        n INTEGER NOT NULL
      );
      INSERT INTO chunk_deletes (id, n) VALUES (1, 0);
      CREATE TRIGGER chunk_deletes_count AFTER DELETE ON chunks BEGIN
        UPDATE chunk_deletes SET n = n + 1 WHERE id = 1;
      END;
    `,
  },
  {
    version: 16,
    name: 'change log without its sequence page',
    sql: `
      -- AUTOINCREMENT wrote sqlite_sequence's page in every transaction that logged a change: one WAL
      -- frame of the ~11 a status change writes, and frames are what its fsync'd commit costs (~13-20 µs
      -- each here). A plain rowid is enough: the log is only ever trimmed from its old end and its newest
      -- row always stays (store/state-changes.ts trimChangeLog), so 1 + the highest seq only grows and a
      -- seq is still never handed out twice. The table is rebuilt under its own name; legacy_alter_table
      -- lets the rename through while the change-log triggers on other tables name it (they are left
      -- exactly as migration 12 wrote them, which is what store/planted-schema.ts checks them against).
      PRAGMA legacy_alter_table = ON;
      CREATE TABLE state_changes_rebuilt (
        seq INTEGER PRIMARY KEY,
        tbl TEXT NOT NULL,
        a TEXT,
        b TEXT,
        c TEXT,
        rid INTEGER
      );
      INSERT INTO state_changes_rebuilt (seq, tbl, a, b, c, rid) SELECT seq, tbl, a, b, c, rid FROM state_changes;
      DROP TABLE state_changes;
      ALTER TABLE state_changes_rebuilt RENAME TO state_changes;
      PRAGMA legacy_alter_table = OFF;
    `,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** flow.db was written by a newer flowmcp: this one must not touch it. */
function schemaTooNew(found: number): FlowError {
  return new FlowError(
    'schema_too_new',
    `This .flow/flow.db has schema version ${found}, but this flowmcp only knows up to ${SCHEMA_VERSION}. ` +
      `It was written by a newer flowmcp: upgrade flowmcp (npm install -g flowmcp@latest) rather than ` +
      `opening it with this one; the file was left untouched.`,
    'Upgrade flowmcp (npm install -g flowmcp@latest) and start it again; every process that opens this project needs the newer version.',
    { found, known: SCHEMA_VERSION },
  );
}

export function schemaVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Database.Database, now: () => string = () => new Date().toISOString()): number {
  const current = schemaVersion(db);
  if (current > SCHEMA_VERSION) throw schemaTooNew(current);
  if (current === SCHEMA_VERSION) return current;
  // Take the write lock before re-reading the version: two processes opening a fresh .flow/ at
  // the same moment must not both run migration 1.
  db.transaction(() => {
    const locked = schemaVersion(db);
    if (locked > SCHEMA_VERSION) throw schemaTooNew(locked);
    for (const m of MIGRATIONS) {
      if (m.version <= locked) continue;
      try {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
        db.pragma(`user_version = ${m.version}`);
      } catch (e) {
        throw migrationFailed(m, locked, e);
      }
    }
  }).immediate();
  return schemaVersion(db);
}

/**
 * A migration that fails on a file flowmcp did not leave that way (a table dropped or changed by hand,
 * or by someone else's repository): the file is at an old version with contents its migrations cannot
 * take forward. Every step ran in one transaction, so the file is as it was. A storage fault (a busy
 * writer, a full disk, a damaged page) is passed on, to be said as what it is. SQLite's message is not
 * quoted in the answer (it names what the file holds, and the file is not trusted): it goes to the log.
 */
function migrationFailed(m: Migration, from: number, e: unknown): unknown {
  const code = String((e as { code?: unknown } | undefined)?.code ?? '');
  if (!/^SQLITE_(ERROR|CONSTRAINT|MISMATCH|SCHEMA)(_|$)/.test(code)) return e;
  log.warn(`migration ${m.version} (${m.name}) failed: ${String((e as Error).message)}`);
  return new FlowError(
    'damaged',
    `flow.db (schema version ${from}) cannot be brought up to this flowmcp's version ${SCHEMA_VERSION}: migration ${m.version} (${m.name}) failed on what the file holds (${code}). Nothing was changed.`,
    'The file was changed by something other than flowmcp. Run flowmcp recover: it keeps this file aside and rebuilds the database from .flow/snapshots and .flow/documents.',
    { fault: code, version: from, migration: m.version },
  );
}
