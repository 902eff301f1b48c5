// GET /events against the real HTTP server process: resuming with Last-Event-ID while another process
// writes misses nothing and repeats nothing; ?since=, filters, the token and Origin checks, the cap on
// streams, and a client that stops reading delays no one else.
import { rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { startHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { tempDir } from '../helpers/workspace.js';
import { spawnSync } from 'node:child_process';
import { CLI } from '../helpers/server.js';

let dir: string;
let server: HttpServerProcess | undefined;
let writer: Connected | undefined;
const open: IncomingMessage[] = [];
afterEach(async () => {
  for (const r of open.splice(0)) r.destroy();
  await writer?.close().catch(() => undefined);
  await server?.stop('SIGKILL');
  server = writer = undefined;
  rmSync(dir, { recursive: true, force: true });
});

interface Frame {
  id?: string;
  event?: string;
  data?: string;
}

/** A raw SSE reader over node:http (headers exactly as given): frames as they arrive, and a way to wait for a condition. */
function sse(port: number, path: string, headers: Record<string, string> = {}) {
  const frames: Frame[] = [];
  let waiters: (() => void)[] = [];
  let res: IncomingMessage | undefined;
  const started = new Promise<{ status: number; headers: IncomingMessage['headers']; body: () => string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { accept: 'text/event-stream', ...headers } }, (r) => {
      res = r;
      open.push(r);
      let buf = '';
      let all = '';
      r.setEncoding('utf8');
      r.on('data', (d: string) => {
        all += d;
        buf += d;
        let at: number;
        while ((at = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, at);
          buf = buf.slice(at + 2);
          const f: Frame = {};
          for (const line of block.split('\n')) {
            const m = /^(id|event|data): ?(.*)$/.exec(line);
            if (m) f[m[1] as keyof Frame] = m[2];
          }
          if (f.data !== undefined || f.event !== undefined) frames.push(f);
        }
        const w = waiters;
        waiters = [];
        for (const fn of w) fn();
      });
      resolve({ status: r.statusCode ?? 0, headers: r.headers, body: () => all });
    });
    req.on('error', reject);
    req.end();
  });
  return {
    started,
    frames,
    /** Events (`change` frames) parsed. */
    events: () => frames.filter((f) => f.event === 'change').map((f) => ({ id: Number(f.id), ...JSON.parse(f.data!) })),
    until: async (ok: () => boolean) => {
      while (!ok()) await new Promise<void>((r) => waiters.push(r));
    },
    close: () => res?.destroy(),
    response: () => res,
  };
}

/** The whole log as `flowmcp events --json` prints it (a separate process). */
function logSeqs(): number[] {
  const r = spawnSync(process.execPath, [CLI, 'events', '--json', '--since', '0', '--dir', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l).seq as number);
}

