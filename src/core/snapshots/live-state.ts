// The last state this process read of each scope, kept with the change-log mark it was read at, so that
// the next read of that scope re-reads only the rows changed since (store/state-changes.ts) instead of
// every row: a task delete in a flow of 100k tasks snapshots the flow first, which read, hashed and
// diffed all 100k. A state read that way records what it was made from (derivedFrom), so a snapshot
// whose predecessor is that earlier state is patched from the changed rows alone.
import type { Db } from '../../store/db.js';
import { changeLogIntact, changeMark, changesSince, type ChangeMark } from '../../store/state-changes.js';
import { readScopeRows, type Scope, type SnapshotState } from '../../store/snapshot-state.js';
import { patchScopeRows, type Sizes, type Touched } from '../../store/snapshot-state-patch.js';
import { diffJson, type PatchOp } from '../../store/json-patch.js';

interface Live {
  state: SnapshotState;
  sizes: Sizes;
  mark: ChangeMark;
  generation: number;
}

/** Per connection (a reopened database starts afresh), the last state of a few scopes. */
const lives = new WeakMap<Db, Map<string, Live>>();
const LIVE_SCOPES = 4;
/** Bumped by forgetLiveStates: every kept state is then read whole again. */
let generation = 0;

const derivations = new WeakMap<SnapshotState, { base: SnapshotState; touched: Touched }>();

const scopeKey = (s: Scope) => (s.kind === 'flow' ? `flow:${s.flowId}` : 'workspace');

/** Most changed rows worth reading one by one; past it (or past a quarter of the state's rows) the scope is read whole. */
const MAX_CHANGES = 20_000;

// Rows per table of the states read here: known without counting 100k keys again (~20–30 ms).
const sizesOf = new WeakMap<SnapshotState, Sizes>();

/** The state's rows per table (counted once per state). */
export function stateSizes(s: SnapshotState): Sizes {
  let n = sizesOf.get(s);
  if (!n) {
    n = Object.fromEntries(Object.entries(s).map(([t, rows]) => [t, Object.keys(rows).length])) as Sizes;
    sizesOf.set(s, n);
  }
  return n;
}

// The change-log mark each state was read at (or, for a state read back from a snapshot, the mark its
// payload says it was read at): a snapshot's payload keeps it, so another process can start from there.
const marks = new WeakMap<SnapshotState, ChangeMark>();

export const markOf = (s: SnapshotState): ChangeMark | undefined => marks.get(s);

export function setMarkOf(s: SnapshotState, mark: ChangeMark): void {
  marks.set(s, mark);
}

/** The state this process keeps of the scope, unless forgotten since (forgetLiveStates). */
function keptFor(db: Db, scope: Scope): Live | undefined {
  const live = lives.get(db)?.get(scopeKey(scope));
  return live?.generation === generation ? live : undefined;
}

/** Whether this process keeps a state of the scope (see adoptState). */
export function keepsState(db: Db, scope: Scope): boolean {
  return keptFor(db, scope) !== undefined;
}

/**
 * Takes `state` (a snapshot's, read back, with the mark it was read at) as the scope's kept state, when
 * this process keeps none: the next read of the scope re-reads only what changed since that mark (a
 * mark of another database tells nothing there: changesSince refuses it, and that read is whole).
 */
export function adoptState(db: Db, scope: Scope, state: SnapshotState): void {
  const mark = marks.get(state);
  if (mark && !keepsState(db, scope)) keepLive(db, scopeKey(scope), state, mark);
}

function keepLive(db: Db, key: string, state: SnapshotState, mark: ChangeMark): void {
  let m = lives.get(db);
  if (!m) lives.set(db, (m = new Map()));
  m.delete(key);
  m.set(key, { state, sizes: stateSizes(state), mark, generation });
  while (m.size > LIVE_SCOPES) m.delete(m.keys().next().value!);
}

/**
 * The scope's rows now (documents without their text), from the kept state (or `seed`, when none is
 * kept) and the change log where they can tell, else read whole. Call inside a transaction. With keep,
 * the result becomes the scope's kept state (for a read a snapshot is written from; a preview's read
 * leaves it be).
 */
export function scopeStateNow(db: Db, scope: Scope, keep: boolean, seed?: SnapshotState): SnapshotState {
  const now = changeMark(db);
  const key = scopeKey(scope);
  // With no state kept, a snapshot's state read back (a restore's target) serves as well, when its
  // payload said where the change log stood and that is of this database (recover's targets are not).
  const seedMark = seed && marks.get(seed);
  const live = keptFor(db, scope) ?? (seed && seedMark && now?.db === seedMark.db ? { state: seed, sizes: stateSizes(seed), mark: seedMark } : undefined);
  let state: SnapshotState | undefined;
  if (now && live && changeLogIntact(db, now.schema)) {
    const rows = Object.values(live.sizes).reduce((a, b) => a + b, 0);
    const changed = changesSince(db, live.mark, now, Math.min(MAX_CHANGES, Math.max(1000, rows >> 2)));
    if (changed) {
      const r = patchScopeRows(db, scope, live.state, live.sizes, changed);
      state = r.state;
      sizesOf.set(state, r.sizes);
      // Only one step back is kept: a chain of them would keep every earlier state alive.
      if (keep) derivations.delete(live.state);
      derivations.set(state, { base: live.state, touched: r.touched });
    }
  }
  if (!state) {
    state = readScopeRows(db, scope);
    for (const [t, table] of Object.entries(state)) if (t !== 'documents') for (const r of Object.values(table)) Object.freeze(r);
  }
  if (now) marks.set(state, now);
  if (keep && now) keepLive(db, key, state, now);
  return state;
}

/** What `state` was made from, when it was made from an earlier state and the rows changed since. */
export function derivedFrom(state: SnapshotState): { base: SnapshotState; touched: Touched } | undefined {
  return derivations.get(state);
}

/** The patch from base to state, which differ only in the touched rows: what diffJson(base, state) gives, without walking every row. */
export function changedRowsPatch(base: SnapshotState, state: SnapshotState, touched: Touched): PatchOp[] {
  const only = (s: SnapshotState) =>
    Object.fromEntries(
      (Object.keys(touched) as (keyof SnapshotState)[]).map((t) => [t, Object.fromEntries([...touched[t]].filter((k) => Object.hasOwn(s[t], k)).map((k) => [k, s[t][k]]))]),
    );
  return diffJson(only(base), only(state));
}

/** Drops every kept state (after a rolled-back write, say): the next read of each scope is whole. */
export function forgetLiveStates(): void {
  generation++;
}
