// Trust in a project's hooks, in-process through dispatchAsync with real hook programs: a project hook
// runs only once trusted; a changed definition or a changed script it runs needs trust again; a trust
// file inside the project is neither read nor written; a script too big to hash cannot be trusted; what
// trust records (the definition's canonical hash, the scripts by path) stays readable as written.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { FlowError } from '../../../src/model/errors.js';
import { join, relative } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { loadHooks } from '../../../src/core/hooks/hook-config.js';
import { hookFiles, hookHash, projectKey, trustFilePath, trustHooks, TRUSTED_FILE_BYTES } from '../../../src/core/hooks/hook-trust.js';
import { HookDef } from '../../../src/core/schemas/hooks.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { userConfigWorkspacePerTest } from '../../helpers/hooks.js';
import { dumpDb, tempDir, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

const fresh = userConfigWorkspacePerTest();
let t: TempWorkspace;
let cfg: string;
beforeEach(() => ({ t, cfg } = fresh()));

function hintOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof FlowError) return e.hint;
    throw e;
  }
  throw new Error('did not throw');
}

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const REFUSE = "console.log('stopped by the project'); process.exit(1);\n";

/** A project pre hook on task.created running the project's own script hooks/guard.mjs. */
function projectGuard(over: Record<string, unknown> = {}, script = REFUSE) {
  mkdirSync(join(t.dir, 'hooks'), { recursive: true });
  writeFileSync(join(t.dir, 'hooks', 'guard.mjs'), script);
  const def = { name: 'guard', when: 'pre', events: ['task.created'], run: [process.execPath, 'hooks/guard.mjs'], ...over };
  writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks: [def] }));
}

function trustAll(): string {
  return trustHooks(t.ws.root, loadHooks(t.ws, { quiet: true }).hooks.filter((h) => h.scope === 'project'));
}

async function guarded(): Promise<boolean> {
  const o = await asyncCaller(t.call).raw('task', { action: 'create', title: 'T' });
  if (o.isError) expect((o.structured.error as any).message).toContain('stopped by the project');
  return o.isError;
}

async function seed(): Promise<void> {
  const c = asyncCaller(t.call);
  await c.ok('flow', { action: 'create', name: 'F' });
  await c.ok('plan', { action: 'create', title: 'P' });
}

