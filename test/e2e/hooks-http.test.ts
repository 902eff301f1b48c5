// HTTP hooks against a real loopback receiver: signed with HMAC-SHA256 from a secret in the
// environment; a receiver that is down gets the backlog, in order, once it is back (and hooks list
// shows the failures and backlog meanwhile); and kill -9 of the delivering server — after the
// receiver acknowledged but before the ack was recorded, and after it was recorded — loses nothing
// and delivers nothing twice once its acknowledgement is recorded.
import { createHmac } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';
import { cli, freePort, hookRow, Receiver, userConfig, waitFor } from '../helpers/hooks.js';
import { letGo, pauseEnv, reached } from '../helpers/pause.js';

let dir: string;
let project: string;
let receiver: Receiver | undefined;
const servers: Connected[] = [];

beforeEach(() => {
  dir = tempDir();
  project = join(dir, 'project');
  mkdirSync(project);
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close().catch(() => undefined);
  await receiver?.stop();
  receiver = undefined;
  rmSync(dir, { recursive: true, force: true });
});

async function start(env: Record<string, string>): Promise<Connected> {
  const s = await connect({ dir: project, env });
  servers.push(s);
  return s;
}

/** Tasks made by a CLI that has no hooks configured: only the running server delivers them. */
function makeTasks(titles: string[]): string[] {
  return titles.map((t) => JSON.parse(cli(project, {}, 'task', 'create', '--title', t, '--json').out).task.id as string);
}

const seqsOf = (r: Receiver) => r.got.map((d) => d.json.seq as number);

describe('HTTP hooks', () => {
  it('a receiver that is down gets the signed backlog in order when it comes back; plan.completed reaches it', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/hook`;
    const env = {
      ...userConfig(join(dir, 'cfg'), [{ name: 'notify', when: 'post', events: ['task.created', 'plan.completed'], url, secret_env: 'TEST_HOOK_SECRET' }]),
      TEST_HOOK_SECRET: 's3cret',
    };
    const server = await start(env);
    await server.call('flow', { action: 'create', name: 'F' });
    const plan = (await server.call('plan', { action: 'create', title: 'Launch' })).structuredContent.plan;
    const ids: string[] = [];
    for (const t of ['a', 'b', 'c']) ids.push((await server.call('task', { action: 'create', title: t })).structuredContent.task.id);
    await server.call('plan', { action: 'update', id: plan.id, status: 'done' });

    // Down: the failures and the backlog are visible, and the server keeps answering.
    await waitFor('a failed attempt', () => (hookRow(project, 'notify')?.failures ?? 0) > 0);
    const list = JSON.parse(cli(project, env, 'hooks', 'list', '--json').out).hooks[0];
    expect(list).toMatchObject({ name: 'notify', backlog: 4 });
    expect(list.failures).toBeGreaterThan(0);
    expect(list.last_error).toMatch(/unreachable: ECONNREFUSED/);
    expect((await server.call('task', { action: 'list' })).isError).toBe(false);

    receiver = await new Receiver().start(port);
    await waitFor('the backlog', () => receiver!.got.length >= 4, 90_000);
    expect(receiver.got.map((d) => d.json.event)).toEqual(['task.created', 'task.created', 'task.created', 'plan.completed']);
    expect(receiver.got.slice(0, 3).map((d) => d.json.entity_id)).toEqual(ids);
    expect(receiver.got[3]!.json).toMatchObject({ entity_id: plan.id, status: 'done', flow_id: plan.flow_id });
    const seqs = seqsOf(receiver);
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    for (const d of receiver.got) {
      expect(d.headers['x-flowmcp-signature']).toBe(`sha256=${createHmac('sha256', 's3cret').update(d.body).digest('hex')}`);
      expect(d.headers['x-flowmcp-event']).toBe(d.json.event);
      expect(d.headers['x-flowmcp-delivery']).toBe(`notify:${d.json.seq}`);
    }
    await waitFor('the backlog recorded as delivered', () => JSON.parse(cli(project, env, 'hooks', 'list', '--json').out).hooks[0].backlog === 0);
    expect(receiver.got).toHaveLength(4); // and nothing twice
  });

  it('kill -9 between the ack and its record redelivers that one event; after the record, never again', async () => {
    receiver = await new Receiver().start();
    const hooks = [{ name: 'notify', when: 'post', events: ['task.created'], url: receiver.url, timeout_ms: 3000 }];
    const env = userConfig(join(dir, 'cfg'), hooks);
    cli(project, {}, 'flow', 'create', '--name', 'F');
    cli(project, {}, 'plan', 'create', '--title', 'P');
    const delivered = (from = 0) => receiver!.got.slice(from).map((d) => d.json.entity_id as string);

    // 1. Killed after the receiver acknowledged, before the cursor moved.
    const pauseA = join(dir, 'pause-a');
    mkdirSync(pauseA);
    const a = await start({ ...env, ...pauseEnv(pauseA, 'hook-acked') });
    await waitFor('the hook first seen', () => hookRow(project, 'notify'));
    const first = makeTasks(['t1', 't2', 't3']);
    await reached(pauseA, 'hook-acked', 1, 40_000);
    expect(new Set(delivered())).toEqual(new Set([first[0]])); // (twice only if an attempt timed out before its answer)
    const s1 = receiver.got[0]!.json.seq as number;
    expect(hookRow(project, 'notify')!.cursor).toBeLessThan(s1); // acknowledged, not recorded
    process.kill(a.transport.pid!, 'SIGKILL');
    const killedAt = receiver.got.length;

    const b = await start(env); // takes over once a's lease has expired
    const last1 = await waitFor('all three after the restart', () => {
      const row = hookRow(project, 'notify')!;
      const d = receiver!.got.find((x) => x.json.entity_id === first[2]);
      return d && row.cursor >= d.json.seq && (d.json.seq as number);
    });
    // The unrecorded one is delivered again (at least once), then the rest in order.
    expect(dedupe(delivered(killedAt))).toEqual(first);
    await b.close();

    // 2. Killed after the ack was recorded: that event is never delivered again.
    const pauseC = join(dir, 'pause-c');
    mkdirSync(pauseC);
    await start({ ...env, ...pauseEnv(pauseC, 'hook-recorded') });
    const before = receiver.got.length;
    const second = makeTasks(['u1', 'u2', 'u3']);
    const [pid] = await reached(pauseC, 'hook-recorded', 1, 40_000);
    expect(new Set(delivered(before))).toEqual(new Set([second[0]]));
    const u1 = receiver.got[before]!.json.seq as number;
    expect(u1).toBeGreaterThan(last1);
    expect(hookRow(project, 'notify')!.cursor).toBe(u1); // recorded
    process.kill(pid!, 'SIGKILL');
    letGo(pauseC, 'hook-recorded');
    const recordedAt = receiver.got.length;

    await start(env);
    await waitFor('the rest after the restart', () => {
      const d = receiver!.got.find((x) => x.json.entity_id === second[2]);
      return d && hookRow(project, 'notify')!.cursor >= d.json.seq;
    });
    expect(dedupe(delivered(recordedAt))).toEqual(second.slice(1)); // u1 not again
    // Nothing lost, and first deliveries in log order.
    const firsts = dedupe(receiver.got.map((d) => d.json.seq as number));
    expect(firsts).toHaveLength(6);
    expect([...firsts].sort((x, y) => x - y)).toEqual(firsts);
  });
});

/** Consecutive repeats folded (a redelivery follows its first try directly: delivery is in order). */
function dedupe<T>(xs: T[]): T[] {
  return xs.filter((x, i) => i === 0 || xs[i - 1] !== x);
}
