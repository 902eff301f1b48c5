// JSON Patch between snapshot states: what diffJson records is the smallest honest change (objects key by
// key, arrays and scalars whole), and applyPatch replays it exactly, refusing a path that does not fit
// with a message naming the path (a snapshot delta is read from .flow/, which anyone may have written).
import { describe, expect, it } from 'vitest';
import { applyPatch, diffJson, type PatchOp } from '../../src/store/json-patch.js';

describe('diffJson', () => {
  it('records a changed field as one replace, a new key as add, a gone key as remove', () => {
    const from = { tasks: { t1: { title: 'a', status: 'todo' }, t2: { title: 'b' } } };
    const to = { tasks: { t1: { title: 'a', status: 'done' }, t3: { title: 'c' } } };
    expect(diffJson(from, to)).toEqual([
      { op: 'remove', path: '/tasks/t2' },
      { op: 'replace', path: '/tasks/t1/status', value: 'done' },
      { op: 'add', path: '/tasks/t3', value: { title: 'c' } },
    ]);
    expect(applyPatch(from, diffJson(from, to))).toEqual(to);
  });

  it('escapes "~" and "/" in keys as JSON Pointer says, and applyPatch reads them back', () => {
    const ops = diffJson({}, { 'a/b~c': 1 });
    expect(ops).toEqual([{ op: 'add', path: '/a~1b~0c', value: 1 }]);
    expect(applyPatch({}, ops)).toEqual({ 'a/b~c': 1 });
    expect(diffJson({ 'x/y': 1, 'p~q': 1 }, {})).toEqual([
      { op: 'remove', path: '/x~1y' },
      { op: 'remove', path: '/p~0q' },
    ]);
    // "~01" is "~1" literally, not "/": ~1 is undone before ~0
    expect(applyPatch({ '~1': 0 }, [{ op: 'replace', path: '/~01', value: 5 }])).toEqual({ '~1': 5 });
  });

  it('replaces a changed array whole, and records nothing for an equal copy of one', () => {
    expect(diffJson({ a: [1, 2] }, { a: [1, 3] })).toEqual([{ op: 'replace', path: '/a', value: [1, 3] }]);
    expect(diffJson({ a: [1, 2] }, { a: [1, 2, 3] })).toEqual([{ op: 'replace', path: '/a', value: [1, 2, 3] }]);
    expect(diffJson({ a: [1, { b: [2] }] }, { a: [1, { b: [2] }] })).toEqual([]);
    expect(diffJson([1, 2], [1, 3])).toEqual([{ op: 'replace', path: '', value: [1, 3] }]);
  });

  it('tells apart every kind of difference inside arrays', () => {
    const same = (a: unknown, b: unknown) => diffJson({ v: [a] }, { v: [b] }).length === 0;
    expect(same(1, 1)).toBe(true);
    expect(same('x', 'x')).toBe(true);
    expect(same(null, null)).toBe(true);
    expect(same({ k: 1, j: [2] }, { j: [2], k: 1 })).toBe(true);
    expect(same([], [])).toBe(true);
    expect(same(1, 2)).toBe(false);
    expect(same(1, '1')).toBe(false);
    expect(same(null, {})).toBe(false);
    expect(same({}, null)).toBe(false);
    expect(same([], {})).toBe(false);
    expect(same({}, [])).toBe(false);
    expect(same({}, 1)).toBe(false);
    expect(same({ k: 1, j: 2 }, { k: 1, j: 3 })).toBe(false);
    expect(same({ k: 1 }, { k: 2 })).toBe(false);
    expect(same({ k: 1 }, { k: 1, j: 2 })).toBe(false);
    expect(same({ k: 1, j: 2 }, { k: 1 })).toBe(false);
    expect(same({ k: undefined }, { j: undefined })).toBe(false);
    expect(same([1, 2], [1, 3])).toBe(false);
    expect(same([1, 2], [3, 2])).toBe(false);
    expect(same([1], [1, 1])).toBe(false);
  });

  it('compares scalars and non-objects as whole values', () => {
    expect(diffJson(5, 5)).toEqual([]);
    expect(diffJson('ab', 'ab')).toEqual([]);
    expect(diffJson(5, 6)).toEqual([{ op: 'replace', path: '', value: 6 }]);
    expect(diffJson('ab', 'cd')).toEqual([{ op: 'replace', path: '', value: 'cd' }]);
    expect(diffJson(null, { a: 1 })).toEqual([{ op: 'replace', path: '', value: { a: 1 } }]);
    expect(diffJson({ a: 1 }, null)).toEqual([{ op: 'replace', path: '', value: null }]);
    expect(diffJson({ a: null }, { a: { b: 1 } })).toEqual([{ op: 'replace', path: '/a', value: { b: 1 } }]);
    expect(diffJson({ a: { b: 1 } }, { a: null })).toEqual([{ op: 'replace', path: '/a', value: null }]);
    expect(diffJson({ a: { b: 1 } }, { a: 'x' })).toEqual([{ op: 'replace', path: '/a', value: 'x' }]);
    expect(diffJson({ a: 'x' }, { a: 'y' }, '/root')).toEqual([{ op: 'replace', path: '/root/a', value: 'y' }]);
  });
});

