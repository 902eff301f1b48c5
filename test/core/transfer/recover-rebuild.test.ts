// What `flowmcp recover` rebuilds a damaged project from: the damaged files are set aside whole, never
// overwritten; the snapshot catalog comes back from the payload files in the order they were taken; the
// project comes back as the newest workspace snapshot plus each flow's newest snapshot taken after it;
// payloads that do not read are reported, and the rest are still used.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { markerPath } from '../../../src/core/transfer/recover-marker.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { forgetStates } from '../../../src/core/snapshots/capture.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest } from '../../helpers/workspace.js';
import { shopProject } from '../../helpers/recover.js';

const scratch = tempDirPerTest();

/** Damage flow.db beyond reading (it is no database any more). */
function damage(dir: string): Buffer {
  const bytes = Buffer.from('this is not a database'.repeat(100));
  writeFileSync(join(dir, '.flow', 'flow.db'), bytes);
  return bytes;
}

/** Task titles per flow name, as a new process sees them. */
function tasksByFlow(dir: string): Record<string, string[]> {
  const ws = Workspace.open(dir);
  try {
    const rows = ws.db.prepare('SELECT f.name AS flow, t.title AS title FROM tasks t JOIN plans p ON p.id = t.plan_id JOIN flows f ON f.id = p.flow_id ORDER BY f.name, t.title').all() as { flow: string; title: string }[];
    const out: Record<string, string[]> = {};
    for (const r of rows) (out[r.flow] ??= []).push(r.title);
    return out;
  } finally {
    ws.close();
  }
}

function snapshotIds(dir: string): string[] {
  const ws = Workspace.open(dir);
  try {
    return (caller({ ws, session: ws.session('a') }).ok('snapshot', { action: 'list' }).snapshots as { id: string }[]).map((s) => s.id);
  } finally {
    ws.close();
  }
}

const payloadOf = (dir: string, id: string) => readdirSync(join(dir, '.flow', 'snapshots')).find((f) => f.startsWith(`${id}.`))!;

