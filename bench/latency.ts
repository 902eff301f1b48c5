// Per-call latency over stdio at 1k / 10k / 100k tasks, against the floor of a bare protocol round
// trip (ping) measured in the same process at the same time.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { fileURLToPath } from 'node:url';
import { connectStdio } from './client.js';
import { seedProject, type SeedShape } from './seed.js';
import { median, ms, percentile, printTable, timeEach } from './stats.js';

const SIZES = (process.env.BENCH_SIZES ?? '1000,10000,100000').split(',').map(Number);
const N = Number(process.env.BENCH_CALLS ?? 400);

/**
 * The cost of durability alone on this disk: one single-row UPDATE committed with WAL +
 * synchronous=FULL (an fsync), in a scratch database beside the project. No write can be faster.
 * Its WAL is filled past a checkpoint first: a server's WAL has long since reached its size, and a commit
 * that grows the file (a fresh WAL) pays for the file system's metadata too, ~0.2 against ~0.13 ms here.
 * Timed one commit at a time, between the calls it is compared with.
 */
function commitFloor(dir: string): { once(): number; close(): void } {
  const db = new Database(join(dir, 'commit-floor.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER); INSERT INTO t VALUES (1, 0);');
  const up = db.prepare('UPDATE t SET v = ? WHERE id = 1');
  let v = 0;
  for (let i = 0; i < 1500; i++) up.run(++v); // past the checkpoint at 1,000 pages
  return {
    once: () => {
      const t0 = performance.now();
      up.run(++v);
      return performance.now() - t0;
    },
    close: () => db.close(),
  };
}

export interface LatencyRow {
  tasks: number;
  floor: number;
  commit: number;
  setP50: number;
  setP95: number;
  getP50: number;
  getP95: number;
  nextP50: number;
  /** A bare SDK server's tool call, measured between this size's calls. */
  bareP50: number;
  /** The same server answering with this size's first task list page. */
  bareListP50: number;
  listP50: number;
  flowGetP50: number;
  planListP50: number;
  /** `task get` called back to back from the server's start until its search warm-up was done. */
  warmGetP50: number;
  warmGetP95: number;
  warmSeconds: number;
}

/**
 * A server over stdio whose search warm-up (the text index, the vector screen: a few seconds at 100k) is
 * watched: `warm` resolves when it says it is done, so the reads are timed on a server in its steady state,
 * and the calls during the warm-up are timed on their own.
 */
async function connectWatched(dir: string): Promise<{ client: Client; warm: Promise<void>; started: number }> {
  let done: () => void = () => undefined;
  const warm = new Promise<void>((resolve) => (done = resolve));
  const started = performance.now();
  const client = await connectStdio(dir, (line) => {
    if (line.includes('search warm-up done')) done();
  });
  const late = setTimeout(() => {
    console.error('  the server did not say its search warm-up was done within 5 minutes: timing it anyway');
    done();
  }, 300_000);
  void warm.then(() => clearTimeout(late));
  return { client, warm, started };
}

/** Calls `f` back to back until `until` settles; the times of those calls. */
async function timeUntil(until: Promise<void>, f: (i: number) => Promise<unknown>): Promise<number[]> {
  let over = false;
  void until.then(() => (over = true));
  const out: number[] = [];
  for (let i = 0; !over; i++) {
    const t0 = performance.now();
    await f(i);
    out.push(performance.now() - t0);
  }
  return out;
}

/**
 * A bare SDK server (bench/bare-server.ts): the floor a tool call cannot beat. `echo` answers a few
 * bytes; `give(answer)` answers with a flowmcp answer's own bytes (JSON text + structured content, as
 * flowmcp sends them), the floor for a call that moves that much (a list page is ~5–12 KB on the wire).
 */
async function bareFloor<T>(fn: (bare: { echo: (n: number) => Promise<number[]>; give: (n: number, answer: unknown) => Promise<number[]> }) => Promise<T>): Promise<T> {
  const tsx = fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url));
  const transport = new StdioClientTransport({ command: tsx, args: [fileURLToPath(new URL('./bare-server.ts', import.meta.url))], stderr: 'ignore' });
  const client = new Client({ name: 'flowmcp-bench', version: '1' });
  await client.connect(transport);
  try {
    return await fn({
      echo: (n) => timeEach(n, 50, (i) => client.callTool({ name: 'echo', arguments: { id: `t-${i}` } })),
      give: async (n, answer) => {
        await client.callTool({ name: 'keep', arguments: { value: answer as Record<string, unknown> } });
        return timeEach(n, 20, () => client.callTool({ name: 'give', arguments: {} }));
      },
    });
  } finally {
    await client.close();
  }
}

