// A big import writes the record first and leaves the search entries of its plans and tasks to a pass
// after it: a one-shot command finishes that pass before it searches; a server answers at once, says
// it is catching up, and finishes beside its calls. Nothing imported stays unsearchable, nothing is
// indexed twice, and rows the tools change meanwhile keep the entries the tools gave them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { catchUpSearch, indexBacklogSlice, searchBacklog, searchBacklogNote } from '../../../src/core/docs/search-backlog.js';
import { FlowError } from '../../../src/model/errors.js';
import type { Call } from '../../../src/core/kernel/workspace.js';
import { markLongRunning } from '../../../src/core/kernel/long-running.js';
import { searchProject } from '../../../src/core/docs/search.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace | undefined;
afterEach(() => {
  t?.cleanup();
  t = undefined;
});

/** A list-layout flows.json: `flows` flows of `perFlow` tasks; the last task of the last flow has a word of its own. */
function legacyFile(dir: string, flows: number, perFlow: number, prefix = ''): string {
  const list = Array.from({ length: flows }, (_, f) => ({
    id: `${prefix}flow_${f}`,
    name: `Flow ${f}`,
    plans: [
      {
        id: `${prefix}plan_${f}`,
        name: `Plan ${f}`,
        tasks: Array.from({ length: perFlow }, (_, k) => ({
          id: `${prefix}task_${f}_${k}`,
          name: f === flows - 1 && k === perFlow - 1 ? 'Rotate the zeppelin credentials' : `Task ${k} of flow ${f}`,
          status: 'todo',
        })),
      },
    ],
  }));
  const file = join(dir, 'flows.json');
  writeFileSync(file, JSON.stringify({ flows: list }));
  return file;
}

function chunkCounts(w: TempWorkspace): { tasks: number; taskOwners: number; taskChunks: number; plans: number; planOwners: number } {
  const db = w.ws.db;
  const one = (sql: string) => db.prepare(sql).pluck().get() as number;
  return {
    tasks: one('SELECT COUNT(*) FROM tasks'),
    taskOwners: one("SELECT COUNT(DISTINCT owner_id) FROM chunks WHERE kind = 'task'"),
    taskChunks: one("SELECT COUNT(*) FROM chunks WHERE kind = 'task'"),
    plans: one('SELECT COUNT(*) FROM plans'),
    planOwners: one("SELECT COUNT(DISTINCT owner_id) FROM chunks WHERE kind = 'plan'"),
  };
}

const zeppelin = async (w: TempWorkspace) => (await searchProject(w.call, { query: 'zeppelin credentials', kind: 'task' })) as { results: { title: string }[]; notes?: string[] };

