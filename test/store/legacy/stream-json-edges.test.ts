// A flows.json too big to read whole is read a flow at a time; these are the files that reader meets at
// its edges: "flows" as a value or a nested key, escapes and empty keys before the list, a flow that starts
// exactly on a 1 MB read boundary and runs past the next one, and damaged files — each refused with the
// line, column and words a user reads. Nothing read is left open.
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StreamSyntaxError, topLevelArray, topLevelString } from '../../../src/store/legacy/stream-json.js';
import { tempDir } from '../../helpers/workspace.js';

const dir = tempDir();
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MB = 1 << 20;
let n = 0;
const file = (text: string) => {
  const f = join(dir, `f${n++}.json`);
  writeFileSync(f, text);
  return f;
};
/** Every flow read before the file broke, and how it broke (line, column, message), or 'ok'. */
function readAll(text: string, key = 'flows'): { flows: unknown[]; end: 'ok' | [number, number, string] } {
  const flows: unknown[] = [];
  try {
    for (const v of topLevelArray(file(text), key)) flows.push(v);
    return { flows, end: 'ok' };
  } catch (e) {
    if (!(e instanceof StreamSyntaxError)) throw e;
    return { flows, end: [e.line, e.column, e.message] };
  }
}
const ok = (text: string) => {
  const r = readAll(text);
  expect(r.end).toBe('ok');
  return r.flows;
};

describe('finding the top-level list', () => {
  it('"flows" as a value, or as a key deeper down, is not the list', () => {
    expect(ok('{"kind": "flows", "flows": [{"a": 1}]}')).toEqual([{ a: 1 }]);
    expect(ok('{"kind": "flows", "other": [{"no": 1}], "flows": [{"a": 1}]}')).toEqual([{ a: 1 }]);
    expect(ok('{"kind": "flows"\n, "flows": [{"a": 1}]}')).toEqual([{ a: 1 }]);
    expect(ok('{"meta": {"flows": [{"no": 1}]}, "list": [{"flows": [2]}], "flows": [{"a": 1}]}')).toEqual([{ a: 1 }]);
    expect(ok('{"a": [1, {"b": 2}], "flows": [{"a": 1}], "after": [3]}')).toEqual([{ a: 1 }]);
    expect(ok('{"flowsX": [{"no": 1}], "xflows": [{"no": 2}], "flows": []}')).toEqual([]);
    expect(ok('{"flows": [{"flows": 1, "a": 2}, {"b": 3}]}')).toEqual([{ flows: 1, a: 2 }, { b: 3 }]);
    expect(ok('{"flows": [{"a": 1}], "x": "flows", "y": [{"no": 1}]}')).toEqual([{ a: 1 }]);
  });

  it('keys before the list may be empty or hold escaped quotes and backslashes', () => {
    expect(ok('{"": 1, "flows": [{"a": 1}]}')).toEqual([{ a: 1 }]);
    expect(ok('{"x\\"": "\\\\", "\\"flows\\"": [{"no": 1}], "flows": [{"a": "\\"}{[\\\\"}]}')).toEqual([{ a: '"}{[\\' }]);
  });

  it('no top-level list: refused with that, naming the key', () => {
    expect(readAll('{"kind": "flows"}').end).toEqual([1, 1, 'no top-level "flows" list']);
    expect(readAll('{"flows": {"x": [{"a": 1}]}}').end).toEqual([1, 1, 'no top-level "flows" list']);
    expect(readAll('{"meta": {"flows": [{"a": 1}]}}').end).toEqual([1, 1, 'no top-level "flows" list']);
    expect(readAll('{"tasks": [{"a": 1}]}', 'tasks')).toEqual({ flows: [{ a: 1 }], end: 'ok' });
  });
});

