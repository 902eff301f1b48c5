// The user's own config chooses the embedder; environment variables override it; a broken project file
// is reported with the field to fix, never silently ignored. (What a project file may not choose:
// config-trust.test.ts.)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeEmbedder } from '../../../src/core/docs/active-embedder.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { tempDir, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace | undefined;
let server: FakeOpenAI | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  t?.cleanup();
  server = t = undefined;
});

function config(ws: TempWorkspace, value: unknown): void {
  mkdirSync(join(ws.dir, '.flow'), { recursive: true });
  writeFileSync(join(ws.dir, '.flow', 'config.json'), typeof value === 'string' ? value : JSON.stringify(value));
}

function userConfig(value: unknown): string {
  const file = join(tempDir('flowmcp-user-'), 'config.json');
  writeFileSync(file, JSON.stringify(value));
  return file;
}

describe('embedder settings', () => {
  it('the user config picks an OpenAI-compatible server, and search says so', async () => {
    t = tempWorkspace();
    server = await startFakeOpenAI({ dim: 8 });
    vi.stubEnv('FLOWMCP_CONFIG', userConfig({ embedder: { provider: 'openai', model: 'local-model', dimensions: 8, base_url: server.baseURL } }));
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', title: 'Rotate the signing keys' });
    const r = await ok('search', { query: 'signing keys' });
    expect(r.mode).toBe('hybrid fts5+openai:local-model');
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('environment variables override the user config', () => {
    t = tempWorkspace();
    const FLOWMCP_CONFIG = userConfig({ embedder: { provider: 'openai', model: 'x', dimensions: 8 } });
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG, FLOW_EMBEDDER: 'none' })).toBeUndefined();
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG, FLOW_EMBEDDER: 'static' })?.label).toBe('static-vectors');
    expect(activeEmbedder(t.ws, { FLOWMCP_CONFIG })?.id).toBe('openai:x@8');
  });

  it('a broken config.json is an error naming the field, and indexing still keeps the text', async () => {
    t = tempWorkspace();
    config(t, { embedder: { provider: 'remote', dimensions: 8 } });
    const { ok, fail } = asyncCaller(t.call);
    const e = await fail('search', { query: 'anything' });
    expect(e.message).toMatch(/^\.flow\/config\.json: embedder\.provider: /);
    expect(e.hint).toMatch(/provider: "static" \| "openai" \| "none"/);
    writeFileSync(join(t.dir, 'README.md'), '# Hello');
    const idx = await ok('document', { action: 'index', paths: ['README.md'] });
    expect(idx.report.indexed).toEqual(['README.md']);
    expect(idx.report.vectors_error).toMatch(/config\.json/);
    config(t, '{ "embedder": ');
    expect((await fail('search', { query: 'x' })).message).toMatch(/not valid JSON/);
  });
});
