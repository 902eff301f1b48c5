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

/** A task's visible differences between a and b, dependencies included (as `depends_on`). */
export function taskChanges(a: SnapshotState, b: SnapshotState): (id: string) => Record<string, [unknown, unknown]> {
  const depsA = dependsOn(a);
  const depsB = dependsOn(b);
  return (id) => {
    const fields = changedFields(a.tasks[id]!, b.tasks[id]!);
    const da = depsA.get(id) ?? [];
    const db = depsB.get(id) ?? [];
    if (da.join(',') !== db.join(',')) fields.depends_on = [da, db];
    return fields;
  };
}
