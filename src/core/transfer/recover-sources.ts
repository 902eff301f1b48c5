// What `flowmcp recover` rebuilds from, and what it must leave alone. The rebuild comes from the newest
// snapshots that hold the user's work, never from a safety snapshot flowmcp took of an empty database
// (or took itself in the same run): one of those, being the newest, would hide every older snapshot.
// The files in .flow/ that are there before recover starts are newer than any snapshot: the rebuild
// indexes them as they are, and a snapshot's text only fills in files that are missing.
import { existsSync } from 'node:fs';
import type { SnapshotRow } from '../../store/snapshots.js';
import { payloadFiles, readPayload } from '../../store/snapshot-files.js';
import type { SnapshotState } from '../../store/snapshot-state.js';
import { documentsRoot, safeJoin } from '../docs/doc-paths.js';
import { contextFilePath } from '../memory/context-file.js';
import type { Call } from '../kernel/workspace.js';

/** A snapshot flowmcp took by itself (every reason but a person's `snapshot create`) of a database that held nothing. */
function emptySafetySnapshot(r: SnapshotRow): boolean {
  if (r.reason === 'manual') return false;
  try {
    const counts = JSON.parse(r.counts) as Record<string, unknown>;
    return Object.values(counts).every((n) => n === 0);
  } catch {
    return false; // counts the catalog cannot read: the snapshot is used as before
  }
}

/**
 * The snapshots a rebuild restores, oldest first: the newest workspace snapshot, then the newest
 * snapshot of each flow taken after it. Left out: the ones this run took (`own`) and safety snapshots
 * of an empty database, so neither can stand in front of the snapshots that hold the work.
 */
export function rebuildSources(rows: readonly SnapshotRow[], own: ReadonlySet<string>): SnapshotRow[] {
  const usable = rows.filter((r) => !own.has(r.id) && !emptySafetySnapshot(r));
  // Every row after the newest workspace one is a flow snapshot: the catalog holds no other scope.
  const at = usable.findLastIndex((r) => r.scope === 'workspace');
  const plan = at >= 0 ? [usable[at]!] : [];
  const newestPerFlow = new Map<string, SnapshotRow>();
  for (const r of usable.slice(at + 1)) newestPerFlow.set(r.flow_id!, r);
  plan.push(...newestPerFlow.values());
  return plan;
}

export interface FilesOnDisk {
  /** Flow document paths (relative to .flow/documents/) whose file was there before the rebuild. */
  documents: Set<string>;
  /** Flows whose .flow/context/<flow>.json was there before the rebuild. */
  contexts: Set<string>;
}

/** Which of the files the snapshots name are on disk now, looked at before anything is restored. */
export function filesOnDisk(call: Call, states: readonly SnapshotState[]): FilesOnDisk {
  const root = documentsRoot(call);
  const found: FilesOnDisk = { documents: new Set(), contexts: new Set() };
  for (const s of states) {
    for (const d of Object.values(s.documents)) {
      if (d.source !== 'flow') continue;
      if (there(() => safeJoin(root, String(d.path)))) found.documents.add(String(d.path));
    }
    for (const f of Object.keys(s.flows)) if (there(() => contextFilePath(call, f))) found.contexts.add(f);
  }
  return found;
}

/** Whether the file at the path `where` names exists; a path that cannot be named (the restore refuses it) is not there. */
function there(where: () => string): boolean {
  try {
    return existsSync(where());
  } catch {
    return false;
  }
}

/** The plain line saying what the rebuilt database does not hold. */
export function notRecovered(restored: readonly { id: string; scope: string; flow_id: string | null; created_at: string }[], aside: string | undefined): string {
  const where = aside ? ` What the old database held is kept in ${aside}.` : '';
  if (!restored.length) {
    return `No snapshot could be restored: flows, plans, tasks and context were not recovered; only the documents on disk were indexed.${where}`;
  }
  const ws = restored.find((r) => r.scope === 'workspace');
  const flows = restored.filter((r) => r.scope === 'flow').map((r) => `flow ${r.flow_id}: after ${r.created_at} (snapshot ${r.id})`);
  const head = ws ? `Changes made after ${ws.created_at} (snapshot ${ws.id}) are not recovered` : 'Changes made after these snapshots are not recovered';
  return `${head}${flows.length ? ` (${flows.join('; ')})` : ''}: flows, plans and tasks changed since are not in the rebuilt database. Document files on disk kept their own text, and what context.json files on disk add was merged in.${where}`;
}

/** The newest readable snapshot payload that holds at least one flow, if any. */
export function newestHoldingWork(flowDir: string): { id: string; created_at: string; flows: number } | undefined {
  let best: { id: string; created_at: string; flows: number } | undefined;
  for (const file of payloadFiles(flowDir)) {
    try {
      const p = readPayload(flowDir, file);
      const flows = p.counts.flows ?? 0;
      if (flows > 0 && (!best || p.created_at > best.created_at)) best = { id: p.id, created_at: p.created_at, flows };
    } catch {
      // an unreadable payload holds nothing recover could use
    }
  }
  return best;
}
