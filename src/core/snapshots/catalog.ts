// Snapshot operations: create (one flow or the whole workspace; full, or a JSON Patch against the
// previous snapshot of the same scope with a full checkpoint every N), list, show, pin/unpin, and the
// automatic snapshot taken before anything destructive. Payload first, catalog row second: a crash in
// between leaves a payload no catalog entry names (collected by prune), never an entry without one.
import { diffJson } from '../../store/json-patch.js';
import { writePayload, type Payload } from '../../store/snapshot-files.js';
import type { Scope, SnapshotState } from '../../store/snapshot-state.js';
import { getSnapshot, insertSnapshot, latestSnapshot, listSnapshots, setPinned, type SnapshotRow } from '../../store/snapshots.js';
import { rowExists } from '../../store/rows.js';
import { trimChangeLog } from '../../store/state-changes.js';
import { blobsOf, captureState, loadState, patchHash, rememberedState, rememberState, stateCounts, stateHash, stateJson } from './capture.js';
import { adoptState, changedRowsPatch, derivedFrom, keepsState, markOf } from './live-state.js';
import { readConfig } from '../kernel/config.js';
import { decodeCursor, encodeCursor } from '../kernel/cursor.js';
import { FlowError } from '../../model/errors.js';
import { record } from '../kernel/events.js';
import { newId } from '../kernel/ids.js';
import { findFlow, notFound, snapshotLabelled, snapshotSuggestionPool } from '../kernel/names.js';
import type { SnapshotCreateInput, SnapshotListInput, SnapshotPinInput, SnapshotShowInput } from '../schemas/snapshot.js';
import type { SnapshotListResultV, SnapshotResultV, SnapshotShowResultV, SnapshotV } from '../schemas/snapshot-results.js';
import type { Call } from '../kernel/workspace.js';
import { jsonColumn } from '../../store/rows.js';
import { z } from 'zod';

export const DEFAULT_CHECKPOINT_EVERY = 10;

export function snapshotView(r: SnapshotRow): SnapshotV {
  return {
    id: r.id,
    label: r.label,
    scope: r.scope,
    flow_id: r.flow_id,
    reason: r.reason,
    pinned: r.pinned === 1,
    kind: r.kind,
    bytes: r.bytes,
    counts: jsonColumn(r.counts, `snapshots.counts of ${r.id}`, z.record(z.string(), z.number())),
    created_at: r.created_at,
  };
}

export function scopeOfRow(r: Pick<SnapshotRow, 'scope' | 'flow_id'>): Scope {
  return r.scope === 'flow' ? { kind: 'flow', flowId: r.flow_id! } : { kind: 'workspace' };
}

export function findSnapshot(call: Call, id: string): SnapshotRow {
  // By id, else by its exact label (a unique one; several are listed): what snapshot list shows.
  const row = getSnapshot(call.ws.db, id) ?? getSnapshot(call.ws.db, id.toLowerCase()) ?? snapshotLabelled(call, id);
  if (!row) throw notFound('snapshot', id, snapshotSuggestionPool(call, id), 'Use snapshot list to see snapshot ids.');
  return row;
}

/** The snapshot a new one of `scope` is a patch against: the newest, while its chain is shorter than a checkpoint's interval. */
function patchBase(call: Call, scope: Scope): SnapshotRow | undefined {
  const prev = latestSnapshot(call.ws.db, scope.kind, scope.kind === 'flow' ? scope.flowId : null);
  const every = readConfig(call.ws).snapshots?.checkpoint_every ?? DEFAULT_CHECKPOINT_EVERY;
  return prev && prev.depth + 1 < every ? prev : undefined;
}

/** Writes a snapshot of `scope` whose state is `state` (already captured). */
export function writeSnapshot(
  call: Call,
  scope: Scope,
  state: SnapshotState,
  meta: { label?: string; pinned?: boolean; reason: string },
): SnapshotRow {
  const db = call.ws.db;
  const flowId = scope.kind === 'flow' ? scope.flowId : null;
  const id = newId('snapshot', (x) => rowExists(db, 'snapshots', x));
  // A patch against the previous snapshot of the scope (else, or when it does not read back, a full checkpoint).
  const prev = patchBase(call, scope);
  let patch: { base: SnapshotRow; body: string } | undefined;
  if (prev) {
    try {
      // Read from the previous snapshot's state and the rows changed since: only those rows can differ.
      const derived = derivedFrom(state);
      const ops =
        derived && rememberedState(call, prev) === derived.base ? changedRowsPatch(derived.base, state, derived.touched) : diffJson(loadState(call, prev), state);
      patch = { base: prev, body: JSON.stringify(ops) };
    } catch {
      // The previous snapshot does not read back: start a new chain with a full checkpoint.
    }
  }
  // A checkpoint's body is the state's canonical JSON (spliced in rather than stringified twice), and
  // its hash that text's; a patch's hash is of its own text (see patchHash).
  const body = patch ? patch.body : stateJson(state);
  const hash = patch ? patchHash(patch.base.id, patch.body) : stateHash(state, body);
  const header = {
    format: 'flowmcp-snapshot' as const,
    version: 1 as const,
    id,
    label: meta.label ?? '',
    scope: scope.kind,
    flow_id: flowId,
    reason: meta.reason,
    pinned: !!meta.pinned,
    created_at: call.ws.now(),
    state_hash: hash,
    counts: stateCounts(state),
    blobs: blobsOf(state),
    ...(markOf(state) ? { mark: markOf(state) } : {}),
  };
  const payload: Payload = patch
    ? { ...header, kind: 'patch', base_id: patch.base.id, depth: patch.base.depth + 1 }
    : { ...header, kind: 'full', base_id: null, depth: 0 };
  const { file, bytes } = writePayload(call.ws.flowDir, payload, body);
  const row: Omit<SnapshotRow, 'seq'> = {
    id,
    label: header.label,
    scope: scope.kind,
    flow_id: flowId,
    reason: meta.reason,
    pinned: meta.pinned ? 1 : 0,
    kind: payload.kind,
    base_id: payload.base_id,
    depth: payload.depth,
    file,
    bytes,
    counts: JSON.stringify(header.counts),
    blobs: JSON.stringify(header.blobs),
    state_hash: hash,
    created_at: header.created_at,
  };
  call.ws.write(() => {
    insertSnapshot(db, row);
    // A long-running server opens the database once: the change log is trimmed here too, not only on open.
    trimChangeLog(db);
    record(call, {
      action: 'snapshot.create',
      entity: 'snapshot',
      entity_id: id,
      flow_id: flowId,
      summary: `snapshot ${id} of ${flowId ?? 'the workspace'} (${meta.reason}${meta.label ? `: ${meta.label}` : ''})`,
    });
  });
  rememberState(call, { id, state_hash: hash }, state);
  return getSnapshot(db, id)!;
}

