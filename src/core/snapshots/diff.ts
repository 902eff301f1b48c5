// What changed between two snapshots, or between a snapshot and now: flows, plans, tasks and context
// entries added, removed and changed (field by field, before → after), and documents whose text or
// place changed. Compact (at most 50 items a list, with totals) and readable as text.
import type { SnapshotState } from '../../store/snapshot-state.js';
import { captureState, loadState } from './capture.js';
import { findSnapshot, scopeOfRow } from './catalog.js';
import type { SnapshotDiffInput } from '../schemas/snapshot.js';
import type { DiffSectionsV, DiffSectionV, SnapshotDiffResultV } from '../schemas/snapshot-results.js';
import type { Call } from '../kernel/workspace.js';

const SHOWN = 50;
// Bookkeeping that moves with every change: it says nothing a reader needs in a diff.
const QUIET = new Set(['updated_at', 'revision', 'mtime_ms']);

type Row = Record<string, unknown>;
type Section = DiffSectionV;
type Changed = Section['changed'][number];

const titleOf = (r: Row) => String(r.title ?? r.name ?? r.path ?? r.text ?? r.id ?? '').slice(0, 80);

function section(a: Record<string, Row>, b: Record<string, Row>): Section {
  const added = Object.keys(b).filter((k) => !(k in a));
  const removed = Object.keys(a).filter((k) => !(k in b));
  const changed: Changed[] = [];
  for (const k of Object.keys(b)) {
    if (!(k in a)) continue;
    const fields: Record<string, [unknown, unknown]> = {};
    for (const f of new Set([...Object.keys(a[k]!), ...Object.keys(b[k]!)])) {
      if (QUIET.has(f)) continue;
      if (JSON.stringify(a[k]![f]) !== JSON.stringify(b[k]![f])) fields[f] = [a[k]![f] ?? null, b[k]![f] ?? null];
    }
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
  // A document's text is its blob: say "text changed" rather than two hashes.
  for (const c of docs.changed) if (c.fields.blob) c.fields.blob = ['(text)', '(changed text)'];
  return {
    flows: section(a.flows, b.flows),
    plans: section(a.plans, b.plans),
    tasks: section(a.tasks, b.tasks),
    documents: docs,
    context: section(a.context_entries, b.context_entries),
  };
}

/** One line per change, for people (and for a model reading the text content). */
export function diffText(d: DiffSectionsV): string {
  const lines: string[] = [];
  for (const [name, s] of Object.entries(d)) {
    for (const x of s.added) lines.push(`+ ${name.replace(/s$/, '')} ${x.id} "${x.title}"`);
    for (const x of s.removed) lines.push(`- ${name.replace(/s$/, '')} ${x.id} "${x.title}"`);
    for (const x of s.changed) {
      const fs = Object.entries(x.fields).map(([f, [b, a]]) => `${f}: ${short(b)} → ${short(a)}`);
      lines.push(`~ ${name.replace(/s$/, '')} ${x.id} "${x.title}": ${fs.join(', ')}`);
    }
    const hidden = s.totals.added + s.totals.removed + s.totals.changed - s.added.length - s.removed.length - s.changed.length;
    if (hidden > 0) lines.push(`  … and ${hidden} more ${name} changes`);
  }
  return lines.length ? lines.join('\n') : 'no changes';
}

const short = (v: unknown) => {
  const s = v === null || v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v);
  return s.length > 40 ? JSON.stringify(s.slice(0, 37) + '…') : JSON.stringify(s);
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
