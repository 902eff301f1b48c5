// What opening sessions costs everyone else: one client pings its session in a loop while BURST raw
// `initialize` requests arrive at once (a client opening sessions in a loop, or a team reconnecting
// after a restart). Reports how long the burst took, the ping latency during it against the same pings
// with no burst (baseline from the same run), and the server's RSS per session opened.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnTracked } from '../test/helpers/children.js';
import { connectHttp, startHttpServer } from '../test/helpers/http-server.js';
import { ms, percentile, printTable } from './stats.js';

const BURST = Number(process.env.BENCH_HTTP_BURST ?? 200);
const INIT = JSON.stringify({
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'burst', version: '1' } },
});

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export async function httpSessionsBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-bench-sessions-'));
  const server = await startHttpServer(dir, ['--max-sessions', String(BURST * 2 + 10)]);
  try {
    const c = await connectHttp(server.url, { name: 'steady' });
    const pings = async (until: () => boolean, min = 0) => {
      const out: number[] = [];
      while (!until() || out.length < min) {
        const t = performance.now();
        await c.client.ping();
        out.push(performance.now() - t);
      }
      return out;
    };
    for (let i = 0; i < 50; i++) await c.client.ping(); // warm-up
    let n = 0;
    const base = await pings(() => ++n > 200);
    const rss0 = rssMb(server.child.pid!);
    let done = false;
    const t0 = performance.now();
    // The burst comes from another process, so the pinging client's own event loop is not what stalls.
    const script = `const r = await Promise.all(Array.from({ length: ${BURST} }, () => fetch(${JSON.stringify(server.url)}, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' }, body: ${JSON.stringify(INIT)} }).then(async (x) => (await x.text(), x.status)))); console.log(JSON.stringify(r));`;
    const child = spawnTracked(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    const burst = new Promise<number[]>((resolve) => child.once('exit', () => resolve(JSON.parse(out || '[]') as number[]))).then((s) => ((done = true), s));
    const during = await pings(() => done, 5);
    const statuses = await burst;
    const seconds = (performance.now() - t0) / 1000;
    const rss1 = rssMb(server.child.pid!);
    const ok = statuses.filter((s) => s === 200).length;
    printTable(
      `HTTP sessions: ${BURST} initialize requests at once while one session pings (ms)`,
      ['pings', 'p50', 'p99', 'max', 'count'],
      [
        ['no burst (baseline)', ms(percentile(base, 50)), ms(percentile(base, 99)), ms(Math.max(...base)), base.length],
        ['during the burst', ms(percentile(during, 50)), ms(percentile(during, 99)), ms(Math.max(...during)), during.length],
      ],
    );
    printTable('HTTP sessions: the burst', ['what', 'value'], [
      ['sessions opened (200)', `${ok} of ${BURST}`],
      ['other answers', statuses.filter((s) => s !== 200).join(',') || '-'],
      ['burst took (ms, from the burst process start)', ms(seconds * 1000)],
        ['RSS before / after (MB)', `${rss0.toFixed(0)} / ${rss1.toFixed(0)}`],
      ['RSS per session (KB)', ((rss1 - rss0) * 1024 / Math.max(1, ok)).toFixed(0)],
    ]);
    await c.close();
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await httpSessionsBench();
