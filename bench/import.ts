// Import of a generated list-layout flows.json: 100k flows, 1M tasks (BENCH_IMPORT_FLOWS to change),
// in a child process so its peak memory is measured alone. Baselines from the same run: JSON.parse of
// a tenth of the file in memory, scaled (the cost of merely reading the JSON), and the same rows written
// by bare prepared statements (bench/import-floor.ts: what SQLite alone needs here), with their search
// entries and without (the record alone). Target: ≤ 10 s, ≤ 500 MB.
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, statSync, writeSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './stats.js';

const FLOWS = Number(process.env.BENCH_IMPORT_FLOWS ?? 100_000);
const TASKS_PER_FLOW = 10;

/** A list-layout flows.json of `flows` flows, ten tasks each, as the earlier Flow system wrote them. */
export function generate(file: string, flows: number): void {
  const fd = openSync(file, 'w');
  writeSync(fd, '{\n  "flows": [\n');
  for (let f = 0; f < flows; f++) {
    const tasks = Array.from({ length: TASKS_PER_FLOW }, (_, t) => ({
      id: `task_${f}_${t}`,
      name: `Task ${t} of flow ${f}: migrate handler`,
      description: '',
      status: (['todo', 'completed', 'in_progress', 'reviewing'] as const)[t % 4],
      created_at: '2025-07-21T12:46:13.360519',
      updated_at: '2025-07-21T12:46:13.360519',
    }));
    const flow = { id: `flow_${f}`, name: `Flow ${f}`, plans: [{ id: `plan_${f}`, name: 'Default Plan', tasks, created_at: '2025-07-21T12:46:13.359530', completed: false }], created_at: '2025-07-21T12:46:13.358518', updated_at: '2025-07-21T12:46:13.358518' };
    writeSync(fd, `    ${JSON.stringify(flow)}${f + 1 < flows ? ',' : ''}\n`);
  }
  writeSync(fd, '  ],\n  "current_flow_id": "flow_0"\n}\n');
  closeSync(fd);
}

export async function importBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-bench-import-'));
  try {
    const file = join(dir, 'flows.json');
    generate(file, FLOWS);
    const mb = statSync(file).size / 1e6;
    const sample = join(dir, 'sample.json');
    generate(sample, Math.max(1, Math.floor(FLOWS / 10)));
    const t0 = performance.now();
    JSON.parse(readFileSync(sample, 'utf8'));
    const parseMs = (performance.now() - t0) * 10;
    const project = join(dir, 'project');
    mkdirSync(project);
    const run = (script: string, args: string[]) => {
      const r = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(script, import.meta.url)), ...args], { encoding: 'utf8', maxBuffer: 1 << 24 });
      if (r.status !== 0) throw new Error(r.stderr);
      return JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms: number; searchMs?: number; maxRssMB: number; report: { created: { tasks: number } } };
    };
    const out = run('./import-child.ts', [project, file]);
    const floorDir = join(dir, 'floor');
    mkdirSync(floorDir);
    const floor = run('./import-floor.ts', [floorDir, String(FLOWS), String(TASKS_PER_FLOW)]);
    const recordDir = join(dir, 'record');
    mkdirSync(recordDir);
    const record = run('./import-floor.ts', [recordDir, String(FLOWS), String(TASKS_PER_FLOW), 'record']);
    printTable(`Import of a generated list-layout flows.json (${FLOWS} flows, ${out.report.created.tasks} tasks, ${mb.toFixed(0)} MB)`, ['measure', 'value', 'target'], [
      ['JSON.parse of the same bytes, in memory (baseline)', `${(parseMs / 1000).toFixed(1)} s`, ''],
      ['the same rows by bare SQL statements, same schema (baseline)', `${(floor.ms / 1000).toFixed(1)} s`, ''],
      ['the same flows, plans and tasks without search entries, by bare SQL statements (baseline)', `${(record.ms / 1000).toFixed(1)} s`, ''],
      ['import time, until the record is queryable', `${(out.ms / 1000).toFixed(1)} s (${(out.ms / parseMs).toFixed(1)}× JSON.parse, ${(out.ms / record.ms).toFixed(2)}× the bare record)`, '≤ 10 s'],
      ['then the search pass (entries for every plan and task; resumable)', `${((out.searchMs ?? 0) / 1000).toFixed(1)} s`, ''],
      ['import time, until everything is searchable', `${((out.ms + (out.searchMs ?? 0)) / 1000).toFixed(1)} s (${((out.ms + (out.searchMs ?? 0)) / floor.ms).toFixed(2)}× bare SQL)`, ''],
      ['peak RSS of the importing process (includes tsx)', `${out.maxRssMB.toFixed(0)} MB`, '≤ 500 MB'],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
