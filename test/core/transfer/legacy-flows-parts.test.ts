// A legacy import is written in parts (core/transfer/legacy-flows.ts): 2,000 flows or 20,000 tasks at
// most, each part committed with its own event, so an import stopped part-way leaves no row without its
// event. The log says per part how many rows are new, and once for the whole import how to undo it; a
// big import says on stderr, as soon as its first part is written, how to finish or undo it. Big parts
// get ids sharing their first two letters (one stretch of each index); small imports keep short ids.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { importFile } from '../../../src/core/transfer/import-file.js';
import type { FlowImportReport } from '../../../src/core/transfer/legacy-flows.js';
import { readLog } from '../../../src/core/kernel/event-log.js';
import { caller } from '../../helpers/call.js';
import { tempDirPerTest, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const ws = workspacePerTest();
const dir = tempDirPerTest();
const flowsFile = (flows: unknown[]) => {
  const f = join(dir(), 'flows.json');
  writeFileSync(f, JSON.stringify({ flows }));
  return f;
};
afterEach(() => {
  vi.restoreAllMocks();
});

/** What the import writes to stderr about parts, and how many flows were committed at that moment. */
function watchStderr(t: TempWorkspace) {
  const said: { line: string; flows: number }[] = [];
  const write = process.stderr.write.bind(process.stderr);
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk, ...rest: unknown[]) => {
    const line = String(chunk);
    if (line.includes('in parts')) said.push({ line, flows: (t.ws.db.prepare('SELECT COUNT(*) AS n FROM flows').get() as { n: number }).n });
    else return write(chunk, ...(rest as []));
    return true;
  });
  return said;
}
const importEvents = (t: TempWorkspace) =>
  readLog(t.call, { limit: 100 })
    .events.filter((e) => e.action === 'import')
    .reverse();
const idOf = (t: TempWorkspace, table: string, legacy: string) => (t.ws.db.prepare(`SELECT id FROM ${table} WHERE legacy_id = ?`).get(legacy) as { id: string }).id;
/** The two letters after the prefix that every id of `ids` shares, or undefined if they do not all share them. */
const sharedHead = (ids: string[]) => {
  const heads = new Set(ids.map((id) => id.slice(2, 4)));
  return heads.size === 1 ? [...heads][0] : undefined;
};

describe('a small legacy import', () => {
  it('is one part: an event for the part and one for the whole naming its undo, short ids, nothing on stderr', () => {
    const t = ws();
    const said = watchStderr(t);
    const f = flowsFile([
      { id: 'a', name: 'A', plans: [{ id: 'pa', name: 'PA', tasks: [{ id: 't1', name: 'T1' }, { id: 't2', name: 'T2' }] }, { id: 'pb', name: 'PB', tasks: [{ id: 't3', name: 'T3' }] }] },
      { id: 'b', name: 'B', plans: [{ id: 'pc', name: 'PC', tasks: [{ id: 't4', name: 'T4' }] }] },
    ]);
    const r = importFile(t.call, f, {}) as FlowImportReport;
    const first = idOf(t, 'flows', 'a');
    expect(importEvents(t).map((e) => ({ entity_id: e.entity_id, summary: e.summary }))).toEqual([
      { entity_id: first, summary: `importing ${f}, part 1: 2 new flows, 3 new plans, 4 new tasks` },
      { entity_id: first, summary: `imported ${f} (flows-list): 2 flows, 3 plans, 4 tasks; undo: snapshot restore ${r.snapshot}` },
    ]);
    expect(caller(t.call).ok('snapshot', { action: 'list' }).snapshots).toEqual([expect.objectContaining({ id: r.snapshot, reason: `before importing ${f}` })]);
    expect(said).toEqual([]);
    const ids = (table: string) => (t.ws.db.prepare(`SELECT id FROM ${table}`).pluck().all() as string[]);
    for (const id of [...ids('flows'), ...ids('plans'), ...ids('tasks')]) expect(id).toMatch(/^[fpt]-[2-9a-z]{4,5}$/); // 4 letters (5 after a collision)
  });
});

describe('a big legacy import', () => {
  it('over 2,000 flows is written 2,000 flows a part, says so once after the first part, with clustered ids for big parts', () => {
    const t = ws();
    const said = watchStderr(t);
    const plans = Array.from({ length: 1_000 }, (_, j) => ({ id: `p${j}`, name: `Plan ${j}` }));
    const f = flowsFile(Array.from({ length: 4_001 }, (_, i) => ({ id: `f${i}`, name: `Flow ${i}`, plans: i === 0 ? plans : [] })));
    const r = importFile(t.call, f, {}) as FlowImportReport;
    expect(r.created).toEqual({ flows: 4_001, plans: 1_000, tasks: 0, dependencies: 0 });
    expect(importEvents(t).map((e) => e.summary)).toEqual([
      `importing ${f}, part 1: 2000 new flows, 1000 new plans, 0 new tasks`,
      `importing ${f}, part 2: 2000 new flows, 0 new plans, 0 new tasks`,
      `importing ${f}, part 3: 1 new flows, 0 new plans, 0 new tasks`,
      `imported ${f} (flows-list): 4001 flows, 1000 plans, 0 tasks; undo: snapshot restore ${r.snapshot}`,
    ]);
    expect(said).toEqual([
      {
        line: `flowmcp info: importing ${f} in parts: part 1 is written. If the import is stopped, run it again to finish (what is written is recognised and skipped), or undo it with: snapshot restore ${r.snapshot} --confirm\n`,
        flows: 2_000,
      },
    ]);
    // A part of 1,000 or more of a kind shares two letters; the last part (one flow) has a short id. Ids
    // grow a letter where a random pick collides.
    const planIds = t.ws.db.prepare('SELECT id FROM plans').pluck().all() as string[];
    expect(sharedHead(planIds)).toBeDefined();
    for (const id of planIds) expect(id).toMatch(/^p-[2-9a-z]{6,7}$/); // two shared letters, then 4 (5 after a collision)
    const part1 = Array.from({ length: 2_000 }, (_, i) => idOf(t, 'flows', `f${i}`));
    expect(sharedHead(part1)).toBeDefined();
    expect(idOf(t, 'flows', 'f4000')).toMatch(/^f-[2-9a-z]{4,5}$/);
  });

  it('of 20,000 tasks in its first flow ends its first part there', () => {
    const t = ws();
    const tasks = Array.from({ length: 20_000 }, (_, i) => ({ id: `t${i}`, name: `T${i}` }));
    const f = flowsFile([{ id: 'a', name: 'A', plans: [{ id: 'p', name: 'P', tasks }] }, { id: 'b', name: 'B', plans: [] }]);
    const said = watchStderr(t);
    importFile(t.call, f, {});
    expect(importEvents(t).map((e) => e.summary).slice(0, 2)).toEqual([
      `importing ${f}, part 1: 1 new flows, 1 new plans, 20000 new tasks`,
      `importing ${f}, part 2: 1 new flows, 0 new plans, 0 new tasks`,
    ]);
    expect(said.map((s) => s.flows)).toEqual([1]);
  }, 60_000);
});
