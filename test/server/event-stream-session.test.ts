// An event stream let in on a face's sign-in (the web page's cookie) ends once that sign-in is no longer
// good, even when nothing signs out: an expired session is noticed at the next heartbeat. In-process
// (a real workspace and a real socket on 127.0.0.1): the session's expiry is the `alive` check given.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { EventStreams, HEARTBEAT_MS } from '../../src/server/event-stream.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace | undefined;
let server: Server | undefined;
let streams: EventStreams | undefined;
afterEach(async () => {
  streams?.closeAll();
  server?.closeAllConnections();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  t?.cleanup();
  t = server = streams = undefined;
});

describe('a stream opened with a sign-in', () => {
  it('is ended at the heartbeat after the sign-in stops being good; a stream without one goes on', async () => {
    t = tempWorkspace();
    const s = new EventStreams(t.ws);
    streams = s;
    let good = true;
    server = createServer((req, res) => {
      const signedIn = req.url === '/events?signed=1';
      s.open(req, res, new URLSearchParams(), signedIn ? () => good : undefined);
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    const open = (path: string) =>
      new Promise<{ ended: Promise<void> }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path }, (res) => {
          expect(res.statusCode).toBe(200);
          res.resume();
          resolve({ ended: new Promise<void>((done) => res.on('end', done)) });
        });
        req.on('error', reject);
        req.end();
      });
    const signed = await open('/events?signed=1');
    const plain = await open('/events');
    let plainEnded = false;
    void plain.ended.then(() => (plainEnded = true));
    good = false; // the session expired; nobody signed out
    await signed.ended; // within one heartbeat (the test's own deadline below is generous)
    expect(s.count).toBe(1);
    expect(plainEnded).toBe(false);
  }, HEARTBEAT_MS * 3);
});
