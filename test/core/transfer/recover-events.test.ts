// recover keeps the event log: the old database's events come into the rebuilt one with their seqs, and
// recover's own event and the restores follow them, so a follower's position still means the same place.
import { HOOKS_OWNER } from '../../../src/core/hooks/hook-owner.js';
import { getSetting, setSetting } from '../../../src/store/settings.js';
import Database from 'better-sqlite3';
import { closeSync, existsSync, openSync, readdirSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { eventsSince } from '../../../src/core/kernel/event-log.js';
import { caller } from '../../helpers/call.js';
import { advanceCursor, ensureHookState, hookState, takeLease } from '../../../src/store/hooks.js';
import { tempDirPerTest } from '../../helpers/workspace.js';
import { shopProject } from '../../helpers/recover.js';

const scratch = tempDirPerTest();

function project(): { dir: string; seqs: number[] } {
  const dir = scratch();
  const seqs = shopProject(dir, { label: 'early', then: (_c, ws) => eventsSince(ws.db, 0, Number.MAX_SAFE_INTEGER, 1000).map((e) => e.seq) });
  return { dir, seqs };
}

function log(dir: string) {
  const ws = Workspace.open(dir);
  try {
    return eventsSince(ws.db, 0, Number.MAX_SAFE_INTEGER, 100_000);
  } finally {
    ws.close();
  }
}

describe('recover and the event log', () => {
  it('carries the old events with their seqs, then records itself after them', () => {
    const { dir, seqs } = project();
    const report = recover(dir, { force: true });
    expect(report.events_kept).toBeGreaterThanOrEqual(seqs.length);
    expect(report.events_note).toBeUndefined();
    const after = log(dir);
    // The old events, unchanged, first (recover --force's own "before" snapshot is among them)...
    expect(after.slice(0, seqs.length).map((e) => e.seq)).toEqual(seqs);
    expect(after.slice(0, 3).map((e) => e.action)).toEqual(['flow.create', 'plan.create', 'task.create']);
    // ...then recover and what it restored, numbered on from there, never again from 1.
    const mine = after.slice(report.events_kept);
    expect(mine[0]).toMatchObject({ action: 'recover', seq: report.events_kept + 1 });
    expect(mine.some((e) => e.action === 'snapshot.restore')).toBe(true);
    const all = after.map((e) => e.seq);
    expect(all).toEqual([...all].sort((a, b) => a - b));
  });

  it('keeps the post hooks\' delivery cursors, so what was waiting for delivery is delivered after', () => {
    const { dir, seqs } = project();
    const ws = Workspace.open(dir);
    ws.write(() => {
      ensureHookState(ws.db, 'chat', 'def-hash', seqs[0]!);
      takeLease(ws.db, 'chat', 'old-process', 1, 2);
      advanceCursor(ws.db, 'chat', 'old-process', seqs[1]!); // delivered up to the second event
      setSetting(ws.db, HOOKS_OWNER, 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6'); // whose they are (core/hooks/hook-owner.ts)
    });
    ws.close();
    recover(dir, { force: true });
    const after = Workspace.open(dir);
    try {
      // Same place in the same (carried) numbering; no lease of the old process left behind.
      expect(hookState(after.db, 'chat')).toMatchObject({ def_hash: 'def-hash', cursor: seqs[1], lease_owner: null, retry_at: null });
      // And whose they are, so this user's next open keeps them rather than starting them afresh.
      expect(getSetting(after.db, HOOKS_OWNER)).toBe('a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6');
    } finally {
      after.close();
    }
  });

  it('says so when the old log cannot be read, and starts again', () => {
    const { dir } = project();
    // Not a database any more: nothing of it can be read.
    writeFileSync(join(dir, '.flow', 'flow.db'), 'this is not a database'.repeat(100));
    rmSync(join(dir, '.flow', 'flow.db-wal'), { force: true });
    rmSync(join(dir, '.flow', 'flow.db-shm'), { force: true });
    const report = recover(dir);
    expect(report.events_kept).toBe(0);
    expect(report.events_note).toBe(`the old event log could not be read (file is not a database): event numbers start again; what remains is in ${report.kept_aside[0]}`);
    expect(log(dir)[0]).toMatchObject({ seq: 1, action: 'recover', summary: 'rebuilt flow.db from snapshots; kept 0 events of the old log (file is not a database)' });
  });

  it('says there was no old database when flow.db is gone, even with its old write-ahead log left beside it', () => {
    const { dir } = project();
    const flowDir = join(dir, '.flow');
    rmSync(join(flowDir, 'flow.db'));
    writeFileSync(join(flowDir, 'flow.db-wal'), 'a log without its database');
    writeFileSync(join(flowDir, 'flow.db-shm'), 'its index');
    const report = recover(dir);
    expect(report.kept_aside).toEqual([expect.stringMatching(/flow\.db\.damaged-[^/]+-wal$/), expect.stringMatching(/flow\.db\.damaged-[^/]+-shm$/)]);
    for (const f of report.kept_aside) expect(existsSync(f)).toBe(true);
    expect(report.events_kept).toBe(0);
    expect(report.events_note).toBe('the old event log could not be read (there was no old database): event numbers start again');
    expect(log(dir)[0]).toMatchObject({ seq: 1, action: 'recover', summary: 'rebuilt flow.db from snapshots; kept 0 events of the old log (there was no old database)' });
    expect(report.restored_from).toHaveLength(1);
  });

  it('carries the events it can read when part of the old log is damaged, and numbers on after the old newest', () => {
    const dir = scratch();
    const ws = Workspace.open(dir);
    const c = caller({ ws, session: ws.session('a') });
    c.ok('flow', { action: 'create', name: 'Shop' });
    c.ok('plan', { action: 'create', title: 'Build' });
    c.ok('snapshot', { action: 'create' });
    // More events than recover copies at a time (1,000), over many pages of the log.
    for (let i = 0; i < 12; i++) c.ok('task', { action: 'create', tasks: Array.from({ length: 100 }, (_, j) => ({ title: `Task ${i}-${j}` })) });
    const newest = eventsSince(ws.db, 0, Number.MAX_SAFE_INTEGER, 100_000).at(-1)!.seq;
    ws.close();
    // A page in the middle of the log zeroed: the log reads up to it, and its newest seq still reads.
    const file = join(dir, '.flow', 'flow.db');
    const db = new Database(file, { readonly: true });
    const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = 'events' AND pagetype = 'leaf' ORDER BY path").pluck().all() as number[];
    const size = db.pragma('page_size', { simple: true }) as number;
    db.close();
    expect(leaves.length).toBeGreaterThan(4);
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(size), 0, size, (leaves.at(-2)! - 1) * size);
    closeSync(fd);
    for (const f of readdirSync(join(dir, '.flow'))) if (/^flow\.db-(wal|shm)$/.test(f)) rmSync(join(dir, '.flow', f));

    const report = recover(dir);
    const aside = report.kept_aside[0]!;
    expect(report.events_kept).toBeGreaterThanOrEqual(1000);
    expect(report.events_kept).toBeLessThan(newest);
    const why = /^\d+ of the old log's events could be read \((.+)\); the rest stay in /.exec(report.events_note ?? '')?.[1];
    expect(why).toBeDefined();
    expect(report.events_note).toBe(`${report.events_kept} of the old log's events could be read (${why}); the rest stay in ${aside} and numbering goes on after seq ${newest}`);
    const after = log(dir);
    expect(after.slice(0, report.events_kept).map((e) => e.seq)).toEqual(Array.from({ length: report.events_kept }, (_, i) => i + 1));
    expect(after[report.events_kept]).toMatchObject({ seq: newest + 1, action: 'recover', summary: `rebuilt flow.db from snapshots; kept ${report.events_kept} events of the old log (${why})` });
  });
});
