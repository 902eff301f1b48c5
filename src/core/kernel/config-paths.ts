// Where the two config files are: the project's .flow/config.json and the user's own. Kept apart from
// their readers (config.ts, user-config.ts, which bring the config schemas) so that a caller only
// asking whether a file is there — a one-shot command deciding whether hooks can exist — does not
// build every config schema first.
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The project's config file, in the project's .flow/ folder. */
export function projectConfigPath(flowDir: string): string {
  return join(flowDir, 'config.json');
}

/**
 * The user's own config: $FLOWMCP_CONFIG if set, else $XDG_CONFIG_HOME/flowmcp/config.json, else
 * ~/.config/flowmcp/config.json. A relative $XDG_CONFIG_HOME is ignored, as the XDG spec says: it would
 * name a folder in whatever project flowmcp runs in. (A relative $FLOWMCP_CONFIG is refused where the
 * file is read: user-config.ts.)
 */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWMCP_CONFIG) return env.FLOWMCP_CONFIG;
  const xdg = env.XDG_CONFIG_HOME && isAbsolute(env.XDG_CONFIG_HOME) ? env.XDG_CONFIG_HOME : undefined;
  const base = xdg || join(env.HOME || homedir(), '.config');
  return join(base, 'flowmcp', 'config.json');
}
