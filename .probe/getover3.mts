import { connectStdio } from '../bench/client.js';
import { seedProject } from '../bench/seed.js';
import { median, percentile, timeEach } from '../bench/stats.js';
const size = Number(process.argv[2] ?? 100000);
const { dir, taskIds } = seedProject(size);
for (const start of ['first', 'later', 'later2']) {
  const t0 = performance.now();
  const stamp = () => ((performance.now() - t0) / 1000).toFixed(2);
  const client = await connectStdio(dir, (l) => { if (/ready/.test(l)) console.log(`${stamp()} LOG ${l.slice(0, 160)}`); });
  await client.callTool({ name: 'flow', arguments: { action: 'list' } });
  for (let round = 0; round < (start === 'first' ? 12 : 8); round++) {
    const get = await timeEach(100, 0, (i) => client.callTool({ name: 'task', arguments: { action: 'get', id: taskIds[(i * 7919) % taskIds.length]! } }));
    console.log(`${start} ${stamp()} s: get p50 ${median(get).toFixed(3)} p95 ${percentile(get, 95).toFixed(2)} max ${Math.max(...get).toFixed(1)}`);
  }
  await new Promise((r) => setTimeout(r, 3000));
  await client.close();
}
