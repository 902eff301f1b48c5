// With no sampling client, a chat model named in the user's own config (here the local OpenAI-compatible
// test server, through the real openai client) translates what the parser cannot read; its answer is
// parsed by the grammar, shown, and not run. A nonsense answer is reported, never guessed at.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { caller } from '../helpers/call.js';
import { asyncCaller } from '../helpers/call-async.js';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { dumpDb, tempDir, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace | undefined;
let server: FakeOpenAI | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await server?.close();
  t?.cleanup();
  t = undefined;
  server = undefined;
});

async function setup(answer: string) {
  t = tempWorkspace();
  caller(t.call).ok('flow', { action: 'create', name: 'F' });
  caller(t.call).ok('plan', { action: 'create', title: 'P' });
  server = await startFakeOpenAI({ dim: 8, chat: () => answer });
  const user = join(tempDir('flowmcp-user-'), 'config.json');
  writeFileSync(user, JSON.stringify({ commands: { translator: { provider: 'openai', model: 'tiny-chat', base_url: server.baseURL } } }));
  vi.stubEnv('FLOWMCP_CONFIG', user);
  return asyncCaller(t.call);
}

describe('a configured chat model as translator', () => {
  it('translates, validates and shows; nothing runs', async () => {
    const { ok } = await setup('/flow add task "Call the bank"');
    const before = dumpDb(t!.ws);
    const r = await ok('command', { text: 'remember i gotta ring up the bank tomorrow' });
    expect(r).toMatchObject({ translated_from: 'remember i gotta ring up the bank tomorrow', command: '/flow add task "Call the bank"', needs_confirmation: true, changed: false });
    expect(r.would).toMatch(/^call task create/);
    expect(server!.chats[0]).toMatchObject({ model: 'tiny-chat' });
    expect(server!.chats[0]!.messages[0]!.content).toContain('/flow help');
    expect(dumpDb(t!.ws)).toEqual(before);
  });

  it('an answer that is not a command is reported with what the model said', async () => {
    const { fail } = await setup('/flow teleport everything');
    const e = await fail('command', { text: 'blorp the flibbers' });
    expect(e.message).toMatch(/Could not read/);
    expect(e.hint).toMatch(/A model suggested "\/flow teleport everything", which does not parse/);
  });
});
