// One caller cannot stall or exhaust everyone (team mode over HTTP), against the real server process on
// 127.0.0.1 with raw sockets, so a test controls exactly which bytes are sent and when: a body over the
// limit is cut off (413, connection closed), a stalled one times out (408), unfinished bodies past the
// shared budget are refused (503) while a normal session keeps working, a client that hangs up mid-body
// leaves no stack trace in the log, and an error never echoes an unbounded header. No test waits on a
// clock to decide: each one orders its steps by what the server has answered (or shows in /metrics).
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { connectHttp, postWithHeaders, startHttpServer, type HttpServerProcess } from '../helpers/http-server.js';

const PING = { jsonrpc: '2.0', id: 9, method: 'ping' };

let dir: string;
let server: HttpServerProcess | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await server?.stop('SIGKILL');
  server = undefined;
  rmSync(dir, { recursive: true, force: true });
});
const project = () => (dir = mkdtempSync(join(tmpdir(), 'flowmcp-http-limits-')));

const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
});

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * A POST /mcp over a raw socket: the head is sent at once, the body only as the test writes it.
 * `response` settles once a whole response has arrived; `closed` once the server has closed the connection.
 */
function rawPost(port: number, headers: Record<string, string>) {
  const sock = connect(port, '127.0.0.1');
  sockets.push(sock);
  sock.on('error', () => undefined); // a reset after the answer is the server cutting the body off
  const head = Object.entries({ host: `127.0.0.1:${port}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  sock.write(`POST /mcp HTTP/1.1\r\n${head}\r\n`);
  let buf = '';
  let answered: ((r: RawResponse) => void) | undefined;
  const response = new Promise<RawResponse>((resolve) => (answered = resolve));
  const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
  const tryParse = () => {
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const lines = buf.slice(0, end).split('\r\n');
    const hs: Record<string, string> = {};
    for (const l of lines.slice(1)) hs[l.slice(0, l.indexOf(':')).toLowerCase()] = l.slice(l.indexOf(':') + 1).trim();
    const length = Number(hs['content-length'] ?? NaN);
    const body = buf.slice(end + 4);
    if (Number.isFinite(length) && Buffer.byteLength(body) < length) return;
    answered?.({ status: Number(lines[0]!.split(' ')[1]), headers: hs, body });
  };
  sock.on('data', (d: Buffer) => {
    buf += d.toString();
    tryParse();
  });
  // A write settles once it is flushed, or once the server closed the connection (it stopped reading).
  const write = (data: string | Buffer) => Promise.race([new Promise<void>((r) => sock.write(data, () => r())), closed]);
  return { sock, response, closed, write };
}

async function metric(s: HttpServerProcess, name: string): Promise<number> {
  const text = await (await fetch(s.url.replace('/mcp', '/metrics'))).text();
  const m = new RegExp(`^${name} (\\d+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Waits until the server shows `n` bodies being received (ordering, not timing: each step is a round trip). */
async function bodiesReceiving(s: HttpServerProcess, n: number): Promise<void> {
  while ((await metric(s, 'flowmcp_http_bodies_receiving')) !== n) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Sends a chunked body a piece at a time, each only once the server has read the one before (its
 * /metrics shows the bytes held; the first 16 KB of a body are not counted), until the server answers.
 * Sending on into a connection the server is closing would reset it, and the answer could be lost.
 */
async function sendUntilAnswered(s: HttpServerProcess, p: ReturnType<typeof rawPost>, pieceBytes: number, maxPieces: number) {
  const piece = Buffer.alloc(pieceBytes, 'y');
  let answer: RawResponse | undefined;
  void p.response.then((x) => (answer = x));
  let sent = 0;
  const base = await metric(s, 'flowmcp_http_body_bytes'); // what other bodies hold
  while (!answer && sent < maxPieces) {
    await p.write(Buffer.concat([Buffer.from(`${piece.length.toString(16)}\r\n`), piece, Buffer.from('\r\n')]));
    sent++;
    while (!answer && (await metric(s, 'flowmcp_http_body_bytes')) - base < sent * pieceBytes - 16 * 1024) await new Promise((r) => setTimeout(r, 10));
  }
  return { response: await p.response, sent };
}

describe('HTTP: one caller cannot stall or exhaust everyone', () => {
  it('answers a body over the limit with 413 and closes the connection, without reading the rest', async () => {
    server = await startHttpServer(project());
    // Declared too long: refused before any of it is sent or read.
    const declared = rawPost(server.port, { 'content-length': String(17 * 1024 * 1024) });
    const r = await declared.response;
    expect(r.status).toBe(413);
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.body).error.message).toMatch(/over 16 MB/);
    await declared.closed;
    // No length given (chunked): cut off once past the limit, though the client never finishes.
    const chunked = rawPost(server.port, { 'transfer-encoding': 'chunked' });
    const { response: c, sent } = await sendUntilAnswered(server, chunked, 1024 * 1024, 40);
    expect(c.status).toBe(413);
    expect(c.headers.connection).toBe('close');
    await chunked.closed;
    expect(sent).toBe(17); // cut off once past 16 MB, not at an end that never comes
    const client = await connectHttp(server.url);
    expect((await client.call('flow', { action: 'list' })).isError).toBeFalsy();
    await client.close();
  });

  it('answers a body that stops arriving with 408 and closes the connection (--body-timeout-seconds)', async () => {
    server = await startHttpServer(project(), ['--body-timeout-seconds', '1']);
    const stalled = rawPost(server.port, { 'content-length': '1000' });
    await stalled.write('{"jsonrpc": "2.0", ');
    const r = await stalled.response;
    expect(r.status).toBe(408);
    expect(r.headers.connection).toBe('close');
    expect(JSON.parse(r.body).error.message).toMatch(/stopped arriving/);
    await stalled.closed;
    const client = await connectHttp(server.url);
    expect((await client.call('flow', { action: 'list' })).isError).toBeFalsy();
    await client.close();
  });

  it('refuses unfinished bodies past --body-buffer-mb with 503 + Retry-After while a normal session keeps working', async () => {
    server = await startHttpServer(project(), ['--body-buffer-mb', '1']);
    const steady = await connectHttp(server.url, { name: 'steady' });
    await steady.call('flow', { action: 'create', name: 'Kept' });
    // Each declares 300 KB and sends a third of it, then stops: three fit in 1 MB, the rest do not.
    const held: ReturnType<typeof rawPost>[] = [];
    const refused: RawResponse[] = [];
    for (let i = 0; i < 6; i++) {
      const p = rawPost(server.port, { 'content-length': String(300 * 1024) });
      let answer: RawResponse | undefined;
      void p.response.then((x) => (answer = x));
      // Whichever comes first, in order: the server answered (refused), or it counts this body as being received.
      for (;;) {
        if (answer) break;
        if ((await metric(server, 'flowmcp_http_bodies_receiving')) === held.length + 1) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      if (answer) {
        refused.push(answer);
        await p.closed;
      } else {
        await p.write(Buffer.alloc(100 * 1024, 'z'));
        held.push(p);
      }
    }
    expect(held).toHaveLength(3);
    expect(refused).toHaveLength(3);
    for (const r of refused) {
      expect(r.status).toBe(503);
      expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
      expect(JSON.parse(r.body).error.message).toMatch(/request bodies .* being received/);
    }
    // The normal session is not refused: small calls never wait on the shared budget.
    expect((await steady.call('flow', { action: 'list' })).structuredContent.flows).toHaveLength(1);
    const newcomer = await connectHttp(server.url, { name: 'newcomer' });
    expect((await newcomer.call('task', { action: 'list' })).isError).toBeFalsy();
    // A body without a length is held to the same budget as it grows.
    const chunked = rawPost(server.port, { 'transfer-encoding': 'chunked' });
    const grown = await sendUntilAnswered(server, chunked, 64 * 1024, 64);
    expect(grown.response.status).toBe(503);
    expect(grown.sent).toBeLessThan(64);
    // Hanging up frees the budget: a newcomer's large body fits again.
    for (const h of held) h.sock.destroy();
    await bodiesReceiving(server, 0);
    expect(await metric(server, 'flowmcp_http_body_bytes')).toBe(0);
    const big = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { ...JSON.parse(INIT).params, capabilities: { experimental: { padding: { text: 'p'.repeat(500 * 1024) } } } } }),
    });
    expect(big.status, await big.clone().text()).toBe(200);
    await steady.close();
    await newcomer.close();
  });

  it('treats a client hanging up mid-body as an ordinary disconnect: no stack trace, no error line', async () => {
    server = await startHttpServer(project());
    for (let i = 0; i < 5; i++) {
      const p = rawPost(server.port, { 'content-length': '100000' });
      await p.write(Buffer.alloc(1000, 'a'));
      await p.write(Buffer.alloc(1000, 'b'));
      // Ordering: the server has counted the request once its response closed, i.e. after it saw the hang-up.
      const before = await requestsSeen(server);
      p.sock.resetAndDestroy();
      while ((await requestsSeen(server)) === before) await new Promise((r) => setTimeout(r, 20));
    }
    const client = await connectHttp(server.url);
    expect((await client.call('flow', { action: 'list' })).isError).toBeFalsy();
    await client.close();
    const stderrClosed = new Promise<void>((r) => server!.child.stderr!.once('close', () => r()));
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await stderrClosed;
    const err = server.stderr();
    expect(err).not.toMatch(/aborted|ECONNRESET|Internal error/);
    expect(err).not.toMatch(/^\s+at /m);
    expect(err).not.toMatch(/flowmcp error/);
    server = undefined;
  });

  it('keeps an idle connection open past 5 s, so a request sent while another caller holds the server is answered, not reset', async () => {
    // While one caller's long call (a big /flow import) holds the process, another client's request waits
    // in the socket of its kept-alive connection. Node's default keep-alive (5 s) closed that connection
    // the moment the long call ended, before reading it: the client saw ECONNRESET. The race needs a
    // call that long; what decides it is whether an idle connection is still open after 5 s, shown here.
    server = await startHttpServer(project());
    const sock = connect(server.port, '127.0.0.1');
    sockets.push(sock);
    let buf = '';
    sock.on('data', (d: Buffer) => (buf += d.toString()));
    const closed = new Promise<'closed'>((resolve) => sock.once('close', () => resolve('closed')));
    const metricsAnswers = () => buf.split('HTTP/1.1 200').length - 1;
    const get = async (n: number) => {
      sock.write(`GET /metrics HTTP/1.1\r\nhost: 127.0.0.1:${server!.port}\r\n\r\n`);
      while (metricsAnswers() < n) await Promise.race([new Promise((r) => sock.once('data', r)), closed]).then((c) => expect(c, buf).not.toBe('closed'));
    };
    await get(1);
    const idle = await Promise.race([closed, new Promise<'open'>((resolve) => setTimeout(() => resolve('open'), 6_000))]);
    expect(idle).toBe('open');
    await get(2);
  }, 20_000);

  it('never echoes an unbounded session header: a 15,000-character id gets a short 400; duplicates get 400', async () => {
    server = await startHttpServer(project());
    const long = await postWithHeaders(server.port, { 'mcp-session-id': 's'.repeat(15_000), 'mcp-protocol-version': '2025-06-18' }, PING);
    expect([400, 404]).toContain(long.status);
    expect(long.body.length).toBeLessThan(600);
    expect(JSON.parse(long.body).error.message).toMatch(/Mcp-Session-Id/);
    const dup = await postWithHeaders(server.port, { 'mcp-session-id': ['aaaa', 'bbbb'], 'mcp-protocol-version': '2025-06-18' }, PING);
    expect(dup.status).toBe(400);
    expect(JSON.parse(dup.body).error.message).toMatch(/one Mcp-Session-Id/);
    expect(dup.body).not.toMatch(/aaaa, bbbb/);
    // An unknown (well-formed) id is still the 404 that tells the client to start over.
    const unknown = await postWithHeaders(server.port, { 'mcp-session-id': 'f'.repeat(36), 'mcp-protocol-version': '2025-06-18' }, PING);
    expect(unknown.status).toBe(404);
    expect(JSON.parse(unknown.body).error.message).toMatch(/start a new one with initialize/);
  });
});

