import { connectStdio } from '../bench/client.js';
import { seedProject } from '../bench/seed.js';
import { median, timeEach } from '../bench/stats.js';
const size = Number(process.argv[2] ?? 100000);
const { dir, taskIds } = seedProject(size);
const client = await connectStdio(dir);
const t0 = performance.now();
await client.callTool({ name: 'flow', arguments: { action: 'list' } });
for (let round = 0; round < 12; round++) {
  const get = await timeEach(200, 10, (i) => client.callTool({ name: 'task', arguments: { action: 'get', id: taskIds[(i * 7919) % taskIds.length]! } }));
  const ping = await timeEach(200, 10, () => client.ping());
  console.log(`${((performance.now() - t0) / 1000).toFixed(1)} s: get p50 ${median(get).toFixed(3)} ping ${median(ping).toFixed(3)}`);
  await new Promise((r) => setTimeout(r, 1000));
}
await client.close();
