import { connectStdio, CLI } from '../bench/client.js';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { seedProject } from '../bench/seed.js';
import { timeEach } from '../bench/stats.js';
const { dir, taskIds } = seedProject(100000);
let ready = false;
async function run(prof: boolean, span = 2500) {
  let client: Client;
  if (prof) {
    client = new Client({ name: 'p', version: '1' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: ['--cpu-prof', '--cpu-prof-dir=/work/tmp/lprof', '--cpu-prof-interval', '200', CLI, 'serve', '--dir', dir], stderr: 'ignore' }));
  } else client = await connectStdio(dir, (l) => { if (/text index ready/.test(l)) { ready = true; console.log(l); } });
  await client.callTool({ name: 'flow', arguments: { action: 'list' } });
  const t0 = performance.now();
  const times: [number, number][] = [];
  while (performance.now() - t0 < span || (!prof && !ready)) {
    const s = performance.now();
    await client.callTool({ name: 'task', arguments: { action: 'get', id: taskIds[(times.length * 7919) % taskIds.length]! } });
    times.push([s - t0, performance.now() - s]);
  }
  if (!prof) await new Promise((r) => setTimeout(r, 3000));
  for (const [at, d] of times) if (d > 6) console.log(`call at ${at.toFixed(0)} ms took ${d.toFixed(1)} ms`);
  await client.close();
}
await run(false, 5000);
await new Promise((r) => setTimeout(r, 2000));
await run(true);
