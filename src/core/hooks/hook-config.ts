// The hooks a project has: the user's own (trusted: the user wrote them) and the project's
// .flow/config.json ones (each checked on its own; run only once trusted, hook-trust.ts). A name
// both define is the user's. What is not run — an untrusted or broken project hook — is said once per
// process on stderr, and by `flowmcp hooks list` every time, with how to allow it.
import type { z } from 'zod';
import { log } from '../../log.js';
import { clip } from '../../model/error-text.js';
import { isFlowError } from '../../model/errors.js';
import { readConfig } from '../kernel/config.js';
import { readUserConfig } from '../kernel/user-config.js';
import { HOOK_FIELDS, HookDef, type HookDefV } from '../schemas/hooks.js';
import { nearestWord } from '../kernel/suggest.js';
import type { Workspace } from '../kernel/workspace.js';
import { hookHash, trustOf } from './hook-trust.js';

export interface LoadedHook {
  def: HookDefV;
  scope: 'user' | 'project';
  hash: string;
  /** User hooks always; project hooks when this exact definition was trusted. */
  trusted: boolean;
}

export interface HookSet {
  hooks: LoadedHook[];
  /** Project hook entries that were not read (invalid, a duplicate name), said in words. */
  problems: string[];
}

/**
 * The environment variables a project's hook may be given (env) or sign with (secret_env): only these,
 * so a repository cannot have the user's other secrets (an API key in the server's environment, the
 * secret of one of the user's own hooks) handed to its program or used as its signing key, even once
 * trusted. A prefix of their own: a variable is put there only to be given to project hooks. The
 * user's own hooks may name any (and keep their secrets in variables without this prefix).
 */
export const PROJECT_VAR_PREFIX = 'FLOWMCP_PROJECT_HOOK_';

const told = new Set<string>();

function tellOnce(key: string, text: string): void {
  if (told.has(key)) return;
  told.add(key);
  log.warn(text);
}

export function untrustedNote(h: LoadedHook): string {
  const what = h.def.run ? `runs ${JSON.stringify(h.def.run.join(' '))}` : `posts to ${h.def.url}`;
  return `hook "${h.def.name}" in .flow/config.json ${what}; it was not run because it is not trusted (a changed definition, or a changed script of the project it runs, needs trust again). To allow it: flowmcp hooks trust ${h.def.name}`;
}

/** Where an entry came from, as the messages name it. */
type Source = { file: string; scope: 'user' | 'project' };

/** One problem of an entry in words: the field, what is wrong, and the nearest field for a typo. */
function describeEntryIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    return issue.keys
      .map((k) => {
        const near = nearestWord(k, HOOK_FIELDS);
        return `${JSON.stringify(clip(k, 60))}${path ? ` in ${path}` : ''} is not a hook field${near ? ` (did you mean ${near}?)` : ''}`;
      })
      .join('; ');
  }
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${path} is missing`;
  if (issue.code === 'invalid_value' && typeof issue.input === 'string') {
    const options = issue.values.map(String);
    const near = nearestWord(issue.input, options);
    const shown = options.length > 6 ? `${options.slice(0, 6).join(', ')}, … (${options.length})` : options.join(', ');
    return `${path}: ${JSON.stringify(clip(issue.input, 60))} is not one of ${shown}${near ? ` (did you mean ${near}?)` : ''}`;
  }
  return `${path || '(entry)'}: ${clip(issue.message, 200)}`;
}

/**
 * A config file's hook entries, each read on its own: a broken one is said (its place, its name when it
 * has one, the field and the fix) and skipped; the others load. A project's hook may only name
 * variables with the project prefix.
 */
function readEntries(raw: unknown[], src: Source, problems: string[]): HookDefV[] {
  const out: HookDefV[] = [];
  raw.forEach((entry, i) => {
    const r = HookDef.safeParse(entry, { reportInput: true });
    const named = typeof (entry as { name?: unknown } | null)?.name === 'string' ? ` "${clip((entry as { name: string }).name, 64)}"` : '';
    if (!r.success) {
      const issues = r.error.issues.slice(0, 3).map(describeEntryIssue);
      problems.push(`${src.file} hooks[${i}]${named} was not read: ${issues.join('; ')}.`);
      return;
    }
    const reach = [...(r.data.env ?? []), ...(r.data.secret_env ? [r.data.secret_env] : [])].filter((v) => !v.startsWith(PROJECT_VAR_PREFIX));
    if (src.scope === 'project' && reach.length) {
      problems.push(
        `${src.file} hook "${r.data.name}" was not read: it names ${reach.join(', ')}; a project's hook may only be given variables named ${PROJECT_VAR_PREFIX}* (define it in your own config to pass others).`,
      );
      return;
    }
    out.push(r.data);
  });
  return out;
}

