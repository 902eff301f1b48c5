// Cold start: spawn the server → initialize → tools/list, against a large existing database.
import { rmSync } from 'node:fs';
import { connectStdio } from './client.js';
import { seedProject } from './seed.js';
import { median, ms, printTable } from './stats.js';

const RUNS = 10;

export async function coldStartBench(): Promise<number> {
  const size = Number(process.env.BENCH_COLD_TASKS ?? 100_000);
  const { dir } = seedProject(size);
  try {
    const samples: number[] = [];
    const firstCall: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const client = await connectStdio(dir);
      await client.listTools();
      samples.push(performance.now() - t0);
      const t1 = performance.now();
      await client.callTool({ name: 'flow', arguments: { action: 'get' } });
      firstCall.push(performance.now() - t1);
      await client.close();
    }
    printTable(`Cold start against ${size} tasks (median of ${RUNS})`, ['measure', 'ms', 'target'], [
      ['spawn → initialize → tools/list', ms(median(samples)), '≤ 300'],
      ['then first tool call (opens the database)', ms(median(firstCall)), ''],
    ]);
    return median(samples);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
