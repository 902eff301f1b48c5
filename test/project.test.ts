// project.ts: where the project is (--dir, else FLOW_DIR, else the client's first file:// root, else
// the cwd) and opening it, shared by the CLI, the stdio server and the HTTP server.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { cwdProject, findProjectDir, openProject, projectDir, projectDirProblem } from '../src/project.js';
import { isFlowError } from '../src/model/errors.js';
import { startProject } from '../src/server/start-project.js';
import { CLI, assertBuilt } from './helpers/server.js';
import { tempDir } from './helpers/workspace.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('project directory', () => {
  it('--dir wins over FLOW_DIR, which wins over the roots; the roots are not even asked then', async () => {
    let asked = 0;
    const roots = async () => {
      asked++;
      return ['file:///from/roots'];
    };
    expect(await findProjectDir('/flag', roots, { FLOW_DIR: '/env' })).toEqual({ dir: '/flag', source: 'flag' });
    expect(await findProjectDir(undefined, roots, { FLOW_DIR: '/env' })).toEqual({ dir: '/env', source: 'env' });
    expect(asked).toBe(0);
  });

  it('takes the first file:// root, else the working directory', async () => {
    const root = tempDir();
    made.push(root);
    expect(await findProjectDir(undefined, async () => ['https://example.com/x', pathToFileURL(root).href], {})).toEqual({ dir: root, source: 'roots' });
    expect(await findProjectDir(undefined, async () => ['https://example.com/x'], {})).toEqual({ dir: process.cwd(), source: 'cwd' });
  });

  it('without roots (the CLI, HTTP): --dir, else FLOW_DIR, else the working directory', () => {
    expect(projectDir('/flag', { FLOW_DIR: '/env' }).source).toBe('flag');
    expect(projectDir(undefined, { FLOW_DIR: '/env' })).toEqual({ dir: '/env', source: 'env' });
    expect(projectDir(undefined, {})).toEqual({ dir: process.cwd(), source: 'cwd' });
  });

  it('a root the client did not fill in (${workspaceFolder} as typed) is said to be that, with what to write instead', () => {
    const problem = projectDirProblem({ dir: '${workspaceFolder}', source: 'flag' });
    expect(problem).toMatch(/\(from --dir\) does not exist or is not a directory/);
    expect(problem).toMatch(/It still holds \$\{workspaceFolder\}: the MCP client did not fill that variable in, so write the folder's path itself in its config\.$/);
    expect(projectDirProblem({ dir: '/no/such/folder', source: 'env' })).not.toMatch(/did not fill/);
    expect(projectDirProblem({ dir: process.cwd(), source: 'flag' })).toBeUndefined();
  });

  it('startProject opens the workspace with a session for the agent named', () => {
    const dir = tempDir();
    made.push(dir);
    const call = startProject({ dir, source: 'flag' }, 'someone');
    try {
      expect(call.ws.root).toBe(dir);
      expect(call.session.agent).toBe('someone');
    } finally {
      call.ws.close();
    }
  });
});