describe('damaged files', () => {
  it('something other than a flow in the list: its line and column', () => {
    expect(readAll('{"flows": [\n  {"a": 1},\n  oops\n]}')).toEqual({ flows: [{ a: 1 }], end: [3, 3, 'unexpected character in the flows list'] });
  });

  it('numbers, true, false and null in the list are skipped, as the small-file reader skips them; a broken one is refused where it starts', () => {
    expect(ok('{"flows": [1, {"a": 1}, -2.5e3, null,\n true, false, {"b": 2}, 0, 1E+2, "note"]}')).toEqual([{ a: 1 }, { b: 2 }]);
    expect(ok('{"flows": [7]}')).toEqual([]);
    for (const bad of ['tru', 'nul', '01', '1.', '-', '+1', '1e', 'truefalse', '.5', 'nulll', '--1'])
      expect(readAll(`{"flows": [\n  {"a": 1},\n  ${bad}\n]}`), bad).toEqual({ flows: [{ a: 1 }], end: [3, 3, 'unexpected character in the flows list'] });
    // Cut at the closing bracket, a comma or a brace just the same.
    expect(readAll('{"flows": [{"a": 1}, nul]}').end).toEqual([1, 22, 'unexpected character in the flows list']);
    expect(readAll('{"flows": [nul,{"a": 1}]}')).toEqual({ flows: [], end: [1, 12, 'unexpected character in the flows list'] });
    // A run of digits too long to be a number anyone wrote is refused, not gathered.
    expect(readAll(`{"flows": [${'9'.repeat(500)}]}`).end).toEqual([1, 12, 'unexpected character in the flows list']);
  });

  it('a broken flow: the line and column inside it', () => {
    expect(readAll('{"flows": [\n  {"a": 1}, {"b" 2}\n]}').end).toEqual([2, 18, 'unexpected character']);
    expect(readAll('{"flows": [\n  {\n    "b": 2,\n    "c" 3\n  }\n]}').end).toEqual([4, 9, 'unexpected character']);
    expect(readAll('{"flows": [{"a": [1}]]}').end).toEqual([1, 20, 'unexpected character']);
  });

  it('a closing bracket too many: where it is', () => {
    expect(readAll('{"flows": [{"a": 1}]}\n]').end).toEqual([2, 1, 'unexpected character']);
  });

  it('cut short anywhere: "ends too early" at the end of the file, after the flows read whole', () => {
    expect(readAll('{\n  "flows": [\n    {"a": 1},\n')).toEqual({ flows: [{ a: 1 }], end: [4, 1, 'the file ends too early (truncated?)'] });
    expect(readAll('{"flows": [{"a": 1}], "b": {').end).toEqual([1, 29, 'the file ends too early (truncated?)']);
    expect(readAll('{"flows": []').end).toEqual([1, 13, 'the file ends too early (truncated?)']);
    expect(readAll('{"flows": [{"a": "x').end).toEqual([1, 20, 'the file ends too early (truncated?)']);
    expect(readAll('"flows').end).toEqual([1, 7, 'the file ends too early (truncated?)']);
    expect(readAll('{"flows": [').end).toEqual([1, 12, 'the file ends too early (truncated?)']);
  });
});

describe('1 MB read boundaries', () => {
  /** A file whose first flow starts `shift` bytes after the first 1 MB, and is longer than 1 MB. */
  const boundary = (shift: number) => {
    const head = '{"pad": "", "flows": [';
    const pad = 'p'.repeat(MB - head.length + shift);
    const big = { n: `${'y'.repeat(MB + 100)}{"}[`, s: 'a"b\\' };
    const text = `{"pad": "${pad}", "flows": [${JSON.stringify(big)},\n{"m": 1},\n{"k" 2}]}`;
    expect(text.indexOf('{"n"')).toBe(MB + shift);
    return { text, big };
  };

  it.each([0, -1, 1])('a flow starting %i bytes from the boundary, and running past the next one, is read whole', (shift) => {
    const { text, big } = boundary(shift);
    // Past the boundaries the line and column of a broken flow are still right.
    expect(readAll(text)).toEqual({ flows: [big, { m: 1 }], end: [3, 6, 'unexpected character'] });
  });

  it('a boundary between two flows', () => {
    const head = '{"pad": "", "flows": [{"a": 1},';
    const text = `{"pad": "${'p'.repeat(MB - head.length - 3)}", "flows": [{"a": 1},      {"b": 2}]}`;
    expect(text.indexOf('{"b"')).toBe(MB + 3);
    expect(ok(text)).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('a list ending exactly on the boundary', () => {
    const head = '{"pad": "", "flows": [{"a": 1}]}';
    const text = `{"pad": "${'p'.repeat(MB - head.length)}", "flows": [{"a": 1}]}`;
    expect(text.length).toBe(MB);
    expect(ok(text)).toEqual([{ a: 1 }]);
    expect(readAll(`${text}x`).end).toEqual('ok'); // what follows the list is not read as flows
  });
});

describe('topLevelString', () => {
  it('reads a string near the start or the end, escapes decoded; not one in the middle of a big file', () => {
    const start = file('{"current_flow_id": "a\\"b\\\\c\\u00e9", "flows": []}');
    expect(topLevelString(start, 'current_flow_id', 49)).toBe('a"b\\cé');
    const pad = 'x'.repeat(200_000);
    const end = `{"flows": [{"n": "${pad}"}], "current_flow_id" : "tail"}`;
    expect(topLevelString(file(end), 'current_flow_id', end.length)).toBe('tail');
    const head = `{"current_flow_id":"head", "flows": [{"n": "${pad}"}]}`;
    expect(topLevelString(file(head), 'current_flow_id', head.length)).toBe('head');
    const middle = `{"flows": [{"n": "${pad}"}], "current_flow_id": "mid", "more": [{"n": "${pad}"}]}`;
    expect(topLevelString(file(middle), 'current_flow_id', middle.length)).toBeUndefined();
    expect(topLevelString(file('{"flows": []}'), 'current_flow_id', 13)).toBeUndefined();
  });

  it('leaves no file open, read whole, broken or not', () => {
    if (process.platform !== 'linux') return;
    const fds = () => readdirSync('/proc/self/fd').length;
    const good = file('{"flows": [{"a": 1}], "current_flow_id": "x"}');
    const bad = file('{"flows": [{"a" 1}]}');
    const before = fds();
    for (let i = 0; i < 20; i++) {
      topLevelString(good, 'current_flow_id', 45);
      [...topLevelArray(good, 'flows')];
      expect(() => [...topLevelArray(bad, 'flows')]).toThrow(StreamSyntaxError);
    }
    expect(fds()).toBe(before);
  });
});