describe('search entries after an import', () => {
  it('a small import is searchable as soon as it returns', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 3, 4), {});
    expect(searchBacklog(t.call)).toBe(0);
    const c = chunkCounts(t);
    expect(c.taskOwners).toBe(12);
    expect(c.taskChunks).toBe(12);
    expect(c.planOwners).toBe(3);
  });

  it('a one-shot search after a big import finishes the pass first and finds the last imported task', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    // The record is all there; the search entries are not yet.
    expect(chunkCounts(t).tasks).toBe(3000);
    expect(searchBacklog(t.call)).toBeGreaterThan(0);
    const r = await zeppelin(t);
    expect(r.results[0]?.title).toBe('Rotate the zeppelin credentials');
    // Nothing left to catch up on in the text half (only, maybe, the vectors still being filled in, said as such).
    expect((r.notes ?? []).filter((n) => !n.startsWith('meaning-based matches cover'))).toEqual([]);
    expect(searchBacklog(t.call)).toBe(0);
    const c = chunkCounts(t);
    expect(c.taskOwners).toBe(3000);
    expect(c.taskChunks).toBe(3000);
    expect(c.planOwners).toBe(60);
  });

  it('a server answers at once while it catches up, says so, and finds everything once the pass is done', async () => {
    t = tempWorkspace();
    markLongRunning(t.ws);
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const first = await zeppelin(t);
    expect(first.notes?.join(' ')).toMatch(/still indexing \d+ imported/);
    // The pass runs beside the calls (slices, yielding between them): wait for it by condition, not time.
    for (let i = 0; i < 10_000 && searchBacklog(t.call) > 0; i++) await new Promise((r) => setImmediate(r));
    expect(searchBacklog(t.call)).toBe(0);
    const after = await zeppelin(t);
    expect(after.results[0]?.title).toBe('Rotate the zeppelin credentials');
    expect(after.notes ?? []).toEqual([]);
    expect(chunkCounts(t).taskChunks).toBe(3000);
  });

  it('tasks the tools create or edit during the backlog keep their own entries, once', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const c = asyncCaller(t.call);
    // Edited before the pass reached it: the tools index it with its new title; the pass leaves it.
    const flowId = (await c.ok('flow', { action: 'list' })).flows.at(-1).id as string;
    const listed = await c.ok('task', { action: 'list', flow_id: flowId, limit: 1 });
    const edited = listed.tasks[0].id as string;
    await c.ok('task', { action: 'update', id: edited, title: 'Calibrate the dirigible ballast' });
    // Created during the backlog: indexed by the tools, once.
    const made = await c.ok('task', { action: 'create', title: 'Polish the periscope lenses', plan_id: listed.tasks[0].plan_id });
    while (indexBacklogSlice(t.call, 500) > 0);
    const counts = t.ws.db.prepare('SELECT owner_id, COUNT(*) AS n, MAX(body) AS body FROM chunks WHERE owner_id IN (?, ?) GROUP BY owner_id').all(edited, made.task.id) as { owner_id: string; n: number; body: string }[];
    expect(counts.map((r) => r.n)).toEqual([1, 1]);
    expect(counts.find((r) => r.owner_id === edited)?.body).toMatch(/dirigible/);
    const r = await searchProject(t.call, { query: 'dirigible ballast', kind: 'task' });
    expect(r.results[0]?.id).toBe(edited);
    expect(chunkCounts(t).taskChunks).toBe(3001);
  });

  it('an import arriving while a pass is under way is caught up too (the watermark only moves back)', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    indexBacklogSlice(t.call); // part of the first import done
    const second = join(t.dir, 'second');
    mkdirSync(second);
    const file = legacyFile(second, 50, 50, 'b');
    importFile(t.call, file, {});
    while (indexBacklogSlice(t.call) > 0);
    const c = chunkCounts(t);
    expect(c.tasks).toBe(5500);
    expect(c.taskOwners).toBe(5500);
    expect(c.taskChunks).toBe(5500);
    expect(c.planOwners).toBe(c.plans);
  });

  it('rows that reuse the rowids of deleted ones behind the watermark are still caught up', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    indexBacklogSlice(t.call); // the watermark is now past the first 2,000 rows
    // The newest 1,500 tasks go (deleted outside the tools): SQLite hands their rowids out again.
    t.ws.db.prepare('DELETE FROM tasks WHERE rowid > (SELECT MAX(rowid) - 1500 FROM tasks)').run();
    const second = join(t.dir, 'second');
    mkdirSync(second);
    importFile(t.call, legacyFile(second, 40, 50, 'b'), {});
    while (indexBacklogSlice(t.call) > 0);
    const c = chunkCounts(t);
    expect(c.tasks).toBe(1500 + 2000);
    expect(c.taskOwners).toBe(c.tasks);
  });

  it('a damaged watermark widens the pass to every row, never skips one', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    for (const bad of ['-5', 'soon', '1e400']) {
      t.ws.db.prepare("UPDATE settings SET value = ? WHERE key = 'search_backlog.task'").run(bad);
      expect(searchBacklog(t.call)).toBeGreaterThanOrEqual(3000);
    }
    while (indexBacklogSlice(t.call) > 0);
    expect(chunkCounts(t).taskOwners).toBe(3000);
  });
});

/** Waits (by condition, generously) until `done` holds, giving the event loop turns meanwhile. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 100_000 && !done(); i++) await new Promise((r) => setImmediate(r));
  expect(done()).toBe(true);
}

/**
 * The same workspace as a process sees it when SQLite opened flow.db but refuses its writes (a file it
 * may not write, opened without a word): every write transaction fails with `code`. Counts the tries.
 */
