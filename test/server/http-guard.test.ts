// Who the HTTP guard lets in: Host and Origin must name this server; a token, once set, is required.
import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { HttpGuard } from '../../src/server/http-guard.js';

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

  it('bound to one outside address, accepts that address as Host', () => {
    const g = guard({ host: '192.168.1.20', token: 't' });
    expect(g.check(req({ host: '192.168.1.20:8765', authorization: 'Bearer t' }))).toBeUndefined();
    expect(g.check(req({ host: '192.168.1.21:8765', authorization: 'Bearer t' }))?.status).toBe(403);
  });
});
