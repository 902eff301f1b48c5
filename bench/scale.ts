// A project after an import of 1M tasks (100k flows of 10; BENCH_SCALE_FLOWS to change), as a user meets
// it: `flowmcp import` in a shell, then a server over stdio. Measured: the import; the server's first
// start (its search warm-up: the text index of 1.1M sections built from the database) with the longest
// and p99 `task next` of a client calling every 20 ms meanwhile, and a search asked at its start (it
// waits for the index rather than have FTS5 hold everyone); the vectors' fill that search starts, with
// the calls beside it; then each kind of call once the server is warm, p50 against a ping in the same run
// (the floor); then a later start (the index read from its file).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { CLI, connectStdio } from './client.js';
import { generate } from './import.js';
import { median, ms, percentile, printTable } from './stats.js';

const FLOWS = Number(process.env.BENCH_SCALE_FLOWS ?? 100_000);
const CALLS = 30;

async function started(dir: string): Promise<{ client: Client; warm: Promise<number>; filled: Promise<number> }> {
  const t0 = performance.now();
  let done: (ms: number) => void = () => undefined;
  let vectors: (ms: number) => void = () => undefined;
  const warm = new Promise<number>((r) => (done = r));
  const filled = new Promise<number>((r) => (vectors = r));
  const client = await connectStdio(dir, (line) => {
    if (line.includes('search warm-up done')) done(performance.now() - t0);
    if (line.includes('vectors filled in the background')) vectors(performance.now() - t0);
  });
  return { client, warm, filled };
}

/** `task next` every 20 ms until `until` settles: p50, p99 and the longest, in ms. */
async function callsUntil(client: Client, until: Promise<unknown>): Promise<number[]> {
  let over = false;
  void until.then(() => (over = true));
  const out: number[] = [];
  while (!over) {
    const t = performance.now();
    await call(client, 'task', { action: 'next' });
    out.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  return out;
}

const spread = (xs: number[]) => (xs.length ? `${ms(median(xs))} / ${ms(percentile(xs, 99))} / ${ms(Math.max(...xs))} ms` : 'none');

const call = async (c: Client, name: string, args: Record<string, unknown>) => {
  const r = await c.callTool({ name, arguments: args });
  if (r.isError) throw new Error(`${name} ${JSON.stringify(args)}: ${JSON.stringify(r.content).slice(0, 300)}`);
};

export async function scaleBench(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'flowmcp-bench-scale-'));
  try {
    const file = join(root, 'flows.json');
    generate(file, FLOWS);
    const dir = join(root, 'project');
    mkdirSync(dir);
    let t = performance.now();
    const imp = spawnSync(process.execPath, [CLI, 'import', file], { cwd: dir, encoding: 'utf8', maxBuffer: 1 << 24 });
    if (imp.status !== 0) throw new Error(imp.stderr);
    const importMs = performance.now() - t;

    // First start: a client calls every 20 ms while the server warms up; a search is asked at once.
    const first = await started(dir);
    t = performance.now();
    const searched = call(first.client, 'search', { query: 'migrate handler flow 5000' }).then(() => performance.now() - t);
    const during = await callsUntil(first.client, Promise.all([first.warm, searched]));
    const firstSearch = await searched;
    const firstWarm = await first.warm;
    // The search started the vectors' fill (none are made by an import); calls go on beside it.
    const fillLimit = new Promise<number>((r) => setTimeout(() => r(NaN), 15 * 60_000).unref());
    const duringFill = await callsUntil(first.client, Promise.race([first.filled, fillLimit]));
    const fillMs = await Promise.race([first.filled, fillLimit]);

    // Warm: each kind of call, interleaved with pings.
    const flowId = ((await first.client.callTool({ name: 'flow', arguments: { action: 'list', limit: 1 } })).structuredContent as { flows: { id: string }[] }).flows[0]!.id;
    const kinds: [string, string, Record<string, unknown>][] = [
      [`flow list (${FLOWS} flows)`, 'flow', { action: 'list' }],
      ['flow get', 'flow', { action: 'get' }],
      ['task list', 'task', { action: 'list' }],
      ['task next', 'task', { action: 'next' }],
      ['plan list', 'plan', { action: 'list' }],
      ['context get', 'context', { action: 'get' }],
      ['/flow status', 'command', { text: '/flow status' }],
      ["plain language: what's next?", 'command', { text: "what's next?" }],
      ['search (every section holds 3 of its 4 words)', 'search', { query: 'migrate handler flow 5000' }],
      ['search, kind task', 'search', { query: 'migrate handler flow 5000', kind: 'task' }],
      ['search, one flow', 'search', { query: 'migrate handler', flow_id: flowId }],
    ];
    const times = new Map<string, number[]>(kinds.map(([k]) => [k, []]));
    const pings: number[] = [];
    for (let i = 0; i < CALLS; i++) {
      for (const [label, name, args] of kinds) {
        let t2 = performance.now();
        await first.client.ping();
        pings.push(performance.now() - t2);
        t2 = performance.now();
        await call(first.client, name, args);
        times.get(label)!.push(performance.now() - t2);
      }
    }
    await first.client.close();

    // A later start: the text index from its file.
    const later = await started(dir);
    t = performance.now();
    await call(later.client, 'search', { query: 'migrate handler flow 5000' });
    const laterSearch = performance.now() - t;
    const laterWarm = await later.warm;
    await later.client.close();

    const floor = median(pings);
    printTable(`A project after importing ${FLOWS * 10} tasks in ${FLOWS} flows (${FLOWS * 11} search sections)`, ['measure', 'value', 'ratio'], [
      ['flowmcp import (record, then its search entries), one process', `${(importMs / 1000).toFixed(1)} s`, ''],
      ['first start: search warm-up (text index built from the database)', `${(firstWarm / 1000).toFixed(1)} s`, ''],
      ['  task next meanwhile, every 20 ms: p50 / p99 / longest', spread(during), ''],
      ['  a search asked at its start (waits for the index)', `${(firstSearch / 1000).toFixed(1)} s`, ''],
      ['then the vectors, filled in the background (from the start)', Number.isNaN(fillMs) ? 'not done in 15 min' : `${(fillMs / 1000).toFixed(1)} s`, ''],
      ['  task next meanwhile, every 20 ms: p50 / p99 / longest', spread(duringFill), ''],
      ['later start: warm-up (the index read from its file) / first search', `${(laterWarm / 1000).toFixed(1)} s / ${(laterSearch / 1000).toFixed(2)} s`, ''],
      [`warm, p50 of ${CALLS}: ping (the floor)`, `${ms(floor)} ms`, '1.0×'],
      ...kinds.map(([label]) => [`  ${label}`, `${ms(median(times.get(label)!))} ms`, `${(median(times.get(label)!) / floor).toFixed(1)}×`]),
    ]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
