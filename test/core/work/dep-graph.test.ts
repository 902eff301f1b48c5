// The rules of the dependency graph on their own: the shortest path, a cycle found wherever it is, and
// a cycle named in a bounded message (its ends and its length, never a 20,000-task list).
import { describe, expect, it } from 'vitest';
import { cycleError, findCycle, pathBetween } from '../../../src/core/work/dep-graph.js';

const graph = (edges: Record<string, string[]>) => (id: string) => edges[id] ?? [];

describe('pathBetween', () => {
  it('finds the shortest path along edges, from itself to itself, and none where there is none', () => {
    const g = graph({ a: ['b', 'x'], b: ['c'], c: ['d'], x: ['d'], d: [] });
    expect(pathBetween('a', 'd', g)).toEqual(['a', 'x', 'd']);
    expect(pathBetween('a', 'a', g)).toEqual(['a']);
    expect(pathBetween('d', 'a', g)).toBeUndefined();
    expect(pathBetween('b', 'd', g)).toEqual(['b', 'c', 'd']);
  });

  it('terminates on graphs with cycles and visits each node once', () => {
    let calls = 0;
    const edges: Record<string, string[]> = { a: ['b'], b: ['c', 'a'], c: ['a', 'b'] };
    expect(pathBetween('a', 'z', (id) => (calls++, edges[id] ?? []))).toBeUndefined();
    expect(calls).toBe(3);
  });
});

describe('findCycle', () => {
  it('finds none in a DAG, even one with shared dependencies (a diamond)', () => {
    expect(findCycle(new Map([['a', ['b', 'c']], ['b', ['d']], ['c', ['d']], ['d', []]]))).toBeUndefined();
    expect(findCycle(new Map())).toBeUndefined();
  });

  it('returns the cycle itself, from where it closes, not the path that led there', () => {
    // start → x → y → z → x: the cycle is x y z x; "start" leads into it but is not on it.
    expect(findCycle(new Map([['start', ['x']], ['x', ['y']], ['y', ['z']], ['z', ['x']]]))).toEqual(['x', 'y', 'z', 'x']);
    expect(findCycle(new Map([['a', ['a']]]))).toEqual(['a', 'a']);
  });

  it('finds a cycle reached only from a later start, after a finished part of the graph', () => {
    const edges = new Map<string, string[]>([['a', ['b']], ['b', []], ['c', ['b', 'd']], ['d', ['c']]]);
    expect(findCycle(edges)).toEqual(['c', 'd', 'c']);
  });

  it('visits each task once: 60 layers of two, each depending on both of the next, is checked at once', () => {
    // 2^60 paths through this graph: a walk that revisits finished tasks would never end.
    const edges = new Map<string, string[]>();
    for (let i = 0; i < 60; i++) for (const s of ['a', 'b']) edges.set(`${s}${i}`, i < 59 ? [`a${i + 1}`, `b${i + 1}`] : []);
    expect(findCycle(edges)).toBeUndefined();
    expect(pathBetween('a0', 'b59', (id) => edges.get(id) ?? [])).toHaveLength(60);
  });

  it('walks a 20,000-long chain without recursion', () => {
    const n = 20_000;
    const edges = new Map<string, string[]>();
    for (let i = 0; i < n; i++) edges.set(`t${i}`, [`t${(i + 1) % n}`]);
    const c = findCycle(edges)!;
    expect(c).toHaveLength(n + 1);
    expect(c[0]).toBe(c[n]);
  });
});

describe('cycleError', () => {
  const label = (id: string) => id.toUpperCase();
  it('names a short cycle whole, with its size', () => {
    const e = cycleError(['a', 'b', 'a'], label, 'fix it');
    expect(e.code).toBe('cycle');
    expect(e.message).toBe('That would make a dependency cycle (2 tasks): A → B → A. Nothing was changed.');
    expect(e.hint).toBe('fix it');
    expect(e.details).toEqual({ cycle: ['a', 'b', 'a'], cycle_tasks: 2 });
    expect(cycleError(['a', 'a'], label, 'f', 'Import refused').message).toBe('Import refused: A → A. Nothing was changed.');
  });

  it('names a cycle of up to five tasks whole, and a longer one by its ends and how many are left out', () => {
    const five = ['a', 'b', 'c', 'd', 'e', 'a'];
    expect(cycleError(five, label, 'f').message).toContain('(5 tasks): A → B → C → D → E → A.');
    const seven = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'a'];
    const e = cycleError(seven, label, 'f');
    expect(e.message).toContain('(7 tasks): A → B → C → D → … 3 more … → A.');
    expect(e.details).toEqual({ cycle: ['a', 'b', 'c', 'd', 'e'], cycle_tasks: 7 });
  });
});
