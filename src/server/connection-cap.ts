// At most `max` connections at once. A newcomer past it replaces the connection idle longest, one that
// never sent a request first (sockets opened and left silent: anyone who can reach the port may hold
// them, no token needed), then one between requests; it is itself closed only when every other
// connection is answering a request. A hard cap alone (Node's maxConnections) let whoever held the
// slots with silent sockets, renewed as the header timeout closed them, lock every client out.
import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Conn {
  /** Requests of this connection being answered (an event stream is one until it ends). */
  busy: number;
  /** Whether a request ever arrived on it. */
  used: boolean;
  idleSince: number;
}

export function capConnections(server: Server, max: number): void {
  const conns = new Map<Socket, Conn>();
  server.on('connection', (socket: Socket) => {
    conns.set(socket, { busy: 0, used: false, idleSince: performance.now() });
    socket.once('close', () => conns.delete(socket));
    if (conns.size <= max) return;
    let victim: [Socket, Conn] | undefined;
    for (const entry of conns) {
      const [s, c] = entry;
      if (s === socket || c.busy > 0) continue;
      const v = victim?.[1];
      if (!v || (v.used && !c.used) || (v.used === c.used && c.idleSince < v.idleSince)) victim = entry;
    }
    const out = victim?.[0] ?? socket;
    conns.delete(out); // counted out now: its 'close' comes later
    out.destroy();
  });
  server.on('request', (req, res) => {
    const c = conns.get(req.socket);
    if (!c) return;
    c.busy++;
    c.used = true;
    res.once('close', () => {
      c.busy--;
      c.idleSince = performance.now();
    });
  });
}
