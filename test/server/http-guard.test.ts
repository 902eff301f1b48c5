// Who the HTTP guard lets in: Host and Origin must name this server; a token, once set, is required.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import { HttpGuard, isLoopback } from '../../src/server/http-guard.js';

const req = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;
const guard = (o: Partial<ConstructorParameters<typeof HttpGuard>[0]> = {}) =>
  new HttpGuard({ host: '127.0.0.1', allowedHosts: [], allowedOrigins: [], ...o });

describe('HTTP guard', () => {
  it('accepts the loopback names with or without a port, and refuses any other Host', () => {
    const g = guard();
    for (const host of ['localhost', 'localhost:8765', '127.0.0.1:8765', '[::1]:8765', '[::1]', 'LOCALHOST:1']) expect(g.check(req({ host })), host).toBeUndefined();
    for (const host of ['evil.example.com', 'evil.example.com:8765', 'localhost.evil.com', '127.0.0.2.nip.io', '10.0.0.5:8765']) {
      expect(g.check(req({ host }))?.status, host).toBe(403);
    }
    expect(g.check(req({}))?.status).toBe(400);
  });

  it('accepts names given with --allowed-hosts, and browser origins on allowed names or --allowed-origins', () => {
    const g = guard({ allowedHosts: ['flow.internal'], allowedOrigins: ['https://team.example/'] });
    expect(g.check(req({ host: 'flow.internal:8765' }))).toBeUndefined();
    expect(g.check(req({ host: 'localhost:8765', origin: 'http://localhost:3000' }))).toBeUndefined();
    expect(g.check(req({ host: 'localhost:8765', origin: 'https://flow.internal' }))).toBeUndefined();
    expect(g.check(req({ host: 'localhost:8765', origin: 'https://team.example' }))).toBeUndefined();
    for (const origin of ['https://evil.example', 'null', 'file://', 'chrome-extension://abc', 'http://localhost.evil.com']) {
      expect(g.check(req({ host: 'localhost:8765', origin }))?.status, origin).toBe(403);
    }
  });

  it('with a token, refuses a missing, wrong or differently sized token and accepts the right one', () => {
    const g = guard({ token: 'right-token' });
    expect(g.check(req({ host: 'localhost' }))?.status).toBe(401);
    expect(g.check(req({ host: 'localhost', authorization: 'Bearer wrong-token' }))?.status).toBe(401);
    expect(g.check(req({ host: 'localhost', authorization: 'Bearer right-token-and-more' }))?.status).toBe(401);
    expect(g.check(req({ host: 'localhost', authorization: 'Basic right-token' }))?.status).toBe(401);
    expect(g.check(req({ host: 'localhost', authorization: 'Bearer right-token' }))).toBeUndefined();
    expect(g.check(req({ host: 'localhost', authorization: 'bearer right-token' }))).toBeUndefined();
  });

  it('a request already signed in another way (the web page\'s cookie) needs no token, but Host and Origin still count', () => {
    const g = guard({ token: 'right-token' });
    expect(g.check(req({ host: 'localhost' }), true)).toBeUndefined();
    expect(g.check(req({ host: 'evil.example' }), true)?.status).toBe(403);
    expect(g.check(req({ host: 'localhost', origin: 'http://evil.example' }), true)?.status).toBe(403);
    expect(g.check(req({ host: 'localhost' }), false)?.status).toBe(401);
  });

  it('bound to one outside address, accepts that address as Host', () => {
    const g = guard({ host: '192.168.1.20', token: 't' });
    expect(g.check(req({ host: '192.168.1.20:8765', authorization: 'Bearer t' }))).toBeUndefined();
    expect(g.check(req({ host: '192.168.1.21:8765', authorization: 'Bearer t' }))?.status).toBe(403);
  });

  it('says why in each refusal, with the status a client can act on', () => {
    const g = guard({ token: 'tok' });
    expect(g.check(req({}))).toEqual({ status: 400, message: 'Missing Host header.' });
    expect(g.check(req({ host: 'evil.example' }))).toEqual({ status: 403, message: 'Host "evil.example" is not this server; add it with --allowed-hosts if clients reach the server by that name.' });
    expect(g.check(req({ host: 'localhost', origin: 'https://evil.example' }))).toEqual({
      status: 403,
      message: 'Origin "https://evil.example" is not allowed; add it with --allowed-origins if a browser client on that origin should connect.',
    });
    expect(g.check(req({ host: 'localhost' }))).toEqual({ status: 401, message: 'Send the token this server was started with (FLOW_TOKEN) as "Authorization: Bearer <token>".' });
  });

  it('reads Host names exactly: case, ports, brackets, bare IPv6 and prefixes of loopback names', () => {
    const g = guard({ allowedHosts: ['Flow.Internal:9999', '[fe80::1]'] });
    for (const host of ['FLOW.internal', 'flow.internal:1', ' localhost ', '[fe80::1]:8765', '::1', '127.0.0.1']) expect(g.check(req({ host })), host).toBeUndefined();
    for (const host of ['flow.internal.evil', 'fe80::1:8765', '[::2]', 'localhos', '127.0.0.1.evil', ':localhost']) expect(g.check(req({ host }))?.status, host).toBe(403);
  });

  it('an Origin must be http(s) on an allowed name, or listed exactly (case and trailing slash aside)', () => {
    const g = guard({ allowedOrigins: ['HTTPS://Team.Example//'] });
    for (const origin of ['https://team.example', 'https://TEAM.example/', 'https://team.example//', 'http://127.0.0.1:5173', 'http://[::1]:3000', 'https://localhost']) {
      expect(g.check(req({ host: 'localhost', origin })), origin).toBeUndefined();
    }
    for (const origin of ['https://team.example:444', 'http://team.example', 'ws://localhost:3000', 'ftp://localhost', 'https://evil.example/https://team.example', '']) {
      expect(g.check(req({ host: 'localhost', origin }))?.status, origin).toBe(403);
    }
  });

  it('the token is compared whole, after the Bearer word and spaces; no token set means no token asked', () => {
    const g = guard({ token: 'secret' });
    expect(g.check(req({ host: 'localhost', authorization: 'Bearer   secret  ' }))).toBeUndefined();
    for (const authorization of ['Bearer', 'Bearer ', 'Bearersecret', 'XBearer secret', 'my Bearer secret', 'Bearer secreT', 'Bearer secre', 'secret', 'Token secret']) {
      expect(g.check(req({ host: 'localhost', authorization }))?.status, authorization).toBe(401);
    }
    expect(guard().check(req({ host: 'localhost', authorization: 'Bearer anything' }))).toBeUndefined();
  });

  it('bound to every interface, accepts the addresses of this machine and nothing else', () => {
    const g = guard({ host: '0.0.0.0', token: 't' });
    const mine = Object.values(networkInterfaces()).flatMap((l) => l ?? []).map((a) => a.address);
    const v4 = mine.find((a) => !a.includes(':') && !a.startsWith('127.'));
    if (v4) expect(g.check(req({ host: `${v4}:8765`, authorization: 'Bearer t' })), v4).toBeUndefined();
    expect(g.check(req({ host: 'localhost:8765', authorization: 'Bearer t' }))).toBeUndefined();
    expect(g.check(req({ host: '203.0.113.7:8765', authorization: 'Bearer t' }))?.status).toBe(403);
    // Bound to every IPv6 (and so IPv4) interface: the same.
    const g6 = guard({ host: '::', token: 't' });
    if (v4) expect(g6.check(req({ host: v4, authorization: 'Bearer t' })), v4).toBeUndefined();
    expect(g6.check(req({ host: '203.0.113.7', authorization: 'Bearer t' }))?.status).toBe(403);
    // Bound to a loopback address, no other name is added.
    expect(guard({ host: '127.0.0.2' }).check(req({ host: '127.0.0.2' }))?.status).toBe(403);
    expect(guard({ host: 'flow.lan', token: 't' }).check(req({ host: 'FLOW.lan:1', authorization: 'Bearer t' }))).toBeUndefined();
  });

  it('isLoopback: the loopback names and 127/8, nothing that merely starts like one', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '127.10.200.255', '::1', '[::1]']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '127.0.0.1.nip.io', 'x127.0.0.1', '128.0.0.1', '192.168.1.2', 'localhost.evil']) expect(isLoopback(h), h).toBe(false);
  });
});
