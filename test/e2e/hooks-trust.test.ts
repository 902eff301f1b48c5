// Trust: a program hook in .flow/config.json is code chosen by whoever wrote the repository. It is not
// run until the user trusts that exact definition (recorded outside the project); until then flowmcp
// says so once on stderr and in hooks list; a changed definition needs trust again. The user's own
// hook, beside it, runs without asking and serves as the witness that events were handled.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';
import { cli, readRecorded, recorder, userConfig, waitFor } from '../helpers/hooks.js';

let dir: string;
let project: string;
let server: Connected | undefined;

beforeEach(() => {
  dir = tempDir();
  project = join(dir, 'project');
  mkdirSync(join(project, '.flow'), { recursive: true });
});
afterEach(async () => {
  await server?.close();
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;

function projectHooks(hooks: unknown[]): void {
  writeFileSync(join(project, '.flow', 'config.json'), JSON.stringify({ hooks }, null, 2));
}

describe('trusting project hooks', () => {
  it('an untrusted project hook is not run and is reported once; it runs after hooks trust; a changed one needs trust again', async () => {
    const script = recorder(dir);
    const witness = join(dir, 'witness.jsonl');
    const theirs = join(dir, 'project-hook.jsonl');
    const env = userConfig(join(dir, 'cfg'), [{ name: 'witness', when: 'post', events: ['task.created'], run: [node, script, witness], env: ['FLOWMCP_TEST_CHILD'] }]);
    const def = { name: 'theirs', when: 'post', events: ['task.created'], run: [node, script, theirs] };
    projectHooks([def]);

    server = await connect({ dir: project, env });
    await server.call('flow', { action: 'create', name: 'F' });
    await server.call('plan', { action: 'create', title: 'P' });
    const t1 = (await server.call('task', { action: 'create', title: 'one' })).structuredContent.task.id;
    const t2 = (await server.call('task', { action: 'create', title: 'two' })).structuredContent.task.id;
    await waitFor('the witness', () => readRecorded(witness).length >= 2);
    expect(existsSync(theirs)).toBe(false);
    const said = server.stderr().split('\n').filter((l) => l.includes('hook "theirs" in .flow/config.json'));
    expect(said).toHaveLength(1);
    expect(said[0]).toContain('not run because it is not trusted');
    expect(said[0]).toContain('flowmcp hooks trust theirs');

    const listed = cli(project, env, 'hooks', 'list');
    expect(listed.out).toMatch(/theirs\s+project\s+post\s+task\.created\s+untrusted/);
    expect(listed.out).toContain('not run: hook "theirs"');
    expect(listed.out).toContain(`runs "${node} ${script} ${theirs}"`);

    // Trusted (recorded beside the user's config, outside the project): from now on it runs.
    const trusted = cli(project, env, 'hooks', 'trust', 'theirs');
    expect(trusted.code).toBe(0);
    expect(trusted.out).toContain('trusted theirs');
    const file = join(dir, 'cfg', 'trusted-hooks.json');
    expect(Object.values(JSON.parse(readFileSync(file, 'utf8')).projects)).toHaveLength(1);
    expect(existsSync(join(project, '.flow', 'trusted-hooks.json'))).toBe(false);
    const t3 = (await server.call('task', { action: 'create', title: 'three' })).structuredContent.task.id;
    await waitFor('the trusted hook and the witness', () => readRecorded(theirs).length >= 1 && readRecorded(witness).length >= 3);
    // A hook first seen starts at the newest event: it does not replay what came before its trust.
    expect(readRecorded(theirs).map((r) => r.payload.entity_id)).toEqual([t3]);
    expect(readRecorded(witness).map((r) => r.payload.entity_id)).toEqual([t1, t2, t3]);

    // Changed by the repository: not run, said again (once), listed as untrusted.
    projectHooks([{ ...def, run: [...def.run, 'extra'] }]);
    const t4 = (await server.call('task', { action: 'create', title: 'four' })).structuredContent.task.id;
    await waitFor('the witness', () => readRecorded(witness).length >= 4);
    expect(readRecorded(theirs)).toHaveLength(1);
    await waitFor('the note for the changed hook', () => server!.stderr().split('\n').filter((l) => l.includes('hook "theirs" in .flow/config.json')).length === 2);
    await server.call('task', { action: 'list' });
    expect(server.stderr().split('\n').filter((l) => l.includes('hook "theirs" in .flow/config.json'))).toHaveLength(2);
    expect(cli(project, env, 'hooks', 'list').out).toMatch(/theirs\s+project\s+post\s+task\.created\s+untrusted/);

    // Trusted again: it resumes where it stopped, so the event it missed meanwhile is delivered.
    expect(cli(project, env, 'hooks', 'trust', '--all').out).toContain('trusted theirs');
    await waitFor('the resumed hook', () => readRecorded(theirs).length >= 2);
    expect(readRecorded(theirs).map((r) => r.payload.entity_id)).toEqual([t3, t4]);
  });

  it('a project hook may not reach the user\'s other variables, and a broken entry is reported, not fatal', async () => {
    projectHooks([
      { name: 'leaky', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/x', secret_env: 'OPENAI_API_KEY' },
      { name: 'broken', when: 'sometimes', events: ['task.created'], run: ['x'] },
      // The prefix of the user's own hooks' secrets (the README's example once kept one there) is not the project's.
      { name: 'wants-user-secret', when: 'post', events: ['*'], url: 'http://127.0.0.1:9/x', secret_env: 'FLOWMCP_HOOK_SECRET' },
      { name: 'fine', when: 'post', events: ['*'], run: ['true'], env: ['FLOWMCP_PROJECT_HOOK_TOKEN'] },
    ]);
    const env = userConfig(join(dir, 'cfg'), []);
    cli(project, env, 'flow', 'create', '--name', 'F');
    const list = JSON.parse(cli(project, env, 'hooks', 'list', '--json').out);
    expect(list.hooks.map((h: { name: string }) => h.name)).toEqual(['fine']);
    expect(list.problems.join('\n')).toContain('hook "wants-user-secret" was not read: it names FLOWMCP_HOOK_SECRET; a project\'s hook may only be given variables named FLOWMCP_PROJECT_HOOK_*');
    expect(list.problems.join('\n')).toContain('hook "leaky" was not read: it names OPENAI_API_KEY');
    expect(list.problems.join('\n')).toContain('.flow/config.json hooks[1] "broken" was not read: when: "sometimes" is not one of pre, post.');
    // The project still works.
    expect(cli(project, env, 'plan', 'create', '--title', 'P').code).toBe(0);
  });

  it('one mistyped entry in the user\'s own config is named with its field and the nearest one; the other user hooks still run', async () => {
    const out = join(dir, 'mine.jsonl');
    const env = userConfig(join(dir, 'cfg'), [
      { name: 'typo', when: 'post', evnts: ['task.created'], run: ['true'], timeout: 500 },
      { name: 'mine', when: 'post', events: ['task.created'], run: [node, recorder(dir), out], env: ['FLOWMCP_TEST_CHILD'] },
    ]);
    cli(project, env, 'flow', 'create', '--name', 'F');
    cli(project, env, 'plan', 'create', '--title', 'P');
    const list = JSON.parse(cli(project, env, 'hooks', 'list', '--json').out);
    expect(list.hooks.map((h: { name: string }) => h.name)).toEqual(['mine']);
    const said = list.problems.join('\n');
    expect(said).toContain('your config hooks[0] "typo" was not read:');
    expect(said).toContain('"evnts" is not a hook field (did you mean events?)');
    expect(said).toContain('"timeout" is not a hook field (did you mean timeout_ms?)');
    const id = JSON.parse(cli(project, env, 'task', 'create', '--title', 'T', '--json').out).task.id;
    cli(project, env, 'hooks', 'deliver');
    await waitFor('the good user hook', () => readRecorded(out).some((r) => r.payload.entity_id === id));
  });
});
