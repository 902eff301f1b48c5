// JSON.parse with the failure placed by line and column, for files people hand to `flowmcp import`.
export type Parsed = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

export function parseJsonAt(text: string): Parsed {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const message = (e as Error).message;
    const m = /position (\d+)/.exec(message);
    const pos = m ? Number(m[1]) : text.length; // "Unexpected end of JSON input" has no position: the end
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const column = pos - before.lastIndexOf('\n');
    return { ok: false, line, column, message: message.replace(/\s*in JSON at position \d+.*$/, '') };
  }
}
