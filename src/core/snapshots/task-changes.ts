// Which tasks differ between two states, as a person would see it: a field they can read (not the
// bookkeeping that moves with every write: updated_at, revision) or the tasks they depend on. Shared by
// the diff (Compare) and the restore effect (its preview), so the two count the same tasks: a dependency
// added and removed again bumps a revision but changes nothing anyone sees.
import type { SnapshotState } from '../../store/snapshot-state.js';

type Row = Record<string, unknown>;

/** Bookkeeping that moves with every change: it says nothing a reader needs. */
export const QUIET = new Set(['updated_at', 'revision', 'mtime_ms']);

/** Each task's dependencies, as a sorted list (tasks with none are left out). */
export function dependsOn(s: SnapshotState): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const d of Object.values(s.deps)) {
    const id = String(d.task_id);
    const list = out.get(id) ?? [];
    list.push(String(d.depends_on));
    out.set(id, list);
  }
  for (const list of out.values()) list.sort();
  return out;
}

/** The fields of one row that differ, quiet ones left out: field → [in a, in b]. */
export function changedFields(a: Row, b: Row): Record<string, [unknown, unknown]> {
  const fields: Record<string, [unknown, unknown]> = {};
  for (const f of new Set([...Object.keys(a), ...Object.keys(b)])) {
    // Stryker disable next-line ConditionalExpression: equal values stringify equally; only the work saved
    if (QUIET.has(f) || a[f] === b[f]) continue;
    if (JSON.stringify(a[f]) !== JSON.stringify(b[f])) fields[f] = [a[f] ?? null, b[f] ?? null];
  }
  return fields;
}

/**
 * The rows (in both a and b, under the same parent) whose place among the others changed: the fewest
 * that, moved, turn a's order into b's (all but a longest run kept in order). A delete, an insert or a
 * move renumbers every later row of the plan, but only the moved row changed place as anyone sees it:
 * undoing one delete in a plan of 5,000 said "changes 4,969 tasks", and a diff's list was all of them.
 */
export function movedRows(a: Record<string, Row>, b: Record<string, Row>, parent: 'plan_id' | 'flow_id'): Set<string> {
  const groups = new Map<string, string[]>();
  for (const id of Object.keys(b)) {
    // Own keys only, as the diff and the restore decide what is in both (an id may be "constructor").
    if (!Object.hasOwn(a, id) || a[id]![parent] !== b[id]![parent]) continue;
    const g = String(b[id]![parent]);
    const list = groups.get(g) ?? [];
    list.push(id);
    groups.set(g, list);
  }
  const moved = new Set<string>();
  const byPlace = (s: Record<string, Row>) => (x: string, y: string) => Number(s[x]!.position) - Number(s[y]!.position) || (x < y ? -1 : x > y ? 1 : 0);
  for (const ids of groups.values()) {
    const rankInA = new Map([...ids].sort(byPlace(a)).map((id, i) => [id, i]));
    const inB = [...ids].sort(byPlace(b));
    // Longest increasing run of a's ranks in b's order (patience sorting), then everything off it moved.
    const tails: number[] = [];
    const tailAt: number[] = [];
    const prev: number[] = new Array<number>(inB.length).fill(-1);
    inB.forEach((id, i) => {
      const r = rankInA.get(id)!;
      let lo = 0;
      let hi = tails.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (tails[mid]! < r) lo = mid + 1;
        else hi = mid;
      }
      tails[lo] = r;
      tailAt[lo] = i;
      prev[i] = lo > 0 ? tailAt[lo - 1]! : -1;
    });
    const kept = new Set<number>();
    for (let i = tails.length ? tailAt[tails.length - 1]! : -1; i >= 0; i = prev[i]!) kept.add(i);
    inB.forEach((id, i) => {
      if (!kept.has(i)) moved.add(id);
    });
  }
  return moved;
}

/** A row's visible differences, its position only when it changed place among the others (movedRows). */
export function placedChanges(a: Record<string, Row>, b: Record<string, Row>, parent: 'plan_id' | 'flow_id'): (id: string) => Record<string, [unknown, unknown]> {
  const moved = movedRows(a, b, parent);
  return (id) => {
    const fields = changedFields(a[id]!, b[id]!);
    if (fields.position && !fields[parent] && !moved.has(id)) delete fields.position;
    return fields;
  };
}

/** A task's visible differences between a and b, dependencies included (as `depends_on`). */
export function taskChanges(a: SnapshotState, b: SnapshotState): (id: string) => Record<string, [unknown, unknown]> {
  const depsA = dependsOn(a);
  const depsB = dependsOn(b);
  const placed = placedChanges(a.tasks, b.tasks, 'plan_id');
  return (id) => {
    const fields = placed(id);
    const da = depsA.get(id) ?? [];
    const db = depsB.get(id) ?? [];
    if (da.join(',') !== db.join(',')) fields.depends_on = [da, db];
    return fields;
  };
}
