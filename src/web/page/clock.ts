// The server's clock, as the page best knows it. Claims end at a time the server set; a browser whose
// clock is off (another machine reaching the server with a token, a laptop that slept through an NTP
// fix) would count a lease down wrongly, or show a live claim as run out. Each time the page checks its
// session it learns the server's time and keeps the difference.
let offset = 0;

/** Now, on the server's clock (ms since the epoch). */
export function serverNow(): number {
  return Date.now() + offset;
}

/**
 * The server said it was `server` ms while a request went out at `sent` and came back at `received`
 * (this browser's clock): its answer was made about half-way.
 */
export function learnServerClock(server: number, sent: number, received: number): void {
  if (!Number.isFinite(server) || received < sent) return;
  offset = server - (sent + received) / 2;
}
