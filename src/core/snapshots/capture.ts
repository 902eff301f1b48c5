// Taking a snapshot's state from the database (with document text moved into the blob store) and
// reading any snapshot back as a full state, however long its chain of patches.
import { nodeCrypto } from '../../node-crypto.js';
import { applyPatch } from '../../store/json-patch.js';
import { blobHash, putBlob, readPayload } from '../../store/snapshot-files.js';
import { canonicalState, type Scope, type SnapshotState } from '../../store/snapshot-state.js';
import { derivedFrom, forgetLiveStates, scopeStateNow, setMarkOf, stateSizes } from './live-state.js';
import { markFromHeader } from '../../store/state-changes.js';
import { getSnapshot, type SnapshotRow } from '../../store/snapshots.js';
import { documentsRoot, safeJoin } from '../docs/doc-paths.js';
import { readFileBounded } from '../../store/bounded-file.js';
import { log } from '../../log.js';
import { FlowError } from '../../model/errors.js';
import { clip } from '../../model/error-text.js';
import type { Call } from '../kernel/workspace.js';

/** The most of one document's text a snapshot reads (far above what document write accepts). */
const MAX_SNAPSHOT_TEXT_BYTES = 256 * 1024 * 1024;

/** JSON with object keys sorted at every level: equal states give equal text, whatever order built them. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(v, (_k, val: unknown) =>
    val && typeof val === 'object' && !Array.isArray(val)
      ? Object.fromEntries(Object.keys(val as object).sort().map((k) => [k, (val as Record<string, unknown>)[k]]))
      : val,
  );
}

// Each row's `"key":{…}` text, kept for rows that can no longer change (a kept state's rows are frozen:
// see live-state.ts), so a checkpoint of a state read mostly from the last one serialises only the rows
// no earlier checkpoint did. A row is always under the same key: the key is made from the row (its id,
// or its columns for deps and links).
const entryText = new WeakMap<object, string>();

/**
 * The state's JSON, exactly JSON.stringify(s): states are kept in canonical order
 * (store/snapshot-state.ts), so that text is canonical. Keys go in the objects' own order, as
 * JSON.stringify takes them.
 */
export function stateJson(s: SnapshotState): string {
  // A state read whole has no row seen before: one JSON.stringify is faster than row by row.
  if (!derivedFrom(s)) return JSON.stringify(s);
  const parts: string[] = [];
  for (const [t, table] of Object.entries(s) as [string, Record<string, object>][]) {
    const rows: string[] = [];
    for (const k in table) {
      const r = table[k]!;
      let e = entryText.get(r);
      if (e === undefined) {
        e = `${JSON.stringify(k)}:${JSON.stringify(r)}`;
        if (Object.isFrozen(r)) entryText.set(r, e);
      }
      rows.push(e);
    }
    parts.push(`${JSON.stringify(t)}:{${rows.join(',')}}`);
  }
  return `{${parts.join(',')}}`;
}
export const stateHash = (s: SnapshotState, json = stateJson(s)) => nodeCrypto().createHash('sha256').update(json).digest('hex');

/**
 * A patch snapshot's hash: of its base's id and its own patch text, so that writing one costs the size
 * of the change, not of the state (hashing the whole state of a 100k-task flow took ~60 ms, and its JSON
 * ~120 ms more). Reading it back checks each patch's text and the checkpoint's hash instead of the
 * rebuilt state's; the prefix tells it from a state hash (what snapshots written before had).
 */
const PATCH_HASH = 'p1:';
export const patchHash = (baseId: string, patchText: string) => PATCH_HASH + nodeCrypto().createHash('sha256').update(`${baseId}\n${patchText}`).digest('hex');

export function stateCounts(s: SnapshotState): Record<string, number> {
  const n = stateSizes(s);
  return { flows: n.flows, plans: n.plans, tasks: n.tasks, documents: n.documents, context: n.context_entries };
}

/**
 * The scope's state now, read in one transaction; flowmcp documents' text goes to the blob store
 * (or, with storeBlobs false, is only hashed: for comparing against now without writing anything).
 * `seed`: a snapshot's state of the scope (read back) to start from when this process keeps none.
 */
