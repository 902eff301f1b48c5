// Who may talk to the HTTP server. DNS rebinding: a web page whose name resolves to 127.0.0.1 makes
// the browser send its own Host and Origin, so both must name this server. A bearer token
// (FLOW_TOKEN) is required whenever the server listens beyond loopback, and whenever one is set.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';

// Stryker disable next-line StringLiteral: '127.0.0.1' is also matched by the 127/8 pattern below; listed for the reader
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]', '::1'];

export interface GuardOptions {
  /** The address the server is bound to. */
  host: string;
  token?: string;
  /** More host names clients may use (a DNS name or address of this machine), from --allowed-hosts. */
  allowedHosts: string[];
  /** More browser origins allowed (e.g. https://team.example), from --allowed-origins. */
  allowedOrigins: string[];
}

export interface Refusal {
  status: 400 | 401 | 403;
  message: string;
}

export function isLoopback(host: string): boolean {
  return LOOPBACK_NAMES.includes(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** A host name without brackets or port: "[::1]:3000" → "::1", "Example.com:80" → "example.com". */
function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  const colon = h.lastIndexOf(':');
  // Stryker disable next-line EqualityOperator: a name starting with ':' is no name either way (':8765' and '' are both refused)
  return colon > 0 && h.indexOf(':') === colon ? h.slice(0, colon) : h;
}

export class HttpGuard {
  private readonly names: Set<string>;
  private readonly origins: Set<string>;
  private readonly token?: Buffer;

  constructor(private readonly opts: GuardOptions) {
    const names = ['localhost', '127.0.0.1', '::1', ...opts.allowedHosts.map(hostName)];
    if (!isLoopback(opts.host)) {
      if (opts.host === '0.0.0.0' || opts.host === '::') {
        // Stryker disable next-line MethodExpression: Node reports interface addresses in lower case already (dotted decimal, lower-case hex for IPv6); the call only makes that explicit
        for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) names.push(a.address.toLowerCase());
      } else {
        names.push(hostName(opts.host));
      }
    }
    this.names = new Set(names);
    this.origins = new Set(opts.allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
    if (opts.token) this.token = digest(opts.token);
  }

  /**
   * Why this request is refused, or undefined if it may go on. `signedIn`: the request is already
   * authenticated another way (the web page's session cookie, checked by its face), so no bearer token
   * is asked of it; Host and Origin are checked all the same.
   */
  check(req: IncomingMessage, signedIn = false): Refusal | undefined {
    const host = req.headers.host;
    if (!host) return { status: 400, message: 'Missing Host header.' };
    if (!this.names.has(hostName(host))) {
      return { status: 403, message: `Host "${host}" is not this server; add it with --allowed-hosts if clients reach the server by that name.` };
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !this.originAllowed(origin)) {
      return { status: 403, message: `Origin "${origin}" is not allowed; add it with --allowed-origins if a browser client on that origin should connect.` };
    }
    if (this.token && !signedIn && !this.tokenMatches(req.headers.authorization)) {
      return { status: 401, message: 'Send the token this server was started with (FLOW_TOKEN) as "Authorization: Bearer <token>".' };
    }
    return undefined;
  }

  private originAllowed(origin: string): boolean {
    const o = origin.replace(/\/+$/, '').toLowerCase();
    if (this.origins.has(o)) return true;
    try {
      const u = new URL(o);
      return (u.protocol === 'http:' || u.protocol === 'https:') && this.names.has(hostName(u.host));
    } catch {
      return false; // "null" (a sandboxed page) and other opaque origins
    }
  }

  private tokenMatches(header: string | undefined): boolean {
    // Stryker disable next-line Regex,StringLiteral: (.+) is greedy and the token is trimmed, so the $ and \s vs \s+ cannot change the match; no header is no match whatever the fallback text
    const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
    if (!m || !this.token) return false;
    // Digests of equal length are compared, so the time taken says nothing of the token's length either.
    return timingSafeEqual(digest(m[1]!.trim()), this.token);
  }
}

const digest = (token: string) => createHash('sha256').update(token).digest();
