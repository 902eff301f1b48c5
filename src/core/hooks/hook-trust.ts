// Trust in a project's hooks. A hook in .flow/config.json came with the repository: a program hook is
// code chosen by whoever wrote it, and an HTTP hook sends the user's work where they chose. Either
// runs only after the user trusts that exact definition (`flowmcp hooks trust`), recorded OUTSIDE the
// project, beside the user's config (trusted-hooks.json), by the project's real path and the sha256
// of the definition's canonical JSON: any change to the definition needs trust again. Hooks in the
// user's own config are the user's own and need no trust.
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { parseConfigText } from '../kernel/config.js';
import { userConfigPath } from '../kernel/user-config.js';
import type { HookDefV } from '../schemas/hooks.js';

const Sha = z.string().regex(/^[0-9a-f]{64}$/);
const TrustFile = z.object({ version: z.literal(1), projects: z.record(z.string(), z.record(z.string(), Sha)) }).strict();
type TrustFileV = z.infer<typeof TrustFile>;

export function trustFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(dirname(userConfigPath(env)), 'trusted-hooks.json');
}

/** JSON with sorted keys: the same definition hashes the same however its file orders it. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

export function hookHash(def: HookDefV): string {
  return createHash('sha256').update(canonical(def)).digest('hex');
}

/** The project as trust knows it: its real path, so a symlink or a relative --dir is the same project. */
export function projectKey(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

let cache: { file: string; stamp: string; data: TrustFileV } | undefined;

function readTrust(): TrustFileV {
  const file = trustFilePath();
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return { version: 1, projects: {} };
  const stamp = `${st.mtimeMs}:${st.size}`;
  if (cache?.file === file && cache.stamp === stamp) return cache.data;
  const data = parseConfigText(readFileSync(file, 'utf8'), file, TrustFile, 'Fix the file, or delete it and trust the hooks again (flowmcp hooks trust).', 'It holds { version: 1, projects: { "<project path>": { "<hook name>": "<sha256>" } } }.');
  cache = { file, stamp, data };
  return data;
}

export function isTrusted(root: string, name: string, hash: string): boolean {
  return readTrust().projects[projectKey(root)]?.[name] === hash;
}

/** Records trust in these definitions of the project's hooks (replacing what was trusted under their names). */
export function trustHooks(root: string, hooks: { name: string; hash: string }[]): string {
  const data = readTrust();
  const key = projectKey(root);
  const mine = { ...(data.projects[key] ?? {}) };
  for (const h of hooks) mine[h.name] = h.hash;
  const next: TrustFileV = { version: 1, projects: { ...data.projects, [key]: mine } };
  const file = trustFilePath();
  writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
  cache = undefined;
  return file;
}
