// Concurrency: four real processes — two stdio servers, one HTTP server, and the CLI (a process per
// call) — each make at least 250 read-modify-write updates to the same few tasks, passing the revision
// they read. No update may be lost (the counters add up exactly) and every clash comes back as a
// conflict error carrying the current row, never as a silent overwrite.
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { connectHttp, startHttpServer } from '../helpers/http-server.js';
import { CLI, connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const run = promisify(execFile);
const PER_WORKER = 250;
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

/** Adds one to a task's counter (its title), re-reading after a conflict, until `target` succeed. */
async function increments(w: Worker, ids: string[], seed: number, target = PER_WORKER) {
  const known = new Map<string, Row>();
  let done = 0;
  let conflicts = 0;
  const others: string[] = [];
  for (let i = 0; done < target; i++) {
    const id = ids[(seed + i * 7 + done) % ids.length]!;
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
    }
  }
  return { done, conflicts, others };
}

describe('four processes updating the same tasks', () => {
  const dir = tempDir('flowmcp-concurrency-');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`loses no update in 4 × ${PER_WORKER} and reports every clash as a conflict`, async () => {
    const a = await connect({ dir, name: 'stdio-a' });
    await a.call('flow', { action: 'create', name: 'Shared' });
    await a.call('plan', { action: 'create', title: 'Counters' });
    const made = await a.call('task', { action: 'create', tasks: Array.from({ length: SHARED }, () => ({ title: 'counter 0' })) });
    const ids = (made.structuredContent.tasks as { id: string }[]).map((t) => t.id);
    const b = await connect({ dir, name: 'stdio-b' });
    const http = await startHttpServer(dir);
    const h = await connectHttp(http.url, { name: 'http-c' });

    const mcpWorker = (name: string, c: typeof a | typeof h): Worker => ({
      name,
      get: async (id) => (await c.call('task', { action: 'get', id })).structuredContent.task,
      update: async (id, title, expected) => fromResult(await c.call('task', { action: 'update', id, title, expected_revision: expected })),
    });
    const cli: Worker = {
      name: 'cli',
      get: async (id) => JSON.parse((await run(process.execPath, [CLI, 'task', 'get', id, '--json', '--dir', dir])).stdout).task,
      update: async (id, title, expected) => {
        try {
          const { stdout } = await run(process.execPath, [CLI, 'task', 'update', id, '--title', title, '--expected-revision', String(expected), '--json', '--dir', dir]);
          return { ok: true, row: JSON.parse(stdout).task };
        } catch (e) {
          const err = JSON.parse((e as { stderr: string }).stderr).error;
          return { ok: false, code: err.code, current: err.details?.current };
        }
      },
    };
    const results = await Promise.all([
      increments(mcpWorker('stdio-a', a), ids, 0),
      increments(mcpWorker('stdio-b', b), ids, 1),
      increments(mcpWorker('http-c', h), ids, 2),
      increments(cli, ids, 3),
    ]);

    expect(results.flatMap((r) => r.others)).toEqual([]);
    const totals = results.map((r) => r.done);
    for (const t of totals) expect(t).toBeGreaterThanOrEqual(PER_WORKER);
    // Every success moved a counter by exactly one: the counters add up to all of them.
    let sum = 0;
    for (const id of ids) sum += Number((await a.call('task', { action: 'get', id })).structuredContent.task.title.split(' ')[1]);
    expect(sum).toBe(totals.reduce((n, t) => n + t, 0));
    // The workers did collide, and were told so.
    expect(results.reduce((n, r) => n + r.conflicts, 0)).toBeGreaterThan(0);

    await h.close();
    await http.stop();
    await a.close();
    await b.close();
  }, 300_000);
});
