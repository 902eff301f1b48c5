import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { seedProject } from './seed.js';
import { CLI } from './client.js';
const { dir } = seedProject(20000, { plans: 1 });
const transport = new StdioClientTransport({ command: process.execPath, args: ['--cpu-prof', '--cpu-prof-dir=/tmp/lprof', CLI, 'serve', '--dir', dir], stderr: 'inherit' });
const client = new Client({ name: 'p', version: '1' });
await client.connect(transport);
const ts: number[] = []; const ps: number[] = [];
for (let i = 0; i < 3000; i++) {
  let t0 = performance.now(); await client.callTool({ name: 'task', arguments: { action: 'list' } }); ts.push(performance.now() - t0);
  t0 = performance.now(); await client.ping(); ps.push(performance.now() - t0);
}
const r = await client.callTool({ name: 'task', arguments: { action: 'list' } });
console.log('bytes', JSON.stringify(r).length);
ts.sort((a, b) => a - b); ps.sort((a, b) => a - b);
console.log('list p50', ts[1500], 'ping p50', ps[1500]);
await client.close();
