// What one long call costs everyone else (house rule: one caller never stalls the others): a real HTTP
// server with two sessions; one runs a long call while the other pings in a loop, and the pings' round
// trips are the measure (longest and median), against the same pings with nothing else running.
// Calls: an import of a generated list-layout flows.json of BENCH_STALL_FLOWS × 10 tasks through
// `/flow import` (runs in parts, in turns), then a snapshot of the whole workspace and a restore of it
// after one change (neither takes turns: a snapshot reads and hashes the whole scope in one go, a restore
// holds the write lock throughout).
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectHttp, startHttpServer, type HttpConnected } from '../test/helpers/http-server.js';
import { median, ms, printTable } from './stats.js';

const FLOWS = Number(process.env.BENCH_STALL_FLOWS ?? 20_000);

function flowsFile(file: string): void {
  const fd = openSync(file, 'w');
  writeSync(fd, '{"flows": [\n');
  for (let f = 0; f < FLOWS; f++) {
    const tasks = Array.from({ length: 10 }, (_, t) => ({ id: `task_${f}_${t}`, name: `Task ${t} of flow ${f}: migrate handler`, status: ['todo', 'completed'][t % 2] }));
    writeSync(fd, JSON.stringify({ id: `flow_${f}`, name: `Flow ${f}`, plans: [{ id: `plan_${f}`, name: 'Default Plan', tasks }] }) + (f + 1 < FLOWS ? ',\n' : '\n'));
  }
  writeSync(fd, ']}\n');
  closeSync(fd);
}

/** Pings from `b` (5 ms apart) while `work` runs, or `n` pings when there is no work. */
async function pingsDuring(b: HttpConnected, work?: () => Promise<unknown>, n = 100): Promise<{ pings: number[]; ms: number; out: any }> {
  const pings: number[] = [];
  let running = true;
  const t0 = performance.now();
  let out: unknown;
  const job = work ? work().then((r) => (out = r)).finally(() => (running = false)) : undefined;
  while (job ? running : pings.length < n) {
    const t = performance.now();
    await b.client.ping();
    pings.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
  await job;
  return { pings, ms: performance.now() - t0, out };
}

export async function stallBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-bench-stall-'));
  flowsFile(join(dir, 'flows.json'));
  const server = await startHttpServer(dir, [], { FLOW_EMBEDDER: 'none' });
  try {
    const a = await connectHttp(server.url, { name: 'worker' });
    const b = await connectHttp(server.url, { name: 'pinger' });
    const rows: string[][] = [];
    const row = (label: string, r: { pings: number[]; ms: number }, idle: number) =>
      rows.push([label, ms(r.ms), ms(median(r.pings)), ms(Math.max(...r.pings)), `${(Math.max(...r.pings) / idle).toFixed(0)}×`, String(r.pings.length)]);
    const quiet = await pingsDuring(b);
    const idle = median(quiet.pings);
    row('nothing else running (baseline)', quiet, idle);
    row(`/flow import of ${FLOWS * 10} tasks (in parts, in turns)`, await pingsDuring(b, () => a.call('command', { text: '/flow import flows.json' })), idle);
    const snap = await pingsDuring(b, () => a.call('snapshot', { action: 'create', label: 'bench' }));
    row(`snapshot of the whole workspace (${FLOWS * 10} tasks)`, snap, idle);
    await a.call('flow', { action: 'create', name: 'one change' });
    row('restore of that snapshot after one change', await pingsDuring(b, () => a.call('snapshot', { action: 'restore', id: snap.out.structuredContent.snapshot.id, confirm: true })), idle);
    printTable(
      `What one session's long call costs another session's ping (HTTP, one server; ms; baseline: the same pings with nothing else running)`,
      ['call', 'call took', 'ping p50', 'longest ping', 'longest ÷ idle p50', 'pings'],
      rows,
    );
    await a.close();
    await b.close();
  } finally {
    await server.stop('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
