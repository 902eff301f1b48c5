// Snapshots through real processes: kill -9 while snapshots are being taken never leaves a catalog
// entry without its payload; `flowmcp recover` rebuilds a deleted or corrupt flow.db from the
// snapshots and documents, keeping the damaged file aside.
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canonicalJson, captureState, forgetStates, loadState } from '../../src/core/snapshots/capture.js';
import { Workspace } from '../../src/core/kernel/workspace.js';
import { allSnapshots } from '../../src/store/snapshots.js';
import { CLI, connect } from '../helpers/server.js';
import { killDuringBurst } from '../helpers/crash.js';
import { tempDirPerTest } from '../helpers/workspace.js';

const scratch = tempDirPerTest();
afterEach(() => forgetStates());

function cli(dir: string, ...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args, '--dir', dir, '--json'], { encoding: 'utf8' });
}

async function seeded(): Promise<{ dir: string; flow: string }> {
  const dir = scratch();
  const s = await connect({ dir });
  const flow = (await s.call('flow', { action: 'create', name: 'Keep me' })).structuredContent.flow.id;
  await s.call('plan', { action: 'create', title: 'Plan' });
  await s.call('task', { action: 'create', tasks: Array.from({ length: 30 }, (_, i) => ({ title: `task ${i}` })) });
  await s.call('document', { action: 'write', path: 'notes/n.md', content: '# Notes\n\nkeep this text' });
  await s.call('context', { action: 'save', decision: 'Snapshots before everything' });
  await s.close();
  return { dir, flow };
}