describe('the working directory\'s project', () => {
  const uid = process.getuid?.();
  /** A folder tree with a real project at its top (made by opening it, as any command would). */
  function tree(): { root: string; deep: string } {
    const root = tempDir();
    made.push(root);
    startProject({ dir: root, source: 'flag' }, 'setup').ws.close();
    const deep = join(root, 'src', 'web', 'page');
    mkdirSync(deep, { recursive: true });
    return { root, deep };
  }

  it('a command run in a subfolder works on the project above it, and says so', () => {
    assertBuilt();
    const { root, deep } = tree();
    const made = spawnSync(process.execPath, [CLI, 'flow', 'create', 'Checkout'], { cwd: root, encoding: 'utf8', input: '' });
    expect(made.status).toBe(0);
    const r = spawnSync(process.execPath, [CLI, 'flow', 'list', '--json'], { cwd: deep, encoding: 'utf8', input: '', env: { ...process.env, FLOW_LOG: 'info' } });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).flows.map((f: { name: string }) => f.name)).toEqual(['Checkout']);
    expect(r.stderr).toContain(`project ${root} (the nearest folder above the working directory holding .flow/)`);
    // No second, empty project in the subfolder.
    expect(existsSync(join(deep, '.flow'))).toBe(false);
    expect(cwdProject(deep, uid)).toEqual({ dir: root, source: 'parent' });
    expect(cwdProject(root, uid)).toEqual({ dir: root, source: 'cwd' });
  });

  it('a project made inside another (a --dir to a subfolder) says so each time, naming the one above and how to use it', () => {
    assertBuilt();
    const { root } = tree();
    mkdirSync(join(root, 'docs'));
    const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input: '', env: { ...process.env, FLOW_LOG: 'info' } });
    const first = run(root, '--dir', 'docs', 'flow', 'create', 'Docs work');
    expect(first.status).toBe(0);
    const hint = `${root} above it holds another project (pass --dir ${root} to work on that one)`;
    expect(first.stderr).toContain(`new project ${join(root, 'docs')}; ${hint}`);
    const later = run(join(root, 'docs'), 'flow', 'list');
    expect(later.stderr).toContain(`project ${join(root, 'docs')}; ${hint}`);
    // The project above itself says nothing of the kind.
    expect(run(root, 'flow', 'list').stderr).not.toContain('holds another project');
  });

  it('stops at the git working tree it is in: a project never reaches into the repository around it', () => {
    const { root, deep } = tree();
    const repo = join(root, 'src');
    mkdirSync(join(repo, '.git'));
    expect(cwdProject(deep, uid)).toEqual({ dir: deep, source: 'cwd' });
    // The repository's own root still finds a project above nothing: it is where a project starts.
    expect(cwdProject(repo, uid)).toEqual({ dir: repo, source: 'cwd' });
  });

  it('adopts only a real .flow/ folder with a database, owned by this user, and never a shared folder from below', () => {
    const { root, deep } = tree();
    // Another user's project above is not this user's project.
    if (uid !== undefined) expect(cwdProject(deep, uid + 1)).toEqual({ dir: deep, source: 'cwd' });
    // A shared folder (home, temp) holding a project is not adopted from below it.
    expect(cwdProject(deep, uid, [root])).toEqual({ dir: deep, source: 'cwd' });
    // A .flow/ without a database (an empty folder someone made) is not a project.
    const bare = tempDir();
    made.push(bare);
    mkdirSync(join(bare, '.flow'));
    mkdirSync(join(bare, 'sub'));
    expect(cwdProject(join(bare, 'sub'), uid)).toEqual({ dir: join(bare, 'sub'), source: 'cwd' });
    // A .flow that is a link to a real project elsewhere is not adopted either.
    const linked = tempDir();
    made.push(linked);
    symlinkSync(join(root, '.flow'), join(linked, '.flow'));
    mkdirSync(join(linked, 'sub'));
    expect(cwdProject(join(linked, 'sub'), uid)).toEqual({ dir: join(linked, 'sub'), source: 'cwd' });
    // A file named .flow is not a project.
    const file = tempDir();
    made.push(file);
    writeFileSync(join(file, '.flow'), 'x');
    mkdirSync(join(file, 'sub'));
    expect(cwdProject(join(file, 'sub'), uid)).toEqual({ dir: join(file, 'sub'), source: 'cwd' });
  });

  it('a project whose flow.db was lost is still the project above (opening it says to run recover): no second project below', () => {
    const { root, deep } = tree();
    rmSync(join(root, '.flow', 'flow.db'));
    // The .flow/ of a project that never took a snapshot nor wrote a document holds nothing to keep.
    expect(cwdProject(deep, uid)).toEqual({ dir: deep, source: 'cwd' });
    mkdirSync(join(root, '.flow', 'snapshots'), { recursive: true });
    writeFileSync(join(root, '.flow', 'snapshots', 's-ab12.full.json.gz'), 'x');
    expect(cwdProject(deep, uid)).toEqual({ dir: root, source: 'parent' });
    if (uid !== undefined) expect(cwdProject(deep, uid + 1)).toEqual({ dir: deep, source: 'cwd' });
    const e = (() => {
      try {
        openProject(cwdProject(deep, uid), 'x');
      } catch (err) {
        return err;
      }
    })();
    expect(isFlowError(e) && e.message).toMatch(/flow\.db is missing, but \.flow\/ still holds 1 snapshot/);
    expect(existsSync(join(deep, '.flow'))).toBe(false);
    expect(existsSync(join(root, '.flow', 'flow.db'))).toBe(false);
  });

  it('with no project anywhere above, the working directory itself (made there on first use)', () => {
    const bare = tempDir();
    made.push(bare);
    mkdirSync(join(bare, 'a', 'b'), { recursive: true });
    expect(cwdProject(join(bare, 'a', 'b'), uid)).toEqual({ dir: join(bare, 'a', 'b'), source: 'cwd' });
  });
});