/**
 * Shapes that stress the reads in other ways than size: every task in one plan (list and next walk one
 * plan's 20k open tasks), every urgent task waiting on another (next must look past all of them), and
 * thousands of small plans (list and plan list cross many plans). p50 against the bare SDK tool call.
 */
async function shapesBench(): Promise<void> {
  const shapes: { name: string; tasks: number; shape: SeedShape }[] = [
    { name: '20k open tasks in one plan', tasks: 20_000, shape: { plans: 1 } },
    { name: '20k in one plan, every urgent one waiting on another', tasks: 20_000, shape: { plans: 1, urgentBlocked: true } },
    { name: '100k tasks in 5,000 plans of 20', tasks: 100_000, shape: { plans: 5000 } },
  ];
  const rows: (string | number)[][] = [];
  for (const { name, tasks, shape } of shapes) {
    const { dir } = seedProject(tasks, shape);
    const { client, warm } = await connectWatched(dir);
    try {
      await client.callTool({ name: 'flow', arguments: { action: 'list' } });
      await warm;
      const n = Math.min(N, 100);
      const listAnswer = (await client.callTool({ name: 'task', arguments: { action: 'list' } })).structuredContent;
      const planAnswer = (await client.callTool({ name: 'plan', arguments: { action: 'list' } })).structuredContent;
      const [bare, bareList, barePlans] = await bareFloor(async (b) => [median(await b.echo(n)), median(await b.give(n, listAnswer)), median(await b.give(n, planAnswer))]);
      const next = median(await timeEach(n, 5, () => client.callTool({ name: 'task', arguments: { action: 'next' } })));
      const list = median(await timeEach(n, 5, () => client.callTool({ name: 'task', arguments: { action: 'list' } })));
      const planList = median(await timeEach(n, 5, () => client.callTool({ name: 'plan', arguments: { action: 'list' } })));
      const flowGet = median(await timeEach(n, 5, () => client.callTool({ name: 'flow', arguments: { action: 'get' } })));
      const x = (v: number, floor = bare) => `${ms(v)} (${(v / floor).toFixed(1)}×)`;
      rows.push([name, ms(bare), x(next), x(list), `${(list / bareList).toFixed(1)}×`, x(planList), `${(planList / barePlans).toFixed(1)}×`, x(flowGet)]);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(
    'Reads on shaped projects over stdio (p50 ms; in brackets ÷ a bare SDK server\'s tool call measured just before; "÷ same bytes": ÷ the bare server answering with that call\'s own answer; target (issue 17): ≤ 3×)',
    ['project', 'floor', 'task next', 'task list (first page)', '÷ same bytes', 'plan list', '÷ same bytes', 'flow get (with counts)'],
    rows,
  );
}

export async function latencyBench(): Promise<LatencyRow[]> {
  const rows: LatencyRow[] = [];
  for (const size of SIZES) {
    const t0 = performance.now();
    const { dir, taskIds } = seedProject(size);
    const seedMs = performance.now() - t0;
    const { client, warm, started } = await connectWatched(dir);
    try {
      await client.callTool({ name: 'flow', arguments: { action: 'list' } }); // opens the workspace
      const pick = (i: number) => taskIds[(i * 7919) % taskIds.length]!;
      const warmGet = await timeUntil(warm, (i) => client.callTool({ name: 'task', arguments: { action: 'get', id: pick(i) } }));
      const warmSeconds = (performance.now() - started) / 1000;
      const floor = await timeEach(N, 50, () => client.ping());
      const listAnswer = (await client.callTool({ name: 'task', arguments: { action: 'list' } })).structuredContent;
      const [bare, bareList] = await bareFloor(async (b) => [await b.echo(N), median(await b.give(Math.min(N, 100), listAnswer))]);
      const statuses = ['in_progress', 'review', 'todo'] as const;
      // Every call a real change: a task asked for the status it has is answered "nothing was changed"
      // without a write, and seeded tasks are all todo (a third of the calls were that, which flattered
      // the p50: ~0.36 ms against ~1.2 ms for a change, server-side, 2026-12-03).
      const now = new Map<string, (typeof statuses)[number]>();
      const changeOf = (id: string, i: number) => {
        const was = now.get(id) ?? 'todo';
        const to = statuses[i % 3] === was ? statuses[(i + 1) % 3]! : statuses[i % 3]!;
        now.set(id, to);
        return to;
      };
      // The bare commit interleaved with the calls it is the floor of: both see the machine as it is then.
      const floorDb = commitFloor(dir);
      const setStatus = (i: number) => client.callTool({ name: 'task', arguments: { action: 'set_status', id: pick(i), status: changeOf(pick(i), i) } });
      const commit: number[] = [];
      const set: number[] = [];
      for (let i = -30; i < N; i++) {
        const c = floorDb.once();
        const t0 = performance.now();
        const answer = await setStatus(i + 30);
        if (JSON.stringify(answer.structuredContent ?? {}).includes('nothing was changed')) throw new Error(`set_status changed nothing: ${JSON.stringify(answer.structuredContent)}`);
        if (i < 0) continue; // warm-up
        set.push(performance.now() - t0);
        commit.push(c);
      }
      floorDb.close();
      const get = await timeEach(N, 30, (i) => client.callTool({ name: 'task', arguments: { action: 'get', id: pick(i + 1) } }));
      const next = await timeEach(Math.min(N, 100), 5, () => client.callTool({ name: 'task', arguments: { action: 'next' } }));
      const list = await timeEach(Math.min(N, 100), 5, () => client.callTool({ name: 'task', arguments: { action: 'list' } }));
      const flowGet = await timeEach(Math.min(N, 100), 5, () => client.callTool({ name: 'flow', arguments: { action: 'get' } }));
      const planList = await timeEach(Math.min(N, 100), 5, () => client.callTool({ name: 'plan', arguments: { action: 'list' } }));
      rows.push({
        tasks: size,
        floor: median(floor),
        commit: median(commit),
        setP50: median(set),
        setP95: percentile(set, 95),
        getP50: median(get),
        getP95: percentile(get, 95),
        nextP50: median(next),
        bareP50: median(bare),
        bareListP50: bareList,
        listP50: median(list),
        flowGetP50: median(flowGet),
        planListP50: median(planList),
        warmGetP50: median(warmGet),
        warmGetP95: percentile(warmGet, 95),
        warmSeconds,
      });
      console.error(`  seeded ${size} tasks in ${(seedMs / 1000).toFixed(1)} s; measured ${N} calls each`);
    } finally {
      await client.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  printTable(
    'Latency over stdio, real MCP client (ms; floor = ping round trip, commit = one fsync\'d 1-row SQLite write in a WAL past its first checkpoint, timed between the set_status calls)',
    ['tasks', 'floor p50', 'commit p50', 'set_status p50', 'p95', '×floor', '×(floor+commit)', 'get p50', 'p95', '×floor', 'next p50'],
    rows.map((r) => [
      r.tasks,
      ms(r.floor),
      ms(r.commit),
      ms(r.setP50),
      ms(r.setP95),
      (r.setP50 / r.floor).toFixed(1),
      (r.setP50 / (r.floor + r.commit)).toFixed(1),
      ms(r.getP50),
      ms(r.getP95),
      (r.getP50 / r.floor).toFixed(1),
      ms(r.nextP50),
    ]),
  );
  const first = rows[0];
  const last = rows[rows.length - 1];
  const reads: [string, (r: LatencyRow) => number][] = [
    ['task get', (r) => r.getP50],
    ['task list (first page)', (r) => r.listP50],
    ['task next', (r) => r.nextP50],
    ['flow get (with counts)', (r) => r.flowGetP50],
    ['plan list (with counts)', (r) => r.planListP50],
  ];
  printTable(
    "While a server warms up search (from its start until it says it is done; `task get` called back to back all along; the other tables are timed after it)",
    ['tasks', 'warm-up (s)', 'get p50 during it', 'p95', 'get p50 after it', '÷ after'],
    rows.map((r) => [r.tasks, r.warmSeconds.toFixed(1), ms(r.warmGetP50), ms(r.warmGetP95), ms(r.getP50), (r.warmGetP50 / r.getP50).toFixed(2)]),
  );
  printTable(
    'Reads at scale over stdio (p50 ms; in brackets ÷ a bare SDK server\'s tool call, the floor, measured in the same run; growth = largest ÷ smallest size; targets (issue 17): ≤ 3× floor at 100k, growth ≤ 1.5×)',
    ['call', ...rows.map((r) => `${r.tasks} tasks`), 'growth'],
    [
      ['bare SDK tool call (floor)', ...rows.map((r) => `${ms(r.bareP50)}`), ''],
      ...reads.map(([name, f]) => [name, ...rows.map((r) => `${ms(f(r))} (${(f(r) / r.bareP50).toFixed(1)}×)`), first && last ? `×${(f(last) / f(first)).toFixed(2)}` : '']),
      ['task list ÷ the bare server answering the same bytes', ...rows.map((r) => `${(r.listP50 / r.bareListP50).toFixed(1)}×`), ''],
    ],
  );
  if (process.env.BENCH_SHAPES !== '0') await shapesBench();
  if (first && last && first !== last) {
    console.log(
      `set_status p50 growth ${first.tasks} → ${last.tasks} tasks: ×${(last.setP50 / first.setP50).toFixed(2)} (target ≤ 1.5); ` +
        `at ${last.tasks}: ×${(last.setP50 / last.floor).toFixed(1)} the floor (target ≤ 3)`,
    );
  }
  return rows;
}
