// The project every face works on: where it is (--dir, else FLOW_DIR, else the client's first file://
// root, else the working directory or the nearest folder above it that already holds a project, as git
// finds its repository), and opening its workspace (a server's start-up work is server/start-project.ts).
// One place, so the CLI, the stdio server and the HTTP server can never disagree about any of it.
// The MCP roots come in as a lookup function: this module knows nothing of the SDK.
import { existsSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Workspace, unfilledVariable, type Call } from './core/kernel/workspace.js';
import { FlowError } from './model/errors.js';
import { log } from './log.js';
import { recordsOfAProject } from './core/kernel/flow-records.js';
import { keepOutOfGit } from './core/kernel/flow-folder.js';

export interface ProjectDir {
  dir: string;
  /** 'parent': the nearest folder above the working directory that holds a project (cwdProject). */
  source: 'flag' | 'env' | 'roots' | 'cwd' | 'parent';
}

/**
 * Whether `dir` holds a flowmcp project someone made: a real `.flow/` folder (not a link) with its
 * database in it (or, the database lost, its snapshots), owned by this user. A folder
 * above the working directory may belong to anybody (a shared /tmp, a checkout someone else wrote):
 * only the user's own project is adopted there.
 */
function holdsProject(dir: string, uid: number | undefined): boolean {
  try {
    const folder = lstatSync(join(dir, '.flow'));
    if (!folder.isDirectory() || (uid !== undefined && folder.uid !== uid)) return false;
    const db = lstatSync(join(dir, '.flow', 'flow.db'), { throwIfNoEntry: false });
    // A project whose database was lost is still the project (opening it says to run recover): a
    // command run in one of its folders must not start a second, empty one there instead.
    return db ? db.isFile() : recordsOfAProject(join(dir, '.flow')) !== undefined;
  } catch {
    return false;
  }
}

/**
 * The working directory's project: the working directory itself when it holds one, else the nearest
 * folder above it that does (a command run in `src/` of a project works on that project, where it used
 * to start a second, empty one), else the working directory, where a project is made on first use.
 * The walk stops at the root of the git working tree it is in (a project never reaches into the
 * repository around it), and never adopts the home folder, the temporary folder or `/` from below:
 * a `.flow/` made there once would otherwise swallow every new project under them.
 */
export function cwdProject(cwd: string = process.cwd(), uid: number | undefined = process.getuid?.(), shared: readonly string[] = [homedir(), tmpdir()]): ProjectDir {
  const start = resolve(cwd);
  const never = realDirs(shared);
  for (let dir = start; ; dir = dirname(dir)) {
    const top = dirname(dir) === dir;
    if (dir !== start && (top || never.has(dir))) break;
    if (holdsProject(dir, uid)) return { dir, source: dir === start ? 'cwd' : 'parent' };
    if (top || existsSync(join(dir, '.git'))) break;
  }
  return { dir: start, source: 'cwd' };
}

/**
 * Folders as written and as they really are (a home folder reached by a symlink, macOS's /var/folders
 * under /private): the working directory a command runs in is the real path.
 */
function realDirs(dirs: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const d of dirs) {
    out.add(resolve(d));
    try {
      out.add(realpathSync(d));
    } catch {
      // gone or unreadable: as written only
    }
  }
  return out;
}

/** The client's roots as URIs, asked only when neither --dir nor FLOW_DIR decides. */
export type RootsLookup = () => Promise<readonly string[]>;

/** --dir or FLOW_DIR, when one is given: a choice no client can override. */
export function fixedProjectDir(flagDir: string | undefined, env: NodeJS.ProcessEnv = process.env): ProjectDir | undefined {
  if (flagDir) return { dir: flagDir, source: 'flag' };
  if (env.FLOW_DIR) return { dir: env.FLOW_DIR, source: 'env' };
  return undefined;
}

/** Where the project is for a face without MCP roots (the CLI, the HTTP server). */
export function projectDir(flagDir: string | undefined, env: NodeJS.ProcessEnv = process.env): ProjectDir {
  return fixedProjectDir(flagDir, env) ?? cwdProject();
}

/** Where the project is for an MCP session: the client's first file:// root when nothing fixed it. */
export async function findProjectDir(flagDir: string | undefined, roots: RootsLookup, env: NodeJS.ProcessEnv = process.env): Promise<ProjectDir> {
  const fixed = fixedProjectDir(flagDir, env);
  if (fixed) return fixed;
  const first = (await roots()).find((uri) => uri.startsWith('file://'));
  if (first) return { dir: fileURLToPath(first), source: 'roots' };
  return cwdProject();
}

