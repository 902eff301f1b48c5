import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema } from '@modelcontextprotocol/sdk/types.js';
import { seedProject } from './seed.js';
const { taskIds, dir } = seedProject(10000);
const transport = new StdioClientTransport({ command: process.execPath, args: [...(process.env.HOOK ? ['-r', process.env.HOOK] : []), ...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=' + process.env.PROF] : []), '/work/main/dist/cli.js', 'serve', '--dir', dir], stderr: 'ignore' });
const client = new Client({ name: 'p', version: '1' });
await client.connect(transport);
await client.callTool({ name: 'flow', arguments: { action: 'list' } });
await new Promise((r) => setTimeout(r, 4000));
const statuses = ['in_progress', 'review', 'todo'];
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
let k = 0;
const cur = new Map<string, string>();
const args = () => { const id = taskIds[(k * 7919) % taskIds.length]!; const was = cur.get(id) ?? 'todo'; let st = statuses[k % 3]!; if (st === was) st = statuses[(k + 1) % 3]!; cur.set(id, st); k++; return { action: 'set_status', id, status: st }; };
const res: Record<string, number[]> = { callTool: [], rawRequest: [], getCallTool: [], getRaw: [], ping: [] };
for (let round = 0; round < 10; round++) {
  for (let i = 0; i < 40; i++) { const t = performance.now(); await client.callTool({ name: 'task', arguments: args() }); res.callTool!.push(performance.now() - t); }
  for (let i = 0; i < 40; i++) { const t = performance.now(); await client.request({ method: 'tools/call', params: { name: 'task', arguments: args() } }, CallToolResultSchema); res.rawRequest!.push(performance.now() - t); }
  for (let i = 0; i < 40; i++) { const t = performance.now(); await client.callTool({ name: 'task', arguments: { action: 'get', id: taskIds[i]! } }); res.getCallTool!.push(performance.now() - t); }
  for (let i = 0; i < 40; i++) { const t = performance.now(); await client.request({ method: 'tools/call', params: { name: 'task', arguments: { action: 'get', id: taskIds[i]! } } }, CallToolResultSchema); res.getRaw!.push(performance.now() - t); }
  for (let i = 0; i < 40; i++) { const t = performance.now(); await client.ping(); res.ping!.push(performance.now() - t); }
}
for (const [k2, a] of Object.entries(res)) console.log(k2.padEnd(20), med(a).toFixed(3));
await client.close();
