// A file handed to `flowmcp import` that does not parse is refused with where it breaks — the line and
// column of the first character that cannot be JSON, or "ends too early" when it is cut short — and
// never with a word of its text (it may be a secret someone pointed the import at).
import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, parseJsonAt } from '../../../src/store/legacy/parse-json.js';

const END = 'the file ends too early (truncated?)';
const BAD = 'unexpected character';
const at = (text: string) => {
  const r = parseJsonAt(text);
  return r.ok ? 'parsed' : [r.line, r.column, r.message];
};

describe('parseJsonAt', () => {
  it('a valid file parses to its value', () => {
    expect(parseJsonAt(' {"a": [1, -2.5e+3, true, false, null, "x\\u00e9\\n"], "b": {}} ')).toEqual({ ok: true, value: { a: [1, -2500, true, false, null, 'xé\n'], b: {} } });
  });

  it.each([
    // Objects: a key must be a string, then a colon; members are separated by commas.
    ['{a: 1}', 1, 2, BAD],
    ['{"a" 1}', 1, 6, BAD],
    ['{"a": 1 "b": 2}', 1, 9, BAD],
    ['{"a": 1,}', 1, 9, BAD],
    ['{"e": {}, "b": x}', 1, 16, BAD],
    ['{"e": [], "b": x}', 1, 16, BAD],
    // Lists
    ['[1 2]', 1, 4, BAD],
    ['[1, 2}', 1, 6, BAD],
    ['[[1], x]', 1, 7, BAD],
    ['[]]', 1, 3, BAD],
    ['{} x', 1, 4, BAD],
    // Numbers, words: each read whole, so the character after a good one is where it breaks.
    ['[123, x]', 1, 7, BAD],
    ['[-1.25e+10, 1.5E-3, 0, 1e5, x]', 1, 29, BAD],
    ['[1.5, 2e7, x]', 1, 12, BAD],
    ['[01]', 1, 3, BAD],
    ['[1., 2]', 1, 3, BAD],
    ['[-]', 1, 2, BAD],
    ['[x1]', 1, 2, BAD],
    ['[xtrue]', 1, 2, BAD],
    ['[xfalse]', 1, 2, BAD],
    ['[xnull]', 1, 2, BAD],
    ['[true, false, null, nul]', 1, 21, BAD],
    // Strings: escapes, control characters, a plain space is fine.
    ['["a b", "c\\"d", "e\\\\", x]', 1, 24, BAD],
    ['["a\\x", 1]', 1, 4, BAD],
    ['["\\u12G4"]', 1, 3, BAD],
    ['["\\u00e9", x]', 1, 12, BAD],
    ['["u\\n", x]', 1, 9, BAD],
    ['["a\tb"]', 1, 4, BAD],
    // Where: lines counted from 1, columns from 1 within the line; what follows does not move it.
    ['{\n  "a": 1,\n  "b": ?\n}\n\n\n', 3, 8, BAD],
    ['\n\n[1,\n x]', 4, 2, BAD],
    // Cut short: the end of the text is where it breaks.
    ['{"a": ', 1, 7, END],
    ['{"a": [1, 2', 1, 12, END],
    ['{\n"a": "abc', 2, 10, END],
    ['["abc\\', 1, 7, END],
    ['', 1, 1, END],
  ])('%j breaks at line %i, column %i: %s', (text, line, column, message) => {
    expect(at(text)).toEqual([line, column, message]);
  });

  it('a long number is read whole, up to the character after it', () => {
    const n = '1'.repeat(300);
    expect(at(`[${n}, x]`)).toEqual([1, 304, BAD]);
  });

  it('a file nested hundreds of thousands deep is refused where it passes 1,000 levels, before any parse', () => {
    const deep = 300_000;
    expect(at(`{"flows": ${'['.repeat(deep)}`)).toEqual([1, 1010, 'nested deeper than 1000 levels']);
    expect(at(`${'[{"a": '.repeat(deep)}1, x`)).toEqual([1, 3501, 'nested deeper than 1000 levels']);
  });

  it('the scanner places a break in a file nested hundreds of thousands deep (it overflowed: "column NaN")', () => {
    const deep = 300_000;
    expect(jsonErrorOffset(`{"flows": ${'['.repeat(deep)}`)).toBe(10 + deep);
    expect(jsonErrorOffset(`${'[{"a": '.repeat(deep)}1, x`)).toBe(7 * deep + 3);
  });

  it('never quotes the text', () => {
    const r = parseJsonAt('{"password": "hunter2" oops}');
    expect(r).toEqual({ ok: false, line: 1, column: 24, message: BAD });
  });
});
