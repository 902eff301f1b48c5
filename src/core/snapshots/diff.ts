// What changed between two snapshots, or between a snapshot and now: flows, plans, tasks and context
// entries added, removed and changed (field by field, before → after), and documents whose text or
// place changed. Compact (at most 50 items a list, with totals) and readable as text.
import type { SnapshotState } from '../../store/snapshot-state.js';
import { captureState, loadState } from './capture.js';
import { findSnapshot, scopeOfRow } from './catalog.js';
import type { SnapshotDiffInput } from '../schemas/snapshot.js';
import type { DiffSectionsV, DiffSectionV, SnapshotDiffResultV } from '../schemas/snapshot-results.js';
import type { Call } from '../kernel/workspace.js';
import { count } from '../../model/error-text.js';

import { changedFields, placedChanges, taskChanges } from './task-changes.js';

const SHOWN = 50;

type Row = Record<string, unknown>;
type Section = DiffSectionV;
type Changed = Section['changed'][number];

// Stryker disable next-line StringLiteral: every row a diff lists has an id, so the last fallback is never reached
const titleOf = (r: Row) => String(r.title ?? r.name ?? r.path ?? r.text ?? r.id ?? '').slice(0, 80);

function section(a: Record<string, Row>, b: Record<string, Row>, fieldsOf: (k: string) => Record<string, [unknown, unknown]> = (k) => changedFields(a[k]!, b[k]!)): Section {
  // Own keys only: `in` also finds Object.prototype's names, and a task "constructor" read as changed.
  const added = Object.keys(b).filter((k) => !Object.hasOwn(a, k));
  const removed = Object.keys(a).filter((k) => !Object.hasOwn(b, k));
  const changed: Changed[] = [];
  for (const k of Object.keys(b)) {
    if (!Object.hasOwn(a, k)) continue;
    const fields = fieldsOf(k);
    if (Object.keys(fields).length) changed.push({ id: k, title: titleOf(b[k]!), fields });
  }
  return {
    added: added.slice(0, SHOWN).map((k) => ({ id: k, title: titleOf(b[k]!) })),
    removed: removed.slice(0, SHOWN).map((k) => ({ id: k, title: titleOf(a[k]!) })),
    changed: changed.slice(0, SHOWN),
    totals: { added: added.length, removed: removed.length, changed: changed.length },
  };
}

export function diffStates(a: SnapshotState, b: SnapshotState): DiffSectionsV {
  const docs = section(a.documents, b.documents);
  // A document's text is its blob (and sha256, and size): one `content` field a person reads, by size;
  // the two hashes stay on the row (sha256) for a program that compares them.
  for (const c of docs.changed) {
    const { blob, sha256, size, ...rest } = c.fields;
    if (!blob && !sha256 && !size) continue;
    const before = a.documents[c.id]!;
    const after = b.documents[c.id]!;
    c.fields = { content: [sizeText(before.size), changedSize(before.size, after.size)], ...rest };
    c.sha256 = [(before.sha256 as string | null) ?? null, (after.sha256 as string | null) ?? null];
  }
  return {
    flows: section(a.flows, b.flows),
    plans: section(a.plans, b.plans, placedChanges(a.plans, b.plans, 'flow_id')),
    // A task's dependencies are part of it (depends_on: before → after); its bookkeeping is not.
    tasks: section(a.tasks, b.tasks, taskChanges(a, b)),
    documents: docs,
    context: section(a.context_entries, b.context_entries),
  };
}

const sizeText = (n: unknown): string => (typeof n === 'number' ? `${count(n)} bytes` : 'no file');
function changedSize(before: unknown, after: unknown): string {
  if (typeof before !== 'number' || typeof after !== 'number' || before === after) return `${sizeText(after)}, text changed`;
  const d = after - before;
  return `${sizeText(after)} (${d > 0 ? '+' : '−'}${count(Math.abs(d))})`;
}

/**
 * For people (and for a model reading the text content): first what changed, counted by kind (added,
 * removed and changed alike), then one line per change.
 */
export function diffText(d: DiffSectionsV): string {
  const counts = Object.entries(d)
    .map(([name, s]) => {
      const parts = (['added', 'removed', 'changed'] as const).filter((k) => s.totals[k] > 0).map((k) => `${s.totals[k]} ${k}`);
      return parts.length ? `${name}: ${parts.join(', ')}` : '';
    })
    .filter(Boolean);
  if (counts.length === 0) return 'no changes';
  const lines: string[] = [counts.join('; ')];
  for (const [name, s] of Object.entries(d)) {
    for (const x of s.added) lines.push(`+ ${name.replace(/s$/, '')} ${x.id} "${x.title}"`);
    for (const x of s.removed) lines.push(`- ${name.replace(/s$/, '')} ${x.id} "${x.title}"`);
    for (const x of s.changed) {
      const fs = Object.entries(x.fields).map(([f, [b, a]]) => `${f}: ${short(b)} → ${short(a)}`);
      lines.push(`~ ${name.replace(/s$/, '')} ${x.id} "${x.title}": ${fs.join(', ')}`);
    }
    const hidden = s.totals.added + s.totals.removed + s.totals.changed - s.added.length - s.removed.length - s.changed.length;
    if (hidden > 0) lines.push(`  … and ${hidden} more ${name.replace(/s$/, '')} change${hidden === 1 ? '' : 's'}`);
  }
  return lines.join('\n');
}

/** Text quoted (so spaces and empty text show), other values as they are, nothing as a bare ∅; long ones cut. */
const short = (v: unknown) => {
  if (v == null) return '∅';
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const cut = s.length > 40 ? s.slice(0, 37) + '…' : s;
  return typeof v === 'string' ? JSON.stringify(cut) : cut;
};

export function diffSnapshots(call: Call, input: SnapshotDiffInput): SnapshotDiffResultV {
  const from = findSnapshot(call, input.from);
  const a = loadState(call, from);
  let b: SnapshotState;
  let to: string;
  if (input.to) {
    const row = findSnapshot(call, input.to);
    b = loadState(call, row);
    to = row.id;
  } else {
    b = captureState(call, scopeOfRow(from), { storeBlobs: false });
    to = 'now';
  }
  const diff = diffStates(a, b);
  return { from: from.id, to, ...diff, text: diffText(diff) };
}
