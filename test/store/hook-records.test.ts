// What a hook's runs leave in hook_state (the counters and last error `flowmcp hooks` shows), leases let
// go when a process closes, and the rows recover carries from a set-aside database: damaged values are
// dropped, never carried over.
import Database from 'better-sqlite3';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ensureHookState,
  hookState,
  insertHookStates,
  recordHookFailure,
  recordHookInterrupted,
  recordHookRefusal,
  recordHookSuccess,
  releaseLeasesOf,
  salvageHookStates,
  takeLease,
  type HookStateRow,
} from '../../src/store/hooks.js';
import { dbsPerTest } from '../helpers/db.js';

const dbs = dbsPerTest();

describe('hook run records', () => {
  it('counts runs, refusals, failures and interruptions, keeping the last error until a success', () => {
    const { db } = dbs.open();
    ensureHookState(db, 'h', 'hash', 0);
    ensureHookState(db, 'other', 'hash', 0);
    recordHookFailure(db, 'h', 't1', 10.4, 'exit 1', 5000);
    expect(hookState(db, 'h')).toMatchObject({ runs: 1, failures: 1, attempts: 1, retry_at: 5000, last_error: 'exit 1', last_run_at: 't1', last_latency_ms: 10, total_latency_ms: 10 });
    recordHookFailure(db, 'h', 't2', 20.6, 'exit 2', null);
    expect(hookState(db, 'h')).toMatchObject({ runs: 2, failures: 2, attempts: 1, retry_at: null, last_error: 'exit 2', last_run_at: 't2', last_latency_ms: 21, total_latency_ms: 31 });
    recordHookRefusal(db, 'h', 't3', 5, 'no: tests fail');
    expect(hookState(db, 'h')).toMatchObject({ runs: 3, refusals: 1, failures: 2, last_error: 'no: tests fail', last_run_at: 't3', last_latency_ms: 5, total_latency_ms: 36 });
    recordHookInterrupted(db, 'h', 't4', 'stopped at the end of its time');
    expect(hookState(db, 'h')).toMatchObject({ runs: 3, interrupted: 1, last_error: 'stopped at the end of its time', last_run_at: 't4' });
    recordHookSuccess(db, 'h', 't5', 4);
    expect(hookState(db, 'h')).toMatchObject({ runs: 4, failures: 2, refusals: 1, attempts: 0, interrupted: 0, retry_at: null, last_error: null, last_run_at: 't5', last_latency_ms: 4, total_latency_ms: 40 });
    // each record is for its own hook only
    expect(hookState(db, 'other')).toMatchObject({ runs: 0, failures: 0, refusals: 0, interrupted: 0, last_error: null, last_run_at: null, total_latency_ms: 0 });
  });

  it('lets go of every lease one owner holds, and no one else\'s', () => {
    const { db } = dbs.open();
    for (const n of ['a', 'b', 'c']) ensureHookState(db, n, 'hash', 0);
    takeLease(db, 'a', 'P1', 0, 1000);
    takeLease(db, 'b', 'P1', 0, 1000);
    takeLease(db, 'c', 'P2', 0, 1000);
    releaseLeasesOf(db, 'P1');
    expect(hookState(db, 'a')).toMatchObject({ lease_owner: null, lease_until: null });
    expect(hookState(db, 'b')).toMatchObject({ lease_owner: null, lease_until: null });
    expect(hookState(db, 'c')).toMatchObject({ lease_owner: 'P2', lease_until: 1000 });
  });
});

