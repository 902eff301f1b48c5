// npm run bench -- context: context get / save / resume on a large but legitimate context (2,000 open
// decisions and 2,000 other entries), in-process, plus one call on a planted oversized context.json.
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../src/core/kernel/workspace.js';
import { addEntry } from '../src/core/memory/context.js';
import { syncContextFile } from '../src/core/memory/context-file.js';
import { bumpRevision } from '../src/store/context.js';
import { dispatch } from '../src/tools/dispatch.js';
import { findToolSpec } from '../src/tools/registry.js';

const ENTRIES = Number(process.env.BENCH_CONTEXT_ENTRIES ?? 2000);
const CALLS = Number(process.env.BENCH_CONTEXT_CALLS ?? 30);

function p50(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export async function contextBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-bench-context-'));
  try {
    const ws = Workspace.open(dir);
    const call = { ws, session: ws.session('bench') };
    const run = (tool: string, args: Record<string, unknown>) => {
      const r = dispatch(findToolSpec(tool)!, call, args);
      if (r.isError) throw new Error(JSON.stringify(r.structured));
      return r.structured as Record<string, any>;
    };
    const flow = run('flow', { action: 'create', name: 'Bench' }).flow.id as string;
    const text = (i: number) => `Decision ${i}: keep the retry budget at ${i % 17} attempts because the upstream rate limit resets every minute`;
    ws.write(() => {
      for (let i = 0; i < ENTRIES; i++) addEntry(call, flow, { kind: 'decision', text: text(i), why: `measured in incident ${i}` });
      for (let i = 0; i < ENTRIES / 2; i++) addEntry(call, flow, { kind: 'question', text: `Question ${i}: who owns service ${i}?` });
      for (let i = 0; i < ENTRIES / 2; i++) addEntry(call, flow, { kind: 'next_step', text: `Step ${i}: migrate table ${i}` });
      bumpRevision(ws.db, flow, ws.now());
    });
    syncContextFile(call, flow);
    const file = join(dir, '.flow', 'context', `${flow}.json`);
    const size = readFileSync(file).length;
    const time = (f: () => void) => {
      const xs: number[] = [];
      for (let i = 0; i < CALLS; i++) {
        const t0 = performance.now();
        f();
        xs.push(performance.now() - t0);
      }
      return p50(xs);
    };
    let n = 0;
    const rows: [string, number][] = [
      ['context get', time(() => run('context', { action: 'get' }))],
      ['context resume', time(() => run('context', { action: 'resume' }))],
      ['context save (one question)', time(() => run('context', { action: 'save', question: `Bench question ${n++}?` }))],
      ['flow get (baseline)', time(() => run('flow', { action: 'get' }))],
    ];
    // A planted file: as large as the reader accepts, full of entries (kept aside or merged once).
    const big = JSON.parse(readFileSync(file, 'utf8'));
    big.note = 'x'.repeat(5_000_000);
    big.decisions = Array.from({ length: 10_000 }, (_, i) => ({ what: `planted ${i} ${'y'.repeat(1500)}` }));
    writeFileSync(file, JSON.stringify(big));
    const t0 = performance.now();
    const r = dispatch(findToolSpec('context')!, call, { action: 'get' });
    const planted = performance.now() - t0;
    const after = time(() => run('context', { action: 'get' }));
    ws.close();
    console.log(`\ncontext at ${ENTRIES} decisions + ${ENTRIES} other open entries (file ${(size / 1024).toFixed(0)} KB), p50 of ${CALLS} calls, in-process`);
    for (const [name, ms] of rows) console.log(`  ${name.padEnd(30)} ${ms.toFixed(2)} ms`);
    console.log(`  planted ${(JSON.stringify(big).length / 1e6).toFixed(1)} MB file: first context get ${planted.toFixed(0)} ms (${r.isError ? 'error' : (r.structured as any).file_merge?.outcome ?? 'ok'}), then get p50 ${after.toFixed(2)} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('context.ts')) await contextBench();