describe('never a project made unasked in / or the home folder', () => {
  const refusal = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      if (isFlowError(e)) return e;
      throw e;
    }
    throw new Error('expected a refusal');
  };

  it('started there with no folder given (as Claude Desktop starts a server): refused, naming --dir, and nothing is made', () => {
    const home = tempDir();
    made.push(home);
    const e = refusal(() => openProject({ dir: home, source: 'cwd' }, 'test', home));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain(`flowmcp was started in ${home} (your home folder): it does not make a project there. Nothing was created.`);
    expect(e.hint).toContain('"--dir", "/path/to/your/project"');
    expect(e.hint, 'and how to keep one there on purpose').toContain(`--dir ${home}.`);
    expect(existsSync(join(home, '.flow'))).toBe(false);
    // The root of the filesystem, the same (checked before anything is made there).
    const hadRootProject = existsSync('/.flow');
    try {
      expect(refusal(() => openProject({ dir: '/', source: 'cwd' }, 'test', home)).message).toContain('(the filesystem root)');
      expect(existsSync('/.flow')).toBe(hadRootProject);
    } finally {
      if (!hadRootProject) rmSync('/.flow', { recursive: true, force: true });
    }
  });

  it('named on purpose (--dir, FLOW_DIR, a root) it is made there; one made there before is opened from there too', () => {
    const home = tempDir();
    made.push(home);
    const named = openProject({ dir: home, source: 'flag' }, 'test', home);
    named.ws.close();
    expect(existsSync(join(home, '.flow', 'flow.db'))).toBe(true);
    const again = openProject({ dir: home, source: 'cwd' }, 'test', home);
    expect(again.ws.root).toBe(home);
    again.ws.close();
  });
});

describe('a new project and git', () => {
  it("a first command in a repository's sub-folder says the project is made there, and how to keep one at the repository's root", () => {
    assertBuilt();
    const root = tempDir();
    made.push(root);
    expect(spawnSync('git', ['init', '-q'], { cwd: root }).status).toBe(0);
    mkdirSync(join(root, 'src'));
    const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', input: '', env: { ...process.env, FLOW_LOG: 'info' } });
    const first = run(join(root, 'src'), 'flow', 'create', 'Sub');
    expect(first.status).toBe(0);
    expect(first.stderr).toContain(`new project ${join(root, 'src')}; it is inside the git repository ${root}: for one project for the whole repository, remove ${join(root, 'src', '.flow')} and run from ${root} (or pass --dir ${root})`);
    // At the repository's root itself, nothing of the kind is said.
    const atRoot = run(root, 'flow', 'create', 'Top');
    expect(atRoot.stderr).toContain(`new project ${root}`);
    expect(atRoot.stderr).not.toContain('inside the git repository');
    // Nor for a home folder kept in git (dotfiles), reached by a symlink or not: it is no project's repository.
    const home = join(root, 'home');
    mkdirSync(join(home, 'code', 'proj'), { recursive: true });
    expect(spawnSync('git', ['init', '-q'], { cwd: home }).status).toBe(0);
    symlinkSync(home, join(root, 'home-link'));
    for (const h of [home, join(root, 'home-link')]) {
      const inProj = spawnSync(process.execPath, [CLI, 'flow', 'list'], { cwd: join(home, 'code', 'proj'), encoding: 'utf8', input: '', env: { ...process.env, HOME: h, FLOW_LOG: 'info' } });
      const made = spawnSync(process.execPath, [CLI, 'flow', 'create', 'P'], { cwd: join(home, 'code', 'proj'), encoding: 'utf8', input: '', env: { ...process.env, HOME: h, FLOW_LOG: 'info' } });
      expect(inProj.status, inProj.stderr).toBe(1); // no project yet: a read makes none
      expect(made.stderr, h).toContain(`new project ${join(home, 'code', 'proj')}`);
      expect(made.stderr, h).not.toContain('inside the git repository');
      rmSync(join(home, 'code', 'proj', '.flow'), { recursive: true, force: true });
    }
  });

  it("keeps .flow/ out of git by itself; a .gitignore already in .flow/ is left as it was", () => {
    const root = tempDir();
    made.push(root);
    expect(spawnSync('git', ['init', '-q'], { cwd: root }).status).toBe(0);
    openProject({ dir: root, source: 'flag' }, 'test').ws.close();
    const status = spawnSync('git', ['status', '--porcelain', '--untracked-files=all'], { cwd: root, encoding: 'utf8' });
    expect(status.stdout).toBe(''); // nothing of .flow/ shows as untracked
    // Opened again, or made where a .gitignore of the user's own is: never written over.
    const other = tempDir();
    made.push(other);
    mkdirSync(join(other, '.flow'));
    writeFileSync(join(other, '.flow', '.gitignore'), 'snapshots/\n');
    openProject({ dir: other, source: 'flag' }, 'test').ws.close();
    expect(readFileSync(join(other, '.flow', '.gitignore'), 'utf8')).toBe('snapshots/\n');
  });
});
