// JSON.parse with the failure placed by line and column, for files people hand to `flowmcp import`.
// Node's own messages do not always say where (recent versions quote a snippet instead), so on a
// failure a small scanner walks the text to the first byte that cannot be JSON.
import { MAX_JSON_DEPTH, tooDeepAt } from '../../json-depth.js';

export type Parsed = { ok: true; value: unknown } | { ok: false; line: number; column: number; message: string };

/** Offset of the first character that breaks JSON syntax (text.length when the text just ends early). */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: past the end text[i] is undefined, which ' \t\n\r' does not include, so the loop stops there either way
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (): never => {
    throw i;
  };
  // Containers are kept on a stack of their closing characters, not in calls: a file nested 300,000
  // deep (a truncated or hostile one) would overflow the call stack and be placed at "column NaN".
  const closers: string[] = [];
  /** A member's name and its colon (its value follows). */
  const key = () => {
    ws();
    if (text[i] !== '"') fail();
    string();
    ws();
    if (text[i] !== ':') fail();
    i++;
  };
  const value = (): void => {
    for (;;) {
      ws();
      const c = text[i];
      if (c === '{' || c === '[') {
        const close = c === '{' ? '}' : ']';
        i++;
        ws();
        if (text[i] !== close) {
          closers.push(close);
          if (close === '}') key();
          continue; // the first value inside
        }
        i++;
      } else if (c === '"') string();
      else {
        const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|^true|^false|^null/.exec(text.slice(i, i + 400));
        if (!m) fail();
        i += m![0].length;
      }
      // A value ended: the containers that end with it are closed; a comma starts the next value.
      for (;;) {
        const close = closers[closers.length - 1];
        if (close === undefined) return;
        ws();
        if (text[i] === close) {
          i++;
          closers.pop();
          continue;
        }
        if (text[i] !== ',') fail();
        i++;
        if (close === '}') key();
        break;
      }
    }
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') return void i++;
      if (c === '\\') {
        // Only these letters may follow a backslash; any other is where the file breaks (not its end).
        if (text[i + 1] !== undefined && !'"\\/bfnrtu'.includes(text[i + 1]!)) fail();
        // Stryker disable next-line Regex: the slice is at most 4 characters, so four hex digits are the whole of it with or without ^ and $
        if (text[i + 1] === 'u' && !/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail();
        i += text[i + 1] === 'u' ? 6 : 2;
        continue;
      }
      if (c < ' ') fail();
      i++;
    }
    fail();
  };
  try {
    value();
    ws();
    return i; // value() and ws() never step past the end
  } catch (at) {
    return Math.min(at as number, text.length);
  }
}

export function parseJsonAt(text: string): Parsed {
  // Nesting past any real file's is refused before the parse, which could not be interrupted (json-depth.ts).
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { ok: false, ...placed(text, deep), message: `nested deeper than ${MAX_JSON_DEPTH} levels` };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const pos = jsonErrorOffset(text);
    // Where, never what: the file may be anything (a secret someone pointed the import at).
    const what = pos >= text.length ? 'the file ends too early (truncated?)' : 'unexpected character';
    return { ok: false, ...placed(text, pos), message: what };
  }
}

/** An offset of `text` as its line and column (both from 1). */
function placed(text: string, pos: number): { line: number; column: number } {
  const before = text.slice(0, pos);
  return { line: before.split('\n').length, column: pos - before.lastIndexOf('\n') };
}
