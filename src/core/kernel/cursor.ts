// Opaque page cursors: base64url JSON of the last row's sort key, checked on the way back in.
import { FlowError } from '../../model/errors.js';

export function encodeCursor(kind: string, key: unknown): string {
  return Buffer.from(JSON.stringify({ k: kind, v: key }), 'utf8').toString('base64url');
}

export function decodeCursor<T>(kind: string, cursor: string, valid: (v: unknown) => v is T): T {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  const p = parsed as { k?: unknown; v?: unknown } | undefined;
  if (!p || p.k !== kind || !valid(p.v)) {
    throw new FlowError(
      'invalid_input',
      `cursor is not one this ${kind} list issued.`,
      `Pass the next_cursor from the previous ${kind} list result unchanged, or leave cursor out to start from the first page.`,
    );
  }
  return p.v;
}
