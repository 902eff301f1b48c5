// Restoring a snapshot, atomically across the database and the files. A "before restore" snapshot is
// taken first, so a restore can itself be undone. Everything a restore decides is decided holding the
// database write lock: the state it replaces is read, the "before restore" snapshot written, the
// changes worked out and applied in one write transaction, so two restores at once run one after the
// other and the second replaces exactly what the first left (never a mix of both). Document texts go
// to temporary files beside their targets, named in a journal, before the transaction commits; the
// transaction records the journal's token; the renames happen right after the commit, under the write
// lock again. A crash before the commit leaves the old state (the temporary files are removed by
// whoever next holds the lock); after it, the next holder finishes the renames.
//
// The search index is left exactly matching the restored documents: every document whose row is new,
// whose text changed, or whose search entries are incomplete gets its chunks and full-text rows
// rebuilt from the text it has after the restore (vectors follow by content hash).
import { existsSync, rmSync } from 'node:fs';
import { nodeCrypto } from '../../node-crypto.js';
import { writeFileAtomic } from '../../store/atomic-file.js';
import { chunksComplete, replaceChunks } from '../../store/chunks.js';
import { deleteDocument, getDocument, getDocumentByPath } from '../../store/documents.js';
import { documentRefs, insertDocumentRowBack, putDocumentRowBack, setIndexedText, setOrphanedAt } from '../../store/snapshot-documents.js';
import { recountTasks } from '../../store/tasks.js';
import { blobHash, readBlob } from '../../store/snapshot-files.js';
import { deleteRows, sameRow, upsertRows, type Scope, type SnapshotState } from '../../store/snapshot-state.js';
import { setSetting } from '../../store/settings.js';
import { finishPendingRestore, journalPath, journalText, PENDING } from './restore-journal.js';
import { documentChunks, documentTitle, hashText, recordChunk } from '../../search/prepare.js';
import { getFlow } from '../../store/flows.js';
import { getPlan } from '../../store/plans.js';
import { indexEntry } from '../memory/context.js';
import { syncContextFile } from '../memory/context-file.js';
import { readDocumentFile } from '../docs/doc-limits.js';
import { documentsRoot, normalizeRelPath, safeJoin } from '../docs/doc-paths.js';
import { record } from '../kernel/events.js';
import { FlowError } from '../../model/errors.js';
import { restoreEffect, type RestoreEffect } from './restore-effect.js';
import { captureState, forgetStates, loadState } from './capture.js';
import { findSnapshot, scopeOfRow, snapshotView, writeSnapshot } from './catalog.js';
import { checkPreviewed } from './state-fingerprint.js';
import type { SnapshotPreviewResultV, SnapshotRestoreResultV } from '../schemas/snapshot-results.js';
import { testPause } from '../kernel/test-pause.js';
import type { SnapshotRestoreInput } from '../schemas/snapshot.js';
import type { Call } from '../kernel/workspace.js';
import type { EntryRow } from '../../store/context.js';

type Row = Record<string, unknown>;
const ROW_TABLES = ['flows', 'plans', 'tasks', 'deps', 'context_entries', 'context_state', 'links'] as const;


/** Per table: rows to write (new or different) and rows to remove, from the current state to the target. */
function rowChanges(current: SnapshotState, target: SnapshotState) {
  const out = {} as Record<(typeof ROW_TABLES)[number], { write: Row[]; remove: Row[] }>;
  for (const t of ROW_TABLES) {
    const a = current[t];
    const b = target[t];
    const write: Row[] = [];
    // Stryker disable next-line ConditionalExpression: writing an unchanged row back (with the snapshot's values) changes nothing; only the work saved
    // Own keys only: `in` also finds Object.prototype's, so a row whose id is "constructor" or
    // "__proto__" (an import keeps its file's ids) was never removed.
    for (const k of Object.keys(b)) if (!Object.hasOwn(a, k) || !sameRow(a[k]!, b[k]!)) write.push(b[k]!);
    out[t] = { write, remove: Object.keys(a).filter((k) => !Object.hasOwn(b, k)).map((k) => a[k]!) };
  }
  return out;
}

