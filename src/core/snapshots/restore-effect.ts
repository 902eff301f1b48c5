// What a restore does to the work as it is now, counted by kind: so a restore (and its preview, and
// "undo the last restore") says what it removes and changes before anyone loses an afternoon's work.
import { clip } from '../../model/error-text.js';
import { sameRow, type SnapshotState } from '../../store/snapshot-state.js';
import type { KindEffectV, RestoreChangesV } from '../schemas/snapshot.js';
import { placedChanges, taskChanges } from './task-changes.js';

type Row = Record<string, unknown>;

export type KindEffect = KindEffectV;
export type RestoreEffect = RestoreChangesV;

/** The first few rows of each kind a restore removes, changes or adds, named for the summary. */
type Named = Record<keyof KindEffect, Row[]>;
const NAMED = 3;

function rowsEffect(now: Record<string, Row>, target: Record<string, Row>, same: (a: Row, b: Row) => boolean = sameRow, named?: Named): KindEffect {
  const e: KindEffect = { removed: 0, changed: 0, added: 0 };
  const note = (field: keyof KindEffect, row: Row) => {
    e[field]++;
    if (named && named[field].length < NAMED) named[field].push(row);
  };
  for (const k of Object.keys(target)) {
    // Own keys only, as the restore itself decides (restore.ts rowChanges).
    if (!Object.hasOwn(now, k)) note('added', target[k]!);
    else if (!same(now[k]!, target[k]!)) note('changed', now[k]!);
  }
  for (const k of Object.keys(now)) if (!Object.hasOwn(target, k)) note('removed', now[k]!);
  return e;
}

/** A name on one line, cut to 40 characters. */
const clipped = (v: unknown) => clip(String(v ?? '').replace(/\s+/g, ' ').trim(), 40);
/** How the summary names a row: a task or plan by id and title, a flow by name, a context entry by kind and text. */
const label: Record<'tasks' | 'plans' | 'flows' | 'context_entries', (r: Row) => string> = {
  tasks: (r) => `${String(r.id)} "${clipped(r.title)}"`,
  plans: (r) => `${String(r.id)} "${clipped(r.title)}"`,
  flows: (r) => `${String(r.id)} "${clipped(r.name)}"`,
  context_entries: (r) => `${String(r.kind).replace('_', ' ')} "${clipped(r.text)}"`,
};

/**
 * Documents are matched by id, else by where they live (a restore reuses the row at the same path).
 * Also counted: the project files among the removed ones, whose search entries are all that goes
 * (flowmcp never deletes a project's own file), which "removes N documents" alone would hide.
 */
function documentsEffect(now: Record<string, Row>, target: Record<string, Row>): { effect: KindEffect; projectFilesRemoved: number } {
  const where = (d: Row) => `${String(d.source)}\u0000${String(d.path)}`;
  const nowByPath = new Map(Object.values(now).map((d) => [where(d), d]));
  const matched = new Set<Row>();
  const effect: KindEffect = { removed: 0, changed: 0, added: 0 };
  let projectFilesRemoved = 0;
  for (const d of Object.values(target)) {
    const cur = now[String(d.id)] ?? nowByPath.get(where(d));
    if (!cur) effect.added++;
    else {
      matched.add(cur);
      // Text is compared by its hash; the blob is null when the text was not kept (project files). A
      // project file is never written by a restore: its index entry is read again from the file as it
      // is, so one edited since the snapshot is not changed by it (counting it said "changes 150
      // documents" after 150 files were edited, as if the edits would be undone).
      if (d.source === 'project') continue;
      if (cur.sha256 !== d.sha256 || cur.path !== d.path || cur.title !== d.title || (d.blob != null && cur.blob !== d.blob)) effect.changed++;
    }
  }
  for (const d of Object.values(now)) {
    if (matched.has(d)) continue;
    effect.removed++;
    if (d.source === 'project') projectFilesRemoved++;
  }
  return { effect, projectFilesRemoved };
}

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/**
 * Live claims (lease not run out at `at`) the restore takes from the agents holding them: the task row
 * goes back to a state without that claim, or away. Said in the summary, since an agent working on it
 * is not told otherwise.
 */
