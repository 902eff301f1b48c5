// The page's calls to its server: JSON over same-origin fetch, every call (reads too) with the session's
// CSRF token in a header (the session cookie goes along by itself and is never readable here).
import { learnServerClock } from './clock.js';

export interface ApiError {
  code: string;
  message: string;
  hint?: string;
  details?: { current?: unknown; [k: string]: unknown };
}

export class Refused extends Error {
  constructor(
    readonly status: number,
    readonly error: ApiError,
  ) {
    super(error.message);
  }
}

let csrf = '';

/** How long a call may take before the page gives up on it and says so (a search never hangs on "Searching…"). */
const TIMEOUT_MS = 15_000;

/** fetch with a deadline: past it the call is abandoned with a refusal saying what to do. */
async function timed(path: string, init: RequestInit): Promise<Response> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
  try {
    return await fetch(path, { ...init, signal: abort.signal });
  } catch (e) {
    if (abort.signal.aborted) {
      throw new Refused(0, {
        code: 'timeout',
        message: `The server did not answer within ${TIMEOUT_MS / 1000} s. Check that \`flowmcp ui\` (or the server) is still running, then try again or reload the page.`,
      });
    }
    throw new Refused(0, { code: 'network', message: 'The server cannot be reached. Check that `flowmcp ui` (or the server) is still running, then reload the page.' });
  } finally {
    clearTimeout(timer);
  }
}

async function answer<T>(r: Response): Promise<T> {
  const body = (await r.json().catch(() => ({}))) as { error?: ApiError };
  if (!r.ok) throw new Refused(r.status, body.error ?? { code: 'http', message: `The server answered ${r.status}.` });
  return body as T;
}

/** Checks the session (a 401 means it is gone), takes its CSRF token and learns the server's clock. */
export async function startSession(): Promise<void> {
  const sent = Date.now();
  const s = await answer<{ csrf: string; now?: number }>(await timed('/api/session', { credentials: 'same-origin' }));
  csrf = s.csrf;
  if (typeof s.now === 'number') learnServerClock(s.now, sent, Date.now());
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await timed(path, { credentials: 'same-origin', headers: { accept: 'application/json', 'x-flowmcp-csrf': csrf } }));
}

export async function send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
  return answer<T>(
    await timed(path, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-flowmcp-csrf': csrf },
      body: JSON.stringify(body),
    }),
  );
}