/** A snapshot payload is a file under .flow/ like any other: its document paths must stay inside their folder. */
function checkDocumentPaths(target: SnapshotState): void {
  for (const d of Object.values(target.documents)) {
    const path = String(d.path);
    let ok = d.source === 'flow' || d.source === 'project';
    try {
      ok &&= normalizeRelPath(path) === path;
    } catch {
      ok = false;
    }
    if (!ok) {
      throw new FlowError(
        'storage',
        `The snapshot names a document "${path}" (${String(d.source)}) outside the folder documents live in, so it was not restored. Nothing was changed.`,
        'Restore another snapshot (snapshot list); this one may have come from somewhere else.',
      );
    }
  }
}

export interface RestoreOutcome {
  effect: RestoreEffect;
  /** The "before restore" snapshot, when one was asked for. */
  before?: string;
}

/**
 * Brings the scope to `target`, changing only the rows that differ (a restore after a few edits
 * touches a few rows, whatever the size of the flow), and only their search entries. With `before`,
 * the state it replaces is handed to it first (to be kept as the "before restore" snapshot), inside
 * the same write lock.
 */
export function restoreState(
  call: Call,
  scope: Scope,
  target: SnapshotState,
  note: string,
  opts: {
    before?: (now: SnapshotState) => string;
    check?: (now: SnapshotState) => void;
    /**
     * Files recover found on disk before it rebuilt (flow document paths, and the flows whose
     * context.json was there): newer than any snapshot, so they are not written over. (Recover's
     * restores start from an empty database, so none of them removes a document.)
     */
    keepFiles?: { documents: ReadonlySet<string>; contexts: ReadonlySet<string> };
  } = {},
): RestoreOutcome {
  const db = call.ws.db;
  const flowDir = call.ws.flowDir;
  const root = documentsRoot(call);
  const state = target;
  checkDocumentPaths(state);
  const leaving: string[] = [];
  let now: SnapshotState | undefined;
  let outcome: RestoreOutcome;
  try {
    outcome = call.ws.write(() => {
      // Another process's restore may have committed without its files in place yet: finish it first,
      // so what this restore reads as "now" is that restore's result.
      finishPendingRestore(flowDir, db);
      // Stryker disable next-line ObjectLiteral,ConditionalExpression: storing blobs nobody will read (no "before restore" snapshot) costs time, changes no result
      // Started from the target when this process keeps no state of the scope (a CLI command undoing
      // a delete): only the rows changed since the target was taken are read.
      const current = captureState(call, scope, { storeBlobs: opts.before !== undefined, seed: target });
      opts.check?.(current); // before anything is written: a refusal changes nothing
      now = current;
      const before = opts.before?.(current);
      const effect = restoreEffect(current, state, call.ws.now());

      // 1. Document texts to temporary files, and the journal naming them.
      const renames: [string, string][] = [];
      const texts = new Map<string, string>();
      for (const d of Object.values(state.documents)) {
        if (d.source !== 'flow' || typeof d.blob !== 'string') continue;
        safeJoin(root, String(d.path)); // checked before any folder is made on the way
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: writeFileAtomic makes missing folders too; createDirs makes them one level at a time, each checked, against a folder swapped for a symlink in between (a race no in-process test stages)
        const final = safeJoin(root, String(d.path), { createDirs: true });
        const onDisk = existsSync(final) ? readDocumentFile(final, 'flow') : undefined;
        if (onDisk && opts.keepFiles?.documents.has(String(d.path))) {
          // The user's file stays as it is, and is what the document's search entries say.
          if (onDisk.ok) texts.set(String(d.id), onDisk.text);
          continue;
        }
        // Stryker disable next-line BlockStatement: a file already holding the snapshot's text would be rewritten with that same text (the next line sets its text either way)
        if (onDisk?.ok && blobHash(onDisk.text) === d.blob) {
          texts.set(String(d.id), onDisk.text);
          continue;
        }
        if (onDisk && !onDisk.ok && opts.before) {
          // A file that cannot be read back (too large, not a file) cannot be kept in the "before
          // restore" snapshot, so replacing it would lose it.
          throw new FlowError(
            'storage',
            `.flow/documents/${String(d.path)} is ${onDisk.why}, so the "before restore" snapshot could not keep it and restoring over it would lose it. Nothing was changed.`,
            'Move that file somewhere else (or shrink it), then restore again.',
          );
        }
        const text = readBlob(flowDir, d.blob);
        texts.set(String(d.id), text);
        const tmp = `${final}.restore-${nodeCrypto().randomBytes(4).toString('hex')}`;
        writeFileAtomic(tmp, text);
        renames.push([tmp, final]);
      }
      const token = nodeCrypto().randomBytes(8).toString('hex');
      // Stryker disable next-line ConditionalExpression: an empty journal is finished (removed) right after the commit, the same end state
      if (renames.length) writeFileAtomic(journalPath(flowDir), journalText(flowDir, token, renames));
      /** The text a document has once the restore is done: its restored text, else its file's. */
      const textOf = (d: Row): string | undefined => {
        const t = texts.get(String(d.id));
        if (t !== undefined) return t;
        try {
          const r = readDocumentFile(safeJoin(d.source === 'flow' ? root : call.ws.root, String(d.path)), d.source as 'flow' | 'project');
          return r.ok && !r.bytes.subarray(0, 8000).includes(0) ? r.text : undefined;
        } catch {
          // missing: the next reindex drops it
        }
        return undefined;
      };

      // 2. The database.
      const ch = rowChanges(current, state);
      try {
        // Parents before children on the way in; removals after, so a task moved out of a removed plan survives.
        upsertRows(db, 'flows', ch.flows.write);
        upsertRows(db, 'plans', ch.plans.write);
        upsertRows(db, 'tasks', ch.tasks.write);
        // Tasks written back are counted here (changes and deletes count themselves: store/tasks.ts).
        recountTasks(db, ch.tasks.write.map((t) => String(t.plan_id)));
        for (const t of ['links', 'context_state', 'context_entries', 'deps', 'tasks', 'plans', 'flows'] as const) deleteRows(db, t, ch[t].remove);
        upsertRows(db, 'deps', ch.deps.write);
        upsertRows(db, 'context_entries', ch.context_entries.write);
        upsertRows(db, 'context_state', ch.context_state.write);
        const idMap = new Map<string, string>();
        for (const d of Object.values(state.documents)) {
          const id = String(d.id);
          const samePath = getDocumentByPath(db, d.source as 'flow' | 'project', String(d.path));
          const existing = samePath ?? getDocument(db, id);
          const docId = existing?.id ?? id;
          idMap.set(id, docId);
          if (existing) {
            const nowRow = current.documents[existing.id];
            if (!nowRow || !sameRow(nowRow, d)) {
              // Back to the snapshot's row exactly (mtime 0: the next sync looks at the file again).
              putDocumentRowBack(db, docId, d);
            }
          } else {
            insertDocumentRowBack(db, id, d);
          }
          // The search entries follow the text the document has after the restore.
          if (!existing || existing.sha256 !== d.sha256 || !chunksComplete(db, docId)) {
            const text = textOf(d);
            if (text === undefined) replaceChunks(db, 'document', docId, []);
            else {
              // Stryker disable next-line ConditionalExpression: when the text is the row's, the title, size and hash set here are the row's own (all three come from the text the same way)
              if (hashText(text) !== d.sha256) {
                // A project file edited since the snapshot (restore never writes the user's files): the
                // row says what is indexed, which is what the file says now.
                setIndexedText(db, docId, { title: documentTitle(text, String(d.path)), size: Buffer.byteLength(text), sha256: hashText(text) });
              }
              replaceChunks(db, 'document', docId, documentChunks(text, documentTitle(text, String(d.path))));
            }
          }
        }
        // A workspace restore brings back exactly the snapshot's documents: later ones leave the index
        // (their files go after the commit; the "before restore" snapshot still holds their text).
        if (scope.kind === 'workspace') {
          const keep = new Set(idMap.values());
          for (const d of documentRefs(db)) {
            if (keep.has(d.id) || state.documents[d.id]) continue;
            deleteDocument(db, d.id);
            if (d.source === 'flow') leaving.push(d.path);
          }
        }
        upsertRows(db, 'links', ch.links.write.map((l) => ({ ...l, document_id: idMap.get(String(l.document_id)) ?? l.document_id })));
        // Links written back adopt their documents; the snapshot's own orphan marks are what count.
        for (const d of Object.values(state.documents)) {
          setOrphanedAt(db, idMap.get(String(d.id)) ?? String(d.id), (d.orphaned_at as string | null | undefined) ?? null);
        }
        for (const t of ch.tasks.write) replaceChunks(db, 'task', String(t.id), recordChunk(String(t.title), String(t.description)));
        for (const p of ch.plans.write) replaceChunks(db, 'plan', String(p.id), recordChunk(String(p.title), String(p.objective)));
        for (const e of ch.context_entries.write) indexEntry(call, e as unknown as EntryRow);
        if (renames.length) setSetting(db, PENDING, token);
        record(call, {
          action: 'snapshot.restore',
          entity: 'snapshot',
          entity_id: scope.kind === 'flow' ? scope.flowId : 'workspace',
          flow_id: scope.kind === 'flow' ? scope.flowId : null,
          summary: `${note}${before ? `; undo: restore ${before}` : ''} (${effect.summary})`,
        });
        // Stryker disable next-line StringLiteral: a test-only pause point; the crash tests that set it run the built CLI, which no mutant reaches
        testPause('restore.before-commit');
      } catch (e) {
        // Still holding the write lock: nobody else can be looking at these files.
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: these temporary files were written above under this same lock, so they exist and force changes nothing
        for (const [tmp] of renames) rmSync(tmp, { force: true });
        // Stryker disable next-line ObjectLiteral,BooleanLiteral: with renames, the journal was written above under this same lock, so it exists and force changes nothing
        if (renames.length) rmSync(journalPath(flowDir), { force: true });
        throw e;
      }
      return { effect, before };
    });
  } catch (e) {
    forgetStates(); // a "before restore" snapshot remembered in memory may have been rolled back
    throw e;
  }
  // 3. The files, now that the database has committed: under the write lock again.
  call.ws.write(() => {
    finishPendingRestore(flowDir, db);
    // Unless another restore brought it back in between.
    for (const path of leaving) if (!getDocumentByPath(db, 'flow', path)) rmSync(safeJoin(root, path), { force: true });
  });
  for (const f of new Set([...Object.keys(state.flows), ...Object.keys(now!.flows)])) if (getFlow(db, f) && !opts.keepFiles?.contexts.has(f)) syncContextFile(call, f);
  // A session whose current flow or plan the restore removed starts over at none.
  const cur = call.session.current();
  const gone = new Set<string>();
  if (cur.flowId && !getFlow(db, cur.flowId)) gone.add(cur.flowId);
  if (cur.planId && !getPlan(db, cur.planId)) gone.add(cur.planId);
  // Stryker disable next-line ConditionalExpression: forgetting an empty set changes nothing
  if (gone.size) call.session.forget(gone);
  return outcome;
}

