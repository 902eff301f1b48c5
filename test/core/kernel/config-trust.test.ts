// Trust: a project's .flow/config.json (a cloned repository may have written it) never chooses where
// the user's secrets or text go. Endpoints, key variables and remote providers come from the
// environment or the user's own config ($FLOWMCP_CONFIG here); the project file is read for its
// harmless keys, the rest ignored and reported — never an error that breaks the tool.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { activeEmbedder } from '../../../src/core/docs/active-embedder.js';
import { caller } from '../../helpers/call.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { CLI, assertBuilt, connect } from '../../helpers/server.js';
import { tempDir, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

const SECRET = 'sk-test-do-not-send-0123456789';
let t: TempWorkspace | undefined;
let fake: FakeOpenAI | undefined;
beforeAll(() => assertBuilt());
afterEach(async () => {
  vi.unstubAllEnvs();
  await fake?.close();
  t?.cleanup();
  fake = t = undefined;
});

function projectConfig(dir: string, value: unknown): void {
  mkdirSync(join(dir, '.flow'), { recursive: true });
  writeFileSync(join(dir, '.flow', 'config.json'), JSON.stringify(value));
}
function userConfig(value: unknown): string {
  const file = join(tempDir('flowmcp-user-'), 'config.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}
const remoteEmbedder = (baseURL: string) => ({ provider: 'openai', model: 'm', dimensions: 8, base_url: baseURL, api_key_env: 'FLOWMCP_TEST_SECRET' });
const remoteTranslator = (baseURL: string) => ({ provider: 'openai', model: 'tiny-chat', base_url: baseURL, api_key_env: 'FLOWMCP_TEST_SECRET' });

/** The real CLI, asynchronously (the fake server lives in this process and must keep answering). */
function cli(dir: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--dir', dir, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

async function projectWithText(): Promise<string> {
  const dir = tempDir();
  writeFileSync(join(dir, 'README.md'), '# Signing keys\n\nRotate the signing keys every month.');
  return dir;
}

describe('the embedder endpoint and key', () => {
  it('named in .flow/config.json: nothing reaches the endpoint, search still works and says why', async () => {
    fake = await startFakeOpenAI({ dim: 8 });
    const dir = await projectWithText();
    projectConfig(dir, { embedder: remoteEmbedder(fake.baseURL) });
    const env = { FLOWMCP_TEST_SECRET: SECRET };
    const idx = await cli(dir, env, 'doc', 'index', 'README.md');
    expect(idx.code, idx.err).toBe(0);
    const r = await cli(dir, env, 'search', 'signing keys');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.results.length).toBeGreaterThan(0);
    expect(out.mode).toBe('hybrid fts5+static-vectors');
    expect(out.notes.join(' ')).toMatch(/\.flow\/config\.json sets embedder\.provider "openai", .*embedder\.base_url, embedder\.api_key_env, which were ignored/);
    expect(r.err.match(/which were ignored/g)).toHaveLength(1); // said once on stderr
    expect(fake.authorizations).toEqual([]);
    expect(fake.requests).toEqual([]);
    expect(r.out + r.err).not.toContain(SECRET);
  });

  it('over MCP too: the search result carries the note (valid against the tool\'s outputSchema) and nothing is sent', async () => {
    fake = await startFakeOpenAI({ dim: 8 });
    const dir = await projectWithText();
    projectConfig(dir, { embedder: remoteEmbedder(fake.baseURL), commands: { translator: remoteTranslator(fake.baseURL) } });
    const c = await connect({ dir, env: { FLOWMCP_TEST_SECRET: SECRET } });
    try {
      expect((await c.call('document', { action: 'index', paths: ['README.md'] })).isError).toBeFalsy();
      const r = await c.call('search', { query: 'signing keys' });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent.notes[0]).toMatch(/commands\.translator, which were ignored/);
      await c.call('command', { text: 'remember i gotta ring up the bank tomorrow' });
    } finally {
      await c.close();
    }
    expect(fake.authorizations).toEqual([]);
  });

  it('named in the user config: the same settings are obeyed, with the key from the variable it names', async () => {
    fake = await startFakeOpenAI({ dim: 8 });
    const dir = await projectWithText();
    const env = { FLOWMCP_TEST_SECRET: SECRET, FLOWMCP_CONFIG: userConfig({ embedder: remoteEmbedder(fake.baseURL) }) };
    expect((await cli(dir, env, 'doc', 'index', 'README.md')).code).toBe(0);
    const r = await cli(dir, env, 'search', 'signing keys');
    expect(r.code, r.err).toBe(0);
    const out = JSON.parse(r.out);
    expect(out.mode).toBe('hybrid fts5+openai:m');
    expect(out.notes).toBeUndefined();
    expect(fake.inputs().join(' ')).toMatch(/Rotate the signing keys/);
    expect(fake.authorizations.every((a) => a === `Bearer ${SECRET}`)).toBe(true);
  });

  it('order: environment, then user config, then the project (which may only pick static or none)', () => {
    t = tempWorkspace();
    const user = userConfig({ embedder: { provider: 'openai', model: 'u', dimensions: 8 } });
    projectConfig(t.dir, { embedder: { provider: 'none' } });
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG: user, FLOW_EMBEDDER: 'static' })?.label).toBe('static-vectors');
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG: user })?.id).toBe('openai:u@8');
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG: '/dev/null/none.json' })).toBeUndefined();
    projectConfig(t.dir, { embedder: { provider: 'openai', model: 'p', dimensions: 8 } });
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG: '/dev/null/none.json' })?.label).toBe('static-vectors');
  });

  it('a project key with a value the user config would refuse is still only ignored, never an error', async () => {
    t = tempWorkspace();
    projectConfig(t.dir, { embedder: { provider: 'openai', base_url: 'not a url', api_key_env: 'rm -rf /', dimensions: 'big' }, snapshots: { keep_last: 5 } });
    const { ok } = asyncCaller(t.call);
    const r = await ok('search', { query: 'anything' });
    expect(r.notes).toHaveLength(1);
    expect(caller(t.call).ok('snapshot', { action: 'create' }).snapshot).toBeTruthy();
  });
});

describe('the command translator', () => {
  async function setup(where: 'project' | 'user') {
    t = tempWorkspace();
    caller(t.call).ok('flow', { action: 'create', name: 'F' });
    fake = await startFakeOpenAI({ dim: 8, chat: () => '/flow add task "Call the bank"' });
    vi.stubEnv('FLOWMCP_TEST_SECRET', SECRET);
    if (where === 'project') projectConfig(t.dir, { commands: { translator: remoteTranslator(fake.baseURL) } });
    else vi.stubEnv('FLOWMCP_CONFIG', userConfig({ commands: { translator: remoteTranslator(fake.baseURL) } }));
    return asyncCaller(t.call);
  }

  it('named in .flow/config.json: the text is never sent, and the answer says why', async () => {
    const { fail } = await setup('project');
    const e = await fail('command', { text: 'remember i gotta ring up the bank tomorrow' });
    expect(e.hint).toMatch(/names a translator, which was not used/);
    expect(fake!.chats).toEqual([]);
    expect(fake!.authorizations).toEqual([]);
  });

  it('named in the user config: the text goes there, with the key from the variable it names', async () => {
    const { ok } = await setup('user');
    const r = await ok('command', { text: 'remember i gotta ring up the bank tomorrow' });
    expect(r).toMatchObject({ command: '/flow add task "Call the bank"', needs_confirmation: true, changed: false });
    expect(fake!.chats).toHaveLength(1);
    expect(fake!.authorizations).toEqual([`Bearer ${SECRET}`]);
  });
});
