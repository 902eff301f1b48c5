// Reads .flow/config.json (optional): parsed by its schema, re-read when the file changes, and a
// broken file reported with the field and the fix, never silently ignored. The file comes with the
// project, so it is untrusted: the keys that would choose where the user's keys or text go (embedder
// endpoint, key variable, a remote provider, the command translator) are never obeyed from it;
// ignoredProjectKeys says which of them it sets, so callers can tell the user (once on stderr, and in
// the results that would have used them).
import { statSync } from 'node:fs';
import { z } from 'zod';
import { log } from '../../log.js';
import { readFileBounded } from '../../store/bounded-file.js';
import { parseJsonAt } from '../../store/legacy/parse-json.js';
import { FlowError } from '../../model/errors.js';
import { ProjectConfigFile, type ProjectConfigV } from '../schemas/config.js';
import type { Workspace } from './workspace.js';
import { projectConfigPath } from './config-paths.js';
import { nearestWord } from './suggest.js';

/** A settings file, not a data file: anything bigger was not written by a person (and is not read whole). */
const MAX_CONFIG_BYTES = 256 * 1024;

const cache = new WeakMap<Workspace, { stamp: string; config: ProjectConfigV }>();

export function configPath(ws: Workspace): string {
  return projectConfigPath(ws.flowDir);
}

const USER_KEYS_HINT =
  'Valid keys: embedder { provider: "static" | "openai" | "none", model, dimensions, base_url, api_key_env }, ' +
  'commands { translator { provider: "openai", model, base_url, api_key_env } }, hooks [ { name, when, events, filter, run | url, secret_env, env, timeout_ms, required } ].';
const PROJECT_KEYS_HINT =
  'Valid keys here: embedder { provider: "static" | "none" }, snapshots { keep_last, keep_days, checkpoint_every }, hooks [...] (run once trusted: flowmcp hooks trust). ' +
  'A remote embedder or translator (embedder { provider: "static" | "openai" | "none", model, dimensions, base_url, api_key_env }, ' +
  'commands { translator }) belongs in your own config (~/.config/flowmcp/config.json or $FLOWMCP_CONFIG) or the environment.';

/** Every key `schema` names, at any depth: what a mistyped one is matched against (read from the schema, so a new setting is known too). */
function keysOf(schema: z.ZodType): string[] {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === 'properties' && v && typeof v === 'object') for (const name of Object.keys(v)) keys.add(name);
      walk(v);
    }
  };
  walk(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }));
  return [...keys];
}

/** " (did you mean keep_last?)" for an unknown key a letter or two off one the file's schema knows. */
function keySuggestion(issue: z.core.$ZodIssue, schema: z.ZodType): string {
  if (issue.code !== 'unrecognized_keys' || !issue.keys.length) return '';
  const near = nearestWord(issue.keys[0]!, keysOf(schema));
  return near ? ` (did you mean ${near}?)` : '';
}

/** Parses a config file's text with `schema`; errors name the file, the line/column or field, never its text. */
export function parseConfigText<T>(
  text: string,
  name: string,
  schema: z.ZodType<T>,
  fix: string,
  keysHint = USER_KEYS_HINT,
): T {
  const json = parseJsonAt(text);
  if (!json.ok) {
    throw new FlowError('invalid_input', `${name} is not valid JSON (line ${json.line}, column ${json.column}).`, `${fix} Nothing was changed.`, { line: json.line, column: json.column });
  }
  const parsed = schema.safeParse(json.value);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new FlowError('invalid_input', `${name}: ${i.path.map(String).join('.') || '(top level)'}: ${i.message}${keySuggestion(i, schema)}.`, keysHint);
  }
  return parsed.data;
}

export function readConfig(ws: Workspace): ProjectConfigV {
  const file = configPath(ws);
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) return {};
  const stamp = `${st.mtimeMs}:${st.size}`;
  const hit = cache.get(ws);
  if (hit?.stamp === stamp) return hit.config;
  // Bounded, and a FIFO or folder planted after the project was opened is refused rather than read.
  const r = readFileBounded(file, MAX_CONFIG_BYTES);
  if (!r.ok) {
    throw new FlowError(
      'invalid_input',
      `.flow/config.json is ${r.reason === 'not_a_file' ? 'not a regular file' : `larger than ${MAX_CONFIG_BYTES} bytes`}, so it was not read.`,
      'Replace it with a small JSON settings file, or delete it to use the defaults; nothing was changed.',
    );
  }
  const config = parseConfigText(r.bytes.toString('utf8'), '.flow/config.json', ProjectConfigFile, 'Fix the file or delete it to use the defaults.', PROJECT_KEYS_HINT);
  cache.set(ws, { stamp, config });
  const ignored = ignoredProjectKeys(config);
  if (ignored.length) log.warn(projectNote(ignored));
  return config;
}

/** The keys of a project config that are never obeyed: they would choose where secrets or text go. */
export function ignoredProjectKeys(cfg: ProjectConfigV): string[] {
  const out: string[] = [];
  const e = cfg.embedder;
  if (e?.provider === 'openai') out.push('embedder.provider "openai"');
  for (const k of ['model', 'dimensions', 'base_url', 'api_key_env'] as const) if (e && e[k] !== undefined) out.push(`embedder.${k}`);
  if (cfg.commands?.translator !== undefined) out.push('commands.translator');
  return out;
}

function projectNote(ignored: string[]): string {
  return (
    `.flow/config.json sets ${ignored.join(', ')}, which were ignored: a project file cannot choose a remote provider, an endpoint ` +
    'or the variable holding a key. Set them in the environment (FLOW_EMBEDDER, FLOW_OPENAI_BASE_URL, OPENAI_API_KEY) or in your own config ' +
    '($FLOWMCP_CONFIG, else ~/.config/flowmcp/config.json).'
  );
}

/** What the user should be told about this project's config: empty when nothing in it was ignored. */
export function projectConfigNotes(ws: Workspace): string[] {
  const ignored = ignoredProjectKeys(readConfig(ws));
  return ignored.length ? [projectNote(ignored)] : [];
}