/**
 * What is wrong with a project root given with --dir or FLOW_DIR, said when a server starts: a stdio
 * server opens the project on the first call, and a typo should not wait until then to show.
 * Undefined when it is an existing directory (or was not fixed: the client's roots may still decide).
 */
export function projectDirProblem(where: ProjectDir | undefined): string | undefined {
  if (!where) return undefined;
  const abs = resolve(where.dir);
  try {
    if (statSync(abs).isDirectory()) return undefined;
  } catch {
    // missing or unreadable: said below
  }
  const from = where.source === 'flag' ? '--dir' : where.source === 'env' ? 'FLOW_DIR' : where.source;
  // "${workspaceFolder}" and the like arrive as typed when the client does not fill them in.
  const unfilled = unfilledVariable(where.dir);
  const why = unfilled ? ` It still holds ${unfilled}: the MCP client did not fill that variable in, so write the folder's path itself in its config.` : '';
  return `project directory ${abs} (from ${from}) does not exist or is not a directory: every tool call will be refused until it does. Pass an existing project root with --dir or FLOW_DIR.${why}`;
}

/** How the project was found, in words for a log line. */
export function whereFrom(where: ProjectDir): string {
  return where.source === 'parent' ? 'the nearest folder above the working directory holding .flow/' : `from ${where.source}`;
}

/**
 * Opens the project's workspace with a session for `agent` (who the event log says made each change).
 * A project is never made, unasked, in `/` or the home folder: a client that starts the server there
 * without --dir (Claude Desktop does) would otherwise put one `.flow/` there for every project the user
 * has. Said at the first call, with the setting that fixes it; one made there on purpose is still opened.
 */
export function openProject(where: ProjectDir, agent: string, home: string = homedir()): Call {
  const abs = resolve(where.dir);
  const system = abs === dirname(abs) ? 'the filesystem root' : abs === resolve(home) ? 'your home folder' : undefined;
  if (where.source === 'cwd' && system && !holdsProject(abs, undefined)) {
    throw new FlowError(
      'invalid_input',
      `No project folder was given, and flowmcp was started in ${abs} (${system}): it does not make a project there. Nothing was created.`,
      `Name the project: in the MCP client's config add "--dir", "/path/to/your/project" to the server's args (or set FLOW_DIR), or run the command from inside the project folder. To keep a project in ${abs} on purpose, name it: --dir ${abs}.`,
    );
  }
  const fresh = !existsSync(join(abs, '.flow'));
  const ws = Workspace.open(abs);
  // A project inside another (a --dir typo, a command run once in docs/) hides the one above it from
  // every command run there, and looks like the work is gone: said each time, with the way back.
  const above = where.source === 'parent' ? undefined : projectAbove(abs);
  if (fresh) keepOutOfGit(abs);
  // A first command run in a repository's sub-folder (src/) makes the project there: said, with the way to
  // keep one project for the whole repository, before more work lands in it.
  const repo = fresh && !above && where.source === 'cwd' ? gitRootAbove(abs, [home, tmpdir()]) : undefined;
  if (fresh || above) {
    log.info(
      `${fresh ? 'new project' : 'project'} ${abs}${above ? `; ${above} above it holds another project (pass --dir ${above} to work on that one)` : ''}` +
        (repo ? `; it is inside the git repository ${repo}: for one project for the whole repository, remove ${join(abs, '.flow')} and run from ${repo} (or pass --dir ${repo})` : ''),
    );
  }
  return { ws, session: ws.session(agent) };
}

/**
 * The root of the git working tree `dir` is below (not at), if any; never the home folder, the temporary
 * folder or `/` (a dotfiles repository in the home folder is no project's repository).
 */
function gitRootAbove(dir: string, shared: readonly string[]): string | undefined {
  const never = realDirs(shared);
  if (existsSync(join(dir, '.git'))) return undefined;
  for (let d = dirname(dir); d !== dirname(d) && !never.has(d); d = dirname(d)) if (existsSync(join(d, '.git'))) return d;
  return undefined;
}

/** The nearest folder above `dir` holding a project, by the working directory's rules (cwdProject). */
function projectAbove(dir: string): string | undefined {
  const abs = resolve(dir);
  const up = dirname(abs);
  if (up === abs || existsSync(join(abs, '.git'))) return undefined; // a git working tree's root has nothing above it of its own
  const found = cwdProject(up);
  return holdsProject(found.dir, process.getuid?.()) ? found.dir : undefined;
}