function refusingWrites(w: TempWorkspace, code: 'read_only' | 'busy'): { call: Call; tries: () => number } {
  let tries = 0;
  const ws = new Proxy(w.ws, {
    get(target, key) {
      if (key === 'write')
        return () => {
          tries++;
          throw new FlowError(code, `flow.db refused the write (${code}).`);
        };
      const v = Reflect.get(target, key) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { call: { ...w.call, ws }, tries: () => tries };
}

describe('the catch-up pass', () => {
  it('a one-shot catch-up reports progress per slice and once more only if it fell short', () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const total = searchBacklog(t.call);
    expect(total).toBe(3060);
    const seen: [number, number, string | undefined][] = [];
    const done = catchUpSearch({ ...t.call, progress: (d, n, m) => seen.push([d, n, m]) });
    expect(done).toBe(3060);
    expect(seen).toEqual([
      [2000, 3060, 'indexing for search'],
      [3060, 3060, 'indexing for search'],
    ]);
    expect(catchUpSearch(t.call)).toBe(0);
  });

  it('a slice looks at no more rows than asked, plans first', () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    expect(indexBacklogSlice(t.call, 50)).toBe(50); // all plans: no task is looked at
    expect(searchBacklog(t.call)).toBe(3010);
    expect(indexBacklogSlice(t.call, 100)).toBe(100); // the last 10 plans and 90 tasks
    expect(searchBacklog(t.call)).toBe(2910);
    expect(chunkCounts(t)).toMatchObject({ planOwners: 60, taskOwners: 90 });
  });

  it('an import of exactly one slice is searchable as soon as it returns; one row more is left for later', () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 40, 49), {}); // 1,960 tasks + 40 plans
    expect(searchBacklog(t.call)).toBe(0);
    const other = tempWorkspace();
    try {
      importFile(other.call, legacyFile(other.dir, 23, 86), {}); // 1,978 tasks + 23 plans = 2,001
      expect(searchBacklog(other.call)).toBe(2001); // a one-shot import leaves it to the next search
    } finally {
      other.cleanup();
    }
  });

  it('a server catches a big import up by itself, and again after the next import', async () => {
    t = tempWorkspace();
    markLongRunning(t.ws);
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    await until(() => searchBacklog(t!.call) === 0);
    const second = join(t.dir, 'second');
    mkdirSync(second);
    importFile(t.call, legacyFile(second, 50, 50, 'b'), {});
    await until(() => searchBacklog(t!.call) === 0);
    expect(chunkCounts(t).taskOwners).toBe(5500);
  });

  it('a process that may not write flow.db says the rows are not indexed yet, and stops trying', () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const { call, tries } = refusingWrites(t, 'read_only');
    const note = searchBacklogNote(call);
    expect(note).toMatch(/^3060 imported task\(s\) and plan\(s\) are not in the search index yet.*cannot add them.*read-only/);
    expect(tries()).toBe(1);
    expect(searchBacklogNote(call)).toBe(note);
    expect(tries()).toBe(1);
  });

  it('a refusal other than read-only is not taken for one: the search fails with it', () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const { call } = refusingWrites(t, 'busy');
    expect(() => searchBacklogNote(call)).toThrow(/refused the write \(busy\)/);
  });

  it('a server that may not write flow.db stops its pass and says so in later searches', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const { call, tries } = refusingWrites(t, 'read_only');
    markLongRunning(call.ws);
    expect(searchBacklogNote(call)).toMatch(/still indexing 3060 imported/);
    expect(tries()).toBe(1);
    await until(() => /cannot add them/.test(searchBacklogNote(call) ?? ''));
    expect(tries()).toBe(1);
  });

  it('a server pass stopped by another fault says so on stderr and is tried again by the next search', async () => {
    t = tempWorkspace();
    importFile(t.call, legacyFile(t.dir, 60, 50), {});
    const { call, tries } = refusingWrites(t, 'busy');
    markLongRunning(call.ws);
    const said: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s) => (said.push(String(s)), true));
    try {
      expect(searchBacklogNote(call)).toMatch(/still indexing/);
      await until(() => said.some((l) => l.includes('indexing imported rows for search stopped')));
      expect(said.join('')).toMatch(/stopped: flow\.db refused the write \(busy\).*; the next search resumes it/);
      await until(() => (searchBacklogNote(call), tries() >= 2));
    } finally {
      spy.mockRestore();
    }
    expect(searchBacklogNote(call)).toMatch(/still indexing 3060/); // not taken for a read-only process
  });
});
