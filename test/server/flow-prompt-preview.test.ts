// The `flow` prompt's preview, in process: what the command would do is said as what it would do. The
// dry run's `would` reads "call task delete (id=…)" (the CLI labels it `would:`); put into the prompt's
// text bare it read as an order to the model ("This changes or removes stored work: call task delete …").
import { rmSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
let client: Client;
let close: () => void;

beforeAll(async () => {
  dir = tempDir();
  const built = buildServer({ dir });
  close = built.close;
  const [serverSide, clientSide] = InMemoryTransport.createLinkedPair();
  await built.mcp.connect(serverSide);
  client = new Client({ name: 'prompt-test', version: '1' });
  await client.connect(clientSide);
});
afterAll(async () => {
  await client.close();
  close();
  rmSync(dir, { recursive: true, force: true });
});

const promptText = async (command: string) =>
  ((await client.getPrompt({ name: 'flow', arguments: { command } })).messages[0]!.content as { text: string }).text;

describe('the flow prompt says what a command would do, never as an order', () => {
  it('a delete: "it would call task delete", then asks for a confirmation', async () => {
    await client.callTool({ name: 'flow', arguments: { action: 'create', name: 'Prompts' } });
    await client.callTool({ name: 'plan', arguments: { action: 'create', title: 'Build' } });
    const made = (await client.callTool({ name: 'task', arguments: { action: 'create', title: 'Keep me' } })).structuredContent as { task: { id: string } };
    const text = await promptText(`delete task ${made.task.id}`);
    expect(text).toMatch(/^This changes or removes stored work: it would call task delete \(/);
    expect(text).not.toMatch(/stored work: call /);
    const still = (await client.callTool({ name: 'task', arguments: { action: 'get', id: made.task.id } })).structuredContent as { task: { title: string } };
    expect(still.task.title).toBe('Keep me');
  });

  it('a task to add: the exact call, and in brackets what it would do', async () => {
    const text = await promptText('add task "Prompted"');
    expect(text).toContain('command` tool with text: /flow add task Prompted');
    expect(text).toMatch(/\n\(it would call task create \(title="Prompted"\)\)$/);
  });
});