describe('HTTP: connections past --max-connections', () => {
  /** A raw connection, connected (the server accepts connections in the order they were made). */
  async function open(port: number) {
    const sock = connect(port, '127.0.0.1');
    sockets.push(sock);
    sock.on('error', () => undefined);
    let buf = '';
    sock.on('data', (d: Buffer) => (buf += d.toString()));
    const closed = new Promise<'closed'>((resolve) => sock.once('close', () => resolve('closed')));
    await new Promise<void>((resolve) => sock.once('connect', () => resolve()));
    /** Sends a GET; the status line of its answer, or 'closed' when the connection closes first. */
    const get = async (path: string): Promise<string> => {
      const before = buf.split('HTTP/1.1 ').length;
      sock.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1:${port}\r\n\r\n`);
      while (buf.split('HTTP/1.1 ').length === before) {
        if ((await Promise.race([new Promise((r) => sock.once('data', r)), closed])) === 'closed') return buf.split('HTTP/1.1 ').length === before ? 'closed' : buf.split('HTTP/1.1 ').at(-1)!.slice(0, 3);
      }
      return buf.split('HTTP/1.1 ').at(-1)!.slice(0, 3);
    };
    return { sock, get, closed };
  }

  it('a newcomer replaces a connection that never sent a request: idle sockets held open cannot lock everyone out', async () => {
    // Anyone who can reach the port (no token needed to connect) held every slot with sockets that sent
    // nothing, renewed every 30 s: every client was refused.
    server = await startHttpServer(project(), ['--max-connections', '4']);
    const used = [await open(server.port), await open(server.port)];
    for (const u of used) expect(await u.get('/metrics')).toBe('200');
    const silent = [await open(server.port), await open(server.port)];
    const newcomer = await open(server.port);
    expect(await newcomer.get('/metrics')).toBe('200');
    // The oldest silent one made room; the connections that made requests are still open.
    expect(await silent[0]!.closed).toBe('closed');
    for (const u of used) expect(await u.get('/metrics')).toBe('200');
  }, 30_000);

  it('a newcomer replaces the connection whose body has been trickling in longest: slow bodies cannot lock everyone out', async () => {
    // Each sent its head and a byte of a 1,000-byte body, and would send a byte now and then for minutes.
    server = await startHttpServer(project(), ['--max-connections', '2']);
    // "100 Continue" comes back once the server has taken the request (its body not yet): an order, not a wait.
    const slow = [rawPost(server.port, { 'content-length': '1000', expect: '100-continue' }), rawPost(server.port, { 'content-length': '1000', expect: '100-continue' })];
    for (const s of slow) {
      expect((await s.response).status).toBe(100);
      await s.write('{');
    }
    const newcomer = await open(server.port);
    expect(await newcomer.get('/metrics')).toBe('200');
    await slow[0]!.closed; // the one receiving longest made room
    expect(slow[1]!.sock.destroyed).toBe(false);
  }, 30_000);

  it('a body nested past any real message is refused unparsed (a parse of it held the server for seconds)', async () => {
    server = await startHttpServer(project());
    const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
    const p = rawPost(server.port, { 'content-length': String(deep.length) });
    await p.write(deep);
    const r = await p.response;
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.message).toMatch(/nests deeper than 1000 levels/);
    // Brackets inside strings are text, not nesting: a deep-looking value in a real message is answered.
    const client = await connectHttp(server.url);
    expect((await client.call('document', { action: 'write', path: 'odd.md', content: `# Odd\n\n${'['.repeat(3000)}` })).isError).toBeFalsy();
    await client.close();
  }, 30_000);

  it('a connection answering a request (an event stream) is never closed to make room: the newcomer is', async () => {
    server = await startHttpServer(project(), ['--max-connections', '2']);
    const streams = [await open(server.port), await open(server.port)];
    for (const s of streams) expect(await s.get('/events')).toBe('200');
    const newcomer = await open(server.port);
    expect(await newcomer.get('/metrics')).toBe('closed');
    for (const s of streams) expect(s.sock.destroyed).toBe(false);
  }, 30_000);
});

async function requestsSeen(s: HttpServerProcess): Promise<number> {
  const text = await (await fetch(s.url.replace('/mcp', '/metrics'))).text();
  return [...text.matchAll(/^flowmcp_http_requests_total\{method="POST",[^}]*\} (\d+)$/gm)].reduce((n, m) => n + Number(m[1]), 0);
}
