// The shape of .flow/ itself, checked before anything in it is opened: .flow/ and the folders and files
// flowmcp writes there must be real, not symbolic links. A cloned repository can carry symlinks, and
// `.flow -> ~` or `.flow/flow.db -> ~/some/other.sqlite` would otherwise have flowmcp create tables in,
// write documents to, or delete snapshots from places the user never chose. They must also be what
// flowmcp makes them (a file where it writes a file, a folder where it keeps a folder): a FIFO planted
// as `.flow/config.json` or `.flow/restore-journal.json` would hang the first read of it forever, and
// with it every session of a shared HTTP server.
import { lstatSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from '../../model/errors.js';

/**
 * What flowmcp creates inside .flow/, and whether it is a file or a folder (SQLite's -wal/-shm files
 * included: it writes through them too). Every name flowmcp writes under .flow/ belongs here.
 */
const OWN: [string, 'file' | 'folder'][] = [
  ['flow.db', 'file'],
  ['flow.db-wal', 'file'],
  ['flow.db-shm', 'file'],
  ['flow.db-journal', 'file'],
  ['context', 'folder'],
  ['documents', 'folder'],
  ['snapshots', 'folder'],
  ['snapshots/blobs', 'folder'],
  ['config.json', 'file'],
  ['restore-journal.json', 'file'],
  ['recover-in-progress.json', 'file'],
  ['shell_history', 'file'],
  ['cache', 'folder'],
  ['open.lock', 'file'],
  ['open.lock-journal', 'file'],
  ['.gitignore', 'file'],
];

export function checkFlowFolder(root: string): void {
  const flowDir = join(root, '.flow');
  const hint = 'A cloned repository may have put it there. Remove it (or replace it with the real folder or file), then try again; nothing was changed.';
  for (const [rel, kind] of [['', 'folder'] as const, ...OWN]) {
    const path = rel ? join(flowDir, rel) : flowDir;
    const st = lstatSync(path, { throwIfNoEntry: false });
    if (!st) continue;
    if (st.isSymbolicLink()) {
      throw new FlowError('invalid_input', `${path} is a symbolic link; flowmcp keeps its data only in real files and folders inside the project, so it did not open it.`, hint);
    }
    if (kind === 'file' ? !st.isFile() : !st.isDirectory()) {
      throw new FlowError('invalid_input', `${path} is not a regular ${kind === 'file' ? 'file' : 'folder'} (flowmcp writes one there), so it did not open the project.`, hint);
    }
  }
}

/**
 * A new project's `.flow/` keeps itself out of git, as a virtualenv or a tool's cache does: it is the
 * project's working memory (a database, snapshots), shared with `flowmcp export`, not committed. Written
 * once, when the project is made, and never over a file already there (the user may have written their own).
 */
export function keepOutOfGit(root: string): void {
  try {
    writeFileSync(join(root, '.flow', '.gitignore'), "# flowmcp's working memory: kept out of git. Share flows with `flowmcp export`; delete this file to commit .flow/.\n*\n", { flag: 'wx' });
  } catch {
    // already there, or .flow/ cannot be written: nothing to do
  }
}
