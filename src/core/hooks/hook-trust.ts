// Trust in a project's hooks. A hook in .flow/config.json came with the repository: a program hook is
// code chosen by whoever wrote it, and an HTTP hook sends the user's work where they chose. Either
// runs only after the user trusts that exact definition (`flowmcp hooks trust`), recorded OUTSIDE the
// project, beside the user's config (trusted-hooks.json), by the project's real path and the sha256
// of the definition's canonical JSON: any change to the definition needs trust again. Hooks in the
// user's own config are the user's own and need no trust.
import { nodeCrypto } from '../../node-crypto.js';
import { readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FlowError } from '../../model/errors.js';
import { z } from 'zod';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { parseConfigText } from '../kernel/config.js';
import { userConfigPath } from '../kernel/config-paths.js';
import type { HookDefV } from '../schemas/hooks.js';

const Sha = z.string().regex(/^[0-9a-f]{64}$/);
/** A definition's hash; or it and the hashes of the project files its arguments name (by path in the project). */
const Entry = z.union([Sha, z.object({ def: Sha, files: z.record(z.string(), Sha) }).strict()]);
const TrustFile = z.object({ version: z.literal(1), projects: z.record(z.string(), z.record(z.string(), Entry)) }).strict();
type EntryV = z.infer<typeof Entry>;
/** A project file a hook runs is hashed up to this size; a bigger one cannot be trusted. */
export const TRUSTED_FILE_BYTES = 1024 * 1024;
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
  return nodeCrypto().createHash('sha256').update(canonical(def)).digest('hex');
}

/** The project as trust knows it: its real path, so a symlink or a relative --dir is the same project. */
export function projectKey(root: string): string {
  try {
    return realpathSync(root);
  } catch {
    return root;
  }
}

/** Strictly below root. A name that merely starts with two dots (..notes.mjs) is inside: only ".." itself climbs out. */
function inside(root: string, path: string): boolean {
  const r = relative(root, path);
  return r !== '' && r !== '..' && !r.startsWith(`..${sep}`) && !isAbsolute(r);
}

const hashed = new Map<string, { stamp: string; sha: string }>();

/**
 * Extensions a program adds to a script named without one (`node hooks/notify` runs hooks/notify.js):
 * such a file is run as surely as one named whole, so it is hashed too.
 */
const ADDED_EXTENSIONS = ['.js', '.json', '.node', '.mjs', '.cjs'];
/**
 * What a program runs when it is given a folder as its script: `node hookdir` runs hookdir/index.js (or
 * what its package.json names as main, followed in hookFiles), `python3 hookdir` its __main__.py.
 */
const FOLDER_ENTRIES = ['index.js', 'index.mjs', 'index.cjs', 'index.json', 'index.node', 'package.json', '__main__.py'];

/** A path and what a program may run for it: itself with an added extension, and for a script folder its entry file. */
const runnable = (p: string, script: boolean): string[] => [p, ...ADDED_EXTENSIONS.map((e) => p + e), ...(script ? FOLDER_ENTRIES.map((f) => `${p}/${f}`) : [])];

/** `name=value` (an environment assignment, `--require=./x.js`): the value, itself split again (NODE_OPTIONS=--require=./x.js). */
function values(word: string): string[] {
  const out = [word];
  let w = word;
  for (let eq = w.indexOf('='); eq > 0 && out.length < 4; eq = w.indexOf('=')) {
    w = w.slice(eq + 1);
    if (w) out.push(w);
  }
  return out;
}

/**
 * The words of a shell line (`sh -c "node hooks/x.js >> hooks.log"`), without what an output redirection
 * writes to (a log changes on every run); what an input redirection reads (`node < hooks/a.js`) is kept.
 */
