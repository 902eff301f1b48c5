import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { migrate, MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import type { FlowError } from '../../src/model/errors.js';
import { spawnTracked } from '../helpers/children.js';
import { tempDir } from '../helpers/workspace.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

const caught = (fn: () => unknown): FlowError => {
  try {
    fn();
  } catch (e) {
    return e as FlowError;
  }
  throw new Error('expected a throw');
};

function fresh(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d, '.flow', 'flow.db');
}

/** A database as an older flowmcp left it: the migrations up to `version` only. */
function databaseAt(version: number): { file: string; raw: Database.Database } {
  const file = fresh();
  mkdirSync(dirname(file), { recursive: true });
  const raw = new Database(file);
  raw.pragma('foreign_keys = ON');
  for (const m of MIGRATIONS.filter((x) => x.version <= version)) {
    raw.exec(m.sql);
    raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 'then');
    raw.pragma(`user_version = ${m.version}`);
  }
  return { file, raw };
}

describe('store: opening and migrating flow.db', () => {
  it('creates the database with WAL, synchronous=FULL, foreign keys and the schema version recorded', () => {
    const file = fresh();
    const db = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const applied = db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number }[];
    expect(applied.map((m) => m.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    db.close();
  });

  it('reopening an up-to-date database changes nothing', () => {
    const file = fresh();
    openDatabase(file).close();
    const db = openDatabase(file);
    expect((db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get() as { n: number }).n).toBe(SCHEMA_VERSION);
    db.close();
  });

  it('refuses a database written by a newer flowmcp and leaves the file byte-for-byte as it was', () => {
    const file = fresh();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(/newer flowmcp.*upgrade flowmcp/s);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('says which versions, what to do and that the file was left alone', () => {
    const file = fresh();
    openDatabase(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const e = caught(() => openDatabase(file));
    expect(e.code).toBe('schema_too_new');
    expect(e.message).toBe(
      `This .flow/flow.db has schema version ${SCHEMA_VERSION + 1}, but this flowmcp only knows up to ${SCHEMA_VERSION}. ` +
        'It was written by a newer flowmcp: upgrade flowmcp (npm install -g flowmcp@latest) rather than opening it with this one; the file was left untouched.',
    );
    expect(e.hint).toBe('Upgrade flowmcp (npm install -g flowmcp@latest) and start it again; every process that opens this project needs the newer version.');
    expect(e.details).toEqual({ found: SCHEMA_VERSION + 1, known: SCHEMA_VERSION });
  });

  it('an up-to-date database opens while another process holds its write lock (opening needs no lock)', () => {
    const file = fresh();
    openDatabase(file).close();
    const writer = new Database(file);
    try {
      writer.exec('BEGIN IMMEDIATE');
      const db = openDatabase(file, { busyTimeoutMs: 0 });
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      db.close();
    } finally {
      writer.close();
    }
  });

  it('a newer database is refused as too new even while another process holds its write lock (not reported busy)', () => {
    const file = fresh();
    openDatabase(file).close();
    const writer = new Database(file);
    try {
      writer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      writer.exec('BEGIN IMMEDIATE');
      expect(caught(() => openDatabase(file, { busyTimeoutMs: 0 })).code).toBe('schema_too_new');
    } finally {
      writer.close();
    }
  });

  // Two processes opening the same .flow/ at once: this one reads the version, then waits for the write
  // lock while the other holds it; what the other left when it let go decides. (The other commits on
  // its own timer: should this process only get to read after that, it meets the end state at once and
  // the expectations hold the same.)
  async function versionSetMeanwhile(version: number): Promise<{ file: string; db: Database.Database }> {
    const file = fresh();
    mkdirSync(dirname(file), { recursive: true });
    const init = new Database(file);
    init.pragma('journal_mode = WAL');
    init.close();
    const script = `
      const db = new (require('better-sqlite3'))(process.argv[1]);
      db.exec('BEGIN IMMEDIATE');
      process.stdout.write('locked\\n');
      setTimeout(() => { db.pragma('user_version = ' + process.argv[2]); db.exec('COMMIT'); db.close(); }, 300);`;
    const other = spawnTracked(process.execPath, ['-e', script, file, String(version)], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      other.stdout!.on('data', (d: Buffer) => d.toString().includes('locked') && resolve());
      other.once('exit', (code) => reject(new Error(`the other process ended first (${code})`)));
    });
    return { file, db: new Database(file, { timeout: 30_000 }) };
  }

  it('another process that migrated while this one waited for the lock: nothing left to do', async () => {
    const { db } = await versionSetMeanwhile(SCHEMA_VERSION);
    try {
      expect(migrate(db)).toBe(SCHEMA_VERSION);
      expect(db.prepare("SELECT COUNT(*) FROM sqlite_master WHERE name = 'schema_migrations'").pluck().get()).toBe(0);
    } finally {
      db.close();
    }
  }, 60_000);

  it('a newer flowmcp that migrated while this one waited for the lock: refused as too new', async () => {
    const { db } = await versionSetMeanwhile(SCHEMA_VERSION + 1);
    try {
      expect((caught(() => migrate(db)) as FlowError).code).toBe('schema_too_new');
      expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    } finally {
      db.close();
    }
  }, 60_000);

  it('a version 2 database upgrades with every stored vector and its bits kept (bits moved to their own table)', () => {
    const { file, raw } = databaseAt(2);
    const vector = Buffer.from(new Float32Array([0.5, -0.25, 1]).buffer);
    raw.prepare('INSERT INTO embeddings (id, hash, embedder, vector, bits) VALUES (7, ?, ?, ?, ?)').run('h1', 'static', vector, Buffer.from([5, 0, 0, 0]));
    raw.close();
    const db = openDatabase(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const row = db.prepare('SELECT e.id, hash, embedder, vector, bits FROM embeddings e JOIN embedding_bits USING (id)').get() as {
      id: number;
      vector: Buffer;
      bits: Buffer;
    };
    expect(row).toMatchObject({ id: 7, hash: 'h1', embedder: 'static' });
    expect(row.vector.equals(vector)).toBe(true);
    expect([...row.bits]).toEqual([5, 0, 0, 0]);
    expect(() => db.prepare("INSERT INTO embeddings (hash, embedder, vector) VALUES ('h1', 'static', x'00')").run()).toThrow(/UNIQUE/);
    db.close();
  });

  it('a version 9 database upgrades with every task\'s count of unfinished dependencies filled in, and next sees it', () => {
    const { file, raw } = databaseAt(9);
    const at = '2026-01-01T00:00:00.000Z';
    raw.prepare("INSERT INTO flows (id, name, description, status, created_at, updated_at) VALUES ('flow_1', 'F', '', 'active', ?, ?)").run(at, at);
    raw.prepare("INSERT INTO plans (id, flow_id, title, objective, status, position, created_at, updated_at) VALUES ('plan_1', 'flow_1', 'P', '', 'active', 1, ?, ?)").run(at, at);
    const task = raw.prepare("INSERT INTO tasks (id, plan_id, flow_id, title, description, status, priority, position, created_at, updated_at) VALUES (?, 'plan_1', 'flow_1', ?, '', ?, ?, ?, ?, ?)");
    // a (urgent) waits on b and c (c done); d (low) waits on nothing.
    task.run('task_a', 'a', 'todo', 'urgent', 1, at, at);
    task.run('task_b', 'b', 'blocked', 'medium', 2, at, at);
    task.run('task_c', 'c', 'done', 'medium', 3, at, at);
    task.run('task_d', 'd', 'todo', 'low', 4, at, at);
    const dep = raw.prepare('INSERT INTO task_deps (task_id, depends_on, created_at) VALUES (?, ?, ?)');
    dep.run('task_a', 'task_b', at);
    dep.run('task_a', 'task_c', at);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT id, open_deps FROM tasks ORDER BY id').all()).toEqual([
      { id: 'task_a', open_deps: 1 },
      { id: 'task_b', open_deps: 0 },
      { id: 'task_c', open_deps: 0 },
      { id: 'task_d', open_deps: 0 },
    ]);
    // Kept from then on: b done frees a.
    db.prepare("UPDATE tasks SET status = 'done' WHERE id = 'task_b'").run();
    expect(db.prepare("SELECT open_deps FROM tasks WHERE id = 'task_a'").pluck().get()).toBe(0);
    db.close();
  });

  it('a version 12 database upgrades with each flow\'s plans counted by status, and the counts kept from then on', () => {
    const { file, raw } = databaseAt(12);
    const at = '2026-01-01T00:00:00.000Z';
    const flow = raw.prepare("INSERT INTO flows (id, name, description, status, created_at, updated_at) VALUES (?, ?, '', 'active', ?, ?)");
    flow.run('flow_1', 'F', at, at);
    flow.run('flow_2', 'G', at, at);
    const plan = raw.prepare("INSERT INTO plans (id, flow_id, title, objective, status, position, created_at, updated_at) VALUES (?, ?, ?, '', ?, ?, ?, ?)");
    plan.run('plan_1', 'flow_1', 'P1', 'active', 1, at, at);
    plan.run('plan_2', 'flow_1', 'P2', 'archived', 2, at, at);
    plan.run('plan_3', 'flow_1', 'P3', 'done', 3, at, at);
    plan.run('plan_4', 'flow_2', 'P4', 'active', 1, at, at);
    raw.close();
    const db = openDatabase(file);
    const kept = () => db.prepare('SELECT flow_id, status, n FROM plan_counts WHERE n > 0 ORDER BY flow_id, status').all();
    expect(kept()).toEqual([
      { flow_id: 'flow_1', status: 'active', n: 1 },
      { flow_id: 'flow_1', status: 'archived', n: 1 },
      { flow_id: 'flow_1', status: 'done', n: 1 },
      { flow_id: 'flow_2', status: 'active', n: 1 },
    ]);
    // Kept from then on: the archived plan reopened, one moved to the other flow.
    db.prepare("UPDATE plans SET status = 'active' WHERE id = 'plan_2'").run();
    db.prepare("UPDATE plans SET flow_id = 'flow_2' WHERE id = 'plan_3'").run();
    expect(kept()).toEqual([
      { flow_id: 'flow_1', status: 'active', n: 2 },
      { flow_id: 'flow_2', status: 'active', n: 1 },
      { flow_id: 'flow_2', status: 'done', n: 1 },
    ]);
    db.close();
  });
  it('a version 15 database upgrades with its change log kept, seq for seq, and its numbers still growing without a sequence row', () => {
    const { file, raw } = databaseAt(15);
    const at = '2026-01-01T00:00:00.000Z';
    raw.prepare("INSERT INTO flows (id, name, description, status, created_at, updated_at) VALUES ('flow_1', 'F', '', 'active', ?, ?)").run(at, at);
    for (let i = 0; i < 6; i++) raw.prepare("UPDATE flows SET name = ? WHERE id = 'flow_1'").run(`F${i}`);
    raw.prepare('DELETE FROM state_changes WHERE seq <= 2').run(); // trimmed from its old end, as trimChangeLog does
    const before = raw.prepare('SELECT * FROM state_changes ORDER BY seq').all();
    expect(before.map((r) => (r as { seq: number }).seq)).toEqual([3, 4, 5, 6]);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT * FROM state_changes ORDER BY seq').all()).toEqual(before);
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'state_changes'").get()).toBeUndefined();
    // Still logged by the same triggers, numbered on from the newest kept.
    db.prepare("UPDATE flows SET name = 'G' WHERE id = 'flow_1'").run();
    expect(db.prepare('SELECT seq, tbl, a FROM state_changes WHERE seq > 6').all()).toEqual([{ seq: 7, tbl: 'flows', a: 'flow_1' }]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
  });
  it('a database at an old version whose contents its migrations cannot take forward is refused as damaged, with recover named, and left as it was', () => {
    const { file, raw } = databaseAt(15);
    raw.exec('DROP TABLE state_changes'); // what migration 16 rebuilds, dropped by hand
    const schema = (db: Database.Database) => db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const before = schema(raw);
    raw.close();
    const err = caught(() => openDatabase(file));
    expect(err.code).toBe('damaged');
    expect(err.message).toMatch(/schema version 15/);
    expect(err.message).toMatch(/migration 16/);
    expect(err.message, 'no text from the file').not.toMatch(/state_changes/);
    expect(err.hint).toMatch(/flowmcp recover/);
    const again = new Database(file, { readonly: true });
    expect(again.pragma('user_version', { simple: true })).toBe(15);
    expect(schema(again), 'no step of the migration kept').toEqual(before);
    again.close();
  });
});
