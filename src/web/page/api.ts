// The page's calls to its server: JSON over same-origin fetch, every call (reads too) with the session's
// CSRF token in a header (the session cookie goes along by itself and is never readable here).
export interface ApiError {
  code: string;
  message: string;
  hint?: string;
  details?: { current?: unknown };
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

async function answer<T>(r: Response): Promise<T> {
  const body = (await r.json().catch(() => ({}))) as { error?: ApiError };
  if (!r.ok) throw new Refused(r.status, body.error ?? { code: 'http', message: `The server answered ${r.status}.` });
  return body as T;
}

export async function startSession(): Promise<void> {
  csrf = (await answer<{ csrf: string }>(await fetch('/api/session', { credentials: 'same-origin' }))).csrf;
}

export async function get<T>(path: string): Promise<T> {
  return answer<T>(await fetch(path, { credentials: 'same-origin', headers: { accept: 'application/json', 'x-flowmcp-csrf': csrf } }));
}

export async function send<T>(method: 'POST' | 'PATCH', path: string, body: unknown): Promise<T> {
  return answer<T>(
    await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-flowmcp-csrf': csrf },
      body: JSON.stringify(body),
    }),
  );
}