export function captureState(call: Call, scope: Scope, opts: { storeBlobs?: boolean; seed?: SnapshotState } = {}): SnapshotState {
  // A read a snapshot is written from is kept for the next one; a preview's is not (see live-state.ts).
  // Nor is one inside a caller's transaction: it may hold that transaction's writes, and a rollback
  // would leave the kept state with rows that never were, and its mark ahead of the log.
  const keep = opts.storeBlobs !== false && !call.ws.db.inTransaction;
  const state = call.ws.db.transaction(() => scopeStateNow(call.ws.db, scope, keep, opts.seed))();
  const root = documentsRoot(call);
  for (const doc of Object.values(state.documents)) {
    let blob: string | null = null;
    if (doc.source === 'flow') {
      try {
        // Bounded, but generously: a snapshot is where a hand-grown document's text is kept safe.
        const r = readFileBounded(safeJoin(root, String(doc.path)), MAX_SNAPSHOT_TEXT_BYTES);
        if (r.ok) {
          const text = r.bytes.toString('utf8');
          blob = opts.storeBlobs === false ? blobHash(text) : putBlob(call.ws.flowDir, text);
        } else log.warn(`document ${String(doc.path)} is ${r.reason === 'too_large' ? `larger than ${MAX_SNAPSHOT_TEXT_BYTES} bytes` : 'not a regular file'}: this snapshot keeps its metadata, not its text`);
      } catch {
        // The file is gone: the snapshot keeps its metadata, and says so by the null blob set above.
      }
    }
    doc.blob = blob;
    Object.freeze(doc);
  }
  return state;
}

export function blobsOf(s: SnapshotState): string[] {
  return [...new Set(Object.values(s.documents).map((d) => d.blob).filter((b): b is string => typeof b === 'string'))].sort();
}

// The last few states read, by snapshot id: a new patch diffs against its predecessor without
// replaying the chain, and restoring what was just snapshotted reads nothing twice.
const cache = new Map<string, SnapshotState>();
const CACHE_SIZE = 8;

/**
 * Where a snapshot's state is remembered: by its hash too, so a state remembered for a snapshot whose
 * catalog row was rolled back (an import's, in a transaction that failed) is never taken for another
 * snapshot given the same id later.
 */
const cacheKey = (call: Call, row: Pick<SnapshotRow, 'id' | 'state_hash'>) => `${call.ws.flowDir}\u0000${row.id}\u0000${row.state_hash}`;

/** The state of snapshot `row` if this process holds it already (nothing is read). */
export function rememberedState(call: Call, row: Pick<SnapshotRow, 'id' | 'state_hash'>): SnapshotState | undefined {
  return cache.get(cacheKey(call, row));
}

/** Remembers `s` as snapshot `row`'s state (for writeSnapshot, which has just written it). */
export function rememberState(call: Call, row: Pick<SnapshotRow, 'id' | 'state_hash'>, s: SnapshotState): void {
  remember(cacheKey(call, row), s);
}

