// Which hooks a project has, read from real config files: the user's own run without asking, the
// project's only once trusted; a name both define is the user's; a broken entry is named (where, which
// field, the nearest field for a typo) and skipped while the others load; a project hook may only reach
// variables with the project prefix; what is not run is said on stderr once per process, not at all
// when quiet.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadHooks, PROJECT_VAR_PREFIX, runnableHooks, untrustedNote } from '../../../src/core/hooks/hook-config.js';
import { hookHash, trustHooks } from '../../../src/core/hooks/hook-trust.js';
import { HookDef } from '../../../src/core/schemas/hooks.js';
import { userConfigWorkspacePerTest, captureStderr } from '../../helpers/hooks.js';
import type { TempWorkspace } from '../../helpers/workspace.js';

const fresh = userConfigWorkspacePerTest();
let t: TempWorkspace;
let cfg: string;
let stderr: string[];
beforeEach(() => {
  ({ t, cfg } = fresh());
  stderr = captureStderr();
  vi.stubEnv('FLOW_LOG', 'info');
});
afterEach(() => vi.restoreAllMocks());

function userHooks(hooks: unknown[]): void {
  writeFileSync(join(cfg, 'config.json'), JSON.stringify({ hooks }));
}
function projectHooks(hooks: unknown[]): void {
  writeFileSync(join(t.ws.flowDir, 'config.json'), JSON.stringify({ hooks }));
}
const post = (name: string, over: Record<string, unknown> = {}) => ({ name, when: 'post', events: ['task.created'], run: ['true'], ...over });
const pre = (name: string, over: Record<string, unknown> = {}) => ({ name, when: 'pre', events: ['task.created'], run: ['true'], ...over });
const said = () => stderr.join('');

describe('loading hooks', () => {
  it('user hooks are trusted and come first; project hooks are untrusted until their definition is trusted', () => {
    userHooks([post('mine')]);
    projectHooks([post('theirs', { run: ['echo', 'x'] })]);
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.problems).toEqual([]);
    expect(set.hooks.map((h) => [h.def.name, h.scope, h.trusted])).toEqual([
      ['mine', 'user', true],
      ['theirs', 'project', false],
    ]);
    expect(set.hooks[1]!.hash).toBe(hookHash(HookDef.parse(post('theirs', { run: ['echo', 'x'] }))));
    expect(set.hooks[0]!.hash).toBe(hookHash(HookDef.parse(post('mine'))));
    trustHooks(t.ws.root, set.hooks.filter((h) => h.scope === 'project'));
    expect(loadHooks(t.ws, { quiet: true }).hooks.map((h) => h.trusted)).toEqual([true, true]);
  });

  it('no config at all: no hooks, no problems', () => {
    expect(loadHooks(t.ws)).toEqual({ hooks: [], problems: [] });
    expect(said()).toBe('');
  });

  it('runnableHooks are the trusted ones of the phase asked for', () => {
    userHooks([post('a'), pre('b')]);
    projectHooks([post('c'), pre('d')]);
    expect(runnableHooks(t.ws, 'post').map((h) => h.def.name)).toEqual(['a']);
    expect(runnableHooks(t.ws, 'pre').map((h) => h.def.name)).toEqual(['b']);
    trustHooks(t.ws.root, loadHooks(t.ws, { quiet: true }).hooks.filter((h) => h.scope === 'project'));
    expect(runnableHooks(t.ws, 'post').map((h) => h.def.name)).toEqual(['a', 'c']);
    expect(runnableHooks(t.ws, 'pre').map((h) => h.def.name)).toEqual(['b', 'd']);
  });

  it('a name defined twice: the user\'s first one is used, and each duplicate is said', () => {
    userHooks([post('dup', { run: ['first'] }), post('dup', { run: ['second'] }), post('shared')]);
    projectHooks([post('shared', { run: ['project'] }), post('twice'), post('twice', { run: ['again'] })]);
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => [h.def.name, h.scope, h.def.run![0]])).toEqual([
      ['dup', 'user', 'first'],
      ['shared', 'user', 'true'],
      ['twice', 'project', 'true'],
    ]);
    expect(set.problems).toEqual([
      'your config defines the hook "dup" more than once: the first is used.',
      '.flow/config.json hook "shared" was not read: a hook of that name is already defined in your own config.',
      '.flow/config.json hook "twice" was not read: a hook of that name is already defined.',
    ]);
  });
});

