// Concurrency: four real processes — two stdio servers, one HTTP server, and the CLI (a process per
// call) — make read-modify-write updates to the same few tasks, passing the revision they read. No
// update may be lost (the counters add up exactly) and every clash comes back as a conflict error
// carrying the current row, never as a silent overwrite.
//
// The CLI pays a process start per call (most of this test's time on a busy machine), so it makes fewer
// updates than the servers; to keep all four truly interleaving while it works, the servers are paced
// by the CLI's progress — each may make PACE attempts per CLI attempt (counted, not timed) — and run
// freely to their own total only once the CLI is done.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { runTracked } from '../helpers/children.js';
import { connectHttp, startHttpServer, type HttpConnected, type HttpServerProcess } from '../helpers/http-server.js';
import { CLI, connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const PER_SERVER = Number(process.env.FLOWMCP_CONCURRENCY_UPDATES ?? 250);
const PER_CLI = Number(process.env.FLOWMCP_CONCURRENCY_CLI_UPDATES ?? 30);
const PACE = 1; // server attempts per CLI attempt while the CLI works
const SHARED = 3; // few tasks, so workers really collide

interface Row {
  title: string;
  revision: number;
}
type Attempt = { ok: true; row: Row } | { ok: false; code: string; current?: Row };

interface Worker {
  name: string;
  get(id: string): Promise<Row>;
  update(id: string, title: string, expected: number): Promise<Attempt>;
}

function fromResult(r: { isError?: boolean; structuredContent: Record<string, any> }): Attempt {
  if (!r.isError) return { ok: true, row: r.structuredContent.task };
  const e = r.structuredContent.error;
  return { ok: false, code: e.code, current: e.details?.current };
}

/**
 * Counts attempts of the pacing worker (the CLI) and lets the paced ones (the servers) make PACE
 * attempts per attempt of it; once it is done (or failed), everyone runs freely.
 */
class Pace {
  private attempts = 0;
  private open = false;
  private waiters: (() => void)[] = [];
  tick(): void {
    this.attempts++;
    this.wake();
  }
  finish(): void {
    this.open = true;
    this.wake();
  }
  /** Resolves when a paced worker that has made `made` attempts may make another. */
  async turn(made: number): Promise<void> {
    while (!this.open && made >= this.attempts * PACE) await new Promise<void>((r) => this.waiters.push(r));
  }
  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const r of w) r();
  }
}

/** Adds one to a task's counter (its title), re-reading after a conflict, until `target` succeed. */
async function increments(w: Worker, ids: string[], seed: number, target: number, hooks: { before?: (attempt: number) => Promise<void> | void } = {}) {
  const known = new Map<string, Row>();
  let done = 0;
  let conflicts = 0;
  const others: string[] = [];
  let attempts = 0;
  for (let i = 0; done < target; i++) {
    const id = ids[(seed + i * 7 + done) % ids.length]!;
    await hooks.before?.(i);
    attempts++;
    const cur = known.get(id) ?? (await w.get(id)); // a cached row may be stale: that is the point
    const n = Number(cur.title.split(' ')[1]);
    const r = await w.update(id, `counter ${n + 1}`, cur.revision);
    if (r.ok) {
      done++;
      known.set(id, r.row);
    } else if (r.code === 'conflict' && r.current) {
      conflicts++;
      known.set(id, r.current);
    } else {
      others.push(`${w.name}: ${r.code}`);
      known.delete(id);
      if (others.length >= 10) break; // something is wrong: say so now, rather than loop until the timeout
    }
  }
  return { done, conflicts, others, attempts };
}

describe('four processes updating the same tasks', () => {
  const dir = tempDir('flowmcp-concurrency-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no update in 3 × ${PER_SERVER} server + ${PER_CLI} CLI updates, interleaved, and reports every clash as a conflict`, async () => {
    let a: Connected | undefined;
    let b: Connected | undefined;
    let http: HttpServerProcess | undefined;
    let h: HttpConnected | undefined;
    try {
      a = await connect({ dir, name: 'stdio-a' });
      await a.call('flow', { action: 'create', name: 'Shared' });
      await a.call('plan', { action: 'create', title: 'Counters' });
      const made = await a.call('task', { action: 'create', tasks: Array.from({ length: SHARED }, () => ({ title: 'counter 0' })) });
      const ids = (made.structuredContent.tasks as { id: string }[]).map((t) => t.id);
      b = await connect({ dir, name: 'stdio-b' });
      http = await startHttpServer(dir);
      h = await connectHttp(http.url, { name: 'http-c' });

      const mcpWorker = (name: string, c: Connected | HttpConnected): Worker => ({
        name,
        get: async (id) => (await c.call('task', { action: 'get', id })).structuredContent.task,
        update: async (id, title, expected) => fromResult(await c.call('task', { action: 'update', id, title, expected_revision: expected })),
      });
      const cliRun = (args: string[]) => runTracked(process.execPath, [CLI, ...args, '--json', '--dir', dir]);
      const cli: Worker = {
        name: 'cli',
        get: async (id) => JSON.parse((await cliRun(['task', 'get', id])).stdout).task,
        update: async (id, title, expected) => {
          const r = await cliRun(['task', 'update', id, '--title', title, '--expected-revision', String(expected)]);
          if (r.code === 0) return { ok: true, row: JSON.parse(r.stdout).task };
          const err = JSON.parse(r.stderr).error;
          return { ok: false, code: err.code, current: err.details?.current };
        },
      };
      const pace = new Pace();
      const paced = { before: (attempt: number) => pace.turn(attempt) };
      const cliDone = increments(cli, ids, 3, PER_CLI, { before: () => pace.tick() }).finally(() => pace.finish());
      const results = await Promise.all([
        increments(mcpWorker('stdio-a', a), ids, 0, PER_SERVER, paced),
        increments(mcpWorker('stdio-b', b), ids, 1, PER_SERVER, paced),
        increments(mcpWorker('http-c', h), ids, 2, PER_SERVER, paced),
        cliDone,
      ]);

      if (process.env.FLOWMCP_CONCURRENCY_REPORT) console.log(results.map((r) => ({ done: r.done, attempts: r.attempts, conflicts: r.conflicts })));
      expect(results.flatMap((r) => r.others)).toEqual([]);
      const totals = results.map((r) => r.done);
      expect(totals).toEqual([PER_SERVER, PER_SERVER, PER_SERVER, PER_CLI]);
      // Every success moved a counter by exactly one: the counters add up to all of them.
      let sum = 0;
      for (const id of ids) sum += Number((await a.call('task', { action: 'get', id })).structuredContent.task.title.split(' ')[1]);
      expect(sum).toBe(totals.reduce((n, t) => n + t, 0));
      // The workers did collide, and were told so — the CLI too, so it really ran among the others.
      expect(results.reduce((n, r) => n + r.conflicts, 0)).toBeGreaterThan(0);
      expect(results[3]!.conflicts).toBeGreaterThan(0);
    } finally {
      // Politely first; whatever is left is killed by the process registry (helpers/children.ts).
      await h?.close().catch(() => undefined);
      await http?.stop();
      await a?.close().catch(() => undefined);
      await b?.close().catch(() => undefined);
    }
  }, 300_000);
});
