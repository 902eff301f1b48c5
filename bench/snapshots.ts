// Snapshots at 10k tasks (BENCH_SNAPSHOT_TASKS to change): create (full, and incremental after one
// change) and restore, against the same run's baseline of copying flow.db with SQLite's backup API
// (what a "just copy the database" snapshot would cost); a task delete, which takes a snapshot of its
// flow first, against a bare fsync'd DELETE of one task; and the disk size of 100 incremental snapshots
// against 100 full ones. Targets (issue 5): create ≤ 100 ms, restore ≤ 300 ms for a flow with 10k tasks.
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Workspace } from '../src/core/kernel/workspace.js';
import { forgetStates } from '../src/core/snapshots/capture.js';
import { seedProject, toolCaller } from './seed.js';
import { median, ms, printTable } from './stats.js';

const TASKS = Number(process.env.BENCH_SNAPSHOT_TASKS ?? 10_000);
const REPS = 5;

function dirBytes(dir: string): number {
  let n = 0;
  for (const f of readdirSync(dir, { withFileTypes: true })) n += f.isDirectory() ? dirBytes(join(dir, f.name)) : statSync(join(dir, f.name)).size;
  return n;
}

export async function snapshotBench(): Promise<void> {
  const { dir, taskIds } = seedProject(TASKS);
  const ws = Workspace.open(dir);
  const call = toolCaller({ ws, session: ws.session('bench') });
  const flow = call('flow', { action: 'list' }).flows[0].id as string;
  const time = (fn: () => unknown) => {
    const t0 = performance.now();
    fn();
    return performance.now() - t0;
  };
  const backup: number[] = [];
  for (let i = 0; i < REPS; i++) {
    const file = join(dir, `backup-${i}.db`);
    const t0 = performance.now();
    await ws.db.backup(file);
    backup.push(performance.now() - t0);
    rmSync(file);
  }
  const full: number[] = [];
  const incremental: number[] = [];
  const restore: number[] = [];
  let last = '';
  for (let i = 0; i < REPS; i++) {
    writeFileSync(join(dir, '.flow', 'config.json'), JSON.stringify({ snapshots: { checkpoint_every: 1 } })); // every snapshot full
    full.push(time(() => (last = call('snapshot', { action: 'create', flow_id: flow }).snapshot.id)));
    writeFileSync(join(dir, '.flow', 'config.json'), JSON.stringify({ snapshots: { checkpoint_every: 10 } }));
    call('task', { action: 'set_status', id: taskIds[i]!, status: 'done' });
    incremental.push(time(() => call('snapshot', { action: 'create', flow_id: flow })));
    call('task', { action: 'update', id: taskIds[i + 100]!, title: `changed ${i}` });
    forgetStates();
    restore.push(time(() => call('snapshot', { action: 'restore', id: last, confirm: true })));
  }
  // A delete, which snapshots its flow first (the undo), against deleting one task row by a bare statement.
  const del: number[] = [];
  const bare: number[] = [];
  const bareDelete = ws.db.prepare('DELETE FROM tasks WHERE id = ?');
  for (let i = 0; i < REPS; i++) {
    del.push(time(() => call('task', { action: 'delete', id: taskIds[200 + i]!, confirm: true })));
    bare.push(time(() => ws.db.transaction(() => bareDelete.run(taskIds[300 + i]!))()));
  }
  printTable(
    `Snapshots of a flow with ${TASKS} tasks (ms, median of ${REPS}; baseline: SQLite backup of the whole flow.db)`,
    ['operation', 'ms', 'vs backup', 'target'],
    [
      ['flow.db backup (baseline)', ms(median(backup)), '1.0×', ''],
      ['create, full', ms(median(full)), `${(median(full) / median(backup)).toFixed(1)}×`, '≤ 100'],
      ['create, incremental (1 change)', ms(median(incremental)), `${(median(incremental) / median(backup)).toFixed(1)}×`, '≤ 100'],
      ['restore (incl. the "before restore" snapshot)', ms(median(restore)), `${(median(restore) / median(backup)).toFixed(1)}×`, '≤ 300'],
    ],
  );
  printTable(`Deleting one task of that flow (ms, median of ${REPS}; baseline: a bare fsync'd DELETE of one task row)`, ['operation', 'ms', 'vs bare delete'], [
    ['bare DELETE, one transaction (baseline)', ms(median(bare)), '1.0×'],
    ['task delete (its flow snapshotted first, the plan\'s later positions closed up)', ms(median(del)), `${(median(del) / median(bare)).toFixed(0)}×`],
  ]);

  // Disk: 100 snapshots, one change between each, incremental (checkpoint every 10) against all full.
  const sizes: Record<string, number> = {};
  for (const every of [10, 1]) {
    const snaps = join(dir, '.flow', 'snapshots');
    rmSync(snaps, { recursive: true, force: true });
    ws.db.prepare('DELETE FROM snapshots').run();
    writeFileSync(join(dir, '.flow', 'config.json'), JSON.stringify({ snapshots: { checkpoint_every: every } }));
    for (let i = 0; i < 100; i++) {
      call('task', { action: 'update', id: taskIds[(i * 37) % taskIds.length]!, description: `edit ${every}/${i}` });
      call('snapshot', { action: 'create', flow_id: flow });
    }
    sizes[every === 1 ? 'full' : 'incremental'] = dirBytes(snaps);
  }
  printTable('Disk used by 100 snapshots of that flow (one task edited between each)', ['kind', 'MB', 'vs full'], [
    ['100 full', (sizes.full! / 1e6).toFixed(1), '1.00'],
    ['100 incremental (full checkpoint every 10)', (sizes.incremental! / 1e6).toFixed(1), (sizes.incremental! / sizes.full!).toFixed(2)],
  ]);
  ws.close();
  rmSync(dir, { recursive: true, force: true });
}
