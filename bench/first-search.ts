// First search after a start: a fresh server process on an indexed project (the Apache httpd evaluation
// set, 230 pages), the first English search, the second, and the first Korean one (which loads the
// lexicon). Baseline in the same run: the same server's first `flow get` (opening the database).
// Target (issue 15): first search after start ≤ 300 ms.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSet, readDoc } from '../test/helpers/search-eval/sets.js';
import { CLI, connectStdio } from './client.js';
import { median, ms, printTable } from './stats.js';

const RUNS = 5;

export async function firstSearchBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-first-search-'));
  try {
    mkdirSync(join(dir, 'docs'));
    const set = loadSet('apache');
    for (const d of set.docs) writeFileSync(join(dir, 'docs', d), readDoc(set, d));
    // Indexed and embedded once beforehand, as a project in use is.
    execFileSync(process.execPath, [CLI, '--dir', dir, 'document', 'index', 'docs/*.md'], { stdio: 'ignore' });
    execFileSync(process.execPath, [CLI, '--dir', dir, 'search', 'warm up'], { stdio: 'ignore' });
    const open: number[] = [];
    const first: number[] = [];
    const second: number[] = [];
    const korean: number[] = [];
    const time = async (f: () => Promise<unknown>, into: number[]) => {
      const t0 = performance.now();
      await f();
      into.push(performance.now() - t0);
    };
    for (let i = 0; i < RUNS; i++) {
      const c = await connectStdio(dir);
      try {
        await time(() => c.callTool({ name: 'flow', arguments: { action: 'list' } }), open);
        await time(() => c.callTool({ name: 'search', arguments: { query: 'limit the size of uploaded files' } }), first);
        await time(() => c.callTool({ name: 'search', arguments: { query: 'rotate the log files every day' } }), second);
        await time(() => c.callTool({ name: 'search', arguments: { query: '로그 파일이 너무 커지면 어떻게 하나요' } }), korean);
      } finally {
        await c.close();
      }
    }
    const base = median(open);
    printTable(`First searches after a start (${set.docs.length} pages, median of ${RUNS} starts)`, ['call', 'ms', '× first flow list', 'target'], [
      ['first flow list (opens the database)', ms(base), '1.0', ''],
      ['first search', ms(median(first)), (median(first) / base).toFixed(1), '≤ 300 ms'],
      ['second search', ms(median(second)), (median(second) / base).toFixed(1), ''],
      ['first Korean search (loads the lexicon)', ms(median(korean)), (median(korean) / base).toFixed(1), ''],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
