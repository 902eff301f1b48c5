// `flowmcp recover`: rebuilds .flow/flow.db from the snapshot payloads (which describe themselves) and
// the documents on disk (the source of truth for their text: a file there before recover started is
// never written over, and a snapshot's text only fills in missing ones; see recover-sources.ts). A
// damaged database is kept aside, never deleted; a healthy one is left alone unless forced.
//
// Recover works only with the project to itself: it takes .flow/open.lock exclusively (store/
// open-lock.ts), which it gets only while no server or CLI command has the project open, and which
// keeps them all out until it is done. So a running server can never go on acknowledging writes into
// the database recover sets aside: recover refuses instead, and says which processes to stop. A mark
// written before the old database is moved and removed after the rebuild (core/transfer/recover-marker.ts)
// makes a recover killed part-way say so on the next open, and the next recover finish the job.
import { existsSync, readdirSync, renameSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readPayload, payloadFiles, snapshotsDir, type Payload } from '../../store/snapshot-files.js';
import { insertSnapshot, allSnapshots } from '../../store/snapshots.js';
import { rowCount } from '../../store/rows.js';
import { databaseHealthy } from '../../store/db-health.js';
import { openReadOnlyCopy } from '../../store/db.js';
import { getSetting, setSetting } from '../../store/settings.js';
import { getFlow, listFlows } from '../../store/flows.js';
import { getPlan } from '../../store/plans.js';

const LAST_FLOW = 'last_flow_id';
const LAST_PLAN = 'last_plan_id';
import { syncFilesNow } from '../docs/project-index.js';
import { loadState } from '../snapshots/capture.js';
import { restoreState } from '../snapshots/restore.js';
import { reconcileAll } from '../memory/context.js';
import { documentRefs } from '../../store/snapshot-documents.js';
import type { SnapshotState } from '../../store/snapshot-state.js';
import type { SnapshotRow } from '../../store/snapshots.js';
import { filesOnDisk, newestHoldingWork, notRecovered, rebuildSources } from './recover-sources.js';
import { scopeOfRow, workspaceSnapshot } from '../snapshots/catalog.js';
import { checkFlowFolder } from '../kernel/flow-folder.js';
import { Workspace, type Call } from '../kernel/workspace.js';
import { newestSeq } from '../kernel/event-log.js';
import { FlowError } from '../../model/errors.js';
import { hasMarker, removeMarker, writeMarker } from './recover-marker.js';
import { testPause } from '../kernel/test-pause.js';
import { holdExclusive, release } from '../../store/open-lock.js';
import { appendEvent, insertEventRows, salvageEvents } from '../../store/events.js';
import { insertHookStates, salvageHookStates } from '../../store/hooks.js';
import { HOOKS_OWNER } from '../hooks/hook-owner.js';

export interface RecoverReport {
  /** Where the old database went (untouched), if there was one. */
  kept_aside: string[];
  snapshots_found: number;
  unreadable_payloads: string[];
  restored_from: { id: string; scope: string; flow_id: string | null; created_at: string }[];
  flows: number;
  tasks: number;
  documents_indexed: number;
  /** Events of the old log carried into the rebuilt database (their seqs kept). */
  events_kept: number;
  /** Why the old log could not be carried whole, if it could not. */
  events_note?: string;
  /** Flow documents whose file was on disk: kept as it is, and indexed from it. */
  documents_from_disk: string[];
  /** Flow documents whose file was missing: written from the snapshot they were restored from. */
  documents_from_snapshot: string[];
  /** Flows whose context.json on disk was merged into the rebuilt database (what was not the snapshot's). */
  context_from_disk: { flow_id: string; outcome: string; kept_aside?: string }[];
  /** What the rebuilt database does not hold, in words. */
  not_recovered?: string;
  note?: string;
}

export function recover(root: string, opts: { force?: boolean } = {}): RecoverReport {
  checkFlowFolder(root);
  const flowDir = join(root, '.flow');
  const dbFile = join(flowDir, 'flow.db');
  const report: RecoverReport = {
    kept_aside: [], snapshots_found: 0, unreadable_payloads: [], restored_from: [], flows: 0, tasks: 0, documents_indexed: 0, events_kept: 0,
    documents_from_disk: [], documents_from_snapshot: [], context_from_disk: [],
  };
  const interrupted = hasMarker(flowDir);
  if (!interrupted && !opts.force && databaseHealthy(dbFile)) {
    // The answer first: the zeros after it say that nothing was rebuilt, not that nothing is there.
    return { note: `${HEALTHY}${emptyBesideSnapshots(root, flowDir)}`, ...report };
  }
  testPause('recover.checked');
  const lock = holdExclusive(flowDir);
  if (!lock) {
    throw new FlowError(
      'storage',
      'Another flowmcp process (a server an assistant started, or a CLI command) has this project open, and it would go on writing to the database recover sets aside. Nothing was changed.',
      'Stop it first (close the assistant windows or flowmcp serve processes using this project), then run flowmcp recover again.',
    );
  }
  try {
    return rebuild(root, flowDir, dbFile, report, { force: !!opts.force, interrupted });
  } finally {
    release(lock);
  }
}