/**
 * The scope's state for a new snapshot. A process that keeps no state of the scope yet (every CLI
 * command) starts from the previous snapshot's, which the patch is made against anyway, and re-reads
 * only the rows changed since it was taken: at 100k tasks, instead of reading every row and diffing
 * them all against it.
 */
function stateForSnapshot(call: Call, scope: Scope): SnapshotState {
  const prev = patchBase(call, scope);
  if (prev && !call.ws.db.inTransaction && !keepsState(call.ws.db, scope)) {
    try {
      adoptState(call.ws.db, scope, loadState(call, prev));
    } catch {
      // It does not read back: writeSnapshot starts a new chain, from a state read whole.
    }
  }
  return captureState(call, scope);
}

export function createSnapshot(call: Call, input: SnapshotCreateInput, reason = 'manual'): SnapshotResultV {
  const scope: Scope = input.flow_id ? { kind: 'flow', flowId: findFlow(call, input.flow_id).id } : { kind: 'workspace' };
  const row = writeSnapshot(call, scope, stateForSnapshot(call, scope), { label: input.label, pinned: input.pinned, reason });
  return { snapshot: snapshotView(row) };
}

/** The snapshot taken before something destructive; its id goes into the destructive result. */
export function autoSnapshot(call: Call, flowId: string, reason: string): string {
  const scope: Scope = { kind: 'flow', flowId };
  return writeSnapshot(call, scope, stateForSnapshot(call, scope), { reason }).id;
}

export function workspaceSnapshot(call: Call, reason: string): string {
  const scope: Scope = { kind: 'workspace' };
  return writeSnapshot(call, scope, stateForSnapshot(call, scope), { reason }).id;
}

export function snapshotsPage(call: Call, input: SnapshotListInput): SnapshotListResultV {
  const flowId = input.flow_id ? findFlow(call, input.flow_id).id : undefined;
  const before = input.cursor ? decodeCursor('snapshot', input.cursor, (v): v is number => Number.isInteger(v) && (v as number) > 0, flowId ?? null) : 0;
  const limit = input.limit ?? 50;
  const rows = listSnapshots(call.ws.db, before, limit + 1, flowId);
  const page = rows.slice(0, limit);
  return { snapshots: page.map(snapshotView), next_cursor: rows.length > limit ? encodeCursor('snapshot', page.at(-1)!.seq, flowId ?? null) : null };
}

export function showSnapshot(call: Call, input: SnapshotShowInput): SnapshotShowResultV {
  const row = findSnapshot(call, input.id);
  const state = loadState(call, row);
  const list = <T>(xs: T[]) => xs.slice(0, 50);
  return {
    snapshot: snapshotView(row),
    // A state's rows are the tables' rows (typed loosely as they come out of a payload): these columns are text.
    flows: list(Object.values(state.flows).map((f) => ({ id: f.id as string, name: f.name as string, status: f.status as string }))),
    plans: list(Object.values(state.plans).map((p) => ({ id: p.id as string, title: p.title as string, status: p.status as string, flow_id: p.flow_id as string }))),
    documents: list(Object.values(state.documents).map((d) => ({ id: d.id as string, path: d.path as string, source: d.source as string }))),
    truncated: Object.values(stateCounts(state)).some((n) => n > 50),
  };
}

export function pinSnapshot(call: Call, input: SnapshotPinInput, pinned: boolean): SnapshotResultV {
  const row = findSnapshot(call, input.id);
  call.ws.write(() => {
    setPinned(call.ws.db, row.id, pinned);
    record(call, { action: pinned ? 'snapshot.pin' : 'snapshot.unpin', entity: 'snapshot', entity_id: row.id, flow_id: row.flow_id, summary: `${pinned ? 'pinned' : 'unpinned'} ${row.id}` });
  });
  return { snapshot: snapshotView(getSnapshot(call.ws.db, row.id)!) };
}
