// Team mode over Streamable HTTP, against the real server process on 127.0.0.1 and the SDK's real
// Client: per-session state, DNS-rebinding checks, the bearer token, idle sessions, /metrics, and a
// shutdown that lets the request in flight finish its writes.
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { connectHttp, postWithHeaders, startHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { CLI } from '../helpers/server.js';
import { waitFor } from '../helpers/hooks.js';

let dir: string;
let server: HttpServerProcess | undefined;
let fake: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.stop('SIGKILL');
  await fake?.close();
  server = fake = undefined;
  rmSync(dir, { recursive: true, force: true });
});
const project = () => (dir = mkdtempSync(join(tmpdir(), 'flowmcp-http-')));

const INIT = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
};
function post(url: string, headers: Record<string, string> = {}, body: unknown = INIT): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
    body: JSON.stringify(body),
  });
}

describe('flowmcp serve --http', () => {
  it('gives each session its own current flow over one shared project', async () => {
    server = await startHttpServer(project());
    const a = await connectHttp(server.url, { name: 'agent-a' });
    const b = await connectHttp(server.url, { name: 'agent-b' });
    const fa = (await a.call('flow', { action: 'create', name: 'Billing' })).structuredContent;
    const fb = (await b.call('flow', { action: 'create', name: 'Search' })).structuredContent;
    await a.call('flow', { action: 'switch', id: fa.flow.id });
    await b.call('flow', { action: 'switch', id: fb.flow.id });
    // A plan made without naming a flow lands in each session's own current flow.
    const pa = (await a.call('plan', { action: 'create', title: 'Invoices' })).structuredContent;
    const pb = (await b.call('plan', { action: 'create', title: 'Ranking' })).structuredContent;
    expect(pa.plan.flow_id).toBe(fa.flow.id);
    expect(pb.plan.flow_id).toBe(fb.flow.id);
    // Both see everything in the project.
    const listed = (await b.call('flow', { action: 'list' })).structuredContent;
    expect(listed.flows.map((f: { name: string }) => f.name).sort()).toEqual(['Billing', 'Search']);
    // A client that ends its session (DELETE) is gone from the server's sessions at once.
    const metrics = async () => (await (await fetch(server!.url.replace('/mcp', '/metrics'))).text()).match(/^flowmcp_sessions (\d+)$/m)![1];
    expect(await metrics()).toBe('2');
    await a.transport.terminateSession();
    expect(await metrics()).toBe('1');
    await a.close();
    await b.close();
  });

  it('refuses a foreign Host or Origin (DNS rebinding) and accepts loopback ones', async () => {
    server = await startHttpServer(project());
    // fetch will not send a made-up Host header; node:http will.
    const evilHost = await postWithHeaders(server.port, { host: 'evil.example.com', origin: 'http://evil.example.com' }, INIT);
    expect(evilHost.status).toBe(403);
    expect(JSON.parse(evilHost.body).error.message).toMatch(/Host "evil\.example\.com" is not this server/);
    expect((await post(server.url, { origin: 'http://evil.example.com' })).status).toBe(403);
    expect((await post(server.url, { origin: 'null' })).status).toBe(403);
    expect((await post(server.url, { origin: `http://localhost:${server.port}` })).status).toBe(200);
    expect((await postWithHeaders(server.port, { host: `[::1]:${server.port}` }, INIT)).status).toBe(200);
  });

  it('answers a body that is not JSON, or too big, with a JSON-RPC error and keeps serving', async () => {
    server = await startHttpServer(project());
    const bad = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: '{"jsonrpc": ' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: number } }).error.code).toBe(-32700);
    const huge = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ ...INIT, padding: 'x'.repeat(17 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { error: { message: string } }).error.message).toMatch(/over 16 MB/);
    const c = await connectHttp(server.url);
    expect((await c.call('flow', { action: 'list' })).isError).toBeFalsy();
    await c.close();
  });

  it('requires the bearer token when one is set, on /mcp and /metrics', async () => {
    server = await startHttpServer(project(), [], { FLOW_TOKEN: 's3cret-token-for-tests' });
    const none = await post(server.url);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await post(server.url, { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(server.url.replace('/mcp', '/metrics'))).status).toBe(401);
    await expect(connectHttp(server.url)).rejects.toThrow();
    const c = await connectHttp(server.url, { token: 's3cret-token-for-tests' });
    expect((await c.call('flow', { action: 'create', name: 'Team' })).isError).toBeFalsy();
    await c.close();
    const m = await fetch(server.url.replace('/mcp', '/metrics'), { headers: { authorization: 'Bearer s3cret-token-for-tests' } });
    expect(m.status).toBe(200);
  });

  for (const [token, said] of [
    ['', /FLOW_TOKEN/],
    ['hunter2', /at least 16 characters \(FLOW_TOKEN has 7\)/],
  ] as const) {
    it(`will not listen beyond loopback ${token ? 'with a short token, and says how long one must be' : 'without a token, and says how to set one'}`, () => {
      const r = spawnSync(process.execPath, [CLI, 'serve', '--http', '--host', '0.0.0.0', '--port', '0', '--dir', project()], {
        encoding: 'utf8',
        env: { ...process.env, FLOW_TOKEN: token },
        timeout: 20_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(said);
      if (token) expect(r.stderr).not.toContain(token); // the token itself is never printed
      expect(r.stdout).toBe('');
    });
  }

  it('rejects bad serve flags before starting', () => {
    const r = spawnSync(process.execPath, [CLI, 'serve', '--http', '--port', 'eighty', '--dir', project()], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--port takes a number/);
    const s = spawnSync(process.execPath, [CLI, 'serve', '--port', '80', '--dir', dir], { encoding: 'utf8', timeout: 20_000 });
    expect(s.status).toBe(2);
    expect(s.stderr).toMatch(/add --http/);
    const m = spawnSync(process.execPath, [CLI, 'serve', '--http', '--max-sessions', '0', '--dir', dir], { encoding: 'utf8', timeout: 20_000 });
    expect(m.status).toBe(2);
    expect(m.stderr).toMatch(/--max-sessions must be at least 1/);
  });

  it('closes sessions idle past --idle-seconds; the client is told to start a new one', async () => {
    server = await startHttpServer(project(), ['--idle-seconds', '1']);
    const c = await connectHttp(server.url);
    await c.call('flow', { action: 'create', name: 'Short-lived' });
    const sessionId = c.transport.sessionId!;
    // Wait for the server's sweep to close it (a /metrics read names no session, so it keeps none alive),
    // not for a fixed time: on a loaded machine the sweep's timer can run late.
    const metricsUrl = server.url.replace('/mcp', '/metrics');
    await waitFor('the idle session closed', async () => /^flowmcp_sessions 0$/m.test(await (await fetch(metricsUrl)).text()));
    const r = await post(server.url, { 'mcp-session-id': sessionId, 'mcp-protocol-version': '2025-06-18' }, { jsonrpc: '2.0', id: 9, method: 'ping' });
    expect(r.status).toBe(404);
    expect(await r.text()).toMatch(/start a new one with initialize/);
    const metrics = await (await fetch(server.url.replace('/mcp', '/metrics'))).text();
    expect(metrics).toMatch(/^flowmcp_sessions 0$/m);
    const again = await connectHttp(server.url);
    expect((await again.call('flow', { action: 'list' })).structuredContent.flows).toHaveLength(1);
    await again.close();
  });

  it('at --max-sessions makes room for a newcomer by closing the least recently used idle session, never-used ones first', async () => {
    server = await startHttpServer(project(), ['--max-sessions', '2']);
    const headers = (sid: string) => ({ 'mcp-session-id': sid, 'mcp-protocol-version': '2025-06-18' });
    const ping = (sid: string) => post(server!.url, headers(sid), { jsonrpc: '2.0', id: 9, method: 'ping' });
    const a = await connectHttp(server.url, { name: 'a' }); // makes calls (tools/list)
    await a.call('flow', { action: 'create', name: 'Kept' });
    // b only initializes, as a client opening sessions in a loop would.
    const b = (await post(server.url)).headers.get('mcp-session-id')!;
    expect(b).toBeTruthy();
    // Full: c gets in, and b (never used, though newer than a) is the one closed.
    const c = await connectHttp(server.url, { name: 'c' });
    expect((await ping(b)).status).toBe(404);
    expect(await (await ping(b)).text()).toMatch(/start a new one with initialize/);
    // Both left have made calls: the least recently used one (c, once a calls again) makes room.
    await a.call('flow', { action: 'list' });
    const d = await connectHttp(server.url, { name: 'd' });
    expect((await ping(c.transport.sessionId!)).status).toBe(404);
    expect((await a.call('flow', { action: 'list' })).structuredContent.flows).toHaveLength(1);
    expect((await d.call('flow', { action: 'list' })).structuredContent.flows).toHaveLength(1);
    const metrics = await (await fetch(server.url.replace('/mcp', '/metrics'))).text();
    expect(metrics).toMatch(/^flowmcp_sessions 2$/m);
    await a.close();
    await d.close();
    await c.close().catch(() => undefined);
  });

  it('refuses a newcomer with 503 only while every session is busy answering a request', async () => {
    project();
    fake = await startFakeOpenAI({ dim: 8, hold: true });
    mkdirSync(join(dir, 'docs'));
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, 'docs', `n${i}.md`), `# Note ${i}\n\n${'Words about topic ' + i + '. '.repeat(40)}\n\n## More\n\nbody ${i}`);
    // The remote embedder is the user's choice (environment), never the project's.
    server = await startHttpServer(dir, ['--max-sessions', '1'], { FLOW_EMBEDDER: 'openai', FLOW_EMBED_MODEL: 'slow', FLOW_EMBED_DIMENSIONS: '8', FLOW_OPENAI_BASE_URL: fake.baseURL });
    const a = await connectHttp(server.url);
    let settled = false;
    const pending = a.call('document', { action: 'index', paths: ['docs/**/*.md'] }).finally(() => (settled = true));
    // The embedder has been asked (so the call is in flight), or the call ended without asking it.
    while (fake.requests.length === 0 && !settled) await new Promise((r) => setTimeout(r, 10));
    expect(fake.requests.length, 'the index call never reached the embedder').toBeGreaterThan(0);
    const refused = await post(server.url);
    expect(refused.status).toBe(503);
    expect(await refused.text()).toMatch(/busy answering requests: try again in a moment/);
    fake.release();
    expect((await pending).isError).toBeFalsy();
    // Idle again: the next newcomer takes its place.
    const b = await connectHttp(server.url);
    expect((await b.call('flow', { action: 'list' })).isError).toBeFalsy();
    await b.close();
    await a.close().catch(() => undefined);
  });

  it('serves Prometheus metrics: tool calls, errors, latency, counts', async () => {
    server = await startHttpServer(project());
    const c = await connectHttp(server.url);
    await c.call('flow', { action: 'create', name: 'Metrics' });
    await c.call('plan', { action: 'create', title: 'P' });
    await c.call('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two' }, { title: 'three' }] });
    await c.call('task', { action: 'get', id: 't-nope' });
    const text = await (await fetch(server.url.replace('/mcp', '/metrics'))).text();
    expect(text).toMatch(/^flowmcp_tool_calls_total\{tool="flow",action="create",outcome="ok"\} 1$/m);
    expect(text).toMatch(/^flowmcp_tool_calls_total\{tool="task",action="get",outcome="error"\} 1$/m);
    expect(text).toMatch(/^flowmcp_tool_errors_total\{tool="task",code="not_found"\} 1$/m);
    expect(text).toMatch(/^flowmcp_tool_call_duration_seconds_count\{tool="task"\} 2$/m);
    expect(text).toMatch(/^flowmcp_tool_call_duration_seconds_bucket\{tool="task",le="\+Inf"\} 2$/m);
    expect(text).toMatch(/^flowmcp_tasks\{status="todo"\} 3$/m);
    expect(text).toMatch(/^flowmcp_flows\{status="active"\} 1$/m);
    expect(text).toMatch(/^flowmcp_sessions 1$/m);
    expect(text).toMatch(/^flowmcp_index_chunks \d+$/m);
    // Every sample line parses as name{labels} value.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) expect(line).toMatch(/^[a-z_]+(\{[^}]*\})? [0-9.e+-]+$/);
    await c.close();
  });

  it('on SIGTERM finishes the request in flight (and its writes) before exiting 0', async () => {
    project();
    fake = await startFakeOpenAI({ dim: 8, batchDelayMs: 150 });
    mkdirSync(join(dir, 'docs'));
    for (let i = 0; i < 40; i++) writeFileSync(join(dir, 'docs', `n${i}.md`), `# Note ${i}\n\n${'Words about topic ' + i + '. '.repeat(40)}\n\n## More\n\nbody ${i}`);
    // The embedder comes from the environment: a project's .flow/config.json cannot choose an endpoint.
    server = await startHttpServer(dir, [], { FLOW_EMBEDDER: 'openai', FLOW_EMBED_MODEL: 'slow', FLOW_EMBED_DIMENSIONS: '8', FLOW_OPENAI_BASE_URL: fake.baseURL });
    const c = await connectHttp(server.url);
    const pending = c.call('document', { action: 'index', paths: ['docs/**/*.md'] });
    // Stop once the first vectors went out: the call is then waiting on the (slow) embedder.
    while (fake.requests.length === 0) await new Promise((r) => setTimeout(r, 10));
    server.child.kill('SIGTERM');
    const r = await pending;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.report.indexed_count).toBe(40);
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toMatch(/finishing requests in flight/);
    const db = new Database(join(dir, '.flow', 'flow.db'), { readonly: true });
    const chunks = (db.prepare('SELECT COUNT(*) AS n, MAX(id) AS top FROM chunks').get() as { n: number; top: number });
    const upto = (db.prepare("SELECT upto FROM vector_progress WHERE embedder LIKE 'openai:%'").get() as { upto: number }).upto;
    db.close();
    expect(chunks.n).toBeGreaterThan(40);
    expect(upto).toBe(chunks.top); // every chunk's vector was stored before the process left
    server = undefined;
  });
});