function shellWords(line: string): string[] {
  const words = line.split(/\s+|(?=[;&|()<>])|(?<=[;&|()<>])/).map((w) => w.replace(/^['"`]+|['"`]+$/g, ''));
  const out: string[] = [];
  let afterOutput = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w === '') continue;
    if (/^[;&|()<>]+$/.test(w) || /^[0-9]+$/.test(w) && /^[<>]/.test(words[i + 1] ?? '')) {
      afterOutput = w.includes('>') ? true : w.includes('<') ? false : afterOutput && w === '&';
      continue;
    }
    if (afterOutput) {
      afterOutput = false;
      continue;
    }
    out.push(w);
  }
  return out;
}

/**
 * The paths an argument may name: itself, the value of an assignment or a flag written with it
 * (`--require=./x.js`, `NODE_OPTIONS=--require=./x.js`), the words of a shell line (`sh -c "node
 * hooks/x.js"`), and after `-m` a Python module's files with its packages' __init__.py (`python3 -m
 * hooks.notify` runs hooks/__init__.py and hooks/notify.py, or hooks/notify/__main__.py), each as runnable
 * says. Naming more than the program runs only asks for trust again when one of them changes; naming less
 * would let a changed script run on the old trust.
 */
function namedPaths(arg: string, before: string | undefined, script: boolean): string[] {
  const named = values(arg);
  const module = before === '-m' && /^[\w.]+$/.test(arg) ? arg.split('.').filter(Boolean) : undefined;
  const moduleFiles = module
    ? [
        ...module.slice(0, -1).map((_, i) => `${module.slice(0, i + 1).join('/')}/__init__.py`),
        `${module.join('/')}.py`,
        `${module.join('/')}/__init__.py`,
        `${module.join('/')}/__main__.py`,
      ]
    : [];
  return [...named.filter((p) => p !== '').flatMap((p) => runnable(p, script)), ...moduleFiles];
}

/**
 * The project files a definition's arguments name, by real path relative to the project, with their
 * sha256: every path an argument names (namedPaths) that resolves (from the project root, symlinks
 * followed) to a regular file inside the project. One bigger than TRUSTED_FILE_BYTES is a FlowError
 * (it cannot be trusted).
 */
export function hookFiles(root: string, def: HookDefV): Record<string, string> {
  const out: Record<string, string> = {};
  if (!def.run) return out;
  const base = projectKey(root);
  // Any argument may be the script (`env X=1 node hooks/notify`, `timeout 10 node hooks/notify`, `node .`):
  // each is taken with what a program runs for it, a folder's entry file included; but the project folder
  // named after a script of the project (`node hooks/x.js .`) is data, and its package.json names the
  // project's build, not what the hook runs. A shell line's words are taken the same way.
  const words = def.run.flatMap((arg, i) => [
    { w: arg, before: def.run![i - 1] },
    ...(/\s/.test(arg) ? shellWords(arg).map((w, j, all) => ({ w, before: all[j - 1] })) : []),
  ]);
  let sawScript = false;
  const queue: string[] = [];
  for (const { w, before } of words) {
    queue.push(...namedPaths(w, before, !(sawScript && isProjectRoot(base, w))));
    sawScript ||= isProjectFile(base, w);
  }
  const seen = new Set<string>();
  while (queue.length) {
    const arg = queue.shift()!;
    if (!arg || arg.includes('\0') || seen.has(arg)) continue;
    seen.add(arg);
    let real: string;
    try {
      real = realpathSync(resolve(base, arg));
    } catch {
      continue; // names no file (a flag, a word, a program on PATH)
    }
    if (!inside(base, real)) continue;
    const st = statSync(real, { throwIfNoEntry: false });
    if (!st?.isFile()) continue;
    const rel = relative(base, real).split(sep).join('/');
    if (st.size > TRUSTED_FILE_BYTES) {
      throw new FlowError(
        'refused',
        `The hook "${def.name}" runs ${rel}, which is ${st.size} bytes: flowmcp hashes a project file a hook runs (up to ${TRUSTED_FILE_BYTES} bytes) to notice when it changes, so this hook cannot be trusted.`,
        'Have the hook run a smaller script (which may load the big one, though that one is then not covered by trust), or define it in your own config.',
      );
    }
    // ctime too: a rewrite that keeps size and mtime still changes it.
    const stamp = `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    const known = hashed.get(real);
    const sha = known?.stamp === stamp ? known.sha : nodeCrypto().createHash('sha256').update(readFileSync(real)).digest('hex');
    hashed.set(real, { stamp, sha });
    out[rel] = sha;
    // A folder's package.json names the file node runs for it ("main"): that one is covered too.
    if (rel.endsWith('package.json') && queue.length < 10_000) {
      const main = packageMain(real);
      if (main) queue.push(...runnable(join(dirname(real), main), true));
    }
  }
  return out;
}

/** Whether an argument names a regular file inside the project (a script it runs). */
function isProjectFile(base: string, arg: string): boolean {
  try {
    const real = realpathSync(resolve(base, arg));
    return inside(base, real) && statSync(real).isFile();
  } catch {
    return false;
  }
}

/** Whether an argument names the project folder itself (".", "./", its absolute path). */
function isProjectRoot(base: string, arg: string): boolean {
  try {
    return realpathSync(resolve(base, arg)) === base;
  } catch {
    return false;
  }
}

/** A package.json's "main", when it is a path (the file is within TRUSTED_FILE_BYTES: hookFiles checked). */
function packageMain(file: string): string | undefined {
  try {
    const main = (JSON.parse(readFileSync(file, 'utf8')) as { main?: unknown }).main;
    return typeof main === 'string' && main !== '' && !main.includes('\0') ? main : undefined;
  } catch {
    return undefined; // not JSON: node would refuse it, and its bytes are hashed anyway
  }
}

let cache: { file: string; stamp: string; data: TrustFileV } | undefined;

/**
 * Where trust is recorded, refused when it lies inside the project: a repository could plant a trust
 * file of its own there (FLOWMCP_CONFIG pointing into the project).
 */
function trustFileFor(root: string): string {
  const file = trustFilePath();
  let dir = dirname(resolve(file));
  try {
    dir = realpathSync(dir);
  } catch {
    // not there yet: judged by its path
  }
  const base = projectKey(root);
  if (dir === base || inside(base, dir)) {
    throw new FlowError(
      'refused',
      `The hook trust file ${file} lies inside the project ${base}, where a repository could have written it, so it is neither read nor written: no project hook is trusted.`,
      'Point FLOWMCP_CONFIG (or XDG_CONFIG_HOME) at a folder outside the project, then trust the hooks again (flowmcp hooks trust).',
    );
  }
  return file;
}

function readTrust(root: string): TrustFileV {
  const file = trustFileFor(root);
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st?.isFile()) return { version: 1, projects: {} };
  const stamp = `${st.mtimeMs}:${st.size}`;
  if (cache?.file === file && cache.stamp === stamp) return cache.data;
  const data = parseConfigText(readFileSync(file, 'utf8'), file, TrustFile, 'Fix the file, or delete it and trust the hooks again (flowmcp hooks trust).', 'It holds { version: 1, projects: { "<project path>": { "<hook name>": "<sha256>" } } }.');
  cache = { file, stamp, data };
  return data;
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  return canonical(a) === canonical(b);
}

/**
 * Whether this definition, and the project files it runs as they are now, are what was trusted.
 * `files` says what the files are now (part of the "said once" key: a changed script is said again).
 */
export function trustOf(root: string, def: HookDefV, hash: string): { trusted: boolean; files: string } {
  const entry: EntryV | undefined = readTrust(root).projects[projectKey(root)]?.[def.name];
  let now: Record<string, string>;
  try {
    now = hookFiles(root, def);
  } catch (e) {
    return { trusted: false, files: (e as Error).message };
  }
  const files = canonical(now);
  if (entry === undefined) return { trusted: false, files };
  // A record from before files were hashed covers a hook that runs no project file only.
  if (typeof entry === 'string') return { trusted: entry === hash && Object.keys(now).length === 0, files };
  return { trusted: entry.def === hash && sameFiles(entry.files, now), files };
}

export function isTrusted(root: string, def: HookDefV, hash: string): boolean {
  return trustOf(root, def, hash).trusted;
}

/** Records trust in these definitions of the project's hooks and the files they run (replacing what was trusted under their names). */
export function trustHooks(root: string, hooks: { def: HookDefV; hash: string }[]): string {
  const data = readTrust(root);
  const key = projectKey(root);
  const mine = { ...(data.projects[key] ?? {}) };
  for (const h of hooks) mine[h.def.name] = { def: h.hash, files: hookFiles(root, h.def) };
  const next: TrustFileV = { version: 1, projects: { ...data.projects, [key]: mine } };
  const file = trustFileFor(root);
  writeFileAtomic(file, JSON.stringify(next, null, 2) + '\n');
  cache = undefined;
  return file;
}
