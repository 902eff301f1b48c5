// The user's own config, outside every project: $FLOWMCP_CONFIG if set, else
// $XDG_CONFIG_HOME/flowmcp/config.json, else ~/.config/flowmcp/config.json. It is trusted like the
// environment (the user wrote it), so it may name a remote embedder or translator, its endpoint and
// the variable holding its key. Parsed by its schema; re-read when it changes; a broken file is an
// error naming the file and field (never its text) where its settings are needed.
import { readFileSync, statSync } from 'node:fs';
import { parseConfigText } from './config.js';
import { UserConfigFile, type UserConfigV } from '../schemas/config.js';
import { userConfigPath } from './config-paths.js';

let cache: { file: string; stamp: string; config: UserConfigV } | undefined;

export function readUserConfig(env: NodeJS.ProcessEnv = process.env): UserConfigV {
  const file = userConfigPath(env);
  let st;
  try {
    st = statSync(file, { throwIfNoEntry: false });
  } catch {
    return {}; // a path through a file (ENOTDIR) names no config either
  }
  if (!st?.isFile()) return {};
  const stamp = `${st.mtimeMs}:${st.size}`;
  if (cache?.file === file && cache.stamp === stamp) return cache.config;
  const config = parseConfigText(readFileSync(file, 'utf8'), file, UserConfigFile, 'Fix your config file or delete it to use the defaults.');
  cache = { file, stamp, config };
  return config;
}
