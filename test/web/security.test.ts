// The web page's security frame against the real server process, spoken to as a browser and as an
// attacker would: the one-time link (used once), the session cookie (HttpOnly, SameSite=Strict), the
// strict CSP on every answer, writes refused from any other origin or without the CSRF token (and the
// database unchanged), the token mode, and the event stream opened with the page's cookie.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { newLink, rawRequest, seed, serverPerTest, storedTask, until } from '../helpers/web.js';

const served = serverPerTest();
let dir: string;

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

async function start(env: Record<string, string> = {}) {
  dir = served.project();
  const s = seed(dir, { Release: [{ title: 'Write the notes' }] });
  const server = await served.serve(dir, [], env);
  return { ...s, port: server.port, base: `http://127.0.0.1:${server.port}` };
}

/** Signs in with a fresh link: the cookie header to send, and the session's CSRF token. */
async function signIn(base: string, port: number, token?: string) {
  const link = await newLink(port, token);
  const r = await fetch(link, { redirect: 'manual' });
  expect(r.status).toBe(303);
  const setCookie = r.headers.get('set-cookie')!;
  expect(setCookie).toMatch(new RegExp(`^flowmcp_${port}=[\\w-]{40,}; HttpOnly; SameSite=Strict; Path=/`));
  const cookie = setCookie.split(';')[0]!;
  const s = await fetch(`${base}/api/session`, { headers: { cookie } });
  expect(s.status).toBe(200);
  const { csrf } = (await s.json()) as { csrf: string };
  return { link, cookie, csrf };
}

describe('signing in', () => {
  it('a one-time link signs in once; used again, or made up, it is refused; without the cookie nothing is shown', async () => {
    const { base, port } = await start();
    expect((await fetch(`${base}/`)).status).toBe(401);
    expect((await fetch(`${base}/api/board`)).status).toBe(401);
    const { link, cookie } = await signIn(base, port);
    const again = await fetch(link, { redirect: 'manual' });
    expect(again.status).toBe(403);
    expect(again.headers.get('set-cookie')).toBeNull();
    // It says how to get a new link from this server (`flowmcp ui` would start a second one), and that works.
    const words = await again.text();
    expect(words).toContain('already used, has expired (a link lasts 5 minutes) or is unknown');
    expect(words).not.toContain('flowmcp ui');
    const ask = /curl -s -X POST (http:\/\/127\.0\.0\.1:\d+\/ui\/link)/.exec(words)?.[1];
    expect(ask, words).toBe(`${base}/ui/link`);
    expect((await fetch((await (await fetch(ask!, { method: 'POST' })).json()).url, { redirect: 'manual' })).status).toBe(303);
    expect((await fetch(`${base}/ui/login?once=made-up`, { redirect: 'manual' })).status).toBe(403);
    const page = await fetch(`${base}/`, { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<script type="module" src="/assets/app.js">');
    // The link was also printed for the operator when the server started.
    await until('the link in the log', () => /web page: open http:\/\/127\.0\.0\.1:\d+\/ui\/login\?once=/.test(served.server.stderr()));
  });

  it('links are not handed to a browser (a request with Origin or Sec-Fetch-Site)', async () => {
    const { port } = await start();
    expect((await rawRequest(port, 'POST', '/ui/link', { origin: `http://127.0.0.1:${port}` })).status).toBe(403);
    expect((await rawRequest(port, 'POST', '/ui/link', { 'sec-fetch-site': 'same-origin' })).status).toBe(403);
    expect((await rawRequest(port, 'GET', '/ui/link', {})).status).toBe(405);
  });

  it('with a token, a link needs the token; the page and its event stream then need only the cookie', async () => {
    const token = 'a-long-random-token-for-this-test-0123456789';
    const { base, port } = await start({ FLOW_TOKEN: token });
    expect((await rawRequest(port, 'POST', '/ui/link', {})).status).toBe(401);
    // The page itself, without a cookie, says how to ask for a link (no link is logged on such a server).
    const home = await fetch(`${base}/`);
    expect(home.status).toBe(401);
    expect(await home.text()).toContain(`curl -s -X POST -H "Authorization: Bearer $FLOW_TOKEN" http://127.0.0.1:${port}/ui/link`);
    // A sign-in link names the port this server is bound to, not the port a Host header claims.
    const odd = await rawRequest(port, 'POST', '/ui/link', { authorization: `Bearer ${token}`, host: 'localhost:9999' });
    expect(odd.status, odd.body).toBe(200);
    expect(JSON.parse(odd.body).url).toMatch(new RegExp(`^http://localhost:${port}/ui/login\\?once=`));
    // Refusals on the page's API paths are in the API's own shape (JSON-RPC stays on /mcp).
    const refusal = await rawRequest(port, 'GET', '/api/board', { host: 'evil.example' });
    expect(refusal.status).toBe(403);
    expect(JSON.parse(refusal.body)).toEqual({ error: { code: 'forbidden', message: expect.stringContaining('evil.example') } });
    const mcpRefusal = await rawRequest(port, 'POST', '/mcp', { host: 'evil.example' });
    expect(JSON.parse(mcpRefusal.body)).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    // A team server's log may be read by others: no sign-in link in it, only how to ask for one.
    expect(served.server.stderr()).not.toMatch(/once=/);
    await until('the log line', () => served.server.stderr().includes('/ui/link and the token'));
    const { cookie, csrf } = await signIn(base, port, token);
    expect((await fetch(`${base}/api/board`, { headers: { cookie, 'x-flowmcp-csrf': csrf } })).status).toBe(200);
    // /events: refused without either, accepted with the page's cookie (as EventSource sends it).
    expect((await rawRequest(port, 'GET', '/events', {})).status).toBe(401);
    const stream = await new Promise<number>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/events', headers: { cookie } }, (res) => {
        resolve(res.statusCode ?? 0);
        res.destroy();
      });
      req.on('error', reject);
      req.end();
    });
    expect(stream).toBe(200);
    // The cookie is not a bearer token for MCP.
    expect((await rawRequest(port, 'POST', '/mcp', { cookie, 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, '{}')).status).toBe(401);
  });
});

