import { seedProject } from '../bench/seed.js';
import { Workspace } from '../src/core/kernel/workspace.js';
import { getTask } from '../src/store/tasks.js';
import { toolCaller } from '../bench/seed.js';
const { dir, taskIds } = seedProject(Number(process.argv[2] ?? 100000));
const ws = Workspace.open(dir);
const db = ws.db;
console.log(db.prepare("SELECT sql FROM sqlite_master WHERE name='tasks'").get());
console.log(db.pragma('cache_size'), db.pragma('mmap_size'), db.pragma('page_size'));
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 20000; i++) getTask(db, taskIds[(i * 7919) % taskIds.length]!);
  console.log('getTask µs', ((performance.now() - t0) / 20000 * 1000).toFixed(1));
}
const call = toolCaller({ ws, session: ws.session('probe') });
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  for (let i = 0; i < 5000; i++) call('task', { action: 'get', id: taskIds[(i * 7919) % taskIds.length]! });
  console.log('task get tool µs', ((performance.now() - t0) / 5000 * 1000).toFixed(1));
}
