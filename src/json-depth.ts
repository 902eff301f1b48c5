// How deep JSON text nests, counted in one linear pass before JSON.parse sees it. V8 parses deep
// nesting ~50× slower a byte than flat JSON (16 MB of '[' and ']' held the thread ~8 s), and a parse
// cannot be interrupted: a body or file nested past any real message's depth is refused unparsed.

/** Deeper than any JSON-RPC message, web page request or file flowmcp reads: those nest a few levels. */
export const MAX_JSON_DEPTH = 1000;

/** Where `text` opens its array or object number max + 1 inside the others (strings skipped), or undefined. */
export function tooDeepAt(text: string, max: number = MAX_JSON_DEPTH): number | undefined {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return i;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return undefined;
}

/** JSON.parse of text that may come from anyone, refused with a SyntaxError when it nests past `max`. */
export function parseJsonBounded(text: string, max: number = MAX_JSON_DEPTH): unknown {
  if (tooDeepAt(text, max) !== undefined) throw new SyntaxError(`nested deeper than ${max} levels`);
  return JSON.parse(text);
}
