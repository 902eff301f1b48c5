// Completion of names: ids that start with what was typed, for the shell's tab key and for MCP prompt
// arguments and resource templates. Every answer is capped and so is every read behind it.
import { namesOf, namesWithIdPrefix, snapshotIdsWithPrefix, type Named } from '../../store/names.js';
import type { Call } from './workspace.js';

/** Most values one MCP completion may return (the protocol's limit). */
export const COMPLETIONS_MAX = 100;
/**
 * Flows read when completing by name as well as id. Flows are workstreams, a handful per project: all
 * of them in practice, and a bound all the same. (Names are compared with JavaScript's own case folding,
 * so they are read and compared here rather than in SQL.)
 */
const FLOWS_SCANNED = 10_000;

/** Flow ids whose id or name starts with `typed` (case-insensitive), in the flows' own order. */
export function completeFlowIds(call: Call, typed: string, limit = COMPLETIONS_MAX): string[] {
  const t = typed.toLowerCase();
  return namesOf(call.ws.db, 'flow', FLOWS_SCANNED)
    .filter((f) => f.id.startsWith(t) || f.name.toLowerCase().startsWith(t))
    .map((f) => f.id)
    .slice(0, limit);
}

/** The first `limit` flows with their names, for listings such as the MCP resource list. */
export function someFlowNames(call: Call, limit: number): Named[] {
  return namesOf(call.ws.db, 'flow', limit);
}

/**
 * Ids of every kind starting with `prefix`, at most `perKind` of each: flows, plans, the current flow's
 * tasks (every flow's when none is current), snapshots.
 */
export function completeIds(call: Call, prefix: string, perKind: number): string[] {
  const db = call.ws.db;
  const flow = call.session.current().flowId ?? undefined;
  return [
    ...namesWithIdPrefix(db, 'flow', prefix, perKind).map((f) => f.id),
    ...namesWithIdPrefix(db, 'plan', prefix, perKind).map((p) => p.id),
    ...namesWithIdPrefix(db, 'task', prefix, perKind, flow).map((t) => t.id),
    ...snapshotIdsWithPrefix(db, prefix, perKind),
  ];
}

/** Plan or task ids starting with `typed`, for the plan and task resource templates. */
export function completeIdsOf(call: Call, kind: 'plan' | 'task', typed: string, limit = COMPLETIONS_MAX): string[] {
  return namesWithIdPrefix(call.ws.db, kind, typed.toLowerCase(), limit).map((n) => n.id);
}
