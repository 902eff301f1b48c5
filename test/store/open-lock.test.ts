// Who has the project open, told by SQLite's file locks on .flow/open.lock, in this process (two
// connections lock each other out as two processes do): an opener is kept out while recover holds the
// project, recover is kept out while anyone has it open, and a lock file that is no database is set aside.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isFlowError, type FlowError } from '../../src/model/errors.js';
import { holdExclusive, holdOpen, lockPath, release, type LockDb } from '../../src/store/open-lock.js';
import { caught } from '../helpers/caught.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
const held: (LockDb | undefined | 'recovering')[] = [];
afterEach(() => {
  for (const h of held.splice(0)) if (h && h !== 'recovering') release(h);
});
const hold = <T extends LockDb | undefined | 'recovering'>(h: T): T => (held.push(h), h);

/** A .flow/ folder whose lock file a cloned repository wrote (`plant` makes it), as a copy would bring it. */
function plantedLock(plant: (db: Database.Database) => void): string {
  const flowDir = join(scratch(), '.flow');
  mkdirSync(flowDir);
  const planted = new Database(lockPath(flowDir));
  plant(planted);
  planted.close();
  return flowDir;
}

describe('open lock', () => {
  it('recover is kept out while the project is open, and gets it once every opener has let go', () => {
    const dir = scratch();
    const flowDir = join(dir, 'p', '.flow'); // made when missing
    const a = hold(holdOpen(flowDir)) as LockDb;
    const b = hold(holdOpen(flowDir)) as LockDb; // openers share
    expect(typeof a).toBe('object');
    expect(typeof b).toBe('object');
    expect(existsSync(lockPath(flowDir))).toBe(true);
    expect(hold(holdExclusive(flowDir))).toBeUndefined();
    release(a);
    expect(hold(holdExclusive(flowDir))).toBeUndefined();
    release(b);
    release(undefined); // nothing held: nothing to do
    const x = hold(holdExclusive(flowDir));
    expect(x).toBeDefined();
    // while recover holds it, an opener waits its timeout and is told recover is running
    expect(hold(holdOpen(flowDir, 50))).toBe('recovering');
    expect(hold(holdExclusive(flowDir))).toBeUndefined();
    release(x);
    const y = hold(holdOpen(flowDir, 50));
    expect(typeof y).toBe('object');
    release(y as LockDb);
  });

  it('keeps the lock file in rollback-journal mode whatever a copied-in file says', () => {
    const flowDir = plantedLock((planted) => {
      planted.pragma('journal_mode = WAL');
      planted.exec('CREATE TABLE open_lock (x)');
    });
    const a = hold(holdOpen(flowDir)) as LockDb;
    expect(hold(holdExclusive(flowDir))).toBeUndefined(); // a WAL reader would take no SHARED lock
    expect(a.pragma('journal_mode', { simple: true })).toBe('delete');
  });

  it('holds the lock without running anything a copied-in lock file defines (a view named open_lock)', () => {
    // A view there ran on every open: one recursing without end held every command and server at 100% CPU
    // forever. This one fails when it runs, so running it shows at once.
    const flowDir = plantedLock((planted) => planted.exec('CREATE VIEW open_lock AS SELECT x FROM no_such_table'));
    const a = hold(holdOpen(flowDir));
    expect(typeof a).toBe('object');
    expect(hold(holdExclusive(flowDir))).toBeUndefined(); // the SHARED lock is held all the same
  });

  it('sets a lock file that is no database aside, named with the time, and starts a fresh one', () => {
    const dir = scratch();
    const flowDir = join(dir, '.flow');
    mkdirSync(flowDir);
    const junk = 'planted by a cloned repository, not a lock file'.repeat(30);
    writeFileSync(lockPath(flowDir), junk);
    const a = hold(holdOpen(flowDir));
    expect(typeof a).toBe('object');
    const aside = readdirSync(flowDir).filter((f) => f.startsWith('open.lock.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(aside[0]).toMatch(/^open\.lock\.unreadable-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
    expect(readFileSync(join(flowDir, aside[0]!), 'utf8')).toBe(junk);
    expect(hold(holdExclusive(flowDir))).toBeUndefined(); // the fresh one works as a lock
  });

  it('sets a damaged lock database aside too (a SQLite header over broken pages)', () => {
    const dir = scratch();
    const flowDir = join(dir, '.flow');
    mkdirSync(flowDir);
    const made = new Database(lockPath(flowDir));
    made.pragma('journal_mode = DELETE');
    made.exec('CREATE TABLE open_lock (x)');
    made.close();
    const bytes = readFileSync(lockPath(flowDir));
    bytes.fill(0xff, 100, 4096); // the schema page after the file header
    writeFileSync(lockPath(flowDir), bytes);
    expect(typeof hold(holdOpen(flowDir))).toBe('object');
    expect(readdirSync(flowDir).filter((f) => f.startsWith('open.lock.unreadable-'))).toHaveLength(1);
  });

  it('a lock that cannot be opened for writing is read_only, naming .flow/', () => {
    const dir = scratch();
    const flowDir = join(dir, '.flow');
    mkdirSync(lockPath(flowDir), { recursive: true }); // a folder where the lock file goes: CANTOPEN
    for (const take of [() => holdOpen(flowDir, 50), () => holdExclusive(flowDir)]) {
      const e = caught(take) as FlowError;
      expect(isFlowError(e)).toBe(true);
      expect(e.code).toBe('read_only');
      expect(e.message).toBe(`${flowDir}/ cannot be written by this process (SQLITE_CANTOPEN). Nothing was changed.`);
    }
  });

  it('an error that is no storage fault is passed on unchanged', () => {
    const dir = scratch();
    const flowDir = join(dir, '.flow');
    writeFileSync(flowDir, 'a file where the folder goes');
    for (const take of [() => holdOpen(flowDir, 50), () => holdExclusive(flowDir)]) {
      const e = caught(take) as NodeJS.ErrnoException;
      expect(isFlowError(e)).toBe(false);
      expect(e.code).toBe('EEXIST');
    }
  });
});