describe('a broken entry is named and skipped; the others load', () => {
  function problemsFor(entries: unknown[]): string[] {
    userHooks([...entries, post('good')]);
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => h.def.name)).toEqual(['good']);
    return set.problems;
  }

  it('a field that is no hook field, with the nearest one', () => {
    expect(problemsFor([{ ...post('typo'), evnts: ['x'], timeot_ms: 1 }])).toEqual([
      'your config hooks[0] "typo" was not read: "evnts" is not a hook field (did you mean events?); "timeot_ms" is not a hook field (did you mean timeout_ms?).',
    ]);
    expect(problemsFor([{ ...post('far'), zzzzzzzz: 1 }])).toEqual(['your config hooks[0] "far" was not read: "zzzzzzzz" is not a hook field.']);
  });

  it('a field inside filter that is not a filter field names where it is', () => {
    const [p] = problemsFor([post('filtered', { filter: { flow: 'f-1' } })]);
    expect(p).toMatch(/^your config hooks\[0\] "filtered" was not read: "flow" in filter is not a hook field/);
  });

  it('a missing field; an entry without a name is named by its place only', () => {
    expect(problemsFor([{ when: 'post', events: ['task.created'], run: ['true'] }])).toEqual(['your config hooks[0] was not read: name is missing.']);
  });

  it('a value not among the choices lists them (six at most, then the count) with the nearest one', () => {
    expect(problemsFor([post('w', { when: 'sometimes' })])).toEqual(['your config hooks[0] "w" was not read: when: "sometimes" is not one of pre, post.']);
    const [p] = problemsFor([post('e', { events: ['task.create'] })]);
    expect(p).toBe(
      'your config hooks[0] "e" was not read: events.0: "task.create" is not one of flow.created, flow.updated, flow.deleted, plan.created, plan.updated, plan.completed, … (25) (did you mean task.created?).',
    );
  });

  it('a wrong value that is not text is said by the schema; long names and keys are cut', () => {
    const [num] = problemsFor([post('n', { when: 5 })]);
    expect(num).toMatch(/^your config hooks\[0\] "n" was not read: when: (?!5 is not one of).+\.$/);
    const long = 'n'.repeat(100);
    const [named] = problemsFor([{ ...post(long), when: 'never' }]);
    expect(named).toBe(`your config hooks[0] "${'n'.repeat(63)}…" was not read: name: must be 1–64 letters, digits, "_", "." or "-"; when: "never" is not one of pre, post.`);
    const [key] = problemsFor([{ ...post('k'), ['q'.repeat(80)]: 1 }]);
    expect(key).toBe(`your config hooks[0] "k" was not read: "${'q'.repeat(59)}…" is not a hook field.`);
  });

  it('an entry with both run and url, or not an object at all, says what is wrong with the entry', () => {
    expect(problemsFor([post('both', { url: 'http://127.0.0.1:9/x' })])).toEqual([
      'your config hooks[0] "both" was not read: (entry): a hook takes exactly one of run (a program) or url (an HTTP POST).',
    ]);
    const [n, s] = problemsFor([null, 'just text']);
    expect(n).toMatch(/^your config hooks\[0\] was not read: \(entry\): .+\.$/);
    expect(s).toMatch(/^your config hooks\[1\] was not read: \(entry\): .+\.$/);
  });

  it('at most three problems of one entry are said', () => {
    // Five things wrong: the first three are said, in order.
    expect(problemsFor([{ name: '!bad', when: 'x', events: 'no', run: 5, zz: 1 }])).toEqual([
      'your config hooks[0] "!bad" was not read: name: must be 1–64 letters, digits, "_", "." or "-"; when: "x" is not one of pre, post; events: Invalid input: expected array, received string.',
    ]);
  });

  it('a project entry says .flow/config.json; the project still loads the good ones', () => {
    projectHooks([post('bad', { when: 'never' }), post('fine')]);
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => h.def.name)).toEqual(['fine']);
    expect(set.problems).toEqual(['.flow/config.json hooks[0] "bad" was not read: when: "never" is not one of pre, post.']);
  });
});

