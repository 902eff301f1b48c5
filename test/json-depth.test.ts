// Nesting counted before a parse (json-depth.ts): brackets in strings (escaped quotes too) are text,
// and the place where the limit is passed is given, so a refusal can say where.
import { describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, parseJsonBounded, tooDeepAt } from '../src/json-depth.js';

describe('tooDeepAt', () => {
  it('counts arrays and objects inside each other, not brackets inside strings', () => {
    expect(tooDeepAt('{"a":[{"b":[1]}]}', 4)).toBeUndefined();
    expect(tooDeepAt('{"a":[{"b":[1]}]}', 3)).toBe(11);
    expect(tooDeepAt('["[[[[", "\\"[[[[", {"k": "]]]]"}]', 2)).toBeUndefined();
    expect(tooDeepAt('[[],[],[]]', 2)).toBeUndefined();
  });

  it('passes the deepest real messages and refuses past MAX_JSON_DEPTH', () => {
    const at = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
    expect(tooDeepAt(at(MAX_JSON_DEPTH))).toBeUndefined();
    expect(tooDeepAt(at(MAX_JSON_DEPTH + 1))).toBe(MAX_JSON_DEPTH);
  });
});

describe('parseJsonBounded', () => {
  it('parses what nests within the limit and throws a SyntaxError past it', () => {
    expect(parseJsonBounded('{"a":[1,{"b":2}]}')).toEqual({ a: [1, { b: 2 }] });
    expect(() => parseJsonBounded('[[[1]]]', 2)).toThrow(new SyntaxError('nested deeper than 2 levels'));
    expect(() => parseJsonBounded('[1')).toThrow(SyntaxError);
  });
});
