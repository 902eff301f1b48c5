// The user's own config chooses the embedder; environment variables override it; a broken project file
// is reported with the field to fix, never silently ignored. (What a project file may not choose:
// config-trust.test.ts.)
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { activeEmbedder } from '../../../src/core/docs/active-embedder.js';
import { ignoredProjectKeys, projectConfigNotes, readConfig } from '../../../src/core/kernel/config.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caught } from '../../helpers/caught.js';
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

// What a refused or partly ignored project file says, word for word, and when it is said on stderr.
describe('the project file, refused or partly ignored', () => {
  const said = (fn: () => unknown): string => {
    const out: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
    try {
      fn();
    } finally {
      spy.mockRestore();
    }
    return out.join('');
  };
  const refusal = (fn: () => unknown) => {
    const e = caught<FlowError>(fn);
    return { code: e.code, message: e.message, hint: e.hint, details: e.details };
  };

  it('not JSON: where, and the fix; not the shape: which field, or the top level', () => {
    t = tempWorkspace();
    config(t, '{\n  "embedder": }');
    expect(refusal(() => readConfig(t!.ws))).toEqual({
      code: 'invalid_input',
      message: '.flow/config.json is not valid JSON (line 2, column 15).',
      hint: 'Fix the file or delete it to use the defaults. Nothing was changed.',
      details: { line: 2, column: 15 },
    });
    config(t, '[1, 2]');
    expect(refusal(() => readConfig(t!.ws)).message).toMatch(/^\.flow\/config\.json: \(top level\): .+\.$/);
  });

  it('a mistyped key is named with the key it is a letter or two off; a key far from any is named alone', () => {
    t = tempWorkspace();
    config(t, { snapshots: { keep_lst: 3 } });
    expect(refusal(() => readConfig(t!.ws)).message).toBe('.flow/config.json: snapshots: Unrecognized key: "keep_lst" (did you mean keep_last?).');
    config(t, { snapshot: { keep_last: 3 } });
    expect(refusal(() => readConfig(t!.ws)).message).toBe('.flow/config.json: (top level): Unrecognized key: "snapshot" (did you mean snapshots?).');
    config(t, { snapshots: { zzzqqq: 1 } });
    expect(refusal(() => readConfig(t!.ws)).message).toBe('.flow/config.json: snapshots: Unrecognized key: "zzzqqq".');
  });

  it('a folder or a file too big is not read, and says which', () => {
    t = tempWorkspace();
    mkdirSync(join(t.dir, '.flow', 'config.json'), { recursive: true });
    const hint = 'Replace it with a small JSON settings file, or delete it to use the defaults; nothing was changed.';
    expect(refusal(() => readConfig(t!.ws))).toEqual({ code: 'invalid_input', message: '.flow/config.json is not a regular file, so it was not read.', hint, details: undefined });
    rmSync(join(t.dir, '.flow', 'config.json'), { recursive: true });
    config(t, `{"snapshots": {"keep_last": 5}, "x": "${'y'.repeat(256 * 1024)}"}`);
    expect(refusal(() => readConfig(t!.ws))).toMatchObject({ message: `.flow/config.json is larger than ${256 * 1024} bytes, so it was not read.`, hint });
  });

  it('keys that would choose a remote provider, an endpoint or a key variable: each named, said once on stderr', () => {
    t = tempWorkspace();
    config(t, { embedder: { provider: 'static' }, snapshots: { keep_last: 5 } });
    expect(said(() => expect(readConfig(t!.ws).snapshots?.keep_last).toBe(5))).toBe('');
    expect(projectConfigNotes(t.ws)).toEqual([]);
    config(t, { embedder: { provider: 'openai', model: 'm', dimensions: 8, base_url: 'http://127.0.0.1:1', api_key_env: 'K' }, commands: { translator: { provider: 'openai', model: 'c' } } });
    const note =
      '.flow/config.json sets embedder.provider "openai", embedder.model, embedder.dimensions, embedder.base_url, embedder.api_key_env, commands.translator, which were ignored: ' +
      'a project file cannot choose a remote provider, an endpoint or the variable holding a key. Set them in the environment (FLOW_EMBEDDER, FLOW_OPENAI_BASE_URL, ' +
      'OPENAI_API_KEY) or in your own config ($FLOWMCP_CONFIG, else ~/.config/flowmcp/config.json).';
    expect(said(() => readConfig(t!.ws))).toBe(`flowmcp warn: ${note}\n`);
    expect(said(() => readConfig(t!.ws))).toBe(''); // unchanged: read from the cache, not said again
    expect(projectConfigNotes(t.ws)).toEqual([note]);
    expect(ignoredProjectKeys({ embedder: { provider: 'none', dimensions: 8 } })).toEqual(['embedder.dimensions']);
  });
});