describe('the variables a hook may reach', () => {
  it(`a project hook may name only ${PROJECT_VAR_PREFIX}* variables, in env or as its secret; the user's may name any`, () => {
    expect(PROJECT_VAR_PREFIX).toBe('FLOWMCP_PROJECT_HOOK_');
    projectHooks([
      post('env-ok', { env: ['FLOWMCP_PROJECT_HOOK_TOKEN'] }),
      post('env-bad', { env: ['FLOWMCP_PROJECT_HOOK_OK', 'OPENAI_API_KEY', 'HOME'] }),
      { name: 'secret-bad', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/x', secret_env: 'MY_SECRET' },
      { name: 'secret-ok', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/x', secret_env: 'FLOWMCP_PROJECT_HOOK_SIG' },
    ]);
    userHooks([post('user-env', { env: ['OPENAI_API_KEY'] }), { name: 'user-secret', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/x', secret_env: 'MY_SECRET' }]);
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => h.def.name)).toEqual(['user-env', 'user-secret', 'env-ok', 'secret-ok']);
    expect(set.problems).toEqual([
      '.flow/config.json hook "env-bad" was not read: it names OPENAI_API_KEY, HOME; a project\'s hook may only be given variables named FLOWMCP_PROJECT_HOOK_* (define it in your own config to pass others).',
      '.flow/config.json hook "secret-bad" was not read: it names MY_SECRET; a project\'s hook may only be given variables named FLOWMCP_PROJECT_HOOK_* (define it in your own config to pass others).',
    ]);
  });
});

describe('files that cannot be read', () => {
  it('a broken .flow/config.json: none of its hooks run, the user\'s still do, and it is said with the file\'s own error', () => {
    userHooks([post('mine')]);
    writeFileSync(join(t.ws.flowDir, 'config.json'), '{ "hooks": [');
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => h.def.name)).toEqual(['mine']);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]).toMatch(/^\.flow\/config\.json is not valid JSON \(line 1, column \d+\).* Until that is fixed, its hooks do not run, and what reads its settings \(search, snapshots, and deletes, which take a snapshot first\) stops with this error\.$/);
  });

  it('a broken user config: none of its hooks run, the project\'s still load, and it is said', () => {
    writeFileSync(join(cfg, 'config.json'), '{ not json');
    projectHooks([post('theirs')]);
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => h.def.name)).toEqual(['theirs']);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]).toMatch(/config\.json is not valid JSON.* Until that is fixed, none of your config is used \(its hooks do not run\)\.$/);
  });

  it('a trust file that cannot be read trusts nothing, and is said once however many project hooks there are', () => {
    projectHooks([post('one'), post('two')]);
    trustHooks(t.ws.root, loadHooks(t.ws, { quiet: true }).hooks);
    expect(runnableHooks(t.ws, 'post')).toHaveLength(2);
    writeFileSync(join(cfg, 'trusted-hooks.json'), '{ broken, and longer than before');
    const set = loadHooks(t.ws, { quiet: true });
    expect(set.hooks.map((h) => [h.def.name, h.trusted])).toEqual([
      ['one', false],
      ['two', false],
    ]);
    expect(set.problems).toHaveLength(1);
    expect(set.problems[0]).toMatch(/trusted-hooks\.json is not valid JSON/);
  });
});

describe('what is not run is said on stderr, once', () => {
  it('an untrusted project hook is said once per process with how to allow it; again when its definition changes; never when quiet', () => {
    projectHooks([post('theirs', { run: ['echo', 'hi there'] })]);
    loadHooks(t.ws, { quiet: true });
    expect(said()).toBe('');
    loadHooks(t.ws);
    loadHooks(t.ws);
    const notes = () => stderr.filter((l) => l.includes('hook "theirs" in .flow/config.json'));
    expect(notes()).toHaveLength(1);
    expect(notes()[0]).toBe(
      'flowmcp warn: hook "theirs" in .flow/config.json runs "echo hi there"; it was not run because it is not trusted (a changed definition, or a changed script of the project it runs, needs trust again). To allow it: flowmcp hooks trust theirs\n',
    );
    projectHooks([post('theirs', { run: ['echo', 'changed it'] })]);
    loadHooks(t.ws);
    expect(notes()).toHaveLength(2);
    expect(notes()[1]).toContain('runs "echo changed it"');
  });

  it('a trusted project hook is not said', () => {
    projectHooks([post('theirs')]);
    trustHooks(t.ws.root, loadHooks(t.ws, { quiet: true }).hooks);
    loadHooks(t.ws);
    expect(said()).toBe('');
  });

  it('each problem is said once per process; quiet says none', () => {
    userHooks([post('x', { when: 'later' })]);
    loadHooks(t.ws, { quiet: true });
    expect(said()).toBe('');
    loadHooks(t.ws);
    loadHooks(t.ws);
    expect(stderr).toEqual(['flowmcp warn: your config hooks[0] "x" was not read: when: "later" is not one of pre, post.\n']);
  });

  it('the note for an HTTP hook names where it posts', () => {
    const h = { def: HookDef.parse({ name: 'web', when: 'post', events: ['*'], url: 'https://example.test/hook' }), scope: 'project' as const, hash: 'h', trusted: false };
    expect(untrustedNote(h)).toMatch(/^hook "web" in \.flow\/config\.json posts to https:\/\/example\.test\/hook; it was not run because it is not trusted .* flowmcp hooks trust web$/);
  });
});

describe('project folder layout', () => {
  it('a project hook running a project script is trusted with that script', () => {
    mkdirSync(join(t.dir, 'hooks'));
    writeFileSync(join(t.dir, 'hooks', 'a.mjs'), 'process.exit(0)\n');
    projectHooks([post('scripted', { run: [process.execPath, 'hooks/a.mjs'] })]);
    trustHooks(t.ws.root, loadHooks(t.ws, { quiet: true }).hooks);
    expect(runnableHooks(t.ws, 'post').map((h) => h.def.name)).toEqual(['scripted']);
    writeFileSync(join(t.dir, 'hooks', 'a.mjs'), 'process.exit(1) // changed\n');
    expect(runnableHooks(t.ws, 'post')).toEqual([]);
  });
});