function projectEntries(ws: Workspace, problems: string[]): HookDefV[] {
  let raw: unknown[] | undefined;
  try {
    raw = readConfig(ws).hooks;
  } catch (e) {
    if (!isFlowError(e)) throw e;
    // Said as what it is: a file that does not read (a typo in any setting), not a hook problem.
    problems.push(`${e.message} Until that is fixed, its hooks do not run, and what reads its settings (search, snapshots, and deletes, which take a snapshot first) stops with this error.`);
    return [];
  }
  return readEntries(raw ?? [], { file: '.flow/config.json', scope: 'project' }, problems);
}

/** quiet: the caller shows what is not run itself (hooks list), so nothing is said on stderr. */
/** Whether this definition is trusted; a trust file that cannot be read trusts nothing (and says so). */
function trusted(root: string, def: HookDefV, hash: string, problems: string[]): { trusted: boolean; files: string } {
  try {
    return trustOf(root, def, hash);
  } catch (e) {
    if (!isFlowError(e)) throw e;
    if (!problems.includes(e.message)) problems.push(e.message);
    return { trusted: false, files: '' };
  }
}

export function loadHooks(ws: Workspace, opts: { quiet?: boolean } = {}): HookSet {
  const problems: string[] = [];
  let user: HookDefV[] = [];
  try {
    user = readEntries(readUserConfig().hooks ?? [], { file: 'your config', scope: 'user' }, problems);
  } catch (e) {
    // A broken user config is said (once) rather than failing every change the user makes.
    if (!isFlowError(e)) throw e;
    problems.push(`${e.message} Until that is fixed, none of your config is used (its hooks do not run).`);
  }
  const hooks: LoadedHook[] = [];
  const names = new Set<string>();
  for (const def of user) {
    if (names.has(def.name)) {
      problems.push(`your config defines the hook "${def.name}" more than once: the first is used.`);
      continue;
    }
    names.add(def.name);
    hooks.push({ def, scope: 'user', hash: hookHash(def), trusted: true });
  }
  for (const def of projectEntries(ws, problems)) {
    if (names.has(def.name)) {
      problems.push(`.flow/config.json hook "${def.name}" was not read: a hook of that name is already defined${user.some((u) => u.name === def.name) ? ' in your own config' : ''}.`);
      continue;
    }
    names.add(def.name);
    const hash = hookHash(def);
    const t = trusted(ws.root, def, hash, problems);
    const h: LoadedHook = { def, scope: 'project', hash, trusted: t.trusted };
    hooks.push(h);
    // Said again when the definition or a file it runs changes.
    if (!h.trusted && !opts.quiet) tellOnce(`${ws.root}\0${def.name}\0${hash}\0${t.files}`, untrustedNote(h));
  }
  if (!opts.quiet) for (const p of problems) tellOnce(`${ws.root}\0${p}`, p);
  return { hooks, problems };
}

/** The hooks that may run now: trusted ones. */
export function runnableHooks(ws: Workspace, when: 'pre' | 'post'): LoadedHook[] {
  return loadHooks(ws).hooks.filter((h) => h.trusted && h.def.when === when);
}
