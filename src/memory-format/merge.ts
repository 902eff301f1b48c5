// Three-way merge of a hand-edited context.json: what changed between the file flowmcp last wrote
// (base) and the file on disk (edited) is applied to what the database holds now (current), unless
// the database changed the same thing too, which is a conflict to report, never a silent overwrite.
import type { ContextFileT } from './layout.js';

export type ListKind = 'decision' | 'question' | 'next_step' | 'insight' | 'preference';

export type MergeOp =
  | { op: 'summary'; text: string }
  | { op: 'add'; kind: ListKind; text: string; why?: string }
  | { op: 'edit'; id: string; text: string; why?: string }
  | { op: 'close'; id: string }
  | { op: 'files'; files: string[] };

export interface MergeResult {
  ops: MergeOp[];
  conflicts: string[];
}

interface Item {
  id?: string;
  text: string;
  why?: string;
}

const LISTS: { kind: ListKind; key: 'decisions' | 'questions' | 'next_steps' | 'insights' | 'preferences' }[] = [
  { kind: 'decision', key: 'decisions' },
  { kind: 'question', key: 'questions' },
  { kind: 'next_step', key: 'next_steps' },
  { kind: 'insight', key: 'insights' },
  { kind: 'preference', key: 'preferences' },
];

function items(doc: ContextFileT, key: (typeof LISTS)[number]['key']): Item[] {
  if (key === 'decisions') return doc.decisions.map((d) => ({ id: d.id, text: d.what, why: d.why ?? '' }));
  return doc[key].map((i) => ({ id: i.id, text: i.text, why: '' }));
}

// Stryker disable next-line StringLiteral: items() always sets why, so the fallbacks are never used
const same = (a: Item | undefined, b: Item | undefined) => !!a && !!b && a.text === b.text && (a.why ?? '') === (b.why ?? '');

export function mergeEdits(base: ContextFileT | undefined, edited: ContextFileT, current: ContextFileT): MergeResult {
  const ops: MergeOp[] = [];
  const conflicts: string[] = [];

  const baseSummary = base?.summary ?? '';
  if (edited.summary.trim() !== baseSummary.trim()) {
    if (current.summary.trim() === baseSummary.trim()) {
      if (edited.summary.trim()) ops.push({ op: 'summary', text: edited.summary.trim() });
    } else if (current.summary.trim() !== edited.summary.trim()) {
      conflicts.push('summary: changed in the file and in the database since the file was written; the database version was kept');
    }
  }

  for (const { kind, key } of LISTS) {
    // Stryker disable next-line MethodExpression: base and current are written by flowmcp from the database, so every item has its id
    const baseById = new Map(base ? items(base, key).filter((i) => i.id).map((i) => [i.id!, i]) : []);
    // Stryker disable next-line MethodExpression: as above, every database item has an id
    const currentById = new Map(items(current, key).filter((i) => i.id).map((i) => [i.id!, i]));
    const editedItems = items(edited, key);
    // Stryker disable next-line MethodExpression: an undefined in the set matches no base id, so dropping the filter changes nothing
    const editedIds = new Set(editedItems.map((i) => i.id).filter(Boolean));
    for (const it of editedItems) {
      const text = it.text.trim();
      if (!text) continue;
      const known = it.id ? baseById.get(it.id) ?? currentById.get(it.id) : undefined;
      if (!it.id || !known) {
        // New in the file (no id, or an id flowmcp never wrote): added, unless the database already has the same text.
        if (![...currentById.values()].some((c) => c.text === text)) ops.push({ op: 'add', kind, text, ...(it.why ? { why: it.why } : {}) });
        continue;
      }
      const b = baseById.get(it.id!);
      const c = currentById.get(it.id!);
      if (b && same(b, { ...it, text })) continue; // untouched in the file
      if (!c) {
        conflicts.push(`${kind} ${it.id}: edited in the file but closed in the database since; the database was kept`);
        continue;
      }
      if (same(c, { ...it, text })) continue; // the same change on both sides
      // Stryker disable next-line ConditionalExpression: items() always sets why, so it.why is never undefined
      if (!b || same(b, c)) ops.push({ op: 'edit', id: it.id!, text, ...(it.why !== undefined ? { why: it.why } : {}) });
      else conflicts.push(`${kind} ${it.id}: edited in the file and in the database since; the database version was kept`);
    }
    // Removed from the file: closed, if the database still has it as it was.
    for (const [id, b] of baseById) {
      if (editedIds.has(id)) continue;
      const c = currentById.get(id);
      if (!c) continue; // already closed
      if (same(b, c)) ops.push({ op: 'close', id });
      else conflicts.push(`${kind} ${id}: removed in the file but edited in the database since; it was kept`);
    }
  }

  const baseFiles = base?.files_touched ?? [];
  if (JSON.stringify(edited.files_touched) !== JSON.stringify(baseFiles)) {
    if (JSON.stringify(current.files_touched) === JSON.stringify(baseFiles)) ops.push({ op: 'files', files: edited.files_touched });
    else conflicts.push('files_touched: changed in the file and in the database since; the database list was kept');
  }
  return { ops, conflicts };
}
