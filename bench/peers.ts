// npm run bench -- peers: flowmcp beside Task Master AI (task-master-ai 0.43.1, the most used peer: 44
// tools, one JSON file rewritten per call) and a bare SDK server (the floor), each a real stdio server
// process driven by the SDK's Client, at 1k / 10k / 100k tasks. Calls are interleaved round by round
// (flowmcp, Task Master, floor), so the machine's noise falls on all three alike. Task Master is
// installed into bench/peers/ from its own lockfile on first use (npm registry); it is never a
// dependency of flowmcp or of its tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI } from './client.js';
import { seedProject } from './seed.js';
import { median, ms, printTable } from './stats.js';

const SIZES = (process.env.BENCH_PEER_SIZES ?? '1000,10000,100000').split(',').map(Number);
/** Calls per operation and size: Task Master rewrites or re-reads its whole file per call, so few. */
const CALLS = Number(process.env.BENCH_PEER_CALLS ?? 30);
const PEERS = fileURLToPath(new URL('./peers/', import.meta.url));
const TASK_MASTER = join(PEERS, 'node_modules', 'task-master-ai', 'dist', 'mcp-server.js');

function ensureInstalled(): void {
  if (existsSync(TASK_MASTER)) return;
  console.error('  installing the peers into bench/peers/ (npm ci, once; ~1.4 GB) …');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: PEERS, stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0 || !existsSync(TASK_MASTER)) throw new Error('npm ci in bench/peers failed: the peers benchmark needs the npm registry once');
}

/** Task Master's own layout: .taskmaster/tasks/tasks.json, tagged ("master"), numeric ids, dependencies by id. */
function seedTaskMaster(tasks: number): string {
  const dir = mkdtempSync(join(tmpdir(), `flowmcp-bench-tm-${tasks}-`));
  mkdirSync(join(dir, '.taskmaster', 'tasks'), { recursive: true });
  const list = Array.from({ length: tasks }, (_, i) => ({
    id: i + 1,
    title: `task ${i + 1}`,
    description: `bench task ${i + 1} of ${tasks}`,
    details: '',
    testStrategy: '',
    status: 'pending',
    priority: (['low', 'medium', 'high'] as const)[i % 3],
    // As the flowmcp seed: a task now and then waits on an earlier one.
    dependencies: i % 10 === 9 ? [i] : [],
    subtasks: [],
  }));
  const now = new Date().toISOString();
  writeFileSync(join(dir, '.taskmaster', 'tasks', 'tasks.json'), JSON.stringify({ master: { tasks: list, metadata: { created: now, updated: now, description: 'bench' } } }, null, 2));
  return dir;
}

