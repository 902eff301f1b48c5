// Whether a /flow command or plain-language request only reads, judged before any project exists: read
// against a throwaway empty project in the temp folder, never the folder it was typed in. "show me
// blocked tasks" typed in the wrong folder must not leave a new .flow/ there, as `task list` does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '../commands/parse.js';
import { onlyLooks } from '../commands/plain-words.js';
import { Workspace } from '../core/kernel/workspace.js';

/** A read (a list, a search, /flow status, a dry run): true; a change, help or a refusal: false. */
export function commandOnlyReads(text: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-read-'));
  try {
    const ws = Workspace.open(dir);
    try {
      const p = parseCommand({ ws, session: ws.session('cli') }, text);
      return p.kind === 'status' || (p.kind === 'run' && (p.dry_run || onlyLooks(p.command)));
    } finally {
      ws.close();
    }
  } catch {
    return false; // not judged: answered as before, in the project
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
