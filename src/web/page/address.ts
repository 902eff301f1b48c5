// The board's address: its filters (flow, plan, status, text) live in the hash ("#/?plan=…&status=…"),
// so a reload, Back and a shared link keep them. Parsing is forgiving: a malformed address is the board
// without filters (app.ts says so).
export interface BoardFilter {
  flow: string;
  plan: string;
  status: string;
  text: string;
}

export const NO_FILTER: BoardFilter = { flow: '', plan: '', status: '', text: '' };

/** The filters a board address names, or undefined when the hash is not the board's. */
export function boardFilterOf(hash: string): BoardFilter | undefined {
  const m = /^(?:#\/?)?(?:\?(.*))?$/.exec(hash);
  if (!m) return undefined;
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(m[1] ?? '');
  } catch {
    return { ...NO_FILTER };
  }
  const one = (k: keyof BoardFilter) => (q.get(k) ?? '').slice(0, 500);
  return { flow: one('flow'), plan: one('plan'), status: one('status'), text: one('text') };
}

/** The board's address for these filters ("#/" when none). */
export function boardAddress(f: BoardFilter): string {
  const q = new URLSearchParams();
  for (const k of ['flow', 'plan', 'status', 'text'] as const) if (f[k]) q.set(k, f[k]);
  const s = q.toString();
  return s ? `#/?${s}` : '#/';
}

let current = '#/';

/** Where "Board" links go: the board as last filtered. */
export function boardHref(): string {
  return current;
}

export function setBoardHref(href: string): void {
  current = href;
  for (const a of document.querySelectorAll<HTMLAnchorElement>('a[data-board-link]')) a.setAttribute('href', href);
}
