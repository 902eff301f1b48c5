import { connectStdio } from '../bench/client.js';
import { seedProject } from '../bench/seed.js';
import { median, timeEach } from '../bench/stats.js';
const size = Number(process.argv[2] ?? 100000);
const { dir, taskIds } = seedProject(size);
const t0 = performance.now();
const stamp = () => ((performance.now() - t0) / 1000).toFixed(2);
const client = await connectStdio(dir, (l) => { if (!/debug.*(call|tool)/.test(l)) console.log(`${stamp()} LOG ${l.slice(0, 200)}`); });
await client.callTool({ name: 'flow', arguments: { action: 'list' } });
for (let round = 0; round < 25; round++) {
  const get = await timeEach(100, 5, (i) => client.callTool({ name: 'task', arguments: { action: 'get', id: taskIds[(i * 7919) % taskIds.length]! } }));
  console.log(`${stamp()} s: get p50 ${median(get).toFixed(3)} max ${Math.max(...get).toFixed(1)}`);
  await new Promise((r) => setTimeout(r, 300));
}
await client.close();
