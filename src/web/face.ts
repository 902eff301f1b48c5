// The web face: the page and its API, mounted by the HTTP server on `/`, `/ui/*`, `/assets/*` and
// `/api/*`. The server has already applied its guard (Host, allowed Origin); this face adds its own
// sign-in (a one-time link that sets an HttpOnly, SameSite=Strict cookie) and, for every state change,
// the exact-origin and CSRF checks (web-guard.ts). The bearer token is never asked for in a browser.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import type { Call, Workspace } from '../core/kernel/workspace.js';
import { answerApi, isWrite } from './api.js';
import { LINK_TTL_MS, SESSION_TTL_MS, WebSessions } from './sessions.js';
import { cookieName, ownOrigin, readRefusal, SECURITY_HEADERS, sendJson, sessionCookie, signedIn, writeRefusal } from './web-guard.js';

/** The files of the page (built into dist/web/ by scripts/build.mjs), by URL path. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/assets/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/assets/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/favicon.ico': { file: 'favicon.svg', type: 'image/svg+xml' },
};

export interface WebFaceOptions {
  ws: Workspace;
  /** The folder holding the built page (index.html, app.js, app.css). */
  assetsDir: string;
  port: number;
  /** Told when a session ends by sign-out, so the event streams opened with it are closed at once. */
  onSignOut?: () => void;
  /** Mark the cookie Secure: the operator says the page is reached over https (a TLS proxy in front). */
  secureCookie?: boolean;
  /** A bearer token is set: no link is logged, so the page says how to ask for one with it. */
  tokenSet?: boolean;
}

/** What the HTTP server asks of a face mounted beside MCP (structural: the server does not import this folder). */
export interface WebFace {
  owns(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, readBody: () => Promise<unknown>): Promise<void>;
  /** The request's live session of the page as a check that it is still live (for GET /events), or undefined. */
  signIn(req: IncomingMessage): (() => boolean) | undefined;
  /** The page's security headers, for every answer on its paths (the server's refusals too). */
  readonly headers: Record<string, string>;
  /** A fresh one-time sign-in link under this base URL ("http://127.0.0.1:8765"). */
  loginLink(base: string): string;
}

function sendText(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8', ...headers });
  res.end(text);
}

export function createWebFace(o: WebFaceOptions): WebFace {
  const sessions = new WebSessions();
  const cookie = cookieName(o.port);
  // One Call per signed-in session: its own current flow, recorded in the event log as agent "web".
  const calls = new Map<string, Call>();
  const callFor = (sid: string): Call => {
    let c = calls.get(sid);
    if (!c) {
      c = { ws: o.ws, session: o.ws.session(process.env.FLOW_AGENT ?? 'web') };
      calls.set(sid, c);
      if (calls.size > 1_000) calls.delete(calls.keys().next().value!);
    }
    return c;
  };
  const files = new Map<string, Buffer>();
  const asset = (name: string): Buffer | undefined => {
    let b = files.get(name);
    if (!b) {
      try {
        b = readFileSync(join(o.assetsDir, name));
      } catch {
        return undefined;
      }
      files.set(name, b);
    }
    return b;
  };

  /** The command that asks this server (by the name the browser used) for a new sign-in link: with its token when it has one. */
  const askForLink = (req: IncomingMessage) => {
    const name = /^([a-z0-9][a-z0-9.-]{0,252}|\[[0-9a-f:.]{2,45}\])(?::\d{1,5})?$/i.exec(req.headers.host ?? '')?.[1] ?? '127.0.0.1';
    return `curl -s -X POST ${o.tokenSet ? '-H "Authorization: Bearer $FLOW_TOKEN" ' : ''}http://${name.toLowerCase()}:${o.port}/ui/link`;
  };

  return {
    owns: (path) => path === '/' || path === '/favicon.ico' || (path.startsWith('/ui/') && path !== '/ui/link') || path.startsWith('/assets/') || path.startsWith('/api/'),
    headers: SECURITY_HEADERS,
    signIn: (req) => {
      const s = signedIn(req, sessions, cookie);
      return s ? () => sessions.find(s.id) !== undefined : undefined;
    },
    loginLink: (base) => `${base}/ui/login?once=${sessions.mintLink()}`,

    async handle(req, res, readBody) {
      const url = new URL(req.url ?? '/', 'http://x');
      const path = url.pathname;
      if (path === '/ui/login') {
        if (req.method !== 'GET') return sendText(res, 405, 'GET the link flowmcp printed.', { allow: 'GET' });
        const s = sessions.redeem(url.searchParams.get('once') ?? '');
        // A new link from this server, not `flowmcp ui` (which would start a second server of its own).
        if (!s) return sendText(res, 403, `This sign-in link was already used, has expired (a link lasts ${LINK_TTL_MS / 60_000} minutes) or is unknown. Ask this server for a new one, then open the link it answers:\n\n  ${askForLink(req)}\n`);
        // 303 to the page, so the secret leaves the address bar (and history keeps only the used link).
        res.writeHead(303, { ...SECURITY_HEADERS, location: '/', 'set-cookie': sessionCookie(cookie, s.id, SESSION_TTL_MS / 1000, o.secureCookie) });
        return void res.end();
      }
      const session = signedIn(req, sessions, cookie);
      if (!session) {
        if (path.startsWith('/api/')) return sendJson(res, 401, { error: { code: 'unauthorized', message: 'Not signed in: open a sign-in link (flowmcp ui prints one).' } });
        if (path.startsWith('/assets/') || path === '/favicon.ico') return sendText(res, 401, 'Not signed in.');
        if (o.tokenSet) {
          // This server logs no link (its log may be read by others): a token holder asks for one.
          return sendText(res, 401, `Not signed in. Ask this server for a one-time sign-in link with its token, then open the link it answers:\n\n  ${askForLink(req)}\n`);
        }
        return sendText(res, 401, 'Not signed in. Open the one-time link that `flowmcp ui` (or the server log of `flowmcp serve --http`) prints.');
      }
      if (path === '/ui/logout') {
        if (req.method !== 'POST') return sendText(res, 405, 'POST to sign out.', { allow: 'POST' });
        const no = writeRefusal(req, session);
        if (no) return sendJson(res, 403, { error: { code: 'refused', message: no } });
        sessions.end(session.id);
        calls.delete(session.id);
        o.onSignOut?.();
        return sendJson(res, 200, { signed_out: true }, { 'set-cookie': sessionCookie(cookie, '', 0, o.secureCookie) });
      }
      if (path.startsWith('/api/')) {
        // The one call without the CSRF token is the one that hands it over (readable by this origin only: no CORS).
        if (path === '/api/session' && req.method === 'GET') return sendJson(res, 200, { csrf: session.csrf, origin: ownOrigin(req), now: Date.now() });
        const no = isWrite(req) ? writeRefusal(req, session) : readRefusal(req, session);
        if (no) return sendJson(res, 403, { error: { code: 'refused', message: no } });
        return answerApi(callFor(session.id), { method: req.method ?? 'GET', url, readBody }, res);
      }
      const a = ASSETS[path];
      const body = a && (req.method === 'GET' || req.method === 'HEAD') ? asset(a.file) : undefined;
      if (!a || !body) return sendText(res, 404, `Nothing at ${path.slice(0, 80)}.`);
      res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': a.type, 'content-length': String(body.length) });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
