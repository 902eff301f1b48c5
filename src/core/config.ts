// Reads .flow/config.json (optional): parsed by its schema, re-read when the file changes, and a
// broken file reported with the field and the fix, never silently ignored.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FlowError } from './errors.js';
import { ConfigFile, type ConfigFileV } from './schemas/config.js';
import type { Workspace } from './workspace.js';

const cache = new WeakMap<Workspace, { stamp: string; config: ConfigFileV }>();

export function configPath(ws: Workspace): string {
  return join(ws.flowDir, 'config.json');
}

export function readConfig(ws: Workspace): ConfigFileV {
  const file = configPath(ws);
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) return {};
  const stamp = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(ws);
  if (hit?.stamp === stamp) return hit.config;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new FlowError('invalid_input', `.flow/config.json is not valid JSON (${(e as Error).message}).`, 'Fix the file or delete it to use the defaults; nothing was changed.');
  }
  const parsed = ConfigFile.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new FlowError(
      'invalid_input',
      `.flow/config.json: ${i.path.join('.') || '(top level)'}: ${i.message}.`,
      'Valid keys: embedder { provider: "static" | "openai" | "none", model, dimensions, base_url, api_key_env }, ' +
        'snapshots { keep_last, keep_days, checkpoint_every }, commands { translator { provider: "openai", model, base_url, api_key_env } }.',
    );
  }
  cache.set(ws, { stamp, config: parsed.data });
  return parsed.data;
}
