// Load over Streamable HTTP on loopback: 8 concurrent sessions (the SDK's real Client) × 500 mixed
// calls each against one server process and one project of 10k tasks. Baseline from the same run: the
// same 8 × 500 as bare pings (the protocol and HTTP round trip with no tool work), equally concurrent.
import { rmSync } from 'node:fs';
import { connectHttp, startHttpServer, type HttpConnected } from '../test/helpers/http-server.js';
import { seedProject } from './seed.js';
import { ms, percentile, printTable } from './stats.js';

const SESSIONS = Number(process.env.BENCH_HTTP_SESSIONS ?? 8);
const CALLS = Number(process.env.BENCH_HTTP_CALLS ?? 500);
const TASKS = Number(process.env.BENCH_HTTP_TASKS ?? 10_000);

type Call = (c: HttpConnected, i: number) => Promise<boolean>; // true if the answer was an error

/** The mix an assistant makes: mostly reads, a steady trickle of status changes and notes. */
function mix(taskIds: string[], session: number): Call[] {
  const id = (i: number) => taskIds[(session * 7919 + i * 104729) % taskIds.length]!;
  const err = async (p: Promise<{ isError?: boolean }>) => !!(await p).isError;
  const statuses = ['in_progress', 'review', 'done', 'todo'];
  return [
    (c, i) => err(c.call('task', { action: 'get', id: id(i) })),
    (c, i) => err(c.call('task', { action: 'get', id: id(i + 1) })),
    (c) => err(c.call('task', { action: 'next' })),
    (c, i) => err(c.call('task', { action: 'set_status', id: id(i), status: statuses[i % 4] })),
    (c) => err(c.call('task', { action: 'list', limit: 20 })),
    (c, i) => err(c.call('task', { action: 'update', id: id(i + 2), description: `note ${session}.${i}` })),
    (c) => err(c.call('flow', { action: 'get' })),
    (c, i) => err(c.call('context', { action: 'save', next_step: `step ${session}.${i}` })),
    (c, i) => err(c.call('search', { query: `task ${i % 20}.${i % 500}`, k: 5 })),
    (c, i) => err(c.call('task', { action: 'create', title: `load ${session}.${i}` })),
  ];
}

async function runAll(sessions: HttpConnected[], perSession: (c: HttpConnected, s: number, i: number) => Promise<boolean>) {
  const latencies: number[] = [];
  let errors = 0;
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(
    sessions.map(async (c, s) => {
      for (let i = 0; i < CALLS; i++) {
        const t = performance.now();
        try {
          if (await perSession(c, s, i)) errors++;
        } catch {
          failures++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  return { latencies, errors, failures, seconds: (performance.now() - t0) / 1000 };
}

export async function httpLoadBench(): Promise<void> {
  const { dir, taskIds } = seedProject(TASKS);
  const server = await startHttpServer(dir);
  try {
    const sessions = await Promise.all(Array.from({ length: SESSIONS }, (_, s) => connectHttp(server.url, { name: `load-${s}` })));
    // Search fills in vectors for text that has none yet; the seeded project has none. Let it catch
    // up first, so the table shows steady-state searches, not the one-time embedding of 10k tasks.
    for (let i = 0; i < 1000; i++) {
      const r = await sessions[0]!.call('search', { query: 'task', k: 1 });
      if (r.structuredContent.vectors?.complete !== false) break;
    }
    const pings = await runAll(sessions, async (c) => (await c.client.ping(), false));
    const mixes = sessions.map((_, s) => mix(taskIds, s));
    const load = await runAll(sessions, (c, s, i) => mixes[s]![i % mixes[s]!.length]!(c, i));
    const row = (name: string, r: typeof load, base?: typeof load) => [
      name,
      ms(percentile(r.latencies, 50)),
      ms(percentile(r.latencies, 99)),
      base ? `${(percentile(r.latencies, 50) / percentile(base.latencies, 50)).toFixed(1)}×` : '',
      Math.round(r.latencies.length / r.seconds),
      r.errors + r.failures,
    ];
    printTable(
      `HTTP load: ${SESSIONS} sessions × ${CALLS} calls, one server, ${TASKS} tasks (ms)`,
      ['calls', 'p50', 'p99', 'p50 vs ping', 'calls/s', 'errors'],
      [row('ping (baseline)', pings), row('mixed tool calls', load, pings)],
    );
    await Promise.all(sessions.map((c) => c.close()));
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