describe('hook state across recover', () => {
  it('salvages the rows of a set-aside database and carries cursors and counters, not leases or retries', () => {
    const { db: old, file } = dbs.open('old.db');
    ensureHookState(old, 'h', 'hash1', 7);
    takeLease(old, 'h', 'P1', 0, 1000);
    recordHookFailure(old, 'h', 't1', 12, 'exit 1', 9000);
    old.close();
    const rows = salvageHookStates(file);
    expect(rows).toHaveLength(1);
    const { db } = dbs.open('new.db');
    insertHookStates(db, rows);
    expect(hookState(db, 'h')).toEqual({
      name: 'h', def_hash: 'hash1', cursor: 7, lease_owner: null, lease_until: null, attempts: 0, retry_at: null,
      runs: 1, failures: 1, refusals: 0, interrupted: 0, last_error: 'exit 1', last_run_at: 't1', last_latency_ms: 12, total_latency_ms: 12,
    });
  });

  it('reads hook state still in the WAL of a set-aside database and leaves its files as they were, closed', () => {
    const { db: live, file } = dbs.open('live.db');
    live.pragma('wal_autocheckpoint = 0');
    ensureHookState(live, 'h', 'hash1', 3);
    const aside = join(dbs.dir(), 'aside.db');
    copyFileSync(file, aside);
    copyFileSync(`${file}-wal`, `${aside}-wal`);
    const main = readFileSync(aside);
    const wal = readFileSync(`${aside}-wal`);
    const fds = readdirSync('/proc/self/fd').length;
    expect(salvageHookStates(aside).map((r) => [r.name, r.cursor])).toEqual([['h', 3]]);
    expect(readdirSync('/proc/self/fd').length).toBe(fds);
    expect(readFileSync(aside).equals(main)).toBe(true);
    expect(existsSync(`${aside}-wal`) && readFileSync(`${aside}-wal`).equals(wal)).toBe(true);
  });

  it('salvages nothing from a file that is no database, has no hook_state, or is not there', () => {
    const dir = dbs.dir();
    expect(salvageHookStates(join(dir, 'missing.db'))).toEqual([]);
    expect(existsSync(join(dir, 'missing.db'))).toBe(false); // none created
    writeFileSync(join(dir, 'junk.db'), 'not a database'.repeat(100));
    expect(salvageHookStates(join(dir, 'junk.db'))).toEqual([]);
    const bare = join(dir, 'bare.db');
    const b = new Database(bare);
    b.exec('CREATE TABLE t (x)');
    b.close();
    expect(salvageHookStates(bare)).toEqual([]);
    const broken = join(dir, 'broken.db');
    const c = new Database(broken);
    c.exec("CREATE TABLE hook_state (name TEXT); CREATE VIEW v AS SELECT 1; INSERT INTO hook_state VALUES ('x')");
    c.exec('DROP TABLE hook_state; CREATE VIEW hook_state AS SELECT * FROM nowhere_at_all');
    c.close();
    expect(salvageHookStates(broken)).toEqual([]);
  });

  it('drops damaged values a salvaged row holds instead of carrying them into the new database', () => {
    const { db } = dbs.open();
    const good: HookStateRow = {
      name: 'h', def_hash: 'x', cursor: 3, lease_owner: 'P', lease_until: 5, attempts: 2, retry_at: 9,
      runs: 4, failures: 1, refusals: 2, interrupted: 1, last_error: 'e', last_run_at: 't', last_latency_ms: 7.6, total_latency_ms: 30,
    };
    const junk = { ...good, name: 'j', cursor: 1.5, runs: 'many', failures: 2 ** 60, refusals: null, interrupted: '1', last_error: 42, last_run_at: 17, last_latency_ms: '7', total_latency_ms: -0.5 } as unknown as HookStateRow;
    const strCursor = { ...good, name: 'k', cursor: '3' } as unknown as HookStateRow;
    insertHookStates(db, [good, junk, strCursor, { ...good, name: 5 } as unknown as HookStateRow, { ...good, name: 'nohash', def_hash: 5 } as unknown as HookStateRow]);
    expect(hookState(db, 'h')).toMatchObject({ cursor: 3, runs: 4, failures: 1, refusals: 2, interrupted: 1, last_error: 'e', last_run_at: 't', last_latency_ms: 8, total_latency_ms: 30, lease_owner: null, attempts: 0, retry_at: null });
    expect(hookState(db, 'j')).toMatchObject({ cursor: null, runs: 0, failures: 0, refusals: 0, interrupted: 0, last_error: null, last_run_at: null, last_latency_ms: null, total_latency_ms: 0 });
    expect(hookState(db, 'k')).toMatchObject({ cursor: null });
    expect(hookState(db, 'nohash')).toBeUndefined();
    expect((db.prepare('SELECT count(*) AS n FROM hook_state').get() as { n: number }).n).toBe(3);
  });
});
