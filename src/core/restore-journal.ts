// The file half of a restore that a crash interrupted: a journal names the temporary files written
// before the database transaction; the transaction stores the journal's token. On the next open, a
// committed restore's renames are finished, an uncommitted one's temporary files removed.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { hostname } from 'node:os';
import { fsyncDir } from '../store/atomic-file.js';
import type { Db } from '../store/db.js';
import { getSetting, setSetting } from '../store/settings.js';

export const PENDING = 'pending_restore';
export const journalPath = (flowDir: string) => join(flowDir, 'restore-journal.json');

export interface Journal {
  token: string;
  renames: [string, string][];
  /** The restoring process: while it lives, its journal is its own business. */
  pid: number;
  host: string;
}

function alive(j: Journal): boolean {
  if (j.host !== hostname() || j.pid === process.pid) return false;
  try {
    process.kill(j.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** On open: finishes the file half of a restore whose database half committed, or undoes one that did not. */
export function finishPendingRestore(flowDir: string, db: Db): void {
  const file = journalPath(flowDir);
  if (!existsSync(file)) return;
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    rmSync(file, { force: true }); // written atomically, so unreadable means not ours to act on
    return;
  }
  if (alive(j)) return; // another process is in the middle of this restore
  const committed = getSetting(db, PENDING) === j.token;
  for (const [tmp, final] of j.renames) {
    if (!existsSync(tmp)) continue;
    if (committed) {
      renameSync(tmp, final);
      fsyncDir(dirname(final));
    } else rmSync(tmp, { force: true });
  }
  rmSync(file, { force: true });
  if (committed) setSetting(db, PENDING, null);
}