function remember(key: string, s: SnapshotState): void {
  cache.delete(key);
  cache.set(key, s);
  while (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

/** The most patches between two checkpoints flowmcp writes (snapshots.checkpoint_every is at most 1000). */
const MAX_PATCH_CHAIN = 1000;

/** Drops the remembered states (they are rebuilt from the payloads on the next read). */
export function forgetStates(): void {
  cache.clear();
  forgetLiveStates();
}

/**
 * A snapshot's full state: its checkpoint with every patch after it applied, checked against its hash.
 * The result may be shared with other callers: read it, never change it.
 */
export function loadState(call: Call, row: SnapshotRow): SnapshotState {
  const key = cacheKey(call, row);
  const hit = cache.get(key);
  if (hit) return hit;
  const chain: SnapshotRow[] = [row];
  // The catalog rows come from flow.db, which a cloned repository may have written: a base_id cycle
  // would loop here forever (stalling every session of the server), so each snapshot is visited once
  // and the chain is no longer than any flowmcp writes (a checkpoint at most every MAX_PATCH_CHAIN).
  const seen = new Set([row.id]);
  while (chain[0]!.kind === 'patch') {
    // Stryker disable next-line StringLiteral: a patch row without a base looks up an id no snapshot has, '' or any other text that is not an s- id: "which is missing" either way
    const base = getSnapshot(call.ws.db, chain[0]!.base_id ?? '');
    if (!base) throw new FlowError('damaged', `Snapshot ${row.id} depends on ${chain[0]!.base_id}, which is missing.`, 'Restore from another snapshot (snapshot list).');
    if (seen.has(base.id) || chain.length > MAX_PATCH_CHAIN) {
      throw new FlowError(
        'damaged',
        `Snapshot ${row.id} depends on a chain of snapshots that ${seen.has(base.id) ? 'loops back on itself' : `is longer than ${MAX_PATCH_CHAIN}`}; flowmcp never writes one, so the catalog in .flow/flow.db is damaged or not its own. Nothing was changed.`,
        'Restore from another snapshot (snapshot list), or rebuild the catalog from the payload files with flowmcp recover.',
      );
    }
    seen.add(base.id);
    chain.unshift(base);
  }
  const damaged = (why: string) =>
    new FlowError('damaged', `Snapshot ${row.id} does not read back as it was written (${why}). Nothing was changed.`, 'Restore from another snapshot (snapshot list).');
  // The checkpoint's state is parsed fresh (ours to change), so patches apply in place.
  // Hashed by patch (see patchHash): every link's text is checked as it is read, the checkpoint's too.
  const byLink = row.state_hash.startsWith(PATCH_HASH);
  let state: SnapshotState | undefined;
  let header: unknown;
  for (const link of chain) {
    const p = readPayload(call.ws.flowDir, link.file); // a payload that does not read says so itself
    header = p.mark;
    if (byLink && link.kind === 'patch' && link.state_hash.startsWith(PATCH_HASH) && patchHash(String(link.base_id), JSON.stringify(p.patch)) !== link.state_hash) {
      throw damaged(`its payload ${link.file} is damaged`);
    }
    // (A patch written before patch hashes is checked by its gzip's CRC only, as part of a newer chain.)
    if (byLink && link.kind === 'full' && (typeof p.state !== 'object' || stateHash(p.state!) !== link.state_hash)) throw damaged(`its checkpoint ${link.file} is damaged`);
    try {
      // Stryker disable next-line ObjectLiteral,BooleanLiteral: in place only spares a copy of the state; the state is this function's own (parsed fresh above), so a copy gives the same result
      state = link.kind === 'full' ? p.state! : applyPatch(state!, p.patch!, { inPlace: true });
      if (typeof state !== 'object' || state === null) throw new Error(`${link.file} holds no state`);
      // A lone checkpoint is read as written (checked below against the hash of that text); a state
      // rebuilt from patches is put back in canonical order once, after its last patch.
      if (chain.length > 1 &&
        // Stryker disable next-line ConditionalExpression: putting an intermediate state in canonical order too gives the same final state (the last link orders it again); flowmcp's states are canonical already
        link === chain[chain.length - 1]) state = canonicalState(state);
    } catch (e) {
      // A patch that does not fit its base, a payload without its body: damaged, whoever damaged it.
      throw damaged(`its payload ${link.file} does not apply: ${clip((e as Error).message, 200)}`);
    }
  }
  if (byLink) {
    // What the patches rebuilt has the rows the snapshot was written with, table by table.
    const said = JSON.stringify(stateCounts(state!));
    let counts: unknown;
    try {
      counts = JSON.parse(row.counts);
    } catch {
      counts = undefined;
    }
    if (said !== JSON.stringify(counts)) throw damaged('its patches do not rebuild the rows it was written with');
  } else if (stateHash(state!) !== row.state_hash) throw damaged('its payload is damaged');
  // Where the change log stood when it was taken: another read of the scope can start from here.
  const mark = markFromHeader(header);
  if (mark) setMarkOf(state!, mark);
  remember(key, state!);
  return state!;
}
