// Which embedder answers the vector half of search, from the environment, the user's own config and the
// project's harmless choice: what each setting picks, what is sent to an OpenAI-compatible server (the
// loopback fake), and the refusals that say which setting to fix.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { activeEmbedder } from '../../../src/core/docs/active-embedder.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { caught } from '../../helpers/caught.js';
import { tempDirPerTest, workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
const homeDir = tempDirPerTest('flowmcp-home-');
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** An environment with no user config and nothing inherited: only what the test sets. */
function env(vars: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { HOME: homeDir(), ...vars };
}

async function openaiEnv(vars: Record<string, string> = {}): Promise<NodeJS.ProcessEnv> {
  fake ??= await startFakeOpenAI({ dim: 8 });
  return env({ FLOW_EMBEDDER: 'openai', FLOW_OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'key-one', ...vars });
}

describe('the embedder chosen', () => {
  it('is the static one by default, none for "none" or "off", and the project may pick none', () => {
    const t = workspace();
    expect(activeEmbedder(t.ws, env())?.local).toBe(true);
    expect(activeEmbedder(t.ws, env({ FLOW_EMBEDDER: 'none' }))).toBeUndefined();
    expect(activeEmbedder(t.ws, env({ FLOW_EMBEDDER: 'OFF' }))).toBeUndefined();
    writeFileSync(join(t.dir, '.flow', 'config.json'), JSON.stringify({ embedder: { provider: 'none' } }));
    expect(activeEmbedder(t.ws, env())).toBeUndefined();
    // The environment still wins over the project.
    expect(activeEmbedder(t.ws, env({ FLOW_EMBEDDER: 'static' }))?.local).toBe(true);
  });

  it('refuses an embedder flowmcp does not have, naming the ones it has', () => {
    const t = workspace();
    const e = caught<{ code: string; message: string; hint: string }>(() => activeEmbedder(t.ws, env({ FLOW_EMBEDDER: 'bogus' })));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toContain('Embedder "bogus" is not one flowmcp has');
    expect(e.hint).toMatch(/static.*openai.*none/);
  });

  it('for openai defaults to text-embedding-3-small at its known length, with the key of OPENAI_API_KEY', async () => {
    const t = workspace();
    const e = activeEmbedder(t.ws, await openaiEnv())!;
    expect(e.dim).toBe(1536);
    expect(e.local).toBe(false);
    expect(e.id).toContain('text-embedding-3-small');
  });

  it('for openai sends the key it was given, a new key making a new embedder', async () => {
    const t = workspace();
    const one = activeEmbedder(t.ws, await openaiEnv({ FLOW_EMBED_MODEL: 'm', FLOW_EMBED_DIMENSIONS: '8' }))!;
    const two = activeEmbedder(t.ws, await openaiEnv({ FLOW_EMBED_MODEL: 'm', FLOW_EMBED_DIMENSIONS: '8', OPENAI_API_KEY: 'key-two' }))!;
    expect(two).not.toBe(one);
    await one.embed(['hello']);
    await two.embed(['hello']);
    expect(fake!.authorizations.filter(Boolean)).toEqual(['Bearer key-one', 'Bearer key-two']);
  });

  it('for a model of unknown length asks for FLOW_EMBED_DIMENSIONS; a length of 1 is a length', async () => {
    const t = workspace();
    for (const dims of [undefined, '-3', '2.5']) {
      const vars = await openaiEnv({ FLOW_EMBED_MODEL: 'nomic-embed-text', ...(dims ? { FLOW_EMBED_DIMENSIONS: dims } : {}) });
      const e = caught<{ code: string; message: string; hint: string }>(() => activeEmbedder(t.ws, vars));
      expect(e.code).toBe('invalid_input');
      expect(e.message).toContain('vector length of embedding model "nomic-embed-text" is not known');
      expect(e.hint).toMatch(/FLOW_EMBED_DIMENSIONS/);
    }
    expect(activeEmbedder(t.ws, await openaiEnv({ FLOW_EMBED_MODEL: 'tiny', FLOW_EMBED_DIMENSIONS: '1' }))!.dim).toBe(1);
  });
});

describe('the vector length asked of the server', () => {
  it('is sent for a text-embedding-3 model given a length, and never otherwise', async () => {
    const t = workspace();
    const cases: [Record<string, string>, number | undefined][] = [
      [{ FLOW_EMBED_MODEL: 'text-embedding-3-small', FLOW_EMBED_DIMENSIONS: '8' }, 8],
      [{ FLOW_EMBED_MODEL: 'text-embedding-3-large' }, undefined],
      [{ FLOW_EMBED_MODEL: 'nomic-embed-text', FLOW_EMBED_DIMENSIONS: '8' }, undefined],
      [{ FLOW_EMBED_MODEL: 'my-text-embedding-3', FLOW_EMBED_DIMENSIONS: '8' }, undefined],
    ];
    for (const [vars, sent] of cases) {
      const e = activeEmbedder(t.ws, await openaiEnv(vars))!;
      await e.embed(['hello']).catch(() => undefined); // a length the fake does not give is no matter here
      expect(fake!.requests.at(-1), JSON.stringify(vars)).toMatchObject({ model: vars.FLOW_EMBED_MODEL, dimensions: sent });
    }
  });
});

describe("the user's own config", () => {
  it('chooses the provider, model, length and the variable holding the key', async () => {
    const t = workspace();
    fake = await startFakeOpenAI({ dim: 8 });
    const home = homeDir();
    mkdirSync(join(home, '.config', 'flowmcp'), { recursive: true });
    writeFileSync(
      join(home, '.config', 'flowmcp', 'config.json'),
      JSON.stringify({ embedder: { provider: 'openai', model: 'house-model', dimensions: 8, base_url: fake.baseURL, api_key_env: 'HOUSE_KEY' } }),
    );
    const e = activeEmbedder(t.ws, { HOME: home, HOUSE_KEY: 'house-secret', OPENAI_API_KEY: 'not-this-one' })!;
    expect(e.dim).toBe(8);
    await e.embed(['hello']);
    expect(fake.requests.at(-1)).toMatchObject({ model: 'house-model' });
    expect(fake.authorizations.filter(Boolean).at(-1)).toBe('Bearer house-secret');
  });
});