interface Server {
  client: Client;
  startMs: number;
  call(name: string, args: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

async function start(command: string, args: string[], cwd: string, env: Record<string, string> = {}): Promise<Server> {
  const transport = new StdioClientTransport({ command, args, cwd, stderr: 'pipe', env: { ...(process.env as Record<string, string>), ...env } });
  // The last of what the server said on stderr, for when it dies mid-run.
  let said = '';
  transport.stderr?.on('data', (d: Buffer) => (said = (said + d.toString()).slice(-2000)));
  let closing = false;
  transport.onclose = () => {
    if (!closing && said) console.error(`  [${args[args.length - 1] ?? command}] exited; its last stderr: ${said.slice(-600)}`);
  };
  const client = new Client({ name: 'flowmcp-bench-peers', version: '1' });
  const t0 = performance.now();
  await client.connect(transport);
  await client.listTools();
  const startMs = performance.now() - t0;
  return {
    client,
    startMs,
    async call(name, a) {
      const t = performance.now();
      const r = await client.callTool({ name, arguments: a }, undefined, { timeout: 600_000 });
      const took = performance.now() - t;
      // A refused call measures an error path, not the work: the benchmark is broken, so say so.
      const text = JSON.stringify(r.content ?? '');
      if (r.isError || /^\[\{"type":"text","text":"\{\\n? *\\"error\\"/.test(text)) throw new Error(`${name} ${JSON.stringify(a)} was refused: ${JSON.stringify(r.content).slice(0, 300)}`);
      return took;
    },
    close: () => {
      closing = true;
      return client.close();
    },
  };
}

type Op = { name: string; flow: (i: number) => [string, Record<string, unknown>]; tm: (i: number) => [string, Record<string, unknown>] };

export async function peersBench(): Promise<void> {
  ensureInstalled();
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const rows: (string | number)[][] = [];
  const starts: (string | number)[][] = [];
  for (const size of SIZES) {
    const { dir, taskIds } = seedProject(size);
    const tmDir = seedTaskMaster(size);
    const servers: Server[] = [];
    try {
      const flow = await start(process.execPath, [CLI, 'serve', '--dir', dir], dir);
      servers.push(flow);
      const tm = await start(process.execPath, [TASK_MASTER], tmDir, { TASK_MASTER_TOOLS: 'all' });
      servers.push(tm);
      const bare = await start(tsx, [fileURLToPath(new URL('./bare-server.ts', import.meta.url))], dir);
      servers.push(bare);
      starts.push([size, ms(flow.startMs), ms(tm.startMs), (tm.startMs / flow.startMs).toFixed(1)]);
      await flow.call('flow', { action: 'list' }); // opens the workspace
      const pick = (i: number) => (i * 7919) % size;
      const statuses = [
        ['in_progress', 'in-progress'],
        ['review', 'review'],
        ['todo', 'pending'],
      ] as const;
      const ops: Op[] = [
        { name: 'get one task', flow: (i) => ['task', { action: 'get', id: taskIds[pick(i)] }], tm: (i) => ['get_task', { id: String(pick(i) + 1), projectRoot: tmDir }] },
        {
          name: 'set a status',
          flow: (i) => ['task', { action: 'set_status', id: taskIds[pick(i + 1)], status: statuses[i % 3]![0] }],
          tm: (i) => ['set_task_status', { id: String(pick(i + 1) + 1), status: statuses[i % 3]![1], projectRoot: tmDir }],
        },
        { name: 'next task', flow: () => ['task', { action: 'next' }], tm: () => ['next_task', { projectRoot: tmDir }] },
        // Task Master has no paging: its list is every task (here, of one status); flowmcp's is a page.
        { name: 'list (flowmcp: first page; Task Master: all pending)', flow: () => ['task', { action: 'list', status: 'todo' }], tm: () => ['get_tasks', { status: 'pending', projectRoot: tmDir }] },
      ];
      let tmFailed: string | undefined;
      for (const op of ops) {
        const f: number[] = [];
        const t: number[] = [];
        const b: number[] = [];
        const n = size >= 100_000 && op.name.startsWith('list') ? Math.min(CALLS, 10) : CALLS;
        for (let i = -3; i < n; i++) {
          // Three warm-up rounds, then interleaved: one call each per round.
          const a = await flow.call(...op.flow(i + 3));
          // A peer that fails or exits is said in the table, and the run goes on without it.
          const c = tmFailed ? NaN : await tm.call(...op.tm(i + 3)).catch((e: Error) => ((tmFailed = `${op.name}: ${e.message.slice(0, 80)}`), NaN));
          const d = await bare.call('echo', { id: `t-${i}` });
          if (i >= 0) {
            f.push(a);
            if (!Number.isNaN(c)) t.push(c);
            b.push(d);
          }
        }
        const tmCell = t.length === n ? ms(median(t)) : `failed (${tmFailed})`;
        rows.push([size, op.name, ms(median(b)), ms(median(f)), (median(f) / median(b)).toFixed(1), tmCell, t.length === n ? (median(t) / median(b)).toFixed(1) : '—', t.length === n ? (median(t) / median(f)).toFixed(1) : '—']);
      }
      console.error(`  measured ${size} tasks`);
    } finally {
      for (const s of servers) await s.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
      rmSync(tmDir, { recursive: true, force: true });
    }
  }
  printTable(
    `flowmcp beside Task Master AI 0.43.1 over stdio, real MCP client, interleaved (p50 ms of ${CALLS} calls; floor = a bare SDK server's tool call, same run)`,
    ['tasks', 'call', 'floor', 'flowmcp', '×floor', 'Task Master', '×floor', 'Task Master ÷ flowmcp'],
    rows,
  );
  printTable('Server start, spawn → initialized and tools listed (ms, one start each)', ['tasks', 'flowmcp', 'Task Master', 'Task Master ÷ flowmcp'], starts);
}