describe('--secure-cookie', () => {
  it('marks the session cookie Secure (and the sign-out that clears it); without it the cookie is not', async () => {
    dir = served.project();
    seed(dir, { Release: [{ title: 'Write the notes' }] });
    let server = await served.serve(dir, ['--secure-cookie']);
    const port = server.port;
    const base = `http://127.0.0.1:${port}`;
    const r = await fetch(await newLink(port), { redirect: 'manual' });
    expect(r.status).toBe(303);
    expect(r.headers.get('set-cookie')).toMatch(/; Secure$/);
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf } = (await (await fetch(`${base}/api/session`, { headers: { cookie } })).json()) as { csrf: string };
    const out = await rawRequest(port, 'POST', '/ui/logout', { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf }, '{}');
    expect(out.status).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0; Secure/);
    await server.stop('SIGKILL');
    server = await served.serve(dir);
    const plain = await fetch(await newLink(server.port), { redirect: 'manual' });
    expect(plain.headers.get('set-cookie')).not.toMatch(/Secure/);
  });
});

describe('a read of the API', () => {
  it('needs the CSRF token too, and is refused to another site', async () => {
    const { base, port } = await start();
    const { cookie, csrf } = await signIn(base, port);
    expect((await rawRequest(port, 'GET', '/api/board', { cookie })).status).toBe(403);
    expect((await rawRequest(port, 'GET', '/api/board', { cookie, 'x-flowmcp-csrf': csrf, 'sec-fetch-site': 'same-site' })).status).toBe(403);
    const ok = await rawRequest(port, 'GET', '/api/board', { cookie, 'x-flowmcp-csrf': csrf, 'sec-fetch-site': 'same-origin' });
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).tasks.map((t: { title: string }) => t.title)).toEqual(['Write the notes']);
  });
});

describe('signing out', () => {
  it('ends the session (a change from the page itself, with its CSRF token); the cookie is then worth nothing', async () => {
    const { base, port } = await start();
    const { cookie, csrf } = await signIn(base, port);
    const headers = { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf };
    expect((await rawRequest(port, 'POST', '/ui/logout', { ...headers, origin: 'http://127.0.0.1:1' }, '{}')).status).toBe(403);
    expect((await rawRequest(port, 'GET', '/api/board', { cookie, 'x-flowmcp-csrf': csrf })).status).toBe(200);
    expect((await rawRequest(port, 'POST', '/ui/logout', headers, '{}')).status).toBe(200);
    expect((await rawRequest(port, 'GET', '/api/board', { cookie, 'x-flowmcp-csrf': csrf })).status).toBe(401);
    expect((await rawRequest(port, 'GET', '/', { cookie })).status).toBe(401);
  });
});

describe('every answer', () => {
  it('carries the strict CSP, nosniff and no-referrer: the page, its script, its API and a refusal', async () => {
    const { base, port } = await start();
    const { cookie, csrf } = await signIn(base, port);
    for (const [path, headers] of [
      ['/', { cookie }],
      ['/assets/app.js', { cookie }],
      ['/assets/app.css', { cookie }],
      ['/api/board', { cookie, 'x-flowmcp-csrf': csrf }],
      ['/api/board', { cookie }],
      ['/', {}],
    ] as const) {
      const r = await fetch(`${base}${path}`, { headers });
      expect(r.headers.get('content-security-policy'), path).toBe(CSP);
      expect(r.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), path).toBe('no-referrer');
    }
    expect((await fetch(`${base}/assets/app.js`, { headers: { cookie } })).headers.get('content-type')).toMatch(/^text\/javascript/);
  });
});

