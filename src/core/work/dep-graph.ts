// The rules of the "depends on" graph, in one place for every door: one task `depend` (a path
// search from the new dependency back to the task) and a whole import (one linear pass over every
// edge it brings). A task never depends on itself, and no chain of dependencies comes back around.
import { LIST_ITEMS } from '../../model/error-text.js';
import { FlowError } from '../../model/errors.js';

/** The path from → … → to along "depends on" edges, if there is one (breadth first, so the shortest). */
export function pathBetween(from: string, to: string, next: (id: string) => Iterable<string>): string[] | undefined {
  const parent = new Map<string, string>([[from, '']]);
  const queue = [from];
  for (let head = 0; head < queue.length; head++) {
    const cur = queue[head]!;
    if (cur === to) {
      const path: string[] = [];
      for (let n: string = cur; n; n = parent.get(n)!) path.unshift(n);
      return path;
    }
    for (const n of next(cur)) {
      if (!parent.has(n)) {
        parent.set(n, cur);
        queue.push(n);
      }
    }
  }
  return undefined;
}

/**
 * A cycle among `edges` (task → the tasks it depends on), if there is one, as [a, b, …, a]; a
 * self-dependency is the cycle [a, a]. Iterative depth-first search: linear in tasks + edges, no
 * recursion however long a chain is.
 */
export function findCycle(edges: ReadonlyMap<string, readonly string[]>): string[] | undefined {
  const state = new Map<string, 1 | 2>(); // 1: on the current path, 2: finished
  for (const start of edges.keys()) {
    // Stryker disable next-line ConditionalExpression: restarting at a finished task re-walks only that task (its dependencies are finished, so skipped): same answer, one step more
    if (state.has(start)) continue;
    const stack: { id: string; i: number }[] = [{ id: start, i: 0 }];
    state.set(start, 1);
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const deps = edges.get(top.id) ?? [];
      if (top.i >= deps.length) {
        state.set(top.id, 2);
        stack.pop();
        continue;
      }
      const n = deps[top.i++]!;
      const s = state.get(n);
      if (s === 1) {
        const from = stack.findIndex((f) => f.id === n);
        return [...stack.slice(from).map((f) => f.id), n];
      }
      if (s === undefined) {
        state.set(n, 1);
        stack.push({ id: n, i: 0 });
      }
    }
  }
  return undefined;
}

/** A cycle as "a → b → c → … N more … → z → a": its start and its end, however long it is. */
function showCycle(cycle: string[], label: (id: string) => string): string {
  const edge = (list: string[]) => list.map(label).join(' → ');
  if (cycle.length <= LIST_ITEMS + 1) return edge(cycle);
  return `${edge(cycle.slice(0, LIST_ITEMS - 1))} → … ${cycle.length - LIST_ITEMS} more … → ${edge(cycle.slice(-1))}`;
}

/**
 * The error for a cycle, named by `label` (an id and title for tasks here, the file's ids for an
 * import). Bounded: a 20,000-task chain is named by its ends and its length, not listed whole.
 */
export function cycleError(cycle: string[], label: (id: string) => string, fix: string, prefix = 'That would make a dependency cycle'): FlowError {
  // The cycle comes back to where it starts ([a, b, a]), so it has one task fewer than it has ids.
  const tasks = cycle.length - 1;
  const size = tasks > 1 ? ` (${tasks} tasks)` : '';
  return new FlowError('cycle', `${prefix}${size}: ${showCycle(cycle, label)}. Nothing was changed.`, fix, {
    cycle: cycle.slice(0, LIST_ITEMS),
    cycle_tasks: tasks,
  });
}
