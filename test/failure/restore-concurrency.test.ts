// Two restores of different snapshots of the same flow, in two real processes that truly overlap
// (both have read their snapshot and stopped before the write lock): the flow ends up exactly as one of
// the two snapshots, never a mix, and both answers are true: the restore that ran second says it
// replaced what the first one left (its "before restore" snapshot is the first one's target).
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { caller } from '../helpers/call.js';
import { forgetStates, loadState } from '../../src/core/snapshots/capture.js';
import { findSnapshot } from '../../src/core/snapshots/catalog.js';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { CLI, assertBuilt } from '../helpers/server.js';
import { letGo, pauseEnv, reached } from '../helpers/pause.js';
import { tempDir } from '../helpers/workspace.js';
import { putAwayAfterEach } from '../helpers/after-each.js';

const { dirs, children } = putAwayAfterEach(forgetStates);

function run(dir: string, env: Record<string, string>, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [CLI, ...args, '--dir', dir, '--json'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** Task titles by id: what "the state of the flow" means here. */
function tasksOf(ws: Workspace, flow: string): Record<string, string> {
  const rows = ws.db.prepare('SELECT id, title FROM tasks WHERE flow_id = ? ORDER BY id').all(flow) as { id: string; title: string }[];
  return Object.fromEntries(rows.map((r) => [r.id, r.title]));
}

describe('two restores at once', () => {
  it('end in exactly one snapshot, and both say what really happened', async () => {
    assertBuilt();
    const dir = tempDir();
    const sync = tempDir('flowmcp-sync-');
    dirs.push(dir, sync);
    // S1 and S2 differ from now in different rows: applied against the same "now", they would mix.
    const ws = Workspace.open(dir);
    const c = caller({ ws, session: ws.session('setup') });
    const flow = c.ok('flow', { action: 'create', name: 'Race' }).flow.id as string;
    c.ok('plan', { action: 'create', title: 'P' });
    const [a, b] = c.ok('task', { action: 'create', tasks: [{ title: 'A' }, { title: 'B' }] }).tasks.map((x: { id: string }) => x.id) as [string, string];
    c.ok('task', { action: 'update', id: a, title: 'A in S1' });
    const s1 = c.ok('snapshot', { action: 'create', flow_id: flow, label: 'S1' }).snapshot.id as string;
    c.ok('task', { action: 'update', id: a, title: 'A' });
    c.ok('task', { action: 'update', id: b, title: 'B in S2' });
    const s2 = c.ok('snapshot', { action: 'create', flow_id: flow, label: 'S2' }).snapshot.id as string;
    c.ok('task', { action: 'update', id: b, title: 'B' });
    const expected: Record<string, Record<string, string>> = { [s1]: { [a]: 'A in S1', [b]: 'B' }, [s2]: { [a]: 'A', [b]: 'B in S2' } };
    ws.close();

    const env = pauseEnv(sync, 'restore.before-lock');
    const one = run(dir, env, 'snapshot', 'restore', s1, '--confirm');
    const two = run(dir, env, 'snapshot', 'restore', s2, '--confirm');
    await reached(sync, 'restore.before-lock', 2); // both have read their snapshot; neither has changed anything
    letGo(sync, 'restore.before-lock');
    const [r1, r2] = await Promise.all([one, two]);
    expect(r1.code, r1.stderr).toBe(0);
    expect(r2.code, r2.stderr).toBe(0);
    const out1 = JSON.parse(r1.stdout);
    const out2 = JSON.parse(r2.stdout);
    expect(out1.restored.id).toBe(s1);
    expect(out2.restored.id).toBe(s2);

    const after = Workspace.open(dir);
    try {
      const call = { ws: after, session: after.session('check') };
      const last = after.db.prepare("SELECT summary FROM events WHERE action = 'snapshot.restore' ORDER BY seq DESC LIMIT 1").pluck().get() as string;
      const [first, second] = last.includes(s2) ? [out1, out2] : [out2, out1];
      // Exactly the snapshot restored last, nothing of the other mixed in.
      expect(tasksOf(after, flow)).toEqual(expected[second.restored.id]);
      // The second restore's "before" is what the first left: its undo brings back the first's target.
      const before = loadState(call, findSnapshot(call, second.undo_snapshot));
      expect(Object.fromEntries(Object.values(before.tasks).map((t) => [t.id, t.title]))).toEqual(expected[first.restored.id]);
      // And each says what it changed against what it really found. Against the state before either,
      // each snapshot differs in one task a person can see (S1: A's title; S2: B's title — a revision
      // alone is not counted); against each other's result: both tasks.
      expect(first.changes.tasks).toEqual({ changed: 1, removed: 0, added: 0 });
      expect(second.changes.tasks).toEqual({ changed: 2, removed: 0, added: 0 });
    } finally {
      after.close();
    }
  }, 60_000);
});