describe('a change', () => {
  it('from another origin, another port of this machine, without the CSRF token, or not as JSON, is refused and changes nothing', async () => {
    const { base, port, tasks } = await start();
    const { cookie, csrf } = await signIn(base, port);
    const id = tasks.get('Write the notes')!;
    const before = storedTask(dir, id);
    const body = JSON.stringify({ id, status: 'done' });
    const ok = { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf };
    const attempts: [string, Record<string, string>][] = [
      ['a foreign site', { ...ok, origin: 'http://evil.example' }],
      ['another port of 127.0.0.1 (same site, other origin)', { ...ok, origin: 'http://127.0.0.1:1' }],
      ['no Origin', { cookie, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf }],
      ['Sec-Fetch-Site cross-site', { ...ok, 'sec-fetch-site': 'cross-site' }],
      ['no CSRF token', { cookie, origin: base, 'content-type': 'application/json' }],
      ['a wrong CSRF token', { ...ok, 'x-flowmcp-csrf': csrf.slice(1) + 'x' }],
      ['a form post', { ...ok, 'content-type': 'application/x-www-form-urlencoded' }],
      ['no cookie', { origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf }],
    ];
    for (const [what, headers] of attempts) {
      const r = await rawRequest(port, 'POST', '/api/task/status', headers, body);
      expect([401, 403], what).toContain(r.status);
    }
    expect(storedTask(dir, id)).toEqual(before);
    // The same request from the page itself goes through.
    const r = await rawRequest(port, 'POST', '/api/task/status', { ...ok, 'sec-fetch-site': 'same-origin' }, body);
    expect(r.status, r.body).toBe(200);
    expect(storedTask(dir, id).status).toBe('done');
  });

  it('with a stale revision is a 409 carrying the task as it is now, and nothing is overwritten', async () => {
    const { base, port, tasks } = await start();
    const { cookie, csrf } = await signIn(base, port);
    const id = tasks.get('Write the notes')!;
    const headers = { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf };
    const first = await rawRequest(port, 'POST', '/api/task/status', headers, JSON.stringify({ id, status: 'in_progress', expected_revision: 1 }));
    expect(first.status, first.body).toBe(200);
    const stale = await rawRequest(port, 'POST', '/api/task/status', headers, JSON.stringify({ id, status: 'cancelled', expected_revision: 1 }));
    expect(stale.status).toBe(409);
    const error = JSON.parse(stale.body).error;
    expect(error.code).toBe('conflict');
    expect(error.details.current).toMatchObject({ id, status: 'in_progress', revision: 2 });
    expect(storedTask(dir, id).status).toBe('in_progress');
  });

  it("is validated by the tool's own schema, and a body cannot name another action", async () => {
    const { base, port, tasks } = await start();
    const { cookie, csrf } = await signIn(base, port);
    const id = tasks.get('Write the notes')!;
    const headers = { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf };
    const bad = await rawRequest(port, 'POST', '/api/task/status', headers, JSON.stringify({ id, status: 'sideways' }));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).error.message).toMatch(/not one of todo, in_progress/);
    const noPlan = await rawRequest(port, 'POST', '/api/task', headers, JSON.stringify({ title: 'Where does it go?' }));
    expect(noPlan.status).toBe(400);
    expect(JSON.parse(noPlan.body).error.message).toMatch(/Choose the plan/);
    const sneaky = await rawRequest(port, 'POST', '/api/task/status', headers, JSON.stringify({ id, status: 'done', action: 'delete', confirm: true }));
    expect(sneaky.status).toBe(200);
    expect(storedTask(dir, id).status).toBe('done');
  });
});

/** Opens GET /events with these headers: the status, and a promise that resolves when the server ends the stream. */
function openEvents(port: number, headers: Record<string, string>): Promise<{ status: number; ended: Promise<void>; close: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/events', headers }, (res) => {
      const ended = new Promise<void>((done) => {
        res.on('end', done);
        res.on('close', done);
      });
      res.resume();
      resolve({ status: res.statusCode ?? 0, ended, close: () => res.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a server bound to 0.0.0.0', () => {
  it('hands out sign-in links naming the host it was reached by (which the guard accepts), and logs a usable address', async () => {
    const token = 'a-long-random-token-for-this-test-0123456789';
    dir = served.project();
    seed(dir, { Release: [{ title: 'Write the notes' }] });
    const server = await served.serve(dir, ['--host', '0.0.0.0'], { FLOW_TOKEN: token });
    const port = server.port;
    // The address printed is one a client can use, not the wildcard.
    expect(server.url).toBe(`http://127.0.0.1:${port}/mcp`);
    const auth = { authorization: `Bearer ${token}` };
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
      const r = await rawRequest(port, 'POST', '/ui/link', { ...auth, host });
      expect(r.status, r.body).toBe(200);
      const link = JSON.parse(r.body).url as string;
      expect(link).toMatch(new RegExp(`^http://${host.replace(/\./g, '\\.')}/ui/login\\?once=[\\w-]+$`));
      // The link works: the guard accepts its Host, and it signs in.
      const used = await rawRequest(port, 'GET', new URL(link).pathname + new URL(link).search, { host });
      expect(used.status, used.body).toBe(303);
    }
    // A Host the guard's name check lets by but which is not a plain host:port is not put into a link.
    const odd = await rawRequest(port, 'POST', '/ui/link', { ...auth, host: `127.0.0.1:1@evil.example` });
    expect(odd.status).toBe(400);
    expect(odd.body).not.toContain('once=');
  });
});

