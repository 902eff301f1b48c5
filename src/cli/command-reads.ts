// Whether a /flow command or plain-language request only reads, judged before any project exists: read
// against a throwaway empty project in the temp folder, never the folder it was typed in. "show me
// blocked tasks" typed in the wrong folder must not leave a new .flow/ there, as `task list` does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCommand } from '../commands/parse.js';
import { onlyLooks } from '../commands/plain-words.js';
import { Workspace, type Call } from '../core/kernel/workspace.js';

/**
 * A read (a list, a search, /flow status, a dry run): true; help or a refusal, which an empty project
 * answers as well as a new one would: 'alone' (answered in a throwaway project, nothing made here); a
 * change: false. Not judged (the throwaway project could not be made): false, answered as before.
 */
export async function commandOnlyReads(text: string): Promise<boolean | 'alone'> {
  try {
    return await inThrowawayProject(async (call) => {
      const p = parseCommand(call, text);
      if (p.kind === 'status' || (p.kind === 'run' && (p.dry_run || onlyLooks(p.command)))) return true;
      return p.kind === 'help' || p.kind === 'error' ? 'alone' : false;
    });
  } catch {
    return false;
  }
}

/** Runs `fn` in an empty project in the temp folder, removed after. */
export async function inThrowawayProject<T>(fn: (call: Call) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-read-'));
  try {
    const ws = Workspace.open(dir);
    try {
      return await fn({ ws, session: ws.session('cli') });
    } finally {
      ws.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
