// Whether a database file is sound, as `flowmcp recover` asks before it sets one aside: a missing file
// or a damaged one is not; asking neither changes the file (nor the WAL a crash left beside it) nor
// keeps it open.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { databaseHealthy } from '../../src/store/db-health.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();

/** A WAL database as a process killed mid-session leaves it: the last commit only in flow.db-wal. */
function crashedCopy(dir: string): string {
  const db = new Database(join(dir, 'live.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('wal_autocheckpoint = 0');
  db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
  const file = join(dir, 'flow.db');
  for (const s of ['', '-wal', '-shm']) copyFileSync(join(dir, `live.db${s}`), `${file}${s}`);
  db.close();
  return file;
}

/** Paths this process holds open (Linux), to see that no handle is left behind. */
function openFiles(): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return [];
    }
  });
}

describe('databaseHealthy', () => {
  it('a missing file is not healthy (and is not created by asking)', () => {
    const file = join(scratch(), 'flow.db');
    expect(databaseHealthy(file)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('a sound database is; a file of garbage is not', () => {
    const dir = scratch();
    const file = crashedCopy(dir);
    expect(databaseHealthy(file)).toBe(true);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, Buffer.alloc(8192, 0x5a));
    expect(databaseHealthy(junk)).toBe(false);
  });

  it('a sound database with a trigger or view flowmcp did not write is not (recover sets it aside)', () => {
    const dir = scratch();
    const file = join(dir, 'flow.db');
    const db = new Database(file);
    db.exec("CREATE TABLE tasks (id TEXT, status TEXT); CREATE TRIGGER undo AFTER UPDATE ON tasks BEGIN UPDATE tasks SET status = 'todo'; END;");
    db.close();
    expect(databaseHealthy(file)).toBe(false);
    const view = join(dir, 'view.db');
    const v = new Database(view);
    v.exec('CREATE TABLE t (x); CREATE VIEW v AS SELECT x FROM t;');
    v.close();
    expect(databaseHealthy(view)).toBe(false);
  });

  it('an older database its migrations cannot take forward is not (it opens as damaged); one they can is, and is left as it was', () => {
    const dir = scratch();
    const make = (name: string, spoil?: string) => {
      const file = join(dir, name);
      const db = new Database(file);
      for (const m of MIGRATIONS.filter((x) => x.version <= 15)) {
        db.exec(m.sql);
        db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, 'then');
        db.pragma(`user_version = ${m.version}`);
      }
      if (spoil) db.exec(spoil);
      db.close();
      return file;
    };
    const old = make('old.db');
    const before = readFileSync(old);
    expect(databaseHealthy(old)).toBe(true);
    expect(readFileSync(old).equals(before), 'migrated on a copy in memory only').toBe(true);
    expect(databaseHealthy(make('dropped.db', 'DROP TABLE state_changes'))).toBe(false);
    expect(databaseHealthy(make('lowered.db', 'PRAGMA user_version = 10'))).toBe(false); // tables of 11-15 there already
  });

  it('leaves the file and the WAL a crash left exactly as they were', () => {
    const file = crashedCopy(scratch());
    const db = readFileSync(file);
    const wal = readFileSync(`${file}-wal`);
    expect(databaseHealthy(file)).toBe(true);
    expect(readFileSync(file).equals(db)).toBe(true);
    expect(existsSync(`${file}-wal`) && readFileSync(`${file}-wal`).equals(wal)).toBe(true);
  });

  it.runIf(existsSync('/proc/self/fd'))('keeps no handle on the file it asked about', () => {
    const file = crashedCopy(scratch());
    expect(databaseHealthy(file)).toBe(true);
    expect(openFiles().filter((f) => f.startsWith(file))).toEqual([]);
  });
});