describe('snapshots across processes', () => {
  it('kill -9 while snapshots are taken: every catalog entry has a payload that reads back', async () => {
    const { dir } = await seeded();
    for (let round = 0; round < 5; round++) {
      await killDuringBurst(
        dir,
        async (s, i) => {
          await s.call('task', { action: 'create', title: `round ${round} / ${i}` });
          await s.call('snapshot', { action: 'create', label: `r${round}-${i}` });
        },
        { minMs: 100, spreadMs: 300, minSteps: 2 }, // 5 rounds × 2 snapshots > 5 however busy the machine
      );
    }
    const ws = Workspace.open(dir);
    try {
      const call = { ws, session: ws.session('check') };
      const rows = allSnapshots(ws.db);
      expect(rows.length).toBeGreaterThan(5);
      for (const r of rows) {
        expect(existsSync(join(dir, '.flow', 'snapshots', r.file)), `payload of ${r.id}`).toBe(true);
        expect(() => loadState(call, r)).not.toThrow();
      }
      expect(ws.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      ws.close();
    }
  }, 60_000);

  it("a server's undo snapshot, made from the state it kept and the change log, holds what another process wrote meanwhile", async () => {
    const { dir } = await seeded();
    const s = await connect({ dir });
    try {
      const tasks = (await s.call('task', { action: 'list', limit: 5 })).structuredContent.tasks as { id: string }[];
      // The first delete reads the flow whole and keeps that state; the next is made from it.
      await s.call('task', { action: 'delete', id: tasks[0]!.id, confirm: true });
      const r1 = cli(dir, 'task', 'create', 'written by the CLI');
      const r2 = cli(dir, 'task', 'update', tasks[1]!.id, '--title', 'renamed by the CLI');
      expect([r1.status, r2.status], r1.stderr + r2.stderr).toEqual([0, 0]);
      const undo = (await s.call('task', { action: 'delete', id: tasks[2]!.id, confirm: true })).structuredContent.snapshot as string;
      // Restoring the undo brings back the deleted task and keeps both of the CLI's changes.
      const restored = await s.call('snapshot', { action: 'restore', id: undo, confirm: true });
      expect(restored.isError, JSON.stringify(restored.structuredContent)).toBeFalsy();
      const titles = ((await s.call('task', { action: 'list', limit: 100 })).structuredContent.tasks as { title: string }[]).map((t) => t.title);
      expect(titles).toContain('written by the CLI');
      expect(titles).toContain('renamed by the CLI');
      expect(titles).toContain('task 2');
      expect(titles).not.toContain('task 0');
      expect(titles).toHaveLength(30);
    } finally {
      await s.close();
    }
  });

  it('recover rebuilds a deleted flow.db from the newest snapshot and the documents on disk', async () => {
    const { dir, flow } = await seeded();
    const snap = JSON.parse(cli(dir, 'snapshot', 'create', 'before disaster').stdout).snapshot.id;
    // A document written after the snapshot: its file is the truth, so recover indexes it too.
    writeFileSync(join(dir, '.flow', 'documents', 'notes', 'after.md'), '# After\n\nwritten later');
    let expected: string;
    {
      const ws = Workspace.open(dir);
      const call = { ws, session: ws.session('x') };
      expected = canonicalJson(captureState(call, { kind: 'flow', flowId: flow }));
      ws.close();
    }
    for (const f of ['flow.db', 'flow.db-wal', 'flow.db-shm']) rmSync(join(dir, '.flow', f), { force: true });
    const r = cli(dir, 'recover');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.restored_from.map((x: { id: string }) => x.id)).toEqual([snap]);
    expect(report).toMatchObject({ flows: 1, tasks: 30, documents_indexed: 1 });
    const ws = Workspace.open(dir);
    try {
      const call = { ws, session: ws.session('x') };
      const now = JSON.parse(canonicalJson(captureState(call, { kind: 'flow', flowId: flow })));
      expect(now.tasks).toEqual(JSON.parse(expected).tasks);
      expect(now.context_entries).toEqual(JSON.parse(expected).context_entries);
      expect(Object.values(now.documents as Record<string, { path: string }>).map((d) => d.path)).toEqual(['notes/n.md']);
      expect((ws.db.prepare("SELECT path FROM documents ORDER BY path").pluck().all() as string[])).toEqual(['notes/after.md', 'notes/n.md']);
      expect(allSnapshots(ws.db).map((s) => s.id)).toContain(snap);
    } finally {
      ws.close();
    }
  }, 60_000);

  it('a flow.db with a planted trigger is refused before it runs; recover sets it aside and rebuilds without it', async () => {
    const { dir } = await seeded();
    cli(dir, 'snapshot', 'create');
    const task = JSON.parse(cli(dir, 'task', 'list').stdout).tasks[0].id as string;
    const planted = new Database(join(dir, '.flow', 'flow.db'));
    planted.exec(`CREATE TRIGGER keep_todo AFTER UPDATE OF status ON tasks BEGIN UPDATE tasks SET status = 'todo' WHERE id = NEW.id; END;`);
    planted.close();
    const refused = cli(dir, 'task', 'set_status', task, 'done');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/holds schema flowmcp did not write \(trigger keep_todo\).*Nothing was changed\.\nhint: .*run flowmcp recover/);
    const r = cli(dir, 'recover');
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).kept_aside).toContainEqual(expect.stringMatching(/flow\.db\.damaged-[\dT-]+Z$/));
    const done = cli(dir, 'task', 'set_status', task, 'done');
    expect(done.status, done.stderr).toBe(0);
    expect(JSON.parse(cli(dir, 'task', 'get', task).stdout).task.status).toBe('done');
  }, 60_000);

  it('a corrupt flow.db is kept aside byte for byte; the server points at recover; recover rebuilds', async () => {
    const { dir } = await seeded();
    cli(dir, 'snapshot', 'create');
    rmSync(join(dir, '.flow', 'flow.db-wal'), { force: true });
    rmSync(join(dir, '.flow', 'flow.db-shm'), { force: true });
    const garbage = Buffer.from('this is not a database '.repeat(500));
    writeFileSync(join(dir, '.flow', 'flow.db'), garbage);
    const opened = cli(dir, 'flow', 'list');
    expect(opened.status).toBe(1);
    expect(opened.stderr).toMatch(/damaged/);
    expect(opened.stderr).toMatch(/flowmcp recover/);
    const r = cli(dir, 'recover');
    expect(r.status, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.kept_aside).toHaveLength(1);
    expect(readFileSync(report.kept_aside[0]).equals(garbage)).toBe(true);
    expect(report.tasks).toBe(30);
    expect(JSON.parse(cli(dir, 'flow', 'list').stdout).flows).toHaveLength(1);
    // A healthy database is left alone.
    const again = JSON.parse(cli(dir, 'recover').stdout);
    expect(again.note).toMatch(/nothing was changed/);
    expect(readdirSync(join(dir, '.flow')).filter((f) => f.includes('damaged'))).toHaveLength(1);
  }, 60_000);
});
