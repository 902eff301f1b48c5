// Noticing edits to indexed files without paying the careful path walk for every file: one lstat per
// file, and safeJoin's walk (no symlink on the way that leads outside, nothing hidden) done once per
// folder per pass. A file that is itself a symlink takes the careful way. Only a file whose size or
// mtime changed is read, and reading always goes through safeJoin: a stamp never opens anything.
import { lstatSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { safeJoin } from './doc-paths.js';

export interface Stamp {
  size: number;
  mtimeMs: number;
}

/** Stamps of files under one root, for one pass (folder verdicts are remembered until it ends). */
export class FileStamps {
  private readonly folders = new Map<string, boolean>();

  constructor(private readonly root: string) {}

  /** Size and mtime of root/rel; undefined when it is gone or no longer safely reachable. */
  of(rel: string): Stamp | undefined {
    const cut = rel.lastIndexOf('/');
    const name = rel.slice(cut + 1);
    // Stored paths come from the database, which a cloned repository may have written: a hidden name
    // (.env) is never stamped, so it counts as gone and leaves the index unread.
    if (!name || name.startsWith('.') || name.includes('\\') || name.includes('\u0000')) return undefined;
    if (cut >= 0 && !this.folderOk(rel.slice(0, cut))) return undefined;
    try {
      const st = lstatSync(join(this.root, rel), { throwIfNoEntry: false });
      if (!st) return undefined;
      const real = st.isSymbolicLink() ? statSync(safeJoin(this.root, rel)) : st;
      return { size: real.size, mtimeMs: real.mtimeMs };
    } catch {
      return undefined; // not a folder on the way, a link leading outside, gone meanwhile: not reachable
    }
  }

  private folderOk(folder: string): boolean {
    let ok = this.folders.get(folder);
    if (ok === undefined) {
      try {
        safeJoin(this.root, folder);
        ok = true;
      } catch {
        ok = false;
      }
      this.folders.set(folder, ok);
    }
    return ok;
  }
}
