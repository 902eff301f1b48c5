// Bare database files (openDatabase, no workspace around them) in a scratch folder per test: every
// connection opened or kept here is closed, and the folder removed, after the test however it ended.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../src/store/db.js';
import { tempDir } from './workspace.js';

export interface DbsPerTest {
  /** This test's scratch folder, made on first use. */
  dir(): string;
  /** A new database (openDatabase) of that name in this test's folder. */
  open(name?: string): { db: Db; file: string };
  /** Closes the connection after the test too (if it is still open then). */
  keep<T extends Db | undefined>(db: T): T;
}

export function dbsPerTest(): DbsPerTest {
  let dir: string | undefined;
  const dbs: Db[] = [];
  afterEach(() => {
    for (const d of dbs.splice(0)) if (d.open) d.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const kit: DbsPerTest = {
    dir: () => (dir ??= tempDir()),
    open(name = 'flow.db') {
      const file = join(kit.dir(), name);
      return { db: kit.keep(openDatabase(file)), file };
    },
    keep(db) {
      if (db) dbs.push(db);
      return db;
    },
  };
  return kit;
}
