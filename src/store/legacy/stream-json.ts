// Reads the elements of a big file's top-level "flows" array one at a time, without holding the file:
// a byte scanner tracks strings and nesting over 1 MB reads and hands each element's text to
// JSON.parse. Memory stays at one chunk plus one element, whatever the file's size. A syntax error is
// reported with its line and column.
import { closeSync, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { jsonErrorOffset } from './parse-json.js';
import { MAX_JSON_DEPTH } from '../../json-depth.js';

const CHUNK = 1 << 20;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;

export class StreamSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    what: string,
  ) {
    super(what);
  }
}

/** Bytes a JSON number, true, false or null is made of; the whole is checked by JSON_SCALAR. */
const SCALAR_BYTE: boolean[] = Array.from({ length: 256 }, (_, b) => /[-+.0-9eEtrufalsn]/.test(String.fromCharCode(b)));
const JSON_SCALAR = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)$/;
/** The bytes that matter inside a flow, out of a string and in one. */
const ELEMENT_STOP = Uint8Array.from({ length: 256 }, (_, b) => +[QUOTE, NEWLINE, 0x7b, 0x7d, 0x5b, 0x5d].includes(b));
const STRING_STOP = Uint8Array.from({ length: 256 }, (_, b) => +[QUOTE, NEWLINE, BACKSLASH].includes(b));
/** Longer than any number worth reading: a run of digits this long is refused, not gathered. */
const MAX_SCALAR = 400;

