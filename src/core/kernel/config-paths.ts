// Where the two config files are: the project's .flow/config.json and the user's own. Kept apart from
// their readers (config.ts, user-config.ts, which bring the config schemas) so that a caller only
// asking whether a file is there — a one-shot command deciding whether hooks can exist — does not
// build every config schema first.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The project's config file, in the project's .flow/ folder. */
export function projectConfigPath(flowDir: string): string {
  return join(flowDir, 'config.json');
}

/** The user's own config: $FLOWMCP_CONFIG if set, else $XDG_CONFIG_HOME/flowmcp/config.json, else ~/.config/flowmcp/config.json. */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FLOWMCP_CONFIG) return env.FLOWMCP_CONFIG;
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'flowmcp', 'config.json');
}
