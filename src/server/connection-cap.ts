// At most `max` connections at once. A newcomer past it replaces the connection idle longest, one that
// never sent a request first (sockets opened and left silent: anyone who can reach the port may hold
// them, no token needed), then one between requests, then the one whose request body has been arriving
// longest (a body trickled a byte at a time held its slot as "answering" for minutes, and 1,024 of them
// locked every client out); it is itself closed only when every other connection is answering a
// request it has whole. A hard cap alone (Node's maxConnections) let whoever held the slots with silent
// sockets, renewed as the header timeout closed them, lock every client out.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Conn {
  /** Requests of this connection being answered (an event stream is one until it ends). */
  busy: number;
  /** Whether a request ever arrived on it. */
  used: boolean;
  idleSince: number;
  /** Since when the body of its request has been arriving (undefined: no body, or all of it is in). */
  receivingSince?: number;
}

export function capConnections(server: Server, max: number): void {
  const conns = new Map<Socket, Conn>();
  server.on('connection', (socket: Socket) => {
    conns.set(socket, { busy: 0, used: false, idleSince: performance.now() });
    socket.once('close', () => conns.delete(socket));
    if (conns.size <= max) return;
    let victim: [Socket, Conn] | undefined;
    let receiving: [Socket, Conn] | undefined;
    for (const entry of conns) {
      const [s, c] = entry;
      if (s === socket) continue;
      if (c.busy > 0) {
        if (c.receivingSince !== undefined && (!receiving || c.receivingSince < receiving[1].receivingSince!)) receiving = entry;
        continue;
      }
      const v = victim?.[1];
      if (!v || (v.used && !c.used) || (v.used === c.used && c.idleSince < v.idleSince)) victim = entry;
    }
    const out = (victim ?? receiving)?.[0] ?? socket;
    conns.delete(out); // counted out now: its 'close' comes later
    out.destroy();
  });
  server.on('request', (req, res) => {
    const c = conns.get(req.socket);
    if (!c) return;
    c.busy++;
    c.used = true;
    if ((req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined) {
      c.receivingSince = performance.now();
      req.once('end', () => (c.receivingSince = undefined));
    }
    res.once('close', () => {
      c.busy--;
      c.receivingSince = undefined;
      c.idleSince = performance.now();
    });
  });
}