/** What restoring snapshot `id` would remove, change and add now; changes nothing. */
export function previewRestore(call: Call, id: string): SnapshotPreviewResultV {
  const row = findSnapshot(call, id);
  const scope = scopeOfRow(row);
  return { snapshot: snapshotView(row), changes: restoreEffect(captureState(call, scope, { storeBlobs: false }), loadState(call, row), call.ws.now()) };
}

export function restoreSnapshot(
  call: Call,
  input: SnapshotRestoreInput,
): SnapshotRestoreResultV {
  const row = findSnapshot(call, input.id);
  const scope = scopeOfRow(row);
  const state = loadState(call, row); // reading a payload needs no lock
  const what = row.scope === 'flow' ? `flow ${row.flow_id}` : 'the whole workspace';
  if (input.confirm !== true) {
    const { changes } = previewRestore(call, row.id);
    throw new FlowError(
      'confirm_required',
      `Restoring ${what} to snapshot ${row.id} (${row.created_at}) ${changes.summary}; a "before restore" snapshot is taken first, so it can be undone.${changes.which ? ` By name, it ${changes.which}.` : ''} Nothing was changed.`,
      'Call again with confirm: true; snapshot diff with from: ' + row.id + ' shows what would change, field by field.',
      { snapshot: row.id, changes },
    );
  }
  // Stryker disable next-line StringLiteral: a test-only pause point; the concurrency tests that set it run the built CLI, which no mutant reaches
  testPause('restore.before-lock');
  const previewed = call.previewed;
  const done = restoreState(call, scope, state, `restored ${row.scope === 'flow' ? row.flow_id : 'the workspace'} to ${row.id}`, {
    before: (now) => writeSnapshot(call, scope, now, { reason: `before restore of ${row.id}` }).id,
    check: previewed === undefined ? undefined : (now) => checkPreviewed(previewed, row.id, now, what),
  });
  const undo = done.before!;
  return { restored: snapshotView(row), undo_snapshot: undo, undo: `snapshot restore ${undo} (confirm: true)`, changes: done.effect };
}