describe('GET /events', () => {
  it('resumes with Last-Event-ID across a reconnect while another process writes: nothing missed, nothing twice', async () => {
    dir = tempDir();
    server = await startHttpServer(dir, [], { FLOW_TOKEN: 'sekrit-token-1234' });
    const auth = { authorization: 'Bearer sekrit-token-1234' };
    writer = await connect({ dir, name: 'writer' }); // a stdio server process: another writer on the same .flow/
    await writer.call('flow', { action: 'create', name: 'Stream' });
    await writer.call('plan', { action: 'create', title: 'P' });

    const first = sse(server.port, '/events?since=0', auth);
    expect((await first.started).status).toBe(200);
    expect((await first.started).headers['content-type']).toMatch(/^text\/event-stream/);
    // The writer goes on in the background: 40 tasks, one call each.
    const writing = (async () => {
      for (let i = 0; i < 40; i++) await writer!.call('task', { action: 'create', title: `task ${i}` });
    })();
    await first.until(() => first.events().length >= 5);
    first.close();
    const got = first.events();
    const last = got[got.length - 1]!.id;

    // Reconnect as a browser does: the last id seen, in Last-Event-ID (the URL still says since=0).
    const second = sse(server.port, '/events?since=0', { ...auth, 'last-event-id': String(last) });
    expect((await second.started).status).toBe(200);
    await writing;
    const end = logSeqs().at(-1)!;
    await second.until(() => [...got, ...second.events()].some((e) => e.id === end));
    const seqs = [...got, ...second.events()].map((e) => e.id);
    expect(seqs).toEqual(logSeqs()); // every event exactly once, in order
    // The payload: the documented fields, `id:` is the seq.
    const e = [...got, ...second.events()].at(-1)!;
    expect(Object.keys(e).filter((k) => k !== 'id').sort()).toEqual(['action', 'agent', 'at', 'changes', 'entity', 'entity_id', 'flow_id', 'seq', 'session_id', 'summary']);
    expect(e).toMatchObject({ id: e.seq, action: 'task.create', entity: 'task', agent: 'writer', summary: 'created task "task 39" in plan ' + e.summary.split(' ').at(-1) });
    second.close();

    // A position past the end of the log (a database replaced by an older copy) is said, then the stream goes on from the end.
    const ahead = sse(server.port, '/events', { ...auth, 'last-event-id': String(end + 1000) });
    await ahead.until(() => ahead.frames.some((f) => f.event === 'reset'));
    expect(JSON.parse(ahead.frames.find((f) => f.event === 'reset')!.data!)).toEqual({ last_event_id: end + 1000, newest: end });
    await writer.call('task', { action: 'create', title: 'after the reset' });
    await ahead.until(() => ahead.events().length === 1);
    expect(ahead.events()[0]!.id).toBe(end + 1);
    ahead.close();

    // ?since=N without the header; ?entity= filters.
    const since = sse(server.port, `/events?since=${end - 3}&entity=task`, auth);
    await since.until(() => since.events().length === 4);
    expect(since.events().map((x) => x.id)).toEqual([end - 2, end - 1, end, end + 1]);
    since.close();
  });

  it('is refused without the token, with a foreign Origin, with a bad Last-Event-ID, and past --max-event-streams', async () => {
    dir = tempDir();
    server = await startHttpServer(dir, ['--max-event-streams', '1'], { FLOW_TOKEN: 'sekrit-token-1234' });
    const auth = { authorization: 'Bearer sekrit-token-1234' };
    const noToken = sse(server.port, '/events');
    expect((await noToken.started).status).toBe(401);
    const badToken = sse(server.port, '/events', { authorization: 'Bearer wrong' });
    expect((await badToken.started).status).toBe(401);
    const foreign = sse(server.port, '/events', { ...auth, origin: 'https://evil.example' });
    expect((await foreign.started).status).toBe(403);
    const badHost = sse(server.port, '/events', { ...auth, host: 'evil.example' });
    expect((await badHost.started).status).toBe(403);
    const badId = sse(server.port, '/events', { ...auth, 'last-event-id': 'abc' });
    expect((await badId.started).status).toBe(400);
    const badEntity = sse(server.port, '/events?entity=planet', auth);
    expect((await badEntity.started).status).toBe(400);
    const one = sse(server.port, '/events', auth);
    expect((await one.started).status).toBe(200);
    const metrics = await (await fetch(server.url.replace('/mcp', '/metrics'), { headers: auth })).text();
    expect(metrics).toMatch(/^flowmcp_event_streams 1$/m);
    const two = sse(server.port, '/events', auth);
    expect((await two.started).status).toBe(503);
    expect((await two.started).headers['retry-after']).toBeDefined();
    // Closing one makes room.
    one.close();
    for (;;) {
      const again = sse(server.port, '/events', auth);
      const s = (await again.started).status;
      again.close();
      if (s === 200) break;
      expect(s).toBe(503);
      await new Promise((r) => setTimeout(r, 50));
    }
  });

  it('a client that stops reading holds nobody else up', async () => {
    dir = tempDir();
    server = await startHttpServer(dir);
    writer = await connect({ dir, name: 'writer' });
    await writer.call('flow', { action: 'create', name: 'Busy' });
    await writer.call('plan', { action: 'create', title: 'P' });
    const stuck = sse(server.port, '/events?since=0');
    await stuck.started;
    stuck.response()!.pause(); // reads nothing from here on: its socket fills up
    const reader = sse(server.port, '/events?since=0');
    await reader.started;
    // Several megabytes of events (long titles): far more than the stuck client's socket buffers hold.
    const long = 'x'.repeat(180);
    for (let i = 0; i < 40; i++) {
      await writer.call('task', { action: 'create', tasks: Array.from({ length: 100 }, (_, j) => ({ title: `${long} ${i}-${j}` })) });
    }
    const end = logSeqs().at(-1)!;
    await reader.until(() => reader.events().some((e) => e.id === end));
    expect(reader.events().map((e) => e.id)).toEqual(logSeqs());
    // The server still answers /mcp and /metrics meanwhile.
    expect((await fetch(server.url.replace('/mcp', '/metrics'))).status).toBe(200);
  });
});
