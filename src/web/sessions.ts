// Who is signed in to the web page. A person gets in with a one-time link (`/ui/login?once=<random>`,
// consumed on first use, expiring after LINK_TTL_MS), which sets a session cookie; the bearer token is
// never put in a page or a URL. Each session has its own CSRF token, which every state change must
// send back in a header. All of it lives in this process's memory: a restarted server asks for a new link.
import { randomBytes, timingSafeEqual } from 'node:crypto';

export const LINK_TTL_MS = 5 * 60_000;
export const SESSION_TTL_MS = 12 * 3600_000;
/** Unused links and sessions kept at once; past it the oldest go (a loop minting links cannot grow memory). */
const MAX_LINKS = 100;
const MAX_SESSIONS = 1_000;

export interface WebSession {
  id: string;
  csrf: string;
  expires: number;
}

const secret = () => randomBytes(32).toString('base64url');

/** Constant-time comparison of two secrets (different lengths are simply unequal). */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export class WebSessions {
  private readonly links = new Map<string, number>();
  private readonly sessions = new Map<string, WebSession>();

  constructor(private readonly now: () => number = Date.now) {}

  /** A new one-time secret for a login link. */
  mintLink(): string {
    this.sweep();
    const once = secret();
    this.links.set(once, this.now() + LINK_TTL_MS);
    if (this.links.size > MAX_LINKS) this.links.delete(this.links.keys().next().value!);
    return once;
  }

  /** Consumes a link: the new session, or undefined when the link is unknown, used or expired. */
  redeem(once: string): WebSession | undefined {
    const until = this.links.get(once);
    this.links.delete(once); // used or not, a link is good once
    if (until === undefined || until < this.now()) return undefined;
    const s: WebSession = { id: secret(), csrf: secret(), expires: this.now() + SESSION_TTL_MS };
    this.sessions.set(s.id, s);
    if (this.sessions.size > MAX_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    return s;
  }

  /** The live session a cookie value names. */
  find(id: string | undefined): WebSession | undefined {
    if (!id) return undefined;
    const s = this.sessions.get(id);
    if (!s) return undefined;
    if (s.expires < this.now()) {
      this.sessions.delete(id);
      return undefined;
    }
    return s;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  private sweep(): void {
    const t = this.now();
    for (const [k, until] of this.links) if (until < t) this.links.delete(k);
  }
}