function claimsReleased(now: SnapshotState, target: SnapshotState, at: string): string[] {
  const out: string[] = [];
  for (const t of Object.values(now.tasks)) {
    const agent = t.claimed_by;
    if (typeof agent !== 'string' || typeof t.claim_expires_at !== 'string' || t.claim_expires_at <= at) continue;
    const then = target.tasks[String(t.id)];
    if (then && then.claimed_by === agent && then.claim_expires_at === t.claim_expires_at) continue;
    out.push(`${agent} on ${String(t.id)}`);
  }
  return out;
}

const fresh = (): Named => ({ removed: [], changed: [], added: [] });

/** `at`: the time now, against which a claim is live or has run out. */
export function restoreEffect(now: SnapshotState, target: SnapshotState, at: string): RestoreEffect {
  const visibleTask = taskChanges(now, target);
  const visiblePlan = placedChanges(now.plans, target.plans, 'flow_id');
  // Context entries as Compare (diff.ts) counts them. The flow's context state (its revision, active
  // plan and task) is restored too but is not an entry: counting it said "changes 1 context entry" after
  // any save, naming nothing, where Compare said nothing changed.
  const named = { tasks: fresh(), plans: fresh(), flows: fresh(), context_entries: fresh() };
  const context = rowsEffect(now.context_entries, target.context_entries, sameRow, named.context_entries);
  const documents = documentsEffect(now.documents, target.documents);
  const kinds = {
    // Tasks count as changed as the diff (Compare) counts them: by what a person sees, dependencies
    // included, not by revision (a dependency added and removed again changes nothing visible).
    tasks: rowsEffect(now.tasks, target.tasks, (a, b) => Object.keys(visibleTask(String(b.id))).length === 0, named.tasks),
    // Plans as the diff counts them too: a plan renumbered by another's delete has not changed.
    plans: rowsEffect(now.plans, target.plans, (a, b) => Object.keys(visiblePlan(String(b.id))).length === 0, named.plans),
    flows: rowsEffect(now.flows, target.flows, sameRow, named.flows),
    documents: documents.effect,
    context_entries: context,
  };
  const names: Record<keyof typeof kinds, [string, string]> = {
    tasks: ['task', 'tasks'],
    plans: ['plan', 'plans'],
    flows: ['flow', 'flows'],
    documents: ['document', 'documents'],
    context_entries: ['context entry', 'context entries'],
  };
  const files = documents.projectFilesRemoved;
  const gone = documents.effect.removed;
  const filesNote = files ? ` (${files === gone ? (files === 1 ? 'a project file' : 'all project files') : `${files} of them ${files === 1 ? 'a project file' : 'project files'}`}: out of the search index, the files stay on disk)` : '';
  // Which ones, for the kinds a person names (what an undo would throw away is seen before it is confirmed).
  const whichOf = (k: keyof typeof named, field: keyof KindEffect) => {
    const rows = named[k][field];
    if (!rows.length) return '';
    const more = kinds[k][field] - rows.length;
    return `${rows.map(label[k]).join(', ')}${more > 0 ? ` and ${more} more ${names[k][more === 1 ? 0 : 1]}` : ''}`;
  };
  const part = (verb: string, field: keyof KindEffect) => {
    const items = (Object.keys(kinds) as (keyof typeof kinds)[])
      .filter((k) => kinds[k][field] > 0)
      .map((k) => plural(kinds[k][field], ...names[k]) + (k === 'documents' && field === 'removed' ? filesNote : ''));
    return items.length ? `${verb} ${items.join(', ')}` : '';
  };
  const namedPart = (verb: string, field: keyof KindEffect) => {
    const items = (Object.keys(named) as (keyof typeof named)[]).map((k) => whichOf(k, field)).filter(Boolean);
    return items.length ? `${verb} ${items.join(', ')}` : '';
  };
  const released = claimsReleased(now, target, at);
  const shown = released.length > 5 ? `${released.slice(0, 5).join(', ')} and ${released.length - 5} more` : released.join(', ');
  const claims = released.length ? `releases ${plural(released.length, 'live claim')} (${shown})` : '';
  const summary = [part('removes', 'removed'), part('changes', 'changed'), part('adds', 'added'), claims].filter(Boolean).join('; ') || 'changes nothing';
  const which = [namedPart('removes', 'removed'), namedPart('changes', 'changed'), namedPart('adds', 'added')].filter(Boolean).join('; ');
  return { ...kinds, summary, ...(which ? { which } : {}) };
}