describe('the event stream opened with the page\'s cookie', () => {
  it('ends when that session signs out, and cannot be opened again with the cookie', async () => {
    const token = 'a-long-random-token-for-this-test-0123456789';
    const { base, port } = await start({ FLOW_TOKEN: token });
    const { cookie, csrf } = await signIn(base, port, token);
    const other = await signIn(base, port, token);
    const stream = await openEvents(port, { cookie });
    const kept = await openEvents(port, { cookie: other.cookie });
    try {
      expect(stream.status).toBe(200);
      expect(kept.status).toBe(200);
      const out = await rawRequest(port, 'POST', '/ui/logout', { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf }, '{}');
      expect(out.status, out.body).toBe(200);
      // Waited for as a condition: the stream is ended by the server (the test's deadline is the limit).
      await stream.ended;
      expect((await rawRequest(port, 'GET', '/events', { cookie })).status).toBe(401);
      // Another session's stream goes on.
      let keptEnded = false;
      void kept.ended.then(() => (keptEnded = true));
      expect((await rawRequest(port, 'GET', '/api/board', { cookie: other.cookie, 'x-flowmcp-csrf': other.csrf })).status).toBe(200);
      expect(keptEnded).toBe(false);
    } finally {
      stream.close();
      kept.close();
    }
  });
});

describe('a cookie of the same name set by another page (cookie tossing)', () => {
  it('does not sign the person out: every value of the name is tried, the live session is used', async () => {
    const { base, port } = await start();
    const { cookie, csrf } = await signIn(base, port);
    const tossed = `flowmcp_${port}=junk; ${cookie}; flowmcp_${port}=more-junk`;
    const r = await rawRequest(port, 'GET', '/api/board', { cookie: tossed, 'x-flowmcp-csrf': csrf });
    expect(r.status, r.body).toBe(200);
    expect((await rawRequest(port, 'GET', '/', { cookie: tossed })).status).toBe(200);
    // Junk alone is still nobody.
    expect((await rawRequest(port, 'GET', '/api/board', { cookie: `flowmcp_${port}=junk`, 'x-flowmcp-csrf': csrf })).status).toBe(401);
  });
});

describe('answers the server itself gives on the page\'s paths', () => {
  it('carry the page\'s security headers too (guard refusals, a bad body, the link), and a bad body is not quoted back', async () => {
    const { base, port } = await start();
    const { cookie, csrf } = await signIn(base, port);
    const write = { cookie, origin: base, 'content-type': 'application/json', 'x-flowmcp-csrf': csrf };
    const answers: [string, Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>][] = [
      ['/ refused by the guard (Host)', rawRequest(port, 'GET', '/', { host: 'evil.example' })],
      ['/api refused by the guard (Origin)', rawRequest(port, 'GET', '/api/board', { cookie, origin: 'http://evil.example' })],
      ['/assets refused by the guard', rawRequest(port, 'GET', '/assets/app.js', { host: 'evil.example' })],
      ['/ui/link 200', rawRequest(port, 'POST', '/ui/link', {})],
      ['/ui/link refused to a browser', rawRequest(port, 'POST', '/ui/link', { 'sec-fetch-site': 'same-origin' })],
      ['/api body not JSON', rawRequest(port, 'POST', '/api/task/status', write, '{"id": <secret-text-here>')],
    ];
    for (const [what, answer] of answers) {
      const r = await answer;
      expect(r.headers['content-security-policy'], what).toBe(CSP);
      expect(r.headers['x-content-type-options'], what).toBe('nosniff');
      expect(r.headers['x-frame-options'], what).toBe('DENY');
      if (what.includes('not JSON')) {
        expect(r.status).toBe(400);
        expect(r.body).toMatch(/the body is not valid JSON/i);
        expect(r.body).not.toContain('secret-text');
        expect(JSON.parse(r.body)).toEqual({ error: { code: 'invalid_input', message: expect.any(String) } });
      }
    }
  });
});