const HEALTHY = 'flow.db opens and passes its integrity check: nothing was changed (use --force to rebuild anyway).';

/**
 * Said beside HEALTHY when the database holds no flows while a snapshot does: an empty database an
 * earlier flowmcp made in place of a lost one looks healthy, and the work is in the snapshots.
 */
function emptyBesideSnapshots(root: string, flowDir: string): string {
  let flows: number;
  try {
    const ws = Workspace.open(root);
    try {
      flows = rowCount(ws.db, 'flows');
    } finally {
      ws.close();
    }
  } catch {
    return ''; // what keeps it from opening is said by the next command that opens it
  }
  if (flows > 0) return '';
  const held = newestHoldingWork(flowDir);
  return held
    ? ` But it holds no flows, while snapshot ${held.id} (${held.created_at}) holds ${held.flows} flow${held.flows === 1 ? '' : 's'}: if that work is missing, run flowmcp recover --force to rebuild from the snapshots (this database is kept aside).`
    : '';
}

/** The current flow and plan the old database remembered (last_flow_id, last_plan_id), if it can still be read. */
function rememberedCurrent(dbFile: string): { flow?: string; plan?: string } {
  return { flow: rememberedSetting(dbFile, LAST_FLOW), plan: rememberedSetting(dbFile, LAST_PLAN) };
}

/** A setting the old database holds, if it can still be read. */
function rememberedSetting(dbFile: string, key: string): string | undefined {
  const db = existsSync(dbFile) ? openReadOnlyCopy(dbFile) : undefined;
  if (!db) return undefined;
  try {
    return getSetting(db, key);
  } catch {
    return undefined; // a damaged settings table: the rebuild starts without it
    // Stryker disable next-line BlockStatement: the copy lives in memory (openReadOnlyCopy), so leaving it to the garbage collector changes no file
  } finally {
    db.close();
  }
}

/**
 * The rebuilt database keeps the current flow (and plan) the old one had, if they still exist, so the
 * next command does not stop at "no current flow". When the old one could not tell and the rebuild
 * holds a single flow, that one is current: there is nothing to choose between.
 */
function keepCurrent(ws: Workspace, remembered: { flow?: string; plan?: string }): void {
  ws.write(() => {
    let flow = remembered.flow && getFlow(ws.db, remembered.flow) ? remembered.flow : undefined;
    if (!flow && !remembered.flow) {
      const flows = listFlows(ws.db, { limit: 2 });
      if (flows.length === 1) flow = flows[0]!.id;
    }
    if (!flow) return;
    setSetting(ws.db, LAST_FLOW, flow);
    const plan = remembered.plan ? getPlan(ws.db, remembered.plan) : undefined;
    // Stryker disable next-line ConditionalExpression: a saved plan of another flow than the saved flow is no current plan to any session (kernel/session.ts), so saving it changes nothing anyone sees
    if (plan && plan.flow_id === flow) setSetting(ws.db, LAST_PLAN, plan.id);
  });
}

/** Where recover sets a database aside: beside it, named for the time (no ':', which some file systems refuse). */
const setAsidePath = (dbFile: string, at: Date) => `${dbFile}.damaged-${at.toISOString().replace(/[:.]/g, '-')}`;
/** What setAsidePath adds to the database's name (the -wal and -shm set aside with it have more). */
const SET_ASIDE_SUFFIX = /^\.damaged-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;

/** The newest database a recover set aside beside dbFile (by setAsidePath's name; not its -wal or -shm), if any. */
function newestSetAside(dbFile: string): string | undefined {
  const name = basename(dbFile);
  const found = readdirSync(dirname(dbFile)).filter((f) => f.startsWith(name) && SET_ASIDE_SUFFIX.test(f.slice(name.length))).sort();
  return found.length ? join(dirname(dbFile), found[found.length - 1]!) : undefined;
}