describe('applyPatch', () => {
  it('replaces the whole document at path "" and refuses to remove it', () => {
    expect(applyPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }])).toEqual({ b: 2 });
    expect(applyPatch({ a: 1 }, [{ op: 'add', path: '', value: [1] }])).toEqual([1]);
    expect(() => applyPatch({ a: 1 }, [{ op: 'remove', path: '' }])).toThrow(/^cannot remove the whole document$/);
  });

  it('leaves the given document alone unless told it may change it in place', () => {
    const doc = { a: { b: 1 } };
    const out = applyPatch(doc, [{ op: 'replace', path: '/a/b', value: 2 }]);
    expect(out).toEqual({ a: { b: 2 } });
    expect(doc).toEqual({ a: { b: 1 } });
    const same = applyPatch(doc, [{ op: 'replace', path: '/a/b', value: 3 }], { inPlace: true });
    expect(same).toBe(doc);
    expect(doc).toEqual({ a: { b: 3 } });
    // a value put in is a copy: changing the op afterwards does not reach the document
    const value = { c: 1 };
    const got = applyPatch({} as Record<string, { c: number }>, [{ op: 'add', path: '/x', value }]);
    value.c = 2;
    expect(got.x!.c).toBe(1);
  });

  it('works on arrays: insert, append with "-", replace, remove', () => {
    const arr = { a: [1, 2, 3] };
    expect(applyPatch(arr, [{ op: 'add', path: '/a/0', value: 0 }])).toEqual({ a: [0, 1, 2, 3] });
    expect(applyPatch(arr, [{ op: 'add', path: '/a/1', value: 9 }])).toEqual({ a: [1, 9, 2, 3] });
    expect(applyPatch(arr, [{ op: 'add', path: '/a/3', value: 4 }])).toEqual({ a: [1, 2, 3, 4] });
    expect(applyPatch(arr, [{ op: 'add', path: '/a/-', value: 4 }])).toEqual({ a: [1, 2, 3, 4] });
    expect(applyPatch(arr, [{ op: 'replace', path: '/a/0', value: 7 }])).toEqual({ a: [7, 2, 3] });
    expect(applyPatch(arr, [{ op: 'replace', path: '/a/2', value: 7 }])).toEqual({ a: [1, 2, 7] });
    expect(applyPatch(arr, [{ op: 'remove', path: '/a/0' }])).toEqual({ a: [2, 3] });
    expect(applyPatch(arr, [{ op: 'remove', path: '/a/2' }])).toEqual({ a: [1, 2] });
    expect(applyPatch({ a: [{ b: 1 }] }, [{ op: 'replace', path: '/a/0/b', value: 2 }])).toEqual({ a: [{ b: 2 }] });
    expect(applyPatch({ a: [] }, [{ op: 'add', path: '/a/-', value: 'x' }])).toEqual({ a: ['x'] });
  });

  it('refuses an array index that is not one, with the path in the message', () => {
    const bad = (path: string, op: PatchOp['op'] = 'add') =>
      () => applyPatch({ a: [1, 2] }, [op === 'remove' ? { op, path } : { op, path, value: 0 }]);
    for (const p of ['/a/-1', '/a/1.5', '/a/x', '/a/3', '/a/', '/a/01', '/a/1e0', '/a/ 1']) expect(bad(p), p).toThrow(`patch path ${p}: bad array index`);
    // replace and remove need an element that is there; only add may go one past the end
    expect(bad('/a/2', 'replace')).toThrow('patch path /a/2: bad array index');
    expect(bad('/a/2', 'remove')).toThrow('patch path /a/2: bad array index');
    expect(bad('/a/-', 'remove')).toThrow('patch path /a/-: bad array index');
  });

  it('refuses a path through something that is not there, naming the path', () => {
    const doc = { a: 1, n: null, o: { p: 1 } };
    expect(() => applyPatch(doc, [{ op: 'add', path: '/a/b', value: 1 }])).toThrow(/^patch path \/a\/b does not exist$/);
    expect(() => applyPatch(doc, [{ op: 'add', path: '/n/b/c', value: 1 }])).toThrow(/^patch path \/n\/b\/c does not exist$/);
    expect(() => applyPatch(doc, [{ op: 'add', path: '/a/b/c', value: 1 }])).toThrow(/^patch path \/a\/b\/c does not exist$/);
    expect(() => applyPatch(doc, [{ op: 'add', path: '/z/b', value: 1 }])).toThrow(/^patch path \/z\/b does not exist$/);
    expect(() => applyPatch(doc, [{ op: 'remove', path: '/o/q' }])).toThrow(/^patch path \/o\/q does not exist$/);
    expect(() => applyPatch(doc, [{ op: 'replace', path: '/o/q', value: 1 }])).toThrow(/^patch path \/o\/q does not exist$/);
    // a key only the prototype has is not there either
    expect(() => applyPatch(doc, [{ op: 'remove', path: '/o/toString' }])).toThrow(/^patch path \/o\/toString does not exist$/);
    expect(applyPatch(doc, [{ op: 'add', path: '/o/q', value: 2 }])).toEqual({ a: 1, n: null, o: { p: 1, q: 2 } });
  });

  it('never walks into a prototype: a payload (untrusted) cannot change every object in the process', () => {
    const doc = { tasks: { t: { title: 'x' } } };
    for (const path of ['/__proto__/polluted', '/tasks/__proto__/polluted', '/tasks/constructor/prototype/polluted', '/tasks/t/constructor/polluted']) {
      expect(() => applyPatch(doc, [{ op: 'add', path, value: 'yes' }], { inPlace: true }), path).toThrow(`patch path ${path} does not exist`);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // A key of that name as a plain row key is still a row like any other.
    expect(Object.keys(applyPatch(doc, [{ op: 'add', path: '/tasks/__proto__', value: { title: 'y' } }]).tasks)).toEqual(['t', '__proto__']);
  });

  it('adds, replaces and removes object keys, the result an ordinary object', () => {
    const out = applyPatch({ a: 1 } as Record<string, unknown>, [
      { op: 'add', path: '/b', value: 2 },
      { op: 'replace', path: '/b', value: 3 },
      { op: 'add', path: '/c', value: 4 },
      { op: 'remove', path: '/c' },
      { op: 'remove', path: '/a' },
    ]);
    expect(out).toEqual({ b: 3 });
    out.b = 5; // writable
    expect(out.b).toBe(5);
    delete out.b; // configurable
    expect(out).toEqual({});
  });

  it('keeps "__proto__" an ordinary key: a hostile patch cannot change an object\'s prototype', () => {
    const out = applyPatch({} as Record<string, unknown>, [{ op: 'add', path: '/__proto__', value: { polluted: true } }]);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: unknown }).polluted).toBeUndefined();
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
