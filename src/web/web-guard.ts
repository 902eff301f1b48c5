// The web page's own checks, on top of the HTTP server's guard (Host, allowed Origins, token). A page
// request needs the session cookie; a state change also needs the exact origin of this server (a page
// on another port of 127.0.0.1 is the same *site*, so SameSite=Strict alone would let it send the
// cookie) and the session's CSRF token in a header, which no other origin can read or guess.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sameSecret, type WebSession, type WebSessions } from './sessions.js';

export const CSRF_HEADER = 'x-flowmcp-csrf';

/** What every answer of the web face carries: no inline script or style, no framing, no referrer. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};

/**
 * The cookie's name carries the port: cookies are not kept apart by port, so two flowmcp servers on one
 * machine would otherwise overwrite each other's session.
 */
export function cookieName(port: number): string {
  return `flowmcp_${port}`;
}

/**
 * Every value sent for the cookie `name`, in the order sent. Not just the first: a page on another port
 * of this machine (the same site) can set a cookie of the same name with a longer Path, which the browser
 * sends first ("cookie tossing"); taking only the first would sign the real person out.
 */
export function cookiesOf(req: IncomingMessage, name: string): string[] {
  const header = req.headers.cookie;
  if (!header) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) out.push(part.slice(eq + 1).trim());
  }
  return out;
}

export function sessionCookie(name: string, id: string, maxAgeSeconds: number, secure = false): string {
  // flowmcp serves plain HTTP (loopback, or behind a proxy): Secure only when the operator says the page
  // is reached over https (--secure-cookie), never guessed from a forwarded header anyone could send.
  return `${name}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${maxAgeSeconds}${secure ? '; Secure' : ''}`;
}

/** This server's own origin as the browser names it: the scheme and the Host it was reached by. */
export function ownOrigin(req: IncomingMessage): string {
  return `http://${(req.headers.host ?? '').toLowerCase()}`;
}

/**
 * Why a state change is refused (403), or undefined: it must come from this exact origin (Origin header
 * present and equal; Sec-Fetch-Site, when the browser sends it, same-origin), as JSON, with the session's
 * CSRF token.
 */
export function writeRefusal(req: IncomingMessage, session: WebSession): string | undefined {
  const origin = req.headers.origin?.toLowerCase();
  // https: the same host reached through a TLS proxy in front (which keeps the Host header).
  const own = ownOrigin(req);
  if (!origin || (origin !== own && origin !== own.replace(/^http:/, 'https:'))) return 'A change must come from this page itself (same origin); nothing was changed.';
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin') return 'A change must come from this page itself (Sec-Fetch-Site same-origin); nothing was changed.';
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return 'A change is sent as application/json; nothing was changed.';
  const token = req.headers[CSRF_HEADER];
  if (typeof token !== 'string' || !sameSecret(token, session.csrf)) return 'The page\'s CSRF token is missing or wrong: reload the page; nothing was changed.';
  return undefined;
}

/**
 * Why a read of the API is refused (403), or undefined: it must carry the session's CSRF token too. Some
 * reads run a tool whose hooks or bookkeeping may act (a restore preview runs pre hooks), and a page on
 * another port of this machine is the same *site*, so it could send the cookie with a plain GET; it
 * cannot add a header without a preflight this server never grants.
 */
export function readRefusal(req: IncomingMessage, session: WebSession): string | undefined {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return 'The page\'s data is for this page itself (Sec-Fetch-Site same-origin).';
  const token = req.headers[CSRF_HEADER];
  if (typeof token !== 'string' || !sameSecret(token, session.csrf)) return 'The page\'s CSRF token is missing or wrong: reload the page.';
  return undefined;
}

/** The first live session among the values sent for the cookie (a tossed junk value is skipped). */
export function signedIn(req: IncomingMessage, sessions: WebSessions, name: string): WebSession | undefined {
  for (const id of cookiesOf(req, name).slice(0, 20)) {
    const s = sessions.find(id);
    if (s) return s;
  }
  return undefined;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}
