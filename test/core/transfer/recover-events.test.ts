// recover keeps the event log: the old database's events come into the rebuilt one with their seqs, and
// recover's own event and the restores follow them, so a follower's position still means the same place.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { eventsSince } from '../../../src/core/kernel/event-log.js';
import { caller } from '../../helpers/call.js';
import { advanceCursor, ensureHookState, hookState, takeLease } from '../../../src/store/hooks.js';
import { tempDirPerTest } from '../../helpers/workspace.js';

const scratch = tempDirPerTest();

function project(): { dir: string; seqs: number[] } {
  const dir = scratch();
  const ws = Workspace.open(dir);
  const c = caller({ ws, session: ws.session('a') });
  c.ok('flow', { action: 'create', name: 'Shop' });
  c.ok('plan', { action: 'create', title: 'Build' });
  c.ok('task', { action: 'create', title: 'Cart' });
  c.ok('snapshot', { action: 'create', label: 'early' });
  const seqs = eventsSince(ws.db, 0, Number.MAX_SAFE_INTEGER, 1000).map((e) => e.seq);
  ws.close();
  return { dir, seqs };
}

function log(dir: string) {
  const ws = Workspace.open(dir);
  try {
    return eventsSince(ws.db, 0, Number.MAX_SAFE_INTEGER, 1000);
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
    });
    ws.close();
    recover(dir, { force: true });
    const after = Workspace.open(dir);
    try {
      // Same place in the same (carried) numbering; no lease of the old process left behind.
      expect(hookState(after.db, 'chat')).toMatchObject({ def_hash: 'def-hash', cursor: seqs[1], lease_owner: null, retry_at: null });
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
    expect(report.events_note).toMatch(/could not be read/);
    expect(log(dir)[0]).toMatchObject({ seq: 1, action: 'recover' });
  });
});
