// Resource subscriptions across processes: a client subscribed to a task (or flow) on one server process
// hears notifications/resources/updated when another client changes it through a second process on the
// same .flow/; unsubscribing stops them; unknown resources are refused. Each side is its own server
// process, over stdio or Streamable HTTP, with the SDK's real Client.
import { rmSync } from 'node:fs';
import { ResourceUpdatedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterEach, describe, expect, it } from 'vitest';
import { connect } from '../helpers/server.js';
import { connectHttp, startHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { tempDir } from '../helpers/workspace.js';

interface Side {
  client: Client;
  call(name: string, args: Record<string, unknown>): Promise<CallToolResult & { structuredContent: Record<string, any> }>;
  close(): Promise<void>;
}

let dir: string;
const servers: HttpServerProcess[] = [];
const sides: Side[] = [];
afterEach(async () => {
  await Promise.all(sides.splice(0).map((s) => s.close().catch(() => undefined)));
  await Promise.all(servers.splice(0).map((s) => s.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

async function open(kind: 'stdio' | 'http', name: string): Promise<Side> {
  if (kind === 'stdio') {
    const c = await connect({ dir, name });
    sides.push(c);
    return c;
  }
  const server = await startHttpServer(dir);
  servers.push(server);
  const c = await connectHttp(server.url, { name });
  sides.push(c);
  return c;
}

/** Every resources/updated URI the client is sent, in order, and a way to wait for one. */
function updates(client: Client) {
  const seen: string[] = [];
  const waiters: { uri: string; resolve: () => void }[] = [];
  client.setNotificationHandler(ResourceUpdatedNotificationSchema, (n) => {
    seen.push(n.params.uri);
    for (const w of waiters.filter((w) => w.uri === n.params.uri)) w.resolve();
  });
  return {
    seen,
    next: (uri: string) => new Promise<void>((resolve) => waiters.push({ uri, resolve })),
  };
}

describe.each([
  ['stdio', 'http'],
  ['http', 'stdio'],
  ['http', 'http'],
] as const)('subscribed on a %s server, changed through a %s server', (kindA, kindB) => {
  it('hears about the task, its plan and flow; not after unsubscribing; refuses what does not exist', async () => {
    dir = tempDir();
    const b = await open(kindB, 'client-b');
    const flow = (await b.call('flow', { action: 'create', name: 'Shared' })).structuredContent.flow;
    const plan = (await b.call('plan', { action: 'create', title: 'P' })).structuredContent.plan;
    const [t1, t2] = (await b.call('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two' }] })).structuredContent.tasks;

    const a = await open(kindA, 'client-a');
    expect(a.client.getServerCapabilities()?.resources?.subscribe).toBe(true);
    const heard = updates(a.client);
    const taskUri = `flow://tasks/${t1.id}`;
    const otherUri = `flow://tasks/${t2.id}`;
    const planUri = `flow://plans/${plan.id}`;
    await a.client.subscribeResource({ uri: taskUri });
    await a.client.subscribeResource({ uri: otherUri });
    await a.client.subscribeResource({ uri: planUri });

    // B changes task one through the other process: A hears about the task and its plan.
    const gotTask = heard.next(taskUri);
    const gotPlan = heard.next(planUri);
    await b.call('task', { action: 'set_status', id: t1.id, status: 'done' });
    await Promise.all([gotTask, gotPlan]);
    // What A then reads is the change.
    const read = await a.client.readResource({ uri: taskUri });
    expect(JSON.parse((read.contents[0] as { text: string }).text).task.status).toBe('done');
    expect(heard.seen).not.toContain(otherUri);

    // Unsubscribed from task one: a later change to it is not sent, while a change to task two (still
    // followed, and made after it) is — so by the time two's arrives, one's would have.
    await a.client.unsubscribeResource({ uri: taskUri });
    const before = heard.seen.length;
    await b.call('task', { action: 'update', id: t1.id, description: 'after unsubscribe' });
    const gotOther = heard.next(otherUri);
    await b.call('task', { action: 'update', id: t2.id, description: 'still followed' });
    await gotOther;
    expect(heard.seen.slice(before).filter((u) => u === taskUri)).toEqual([]);

    // Things that are not there, and URIs flowmcp does not serve, are refused with "resource not found".
    await expect(a.client.subscribeResource({ uri: 'flow://tasks/t-nope' })).rejects.toMatchObject({ code: -32002 });
    await expect(a.client.subscribeResource({ uri: 'test://watched-resource' })).rejects.toMatchObject({ code: -32002 });
    // The flow resource is readable too.
    const f = await a.client.readResource({ uri: `flow://flows/${flow.id}` });
    expect(JSON.parse((f.contents[0] as { text: string }).text).flow.id).toBe(flow.id);
  });
});

describe('subscriptions are kept by what they name', () => {
  it('two spellings of one resource are one subscription: one notification per change, and either spelling unsubscribes', async () => {
    dir = tempDir();
    const b = await open('stdio', 'client-b');
    await b.call('flow', { action: 'create', name: 'Shared' });
    await b.call('plan', { action: 'create', title: 'P' });
    const [t1, t2] = (await b.call('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two' }] })).structuredContent.tasks;
    const a = await open('stdio', 'client-a');
    const heard = updates(a.client);
    const plain = `flow://tasks/${t1.id}`;
    const encoded = `flow://tasks/${encodeURIComponent(t1.id).replace(/^t/, '%74')}`;
    expect(encoded).not.toBe(plain);
    await a.client.subscribeResource({ uri: plain });
    await a.client.subscribeResource({ uri: encoded });
    await a.client.subscribeResource({ uri: `flow://tasks/${t2.id}` });
    const got = heard.next(encoded);
    await b.call('task', { action: 'set_status', id: t1.id, status: 'done' });
    await got;
    // Then a change to the other task, so anything still queued for the first has arrived.
    const fence = heard.next(`flow://tasks/${t2.id}`);
    await b.call('task', { action: 'update', id: t2.id, description: 'fence' });
    await fence;
    expect(heard.seen.filter((u) => u === plain || u === encoded)).toEqual([encoded]);
    // Unsubscribing by the other spelling ends it.
    await a.client.unsubscribeResource({ uri: plain });
    const before = heard.seen.length;
    await b.call('task', { action: 'update', id: t1.id, description: 'after' });
    const fence2 = heard.next(`flow://tasks/${t2.id}`);
    await b.call('task', { action: 'update', id: t2.id, description: 'fence 2' });
    await fence2;
    expect(heard.seen.slice(before).filter((u) => u === plain || u === encoded)).toEqual([]);
  });
});
