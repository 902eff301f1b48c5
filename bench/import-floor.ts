// Baseline for the import benchmark: the same rows (flows, plans, tasks, their search chunks and
// full-text rows) written by bare prepared statements into the same schema, in the same batch size,
// with no file reading, no legacy rules and no id checks. The importer's time over this is what its
// own logic costs; this itself is what SQLite needs on this machine. With `record`, only the record
// (flows, plans, tasks with the file's statuses, and their kept counts; no search entries; ids as the
// importer hands them out): what an import needs before it is queryable.
import { createHash, randomBytes } from 'node:crypto';
import { Workspace } from '../src/core/kernel/workspace.js';

const [dir, flowsArg, perFlowArg, mode] = process.argv.slice(2) as [string, string, string, string | undefined];
const RECORD = mode === 'record';
const FLOWS = Number(flowsArg);
const PER_FLOW = Number(perFlowArg);
const ws = Workspace.open(dir);
const db = ws.db;
db.pragma('cache_size = -98304');
const A = '23456789abcdefghijkmnpqrstuvwxyz';
/** n ids from one random draw (a draw per id cost this baseline ~2.5 s of its own at 1M tasks). */
const ids = (p: string, n: number, head = '') => {
  const b = randomBytes(n * 12); // 60 bits an id: a million ids without a birthday collision
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let s = `${p}-${head}`;
    for (let j = 0; j < 12; j++) s += A[b[i * 12 + j]! & 31];
    out.push(s);
  }
  return out;
};
const ts = '2025-07-21T12:46:13.360519';
const insF = db.prepare('INSERT INTO flows (id, name, description, status, legacy_id, created_at, updated_at) VALUES (?, ?, \'\', \'active\', ?, ?, ?)');
const insP = db.prepare(
  'INSERT INTO plans (id, flow_id, title, objective, status, position, legacy_id, created_at, updated_at) VALUES (?, ?, ?, \'\', \'active\', 1, ?, ?, ?)',
);
const insT = db.prepare(
  'INSERT INTO tasks (id, plan_id, flow_id, title, status, priority, position, legacy_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, \'medium\', ?, ?, ?, ?)',
);
const insC = db.prepare('INSERT INTO chunks (kind, owner_id, ordinal, heading, body, hash) VALUES (?, ?, 0, \'\', ?, ?)');
const insFts = db.prepare('INSERT INTO chunks_fts (rowid, heading, body) VALUES (?, \'\', ?)');
const countT = db.prepare('INSERT INTO task_counts (plan_id, status, n) VALUES (?, ?, ?)');
const countF = db.prepare('INSERT INTO flow_counts (flow_id, status, n) VALUES (?, ?, ?)');
// The statuses the generated file's tasks get (bench/import.ts: todo, completed, in_progress, reviewing in turn).
const STATUSES = RECORD ? ['todo', 'done', 'in_progress', 'review'] : ['todo'];
const perStatus = STATUSES.map((_, i) => Array.from({ length: PER_FLOW }, (_, t) => t).filter((t) => t % STATUSES.length === i).length);
/** Ids for a batch: as drawn, or (the record run) as the importer hands them out: two letters shared by the batch, ascending. */
const batchIds = (p: string, n: number) => (RECORD ? ids(p, n, ids('', 1)[0]!.slice(1, 3)).sort() : ids(p, n));
const chunk = (kind: string, owner: string, text: string) => {
  if (RECORD) return;
  const rowid = insC.run(kind, owner, text, createHash('sha256').update(text).digest('hex')).lastInsertRowid;
  insFts.run(rowid, text);
};
const BATCH_FLOWS = Math.max(1, Math.floor(20_000 / PER_FLOW)); // the importer's batch: ~20k tasks
const t0 = performance.now();
for (let f0 = 0; f0 < FLOWS; f0 += BATCH_FLOWS) {
  const end = Math.min(FLOWS, f0 + BATCH_FLOWS);
  const fids = batchIds('f', end - f0);
  const pids = batchIds('p', end - f0);
  const tids = batchIds('t', (end - f0) * PER_FLOW);
  db.transaction(() => {
    for (let f = f0; f < end; f++) {
      const fid = fids[f - f0]!;
      const pid = pids[f - f0]!;
      insF.run(fid, `Flow ${f}`, `flow_${f}`, ts, ts);
      insP.run(pid, fid, 'Default Plan', `plan_${f}`, ts, ts);
      chunk('plan', pid, 'Default Plan');
      for (let t = 0; t < PER_FLOW; t++) {
        const tid = tids[(f - f0) * PER_FLOW + t]!;
        const title = `Task ${t} of flow ${f}: migrate handler`;
        insT.run(tid, pid, fid, title, STATUSES[t % STATUSES.length], t + 1, `task_${f}_${t}`, ts, ts);
        chunk('task', tid, title);
      }
      if (RECORD) {
        STATUSES.forEach((status, i) => {
          if (!perStatus[i]) return;
          countT.run(pid, status, perStatus[i]);
          countF.run(fid, status, perStatus[i]);
        });
      }
    }
  }).immediate();
}
const ms = performance.now() - t0;
ws.close();
process.stdout.write(JSON.stringify({ ms, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n');