describe('trust in project hooks', () => {
  it('an untrusted project hook does not run; once trusted it does, and the trust is kept outside the project', async () => {
    await seed();
    projectGuard();
    expect(await guarded()).toBe(false);
    const file = trustAll();
    expect(file).toBe(join(cfg, 'trusted-hooks.json'));
    expect(readFileSync(file, 'utf8')).toMatch(/\}\n$/);
    expect(trustFilePath()).toBe(file);
    const before = dumpDb(t.ws);
    expect(await guarded()).toBe(true);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a changed definition needs trust again', async () => {
    await seed();
    projectGuard();
    trustAll();
    expect(await guarded()).toBe(true);
    projectGuard({ timeout_ms: 5000 });
    expect(await guarded()).toBe(false);
    trustAll();
    expect(await guarded()).toBe(true);
  });

  it('a changed script of the project needs trust again; the same bytes back are trusted again', async () => {
    await seed();
    projectGuard();
    trustAll();
    expect(await guarded()).toBe(true);
    // Changed, still refusing: not run until trusted again.
    writeFileSync(join(t.dir, 'hooks', 'guard.mjs'), REFUSE + '// one more line\n');
    expect(await guarded()).toBe(false);
    writeFileSync(join(t.dir, 'hooks', 'guard.mjs'), REFUSE);
    expect(await guarded()).toBe(true);
  });

  it('a script named without its extension (node adds .js) needs trust again when it changes', async () => {
    await seed();
    projectGuard({ run: [process.execPath, 'hooks/guard'] });
    writeFileSync(join(t.dir, 'hooks', 'guard.js'), REFUSE);
    trustAll();
    expect(await guarded()).toBe(true);
    writeFileSync(join(t.dir, 'hooks', 'guard.js'), REFUSE + '// one more line\n');
    expect(await guarded()).toBe(false);
  });

  it('a folder node runs (its index.js) needs trust again when that file changes', async () => {
    await seed();
    mkdirSync(join(t.dir, 'hookdir'));
    writeFileSync(join(t.dir, 'hookdir', 'index.js'), REFUSE);
    projectGuard({ run: [process.execPath, 'hookdir'] });
    trustAll();
    expect(await guarded()).toBe(true);
    writeFileSync(join(t.dir, 'hookdir', 'index.js'), REFUSE + '// pulled in from elsewhere\n');
    expect(await guarded()).toBe(false);
  });

  it('a script named as a flag\'s value (--require=./x.js) needs trust again when it changes', async () => {
    await seed();
    writeFileSync(join(t.dir, 'pre.js'), '');
    projectGuard({ run: [process.execPath, '--require=./pre.js', 'hooks/guard.mjs'] });
    trustAll();
    expect(await guarded()).toBe(true);
    writeFileSync(join(t.dir, 'pre.js'), '// changed\n');
    expect(await guarded()).toBe(false);
  });

  it('a "user config" named by a relative FLOWMCP_CONFIG (a file in whatever folder flowmcp runs in) runs none of its hooks', async () => {
    await seed();
    mkdirSync(join(t.dir, 'hooks'), { recursive: true });
    writeFileSync(join(t.dir, 'hooks', 'guard.mjs'), REFUSE);
    writeFileSync(join(t.dir, 'flowmcp.json'), JSON.stringify({ hooks: [{ name: 'guard', when: 'pre', events: ['task.created'], run: [process.execPath, 'hooks/guard.mjs'] }] }));
    // Relative to where this process runs, as flowmcp started in the project would name it.
    vi.stubEnv('FLOWMCP_CONFIG', relative(process.cwd(), join(t.dir, 'flowmcp.json')));
    expect(await guarded()).toBe(false);
    expect(loadHooks(t.ws, { quiet: true }).problems.join('\n')).toMatch(/FLOWMCP_CONFIG is a relative path .* so no config was read/);
  });

  it('a trust file changed by another process is read again', async () => {
    await seed();
    projectGuard();
    expect(await guarded()).toBe(false);
    // Another flowmcp (the CLI's `hooks trust`) wrote the file meanwhile.
    const h = loadHooks(t.ws, { quiet: true }).hooks[0]!;
    const entry = { def: h.hash, files: hookFiles(t.ws.root, h.def) };
    writeFileSync(join(cfg, 'trusted-hooks.json'), JSON.stringify({ version: 1, projects: { [projectKey(t.ws.root)]: { guard: entry } } }));
    expect(await guarded()).toBe(true);
  });

  it('a record from before scripts were hashed (a bare hash) covers a hook that runs no project file only', async () => {
    await seed();
    const rec = join(cfg, 'refuse.mjs');
    writeFileSync(rec, REFUSE);
    // Runs a script outside the project: nothing of the project to hash.
    writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks: [{ name: 'guard', when: 'pre', events: ['task.created'], run: [process.execPath, rec] }] }));
    const h = loadHooks(t.ws, { quiet: true }).hooks[0]!;
    expect(hookFiles(t.ws.root, h.def)).toEqual({});
    const bare = (hash: string) => writeFileSync(join(cfg, 'trusted-hooks.json'), JSON.stringify({ version: 1, projects: { [projectKey(t.ws.root)]: { guard: hash } } }));
    bare('0'.repeat(64));
    expect(await guarded()).toBe(false);
    bare(h.hash);
    expect(await guarded()).toBe(true);
    // The same bare hash for a hook that runs a project script does not cover the script.
    projectGuard();
    bare(loadHooks(t.ws, { quiet: true }).hooks[0]!.hash);
    expect(await guarded()).toBe(false);
  });

  it('the scripts a trust record names are compared whatever order the file lists them in', async () => {
    await seed();
    mkdirSync(join(t.dir, 'hooks'), { recursive: true });
    writeFileSync(join(t.dir, 'hooks', 'a.mjs'), '// a helper\n');
    writeFileSync(join(t.dir, 'hooks', 'z.mjs'), REFUSE);
    const def = { name: 'guard', when: 'pre', events: ['task.created'], run: [process.execPath, 'hooks/z.mjs', 'hooks/a.mjs'] };
    writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks: [def] }));
    const h = loadHooks(t.ws, { quiet: true }).hooks[0]!;
    const files = hookFiles(t.ws.root, h.def);
    expect(Object.keys(files)).toEqual(['hooks/z.mjs', 'hooks/a.mjs']);
    const reversed = Object.fromEntries(Object.entries(files).reverse());
    writeFileSync(join(cfg, 'trusted-hooks.json'), JSON.stringify({ version: 1, projects: { [projectKey(t.ws.root)]: { guard: { def: h.hash, files: reversed } } } }));
    expect(await guarded()).toBe(true);
    // Another definition with the same scripts is not covered.
    writeFileSync(join(cfg, 'trusted-hooks.json'), JSON.stringify({ version: 1, projects: { [projectKey(t.ws.root)]: { guard: { def: '1'.repeat(64), files } } } }));
    expect(await guarded()).toBe(false);
  });

  it('a trust file that is not what flowmcp writes (a hash that is no sha256) trusts nothing, and says so', async () => {
    await seed();
    projectGuard();
    trustAll();
    const h = loadHooks(t.ws, { quiet: true }).hooks[0]!;
    const files = hookFiles(t.ws.root, h.def);
    for (const bad of [h.hash + 'a', 'a' + h.hash, h.hash.slice(1), h.hash.toUpperCase()]) {
      writeFileSync(join(cfg, 'trusted-hooks.json'), JSON.stringify({ version: 1, projects: { [projectKey(t.ws.root)]: { guard: { def: bad, files } } } }));
      expect(await guarded()).toBe(false);
      expect(loadHooks(t.ws, { quiet: true }).problems.join('\n')).toContain('trusted-hooks.json');
      let said = '';
      try {
        trustAll();
      } catch (e) {
        said = `${(e as FlowError).message} ${(e as FlowError).hint}`;
      }
      expect(said).toContain('It holds { version: 1, projects: {');
    }
    // Not JSON at all.
    writeFileSync(join(cfg, 'trusted-hooks.json'), '{ "version": 1, ');
    expect(await guarded()).toBe(false);
    let said = '';
    try {
      trustAll();
    } catch (e) {
      said = `${(e as FlowError).message} ${(e as FlowError).hint}`;
    }
    expect(said).toContain('Fix the file, or delete it and trust the hooks again (flowmcp hooks trust).');
  });

  it('a trust file inside the project is neither read nor written', async () => {
    await seed();
    projectGuard();
    for (const inProject of [join(t.dir, 'config.json'), join(t.dir, 'sub', 'config.json'), join(t.dir, '..cfg', 'config.json')]) {
      vi.stubEnv('FLOWMCP_CONFIG', inProject);
      expect(() => trustAll()).toThrow(/^The hook trust file .* lies inside the project .*: no project hook is trusted\.$/);
      expect(hintOf(() => trustAll())).toBe('Point FLOWMCP_CONFIG (or XDG_CONFIG_HOME) at a folder outside the project, then trust the hooks again (flowmcp hooks trust).');
      expect(await guarded()).toBe(false);
      expect(loadHooks(t.ws, { quiet: true }).problems.join('\n')).toContain('lies inside the project');
    }
    // A link outside the project to a folder inside it is inside.
    mkdirSync(join(t.dir, 'sub'), { recursive: true });
    symlinkSync(join(t.dir, 'sub'), `${cfg}/link`);
    vi.stubEnv('FLOWMCP_CONFIG', join(cfg, 'link', 'config.json'));
    expect(() => trustAll()).toThrow(/lies inside the project/);
    expect(await guarded()).toBe(false);
    // A folder beside the project whose name starts like it is outside.
    vi.stubEnv('FLOWMCP_CONFIG', join(`${t.dir}-beside`, 'config.json'));
    try {
      trustAll();
      expect(await guarded()).toBe(true);
    } finally {
      rmSync(`${t.dir}-beside`, { recursive: true, force: true });
    }
  });

  it("a trust file in the folder holding the project is outside it", async () => {
    const base = tempDir('flowmcp-holder-');
    try {
      mkdirSync(join(base, 'p'));
      t.cleanup();
      t = tempWorkspace({ dir: join(base, 'p') });
      vi.stubEnv('FLOWMCP_CONFIG', join(base, 'config.json'));
      await seed();
      projectGuard();
      expect(trustAll()).toBe(join(base, 'trusted-hooks.json'));
      expect(await guarded()).toBe(true);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

describe('the project files a hook runs', () => {
  it('are the arguments naming regular files inside the project, by real path; flags, folders and outside files are not', () => {
    const root = t.ws.root;
    mkdirSync(join(root, 'hooks'), { recursive: true });
    writeFileSync(join(root, 'hooks', 'g.mjs'), 'one');
    symlinkSync(join(root, 'hooks', 'g.mjs'), join(root, 'link.mjs'));
    writeFileSync(join(cfg, 'outside.mjs'), 'out');
    symlinkSync(join(cfg, 'outside.mjs'), join(root, 'away.mjs'));
    writeFileSync(join(root, '..dots.mjs'), 'dots');
    const def = HookDef.parse({ name: 'h', when: 'pre', events: ['*'], run: ['node', '--flag', 'hooks', 'link.mjs', 'away.mjs', join(cfg, 'outside.mjs'), '../x', 'a\0b', '..dots.mjs', '.'] });
    expect(hookFiles(root, def)).toEqual({ 'hooks/g.mjs': sha('one'), '..dots.mjs': sha('dots') });
    // A URL hook runs no file.
    expect(hookFiles(root, HookDef.parse({ name: 'u', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/x' }))).toEqual({});
  });

  it('also what a program runs for a folder, a package\'s main, a Python module and a shell line', () => {
    const root = t.ws.root;
    const put = (rel: string, text: string) => {
      mkdirSync(join(root, rel, '..'), { recursive: true });
      writeFileSync(join(root, rel), text);
    };
    const files = (run: string[]) => hookFiles(root, HookDef.parse({ name: 'h', when: 'post', events: ['*'], run }));
    put('hookdir/index.js', 'entry');
    expect(files(['node', 'hookdir'])).toEqual({ 'hookdir/index.js': sha('entry') });
    put('pkg/package.json', '{"main": "lib/run.js"}');
    put('pkg/lib/run.js', 'main');
    expect(files(['node', 'pkg'])).toEqual({ 'pkg/package.json': sha('{"main": "lib/run.js"}'), 'pkg/lib/run.js': sha('main') });
    put('hooks/notify.py', 'py');
    put('tools/cli/__main__.py', 'main py');
    expect(files(['python3', '-m', 'hooks.notify'])).toEqual({ 'hooks/notify.py': sha('py') });
    expect(files(['python3', '-m', 'tools.cli'])).toEqual({ 'tools/cli/__main__.py': sha('main py') });
    put('hooks/x.js', 'x');
    expect(files(['sh', '-c', 'node hooks/x.js --quiet'])).toEqual({ 'hooks/x.js': sha('x') });
    // What a shell line writes to is no program: not hashed (it changes on every run).
    put('hooks.log', 'log');
    expect(files(['sh', '-c', 'node hooks/x.js >> hooks.log 2>&1'])).toEqual({ 'hooks/x.js': sha('x') });
    // A package's __init__.py runs before its module; an assignment's flag names a file too.
    put('hooks/__init__.py', 'init');
    expect(files(['python3', '-m', 'hooks.notify'])).toEqual({ 'hooks/__init__.py': sha('init'), 'hooks/notify.py': sha('py') });
    put('hooks/pre.js', 'pre');
    expect(files(['env', 'NODE_OPTIONS=--require=./hooks/pre.js', 'node', 'hooks/x.js'])).toEqual({ 'hooks/pre.js': sha('pre'), 'hooks/x.js': sha('x') });
    // What a shell line reads from is run: kept.
    expect(files(['sh', '-c', 'node < hooks/x.js'])).toEqual({ 'hooks/x.js': sha('x') });
    // A folder's entry file behind a wrapper program (env, timeout, npx) is covered too.
    expect(files(['env', 'NODE_ENV=production', 'node', 'hookdir'])).toEqual({ 'hookdir/index.js': sha('entry') });
    expect(files(['timeout', '10', 'node', 'hookdir'])).toEqual({ 'hookdir/index.js': sha('entry') });
    // The project folder named after a script of the project is data: its package.json and main (the
    // project's build) are not what runs; named as the script itself, they are.
    put('package.json', '{"main": "dist/run.js"}');
    put('dist/run.js', 'built');
    expect(files(['node', 'hooks/x.js', '.'])).toEqual({ 'hooks/x.js': sha('x') });
    expect(files(['sh', '-c', 'node hooks/x.js .'])).toEqual({ 'hooks/x.js': sha('x') });
    expect(files(['node', '.'])).toEqual({ 'package.json': sha('{"main": "dist/run.js"}'), 'dist/run.js': sha('built') });
    expect(files(['env', 'A=1', 'node', '.'])).toEqual({ 'package.json': sha('{"main": "dist/run.js"}'), 'dist/run.js': sha('built') });
  });

  it('one bigger than a mebibyte cannot be trusted (one of exactly that size can)', async () => {
    await seed();
    projectGuard({}, REFUSE + '/'.repeat(TRUSTED_FILE_BYTES - REFUSE.length));
    trustAll();
    expect(await guarded()).toBe(true);
    writeFileSync(join(t.dir, 'hooks', 'guard.mjs'), REFUSE + '/'.repeat(TRUSTED_FILE_BYTES - REFUSE.length + 1));
    expect(hintOf(() => trustAll())).toBe('Have the hook run a smaller script (which may load the big one, though that one is then not covered by trust), or define it in your own config.');
    expect(() => trustAll()).toThrow(
      `The hook "guard" runs hooks/guard.mjs, which is ${TRUSTED_FILE_BYTES + 1} bytes: flowmcp hashes a project file a hook runs (up to ${TRUSTED_FILE_BYTES} bytes) to notice when it changes, so this hook cannot be trusted.`,
    );
    expect(await guarded()).toBe(false);
  });
});

describe('the hash trust records', () => {
  it('is the sha256 of the definition as canonical JSON (sorted keys, no unset fields), so old records keep matching', () => {
    const def = HookDef.parse({ name: 'h', when: 'pre', events: ['task.created', 'command'], run: ['node', 'x.mjs'], filter: { status: ['done', 'x'] } });
    const canonical = (d: Record<string, unknown>) =>
      JSON.stringify(Object.fromEntries(Object.keys(d).sort().filter((k) => d[k] !== undefined).map((k) => [k, d[k]])));
    const body = JSON.parse(JSON.stringify(def)) as Record<string, unknown>;
    expect(hookHash(def)).toBe(sha(canonical(body)));
    expect(hookHash({ ...def, timeout_ms: undefined } as never)).toBe(hookHash(def));
  });
});
