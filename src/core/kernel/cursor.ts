// Opaque page cursors: base64url JSON of the last row's sort key, checked on the way back in. A cursor
// also carries a short tag of the list's filters (flow, plan, status, kind, query): a cursor of the same
// kind of list with other filters would page from a place in another list (an assistant paging flow B
// with flow A's cursor got a page of B that skipped rows, often an empty one), so it is refused instead.
import { FlowError } from '../../model/errors.js';

/** A short tag of the filters (FNV-1a of their JSON): told apart, not secret; nothing when a list has none. */
function scopeTag(scope: unknown): string | undefined {
  if (scope === undefined) return undefined;
  const text = JSON.stringify(scope);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(36);
}

export function encodeCursor(kind: string, key: unknown, scope?: unknown): string {
  const s = scopeTag(scope);
  return Buffer.from(JSON.stringify(s === undefined ? { k: kind, v: key } : { k: kind, s, v: key }), 'utf8').toString('base64url');
}

/** The key of a cursor this kind of list issued for these filters (`scope`, as given to encodeCursor). */
export function decodeCursor<T>(kind: string, cursor: string, valid: (v: unknown) => v is T, scope?: unknown): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const p = parsed as { k?: unknown; s?: unknown; v?: unknown } | undefined;
  if (!p || p.k !== kind || !valid(p.v)) {
    throw new FlowError(
      'invalid_input',
      `cursor is not one this ${kind} list issued.`,
      `Pass the next_cursor from the previous ${kind} list result unchanged, or leave cursor out to start from the first page.`,
    );
  }
  // A cursor without a tag was issued before lists tagged theirs: it pages on as it always did.
  if (p.s !== undefined && p.s !== scopeTag(scope)) {
    throw new FlowError(
      'invalid_input',
      `cursor is from a ${kind} list with other filters (flow, plan, status, kind or query) than this one.`,
      'Page with the same filters the cursor came from, or leave cursor out to start this list from its first page.',
    );
  }
  return p.v;
}
