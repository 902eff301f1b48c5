import Database from 'better-sqlite3';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/migrations.js';
import { tempDir } from '../helpers/workspace.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function fresh(): string {
  const d = tempDir();
  dirs.push(d);
  return join(d, '.flow', 'flow.db');
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

  it('a version 2 database upgrades with every stored vector and its bits kept (bits moved to their own table)', () => {
    const file = fresh();
    mkdirSync(dirname(file), { recursive: true });
    const raw = new Database(file);
    for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 'then');
      raw.pragma(`user_version = ${m.version}`);
    }
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
    const file = fresh();
    mkdirSync(dirname(file), { recursive: true });
    const raw = new Database(file);
    raw.pragma('foreign_keys = ON');
    for (const m of MIGRATIONS.filter((x) => x.version <= 9)) {
      raw.exec(m.sql);
      raw.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 'then');
      raw.pragma(`user_version = ${m.version}`);
    }
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
});