/** Each element of the top-level `key` array that is an object or an array, parsed, in file order. */
export function* topLevelArray(file: string, key: string): Generator<unknown> {
  const fd = openSync(file, 'r');
  const buf = Buffer.alloc(CHUNK);
  const want = Buffer.from(`"${key}"`);
  let depth = 0;
  let inString = false;
  let escaped = false;
  let line = 1;
  let lineStart = 0; // file offset of the current line
  let offset = 0; // file offset of buf[0]
  let state: 'seek' | 'colon' | 'array' | 'done' = 'seek';

  let keyBytes: number[] = [];
  let element: Buffer[] = [];
  let inElement = false; // inside one element of the list: its bytes are being gathered
  let elementLine = 1;
  let elementCol = 1;
  const fail = (pos: number, what: string): never => {
    throw new StreamSyntaxError(line, pos - lineStart + 1, what);
  };
  // A number, true, false or null in the list is not a flow: skipped, as the small-file reader skips it,
  // once it is known to be valid JSON (its characters are gathered until the next one that is not).
  let scalar: string | undefined;
  let scalarLine = 1;
  let scalarCol = 1;
  const badScalar = () => new StreamSyntaxError(scalarLine, scalarCol, `unexpected character in the ${key} list`);
  const endScalar = () => {
    if (!JSON_SCALAR.test(scalar!)) throw badScalar();
    scalar = undefined;
  };
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      let copyFrom = 0; // where the open element's bytes start in this read: 0 when it began in an earlier one
      for (let i = 0; i < n; i++) {
        if (inElement && !escaped) {
          // Inside a flow only quotes, brackets, backslashes in strings and line ends change anything: the
          // bytes between them (most of a big file) are passed over in a tight loop.
          const stop = inString ? STRING_STOP : ELEMENT_STOP;
          while (i < n && !stop[buf[i]!]) i++;
          // Stryker disable next-line ConditionalExpression: past the read's end buf[n] is undefined, which no branch below acts on; leaving here only saves that pass
          if (i === n) break;
        }
        const c = buf[i]!;
        const pos = offset + i;
        if (c === NEWLINE) {
          line++;
          lineStart = pos + 1;
        }
        if (scalar !== undefined && !SCALAR_BYTE[c]) endScalar();
        if (inString) {
          if (depth === 1 && state === 'seek') keyBytes.push(c);
          if (escaped) escaped = false;
          else if (c === BACKSLASH) escaped = true;
          else if (c === QUOTE) {
            inString = false;
            if (depth === 1 && state === 'seek') {

              if (Buffer.from(keyBytes).equals(want)) state = 'colon';
            }
          }
          continue;
        }
        if (c === QUOTE) {
          inString = true;
          if (depth === 1 && state === 'seek') keyBytes = [c];
          continue;
        }
        if (c === 0x7b || c === 0x5b) {
          // { [
          if (state === 'colon' && depth === 1 && c === 0x5b) {
            state = 'array';
            depth++;
            continue;
          }
          if (state === 'array' && depth === 2) {
            inElement = true;
            copyFrom = i;
            elementLine = line;
            elementCol = pos - lineStart + 1;
          }
          // Refused before the element is parsed: deep nesting is the slowest thing JSON.parse does (json-depth.ts).
          if (++depth > MAX_JSON_DEPTH) fail(pos, `nested deeper than ${MAX_JSON_DEPTH} levels`);
        } else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth < 0) fail(pos, 'unexpected character');
          if (state === 'array' && depth === 2) {
            // back at the list's depth: only an element's closing bracket gets here
            // Most flows lie within one read: decoded where they are, without copying them first.
            // Stryker disable next-line ConditionalExpression: concatenating the one piece gives the same text, after one copy more
            const bytes = element.length ? Buffer.concat([...element, buf.subarray(copyFrom, i + 1)]) : buf.subarray(copyFrom, i + 1);
            // Bytes that are not UTF-8 would be read as U+FFFD: text rewritten without a word. Refused instead.
            if (!isUtf8(bytes)) throw new StreamSyntaxError(elementLine, elementCol, 'not UTF-8 text');
            const text = bytes.toString('utf8');
            element = [];
            inElement = false;
            let value: unknown;
            try {
              value = JSON.parse(text);
            } catch {
              const at = jsonErrorOffset(text);
              const before = text.slice(0, at);
              const l = before.split('\n').length - 1;
              throw new StreamSyntaxError(elementLine + l, l ? at - before.lastIndexOf('\n') : elementCol + at, text[at] === undefined ? 'unexpected end' : 'unexpected character');
            }
            yield value;
          } else if (state === 'array' && depth === 1) state = 'done';
        } else if (state === 'colon' && c !== 0x3a && c > 0x20 && depth === 1) {
          state = 'seek'; // "flows" was a value, not the key of an array
        } else if (state === 'array' && depth === 2 && c > 0x20 && c !== 0x2c) {
          if (!SCALAR_BYTE[c]) fail(pos, `unexpected character in the ${key} list`);
          if (scalar === undefined) {
            scalar = '';
            scalarLine = line;
            scalarCol = pos - lineStart + 1;
          }
          // Refused as soon as it is too long: a planted gigabyte of digits is never held in memory.
          if (scalar.length === MAX_SCALAR) throw badScalar();
          scalar += String.fromCharCode(c);
        }
      }
      if (inElement) element.push(Buffer.from(buf.subarray(copyFrom, n)));
      offset += n;
    }
    if (inString || depth !== 0 || state === 'array') throw new StreamSyntaxError(line, offset - lineStart + 1, 'the file ends too early (truncated?)');
    if (state !== 'done') throw new StreamSyntaxError(1, 1, `no top-level "${key}" list`);
  } finally {
    closeSync(fd);
  }
}

/** A top-level string value near the start or end of a file (e.g. current_flow_id), without reading it all. */
export function topLevelString(file: string, key: string, size: number): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const span = Math.min(size, 65536);
    const head = Buffer.alloc(span);
    readSync(fd, head, 0, span, 0);
    const tail = Buffer.alloc(span);
    readSync(fd, tail, 0, span, Math.max(0, size - span));
    const re = new RegExp(`"${key}"\\s*:\\s*"((?:[^"\\\\]|\\\\.)*)"`);
    const m = re.exec(tail.toString('utf8')) ?? re.exec(head.toString('utf8'));
    return m ? (JSON.parse(`"${m[1]}"`) as string) : undefined;
  } finally {
    closeSync(fd);
  }
}
