// A/B: get p50 during the first start's warm-up, base build vs this build, interleaved.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { rmSync } from 'node:fs';
import { seedProject } from '../bench/seed.js';
import { median, percentile } from '../bench/stats.js';
const CLIS = { base: '/work/base/dist/cli.js', new: '/work/main/dist/cli.js' };
const size = Number(process.argv[2] ?? 100000);
const rounds = Number(process.argv[3] ?? 2);
async function once(which: keyof typeof CLIS) {
  const { dir, taskIds } = seedProject(size);
  let readyAt = 0;
  const t0 = performance.now();
  const transport = new StdioClientTransport({ command: process.execPath, args: [CLIS[which], 'serve', '--dir', dir], stderr: 'pipe', env: { ...(process.env as Record<string, string>), FLOW_LOG: 'debug' } });
  transport.stderr?.on('data', (b: Buffer) => { if (b.toString().includes('text index ready')) readyAt = performance.now(); });
  const client = new Client({ name: 'p', version: '1' });
  await client.connect(transport);
  await client.callTool({ name: 'flow', arguments: { action: 'list' } });
  const during: number[] = [];
  const after: number[] = [];
  let i = 0;
  while (!readyAt || performance.now() - readyAt < 1500) {
    const s = performance.now();
    await client.callTool({ name: 'task', arguments: { action: 'get', id: taskIds[(i++ * 7919) % taskIds.length]! } });
    const d = performance.now() - s;
    if (!readyAt && s - t0 > 400) during.push(d);
    else if (readyAt && s - readyAt > 500) after.push(d);
  }
  await client.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(`${which}: index ready after ${((readyAt - t0) / 1000).toFixed(1)} s; during: n ${during.length} p50 ${median(during).toFixed(3)} p95 ${percentile(during, 95).toFixed(2)}; after: p50 ${median(after).toFixed(3)} p95 ${percentile(after, 95).toFixed(2)}`);
}
for (let r = 0; r < rounds; r++) for (const w of ['base', 'new'] as const) await once(w);