function rebuild(root: string, flowDir: string, dbFile: string, report: RecoverReport, opts: { force: boolean; interrupted: boolean }): RecoverReport {
  // Looked at again now that nobody else can change it.
  if (!opts.interrupted && !opts.force && databaseHealthy(dbFile)) return { note: HEALTHY, ...report };
  // A forced rebuild of a database that is fine rolls the project back to its newest snapshots. Snapshot
  // it first, as every destructive step does, so one restore brings back what it held. That snapshot is
  // the undo, never the source: taken of a database that lost its work (an empty one made in its place),
  // it would be the newest snapshot and hide the ones that hold the work.
  const own = new Set<string>();
  if (opts.force && !opts.interrupted && databaseHealthy(dbFile)) {
    const ws = Workspace.open(root, { recovering: true });
    try {
      const flows = rowCount(ws.db, 'flows');
      if (flows > 0 && !newestHoldingWork(flowDir)) {
        // Rebuilt from nothing, the project would look empty: the very loss recover is for.
        throw new FlowError(
          'invalid_input',
          `recover --force rebuilds flow.db from the snapshots taken before it, and no snapshot in .flow/snapshots holds a flow: the rebuilt database would hold none of the ${flows} flow${flows === 1 ? '' : 's'} flow.db holds now. Nothing was changed.`,
          'flow.db passes its integrity check: keep using it. To rebuild it anyway, take a snapshot first (flowmcp snapshot create), then run flowmcp recover --force.',
        );
      }
      const kept = workspaceSnapshot({ ws, session: ws.session('recover') }, 'before recover --force');
      own.add(kept);
      report.note = `flow.db was healthy: snapshot ${kept} of everything it held was taken first, and the rebuild comes from the snapshots before it. To go back to what flow.db held: flowmcp snapshot restore ${kept} --confirm.`;
    } finally {
      ws.close();
    }
  }
  // An earlier recover that stopped after setting the old database aside and before making the new one
  // left no flow.db: its set-aside file is the old database (found by the name recover gives it, never
  // read from the marker, which is only shown), so its log and current flow still come across.
  const earlier = opts.interrupted && !existsSync(dbFile) ? newestSetAside(dbFile) : undefined;
  const remembered = rememberedCurrent(earlier ?? dbFile);
  const aside = setAsidePath(dbFile, new Date());
  writeMarker(flowDir, earlier ?? aside);
  if (earlier) report.kept_aside.push(earlier);
  for (const suffix of ['', '-wal', '-shm']) {
    if (existsSync(dbFile + suffix)) {
      renameSync(dbFile + suffix, aside + suffix);
      report.kept_aside.push(aside + suffix);
    }
  }
  testPause('recover.rebuilding');
  const ws = Workspace.open(root, { recovering: true });
  try {
    const call = { ws, session: ws.session('recover') };
    carryEventLog(call, report);
    // The catalog, from the payloads' own headers, in the order they were taken.
    const headers: { p: Payload; file: string; bytes: number }[] = [];
    const ids = new Set<string>();
    for (const file of payloadFiles(flowDir)) {
      try {
        const p = readPayload(flowDir, file);
        const bytes = statSync(join(snapshotsDir(flowDir), file)).size;
        // A payload file copied under another name repeats its original's id, which the catalog holds once
        // (a second one would stop the whole rebuild, and every recover after it).
        if (ids.has(p.id)) throw new Error(`${file} repeats snapshot ${p.id}`);
        ids.add(p.id);
        headers.push({ p, file, bytes });
      } catch {
        report.unreadable_payloads.push(file);
      }
    }
    headers.sort((a, b) =>
      // Stryker disable next-line EqualityOperator: snapshots taken in the same millisecond are in no known order; the file names' order kept for them is no truer than any other
      a.p.created_at < b.p.created_at
        ? -1
        // Stryker disable next-line ConditionalExpression,EqualityOperator: V8's sort only asks whether the answer is below zero, so 1 or 0 here orders the same
        : a.p.created_at > b.p.created_at ? 1 : 0,
    );
    let cataloged = 0;
    ws.write(() => {
      for (const { p, file, bytes } of headers) {
        try {
          insertSnapshot(ws.db, {
            id: p.id, label: p.label, scope: p.scope, flow_id: p.flow_id, reason: p.reason, pinned: p.pinned ? 1 : 0, kind: p.kind,
            base_id: p.base_id, depth: p.depth, file, bytes, counts: JSON.stringify(p.counts), blobs: JSON.stringify(p.blobs),
            state_hash: p.state_hash, created_at: p.created_at,
          });
          cataloged++;
        } catch {
          // A header the catalog refuses (a field missing or out of range): that payload is listed as
          // unreadable, and the rest are still cataloged (one refused row undoes only itself).
          report.unreadable_payloads.push(file);
        }
      }
    });
    report.snapshots_found = cataloged;
    const loaded: { r: SnapshotRow; state: SnapshotState }[] = [];
    for (const r of rebuildSources(allSnapshots(ws.db), own)) {
      try {
        loaded.push({ r, state: loadState(call, r) });
      } catch {
        report.unreadable_payloads.push(r.file);
      }
    }
    // Looked at before anything is restored: a file there now is newer than every snapshot.
    const keepFiles = filesOnDisk(call, loaded.map((l) => l.state));
    const written = new Set<string>();
    for (const { r, state } of loaded) {
      try {
        restoreState(call, scopeOfRow(r), state, `recovered from snapshot ${r.id}`, { keepFiles });
        report.restored_from.push({ id: r.id, scope: r.scope, flow_id: r.flow_id, created_at: r.created_at });
        for (const d of Object.values(state.documents)) {
          // The same test restoreState makes before it writes a document's file.
          if (d.source === 'flow' && typeof d.blob === 'string' && !keepFiles.documents.has(String(d.path))) written.add(String(d.path));
        }
      } catch {
        report.unreadable_payloads.push(r.file);
      }
    }
    // Documents on disk are the truth for their text: anything not yet indexed joins the index.
    report.documents_indexed = syncFilesNow(call).indexed.length; // recover holds the project alone: straight through
    report.documents_from_snapshot = [...written].sort();
    report.documents_from_disk = documentRefs(ws.db).filter((d) => d.source === 'flow' && !written.has(d.path)).map((d) => d.path).sort();
    // A context.json newer than the snapshot: what it says beyond the snapshot is merged in (a conflict
    // keeps the file aside, named in the report), as when a server starts on a hand-edited one.
    for (const { flow_id, report: r } of reconcileAll(call)) {
      if (keepFiles.contexts.has(flow_id)) report.context_from_disk.push({ flow_id, outcome: r.outcome, ...(r.kept_aside ? { kept_aside: r.kept_aside } : {}) });
    }
    report.not_recovered = notRecovered(report.restored_from, report.kept_aside.find((f) => !f.endsWith('-wal') && !f.endsWith('-shm')));
    keepCurrent(ws, remembered);
    report.flows = rowCount(ws.db, 'flows');
    report.tasks = rowCount(ws.db, 'tasks');
    ws.close();
    removeMarker(flowDir); // the rebuild is complete: only now may others open the project again
    return report;
    // Stryker disable next-line BlockStatement: only a failed rebuild gets here, and recover runs in a CLI process that exits on the failure, closing the database with it
  } finally {
    ws.close();
  }
}