describe('recover of a damaged database', () => {
  it('sets the damaged files aside whole under the time it did so, and says where the old event log is', () => {
    const dir = scratch();
    shopProject(dir);
    const flowDir = join(dir, '.flow');
    // What a crash can leave: the database with its write-ahead log and shared-memory index beside it.
    const originals = { '': damage(dir), '-wal': Buffer.from('not a log'), '-shm': Buffer.from('not an index') };
    writeFileSync(join(flowDir, 'flow.db-wal'), originals['-wal']);
    writeFileSync(join(flowDir, 'flow.db-shm'), originals['-shm']);

    const report = recover(dir);
    const stamp = /^flow\.db\.damaged-(\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z)$/.exec(report.kept_aside[0]!.slice(flowDir.length + 1))?.[1];
    expect(stamp).toBeDefined(); // the time it was set aside, with no ':' (a name every file system takes)
    const aside = join(flowDir, `flow.db.damaged-${stamp}`);
    expect(report.kept_aside).toEqual([aside, `${aside}-wal`, `${aside}-shm`]);
    // The database and its log as they were; the -shm is SQLite's index of the log, which any reader rebuilds.
    expect(readFileSync(aside).equals(originals[''])).toBe(true);
    expect(readFileSync(`${aside}-wal`).equals(originals['-wal'])).toBe(true);
    for (const suffix of ['', '-wal', '-shm']) expect(existsSync(join(flowDir, `flow.db${suffix}`)), suffix).toBe(suffix === ''); // the new database, closed
    expect(report.events_kept).toBe(0);
    expect(report.events_note).toBe(`the old event log could not be read (file is not a database): event numbers start again; what remains is in ${aside}`);
    expect(existsSync(markerPath(flowDir))).toBe(false);
    expect(tasksByFlow(dir)).toEqual({ Shop: ['Cart'] });
  });

  it('restores the newest workspace snapshot, then each flow\'s newest snapshot taken after it, and lists the snapshots in the order they were taken', () => {
    const dir = scratch();
    const clock = new ManualClock();
    const ws = Workspace.open(dir, { clock });
    const c = caller({ ws, session: ws.session('a') });
    const flowA = c.ok('flow', { action: 'create', name: 'Alpha' }).flow.id as string;
    const planA = c.ok('plan', { action: 'create', title: 'PA', flow_id: flowA }).plan.id as string;
    const flowB = c.ok('flow', { action: 'create', name: 'Beta' }).flow.id as string;
    const planB = c.ok('plan', { action: 'create', title: 'PB', flow_id: flowB }).plan.id as string;
    const flowC = c.ok('flow', { action: 'create', name: 'Gamma' }).flow.id as string;
    const planC = c.ok('plan', { action: 'create', title: 'PC', flow_id: flowC }).plan.id as string;
    const task = (title: string, plan: string) => c.ok('task', { action: 'create', title, plan_id: plan });
    const snap = (flow?: string) => {
      clock.advance(1000);
      return c.ok('snapshot', { action: 'create', ...(flow ? { flow_id: flow } : {}) }).snapshot.id as string;
    };
    task('a1', planA);
    task('b1', planB);
    task('c1', planC);
    snap(flowB);
    snap(flowC); // Gamma's only flow snapshot, older than the workspace snapshot below: not applied over it
    task('c2', planC);
    snap();
    snap(flowA); // older than the workspace snapshot below: not applied over it
    task('a2', planA);
    const base = snap();
    task('b2', planB);
    const newerB = snap(flowB);
    task('a3', planA);
    const newerA = snap(flowA);
    task('a4', planA); // after every snapshot: lost with the database
    ws.close();
    const listed = snapshotIds(dir);
    damage(dir);

    const report = recover(dir);
    expect(report.snapshots_found).toBe(7);
    expect(report.unreadable_payloads).toEqual([]);
    expect(report.restored_from.map((r) => [r.id, r.scope, r.flow_id])).toEqual([
      [base, 'workspace', null],
      [newerB, 'flow', flowB],
      [newerA, 'flow', flowA],
    ]);
    expect(tasksByFlow(dir)).toEqual({ Alpha: ['a1', 'a2', 'a3'], Beta: ['b1', 'b2'], Gamma: ['c1', 'c2'] });
    expect({ flows: report.flows, tasks: report.tasks }).toEqual({ flows: 3, tasks: 7 });
    expect(snapshotIds(dir)).toEqual(listed); // newest first, as before the damage
  });

  it('reports payloads that do not read or repeat another\'s snapshot, and rebuilds from the rest', () => {
    const dir = scratch();
    const clock = new ManualClock();
    const ws = Workspace.open(dir, { clock });
    const c = caller({ ws, session: ws.session('a') });
    const flow = c.ok('flow', { action: 'create', name: 'Shop' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'Build' });
    c.ok('task', { action: 'create', title: 'Cart' });
    clock.advance(1000);
    const first = c.ok('snapshot', { action: 'create' }).snapshot.id as string;
    c.ok('task', { action: 'create', title: 'Checkout' });
    clock.advance(1000);
    const patch = c.ok('snapshot', { action: 'create' }).snapshot.id as string; // stored as changes to the first
    clock.advance(1000);
    const ofFlow = c.ok('snapshot', { action: 'create', flow_id: flow }).snapshot.id as string;
    ws.close();
    const snapDir = join(dir, '.flow', 'snapshots');
    const patchFile = payloadOf(dir, patch);
    expect(patchFile).toMatch(/\.patch\.json\.gz$/);
    rmSync(join(snapDir, payloadOf(dir, first))); // the patch's base is gone
    writeFileSync(join(snapDir, 's-zzzzzzzz.full.json.gz'), 'not gzip at all');
    copyFileSync(join(snapDir, payloadOf(dir, ofFlow)), join(snapDir, 's-zzzzzzzy.full.json.gz')); // a copy kept "just in case"
    // A payload whose header reads but that the catalog refuses (no counts): listed, and the rest rebuilt.
    const planted = JSON.parse(gunzipSync(readFileSync(join(snapDir, payloadOf(dir, ofFlow)))).toString('utf8')) as Record<string, unknown>;
    writeFileSync(join(snapDir, 's-zzzzzzzx.full.json.gz'), gzipSync(JSON.stringify({ ...planted, id: 's-zzzzzzzx', counts: undefined })));
    damage(dir);

    forgetStates(); // recover runs in a process of its own: nothing is remembered, every payload is read
    const report = recover(dir);
    expect(report.snapshots_found).toBe(2);
    expect(report.unreadable_payloads).toEqual(['s-zzzzzzzy.full.json.gz', 's-zzzzzzzz.full.json.gz', 's-zzzzzzzx.full.json.gz', patchFile]);
    expect(report.restored_from.map((r) => r.id)).toEqual([ofFlow]);
    expect(tasksByFlow(dir)).toEqual({ Shop: ['Cart', 'Checkout'] });
  });
});
