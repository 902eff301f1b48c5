// The installed command with an OpenAI-compatible embedder (the real `openai` client, which the
// command line loads from node_modules only when one is configured) against a server on loopback:
// a one-shot `document index` embeds through it, and `search` asks it for the query's vector.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, it } from 'vitest';
import { hashedVector, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const run = promisify(execFile);
const tmp = tempDirPerTest('flowmcp-remote-embedder-');
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

it('document index and search reach the configured embedding server from the command line', async () => {
  assertBuilt();
  const dir = tmp();
  fake = await startFakeOpenAI({ dim: 16, vector: (t) => hashedVector(t, 16) });
  const env = { ...process.env, FLOW_EMBEDDER: 'openai', FLOW_EMBED_MODEL: 'test-embed', FLOW_EMBED_DIMENSIONS: '16', FLOW_OPENAI_BASE_URL: fake.baseURL, OPENAI_API_KEY: 'k' };
  const flowmcp = (...args: string[]) => run(process.execPath, [CLI, ...args, '--dir', dir], { env });
  writeFileSync(join(dir, 'deploy.md'), '# Deploying\n\nRoll out the release with the blue green switch.\n');
  await flowmcp('document', 'index', 'deploy.md');
  expect(fake.inputs().some((t) => t.includes('blue green switch'))).toBe(true);
  const { stdout } = await flowmcp('search', 'blue green rollout', '--json');
  const answer = JSON.parse(stdout) as { mode: string; results: { path?: string }[] };
  expect(answer.mode).toMatch(/hybrid/);
  expect(answer.results[0]).toMatchObject({ path: 'deploy.md' });
  expect(fake.requests.at(-1)).toMatchObject({ model: 'test-embed', encoding_format: 'float', input: ['blue green rollout'] });
});