/**
 * The event log is never lost nor renumbered: the old database's events come into the rebuilt one with
 * their seqs, as far as they can be read, and recover's own event follows them, numbered after the old
 * log's newest seq when that much is known (so a follower's Last-Event-ID still means the same place).
 * Only when nothing of the old log can be read do the numbers start again, and the report says so.
 */
function carryEventLog(call: Call, report: RecoverReport): void {
  const old = report.kept_aside.find((f) => !f.endsWith('-wal') && !f.endsWith('-shm'));
  const salvaged = old ? salvageEvents(old, (rows) => call.ws.write(() => insertEventRows(call.ws.db, rows))) : { copied: 0, newest: undefined, error: 'there was no old database' };
  report.events_kept = salvaged.copied;
  if (salvaged.error) {
    report.events_note =
      salvaged.newest !== undefined
        ? `${salvaged.copied} of the old log's events could be read (${salvaged.error}); the rest stay in ${old} and numbering goes on after seq ${salvaged.newest}`
        : `the old event log could not be read (${salvaged.error}): event numbers start again${old ? `; what remains is in ${old}` : ''}`;
  }
  // The hooks' delivery cursors come along (the events they point into kept their seqs), so what was
  // waiting for delivery when the database broke is delivered after; a cursor past what could be read
  // is put back by the next delivery pass (core/hooks/delivery.ts).
  if (old) {
    const states = salvageHookStates(old);
    // Whose they were comes along too (core/hooks/hook-owner.ts): the user's own cursors stay theirs.
    const owner = rememberedSetting(old, HOOKS_OWNER);
    // Stryker disable next-line ConditionalExpression: writing no hook states writes nothing; the test only spares an empty transaction
    if (states.length) call.ws.write(() => {
      insertHookStates(call.ws.db, states);
      if (owner) setSetting(call.ws.db, HOOKS_OWNER, owner);
    });
  }
  const newest = Math.max(salvaged.newest ?? 0, newestSeq(call.ws.db));
  call.ws.write(() =>
    appendEvent(
      call.ws.db,
      {
        at: call.ws.now(),
        session_id: call.session.id,
        agent: call.session.agent,
        action: 'recover',
        entity: 'snapshot',
        entity_id: 'workspace',
        flow_id: null,
        summary: `rebuilt flow.db from snapshots; kept ${salvaged.copied} events of the old log${salvaged.error ? ` (${salvaged.error})` : ''}`,
      },
      newest + 1,
    ),
  );
}
