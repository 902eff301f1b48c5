// Whose hook delivery state a project's flow.db holds. flow.db may come from a cloned repository, and
// a hook_state row planted there (a guessable hook name, cursor 0, even a definition hash copied from
// the README's example) would have the user's own hook sent the repository's whole event history. So
// the first time this user's flowmcp opens a project whose hook state it did not write, every cursor
// starts at the newest event, and that is said once; the project is then marked as this user's (the
// setting hooks.owner: a random id kept beside the user's config, which a repository cannot know).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { nodeCrypto } from '../../node-crypto.js';
import { allHookStates, startAt } from '../../store/hooks.js';
import { getSetting, setSetting } from '../../store/settings.js';
import { userConfigPath } from '../kernel/config-paths.js';
import { log } from '../../log.js';
import type { Workspace } from '../kernel/workspace.js';

const ID = /^[0-9a-f]{32}$/;
/** The setting that says whose the project's hook state is. */
export const HOOKS_OWNER = 'hooks.owner';
const ids = new Map<string, string | undefined>();

/** This user's id for hook state, made on first use; undefined where it can be neither read nor made. */
export function hookOwnerId(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const file = join(dirname(userConfigPath(env)), 'hooks-owner-id');
  if (ids.has(file)) return ids.get(file);
  let id: string | undefined;
  try {
    const text = readFileSync(file, 'utf8').trim();
    if (ID.test(text)) id = text;
  } catch {
    // not made yet
  }
  if (!id) {
    try {
      mkdirSync(dirname(file), { recursive: true });
      const made = nodeCrypto().randomBytes(16).toString('hex');
      writeFileSync(file, `${made}\n`, { mode: 0o600 });
      id = made;
    } catch {
      id = undefined; // a read-only home: hook state is taken as it is, as before
    }
  }
  ids.set(file, id);
  return id;
}

/** Whether this project's hook state is already this user's (or cannot be told: no id). */
export function ownsHookState(ws: Workspace): boolean {
  const me = hookOwnerId();
  return !me || getSetting(ws.db, HOOKS_OWNER) === me;
}

/**
 * Takes the project's hook state as this user's: cursors another user's (or a repository's) flowmcp
 * left start at `newest`. Call inside a write.
 */
export function adoptHookState(ws: Workspace, newest: number): void {
  const me = hookOwnerId();
  if (!me || ownsHookState(ws)) return;
  const behind = allHookStates(ws.db).filter((r) => r.cursor !== null && r.cursor < newest);
  for (const r of behind) startAt(ws.db, r.name, newest);
  setSetting(ws.db, HOOKS_OWNER, me);
  if (behind.length) {
    log.warn(
      `hooks: this project's .flow/flow.db holds hook delivery state that your flowmcp did not write (a copied or cloned project, or one from before flowmcp kept this): ${behind.map((r) => r.name).slice(0, 5).join(', ')}${behind.length > 5 ? ', …' : ''} start at the newest event (${newest}), and earlier events were not sent to them (flowmcp events --since <seq> lists them)`,
    );
  }
}
