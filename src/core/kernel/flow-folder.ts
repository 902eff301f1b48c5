// The shape of .flow/ itself, checked before anything in it is opened: .flow/ and the folders and files
// flowmcp writes there must be real, not symbolic links. A cloned repository can carry symlinks, and
// `.flow -> ~` or `.flow/flow.db -> ~/some/other.sqlite` would otherwise have flowmcp create tables in,
// write documents to, or delete snapshots from places the user never chose.
import { lstatSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../../model/errors.js';

/** What flowmcp creates inside .flow/ (SQLite's -wal/-shm files included: it writes through them too). */
const OWN = ['flow.db', 'flow.db-wal', 'flow.db-shm', 'flow.db-journal', 'context', 'documents', 'snapshots', 'config.json', 'restore-journal.json'];

export function checkFlowFolder(root: string): void {
  const flowDir = join(root, '.flow');
  for (const rel of ['', ...OWN]) {
    const path = rel ? join(flowDir, rel) : flowDir;
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (st?.isSymbolicLink()) {
      throw new FlowError(
        'invalid_input',
        `${path} is a symbolic link; flowmcp keeps its data only in real files and folders inside the project, so it did not open it.`,
        'A cloned repository may have put it there. Remove the link (or replace it with the real folder or file), then try again; nothing was changed.',
      );
    }
  }
}
