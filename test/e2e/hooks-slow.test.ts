// One slow hook stalls nothing else: with a pre hook holding one client's call and a post hook still
// running, another client of the same HTTP server (one process, one workspace) is answered — reads
// and writes — while both hooks are demonstrably still running, and the other hook keeps delivering.
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connectHttp, startHttpServer, type HttpConnected, type HttpServerProcess } from '../helpers/http-server.js';
import { tempDir } from '../helpers/workspace.js';
import { readRecorded, recorder, userConfig, waitFor } from '../helpers/hooks.js';

let dir: string;
let project: string;
let server: HttpServerProcess | undefined;
const clients: HttpConnected[] = [];

beforeEach(() => {
  dir = tempDir();
  project = join(dir, 'project');
  mkdirSync(project);
});
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close().catch(() => undefined);
  await server?.stop('SIGKILL');
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});

const node = process.execPath;
const MARK = ['FLOWMCP_TEST_CHILD'];

describe('slow hooks', () => {
  it('a pre hook and a post hook that block do not delay another client, nor another hook', async () => {
    const script = recorder(dir);
    const gate = join(dir, 'gate.jsonl');
    const slowPost = join(dir, 'slow-post.jsonl');
    const quick = join(dir, 'quick.jsonl');
    const env = userConfig(join(dir, 'cfg'), [
      // Blocks a flow's task creation until the test lets it go (well inside its timeout).
      { name: 'gate', when: 'pre', events: ['task.created'], filter: { agent: 'slow-client' }, run: [node, script, gate, 'block'], timeout_ms: 60_000, env: MARK },
      { name: 'slow-post', when: 'post', events: ['plan.created'], run: [node, script, slowPost, 'block'], timeout_ms: 60_000, env: MARK },
      { name: 'quick', when: 'post', events: ['task.created', 'plan.created'], run: [node, script, quick], env: MARK },
    ]);
    server = await startHttpServer(project, [], env);
    const slow = await connectHttp(server.url, { name: 'slow-client' });
    const other = await connectHttp(server.url, { name: 'other-client' });
    clients.push(slow, other);
    await other.call('flow', { action: 'create', name: 'F' });
    const plan = (await other.call('plan', { action: 'create', title: 'P' })).structuredContent.plan;
    await waitFor('the slow post hook running', () => existsSync(`${slowPost}.started`));

    let slowDone = false;
    const held = slow.call('task', { action: 'create', title: 'held', plan_id: plan.id }).then((r) => ((slowDone = true), r));
    await waitFor('the pre hook running', () => existsSync(`${gate}.started`));

    // Both hooks are still running (neither was let go); the other client is answered, reads and writes.
    expect((await other.call('task', { action: 'list' })).isError).toBe(false);
    const mine = await other.call('task', { action: 'create', title: 'not held', plan_id: plan.id });
    expect(mine.isError).toBe(false);
    expect((await other.call('flow', { action: 'get' })).isError).toBe(false);
    // ...and the quick hook delivered the other client's task while the slow post hook still runs.
    await waitFor('the quick hook', () => readRecorded(quick).some((r) => r.payload.entity_id === mine.structuredContent.task.id));
    expect(slowDone).toBe(false);
    expect(existsSync(`${gate}.go`) || existsSync(`${slowPost}.go`)).toBe(false);

    writeFileSync(`${gate}.go`, '');
    const r = await held;
    expect(r.isError).toBe(false);
    writeFileSync(`${slowPost}.go`, '');
    await waitFor('the held task delivered too', () => readRecorded(quick).some((x) => x.payload.entity_id === (r.structuredContent as any).task.id));
    // The HTTP server's /metrics has the same counters, by hook.
    const page = await waitFor('the counters on /metrics', async () => {
      const text = await (await fetch(server!.url.replace('/mcp', '/metrics'))).text();
      return /flowmcp_hook_runs_total\{hook="gate",when="pre"\} 1/.test(text) && text;
    });
    expect(page).toMatch(/flowmcp_hook_runs_total\{hook="quick",when="post"\} \d+/);
    expect(page).toMatch(/flowmcp_hook_backlog\{hook="quick",when="post"\} \d+/);
  });
});
