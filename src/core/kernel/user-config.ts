// The user's own config, outside every project: $FLOWMCP_CONFIG if set, else
// $XDG_CONFIG_HOME/flowmcp/config.json, else ~/.config/flowmcp/config.json. It is trusted like the
// environment (the user wrote it), so it may name a remote embedder or translator, its endpoint and
// the variable holding its key. Parsed by its schema; re-read when it changes; a broken file is an
// error naming the file and field (never its text) where its settings are needed.
import { readFileSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { clip } from '../../model/error-text.js';
import { FlowError } from '../../model/errors.js';
import { parseConfigText } from './config.js';
import { UserConfigFile, type UserConfigV } from '../schemas/config.js';
import { userConfigPath } from './config-paths.js';

let cache: { file: string; stamp: string; config: UserConfigV } | undefined;

export function readUserConfig(env: NodeJS.ProcessEnv = process.env): UserConfigV {
  const file = userConfigPath(env);
  // Relative, it names a file in whichever folder flowmcp runs in: a cloned repository's flowmcp.json
  // would be read as the user's own (its hooks run with no trust asked, its endpoint and key obeyed).
  if (env.FLOWMCP_CONFIG && !isAbsolute(env.FLOWMCP_CONFIG)) {
    throw new FlowError(
      'invalid_input',
      `FLOWMCP_CONFIG is a relative path (${JSON.stringify(clip(env.FLOWMCP_CONFIG, 80))}): it names a file in whichever folder flowmcp runs in, where a repository could have written one, so no config was read.`,
      'Set FLOWMCP_CONFIG to an absolute path (e.g. the full path of ~/.config/flowmcp/config.json), or unset it.',
    );
  }
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
