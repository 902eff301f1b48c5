// Indexing many small project files, and what it costs everyone else: `document index` over N tiny
// .md files through the real HTTP server process while a second session pings in a loop (worst and
// median ping round trip while the index runs), and in process the event loop's longest block.
// Same-run baseline: the old way — one fsync'd commit per file, synchronously, never yielding — in
// process on the same files (its longest block is its whole run: every other session waits that long).
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace, type Call } from '../src/core/kernel/workspace.js';
import { indexProjectFiles } from '../src/core/docs/project-index.js';
import { indexDocumentText } from '../src/core/docs/documents.js';
import { readDocumentFile } from '../src/core/docs/doc-limits.js';
import { connectHttp, startHttpServer } from '../test/helpers/http-server.js';
import { ms, percentile, printTable } from './stats.js';

const SIZES = (process.env.BENCH_INDEX_SIZES ?? '5000,20000').split(',').map(Number);

function project(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'flowmcp-bench-index-'));
  for (let i = 0; i < n; i++) {
    const sub = join(dir, 'docs', `d${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `n${i}.md`), `# Note ${i}\n\nword${i} and a line of text.\n`);
  }
  // Unrelated code the globs never reach: a walk that ignored the globs would read all of it.
  for (let i = 0; i < n; i++) {
    const sub = join(dir, 'src', `m${Math.floor(i / 500)}`);
    if (i % 500 === 0) mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, `f${i}.ts`), `export const x${i} = ${i};\n`);
  }
  writeFileSync(join(dir, 'README.md'), '# Readme\n');
  return dir;
}

/** Runs fn while a 1 ms timer probes the event loop: its longest wait past due (what a ping would wait), in ms. */
async function blocked<T>(fn: () => Promise<T> | T): Promise<{ value: T; ms: number; maxBlockMs: number }> {
  let worst = 0;
  let timer: NodeJS.Timeout | undefined;
  const probe = () => {
    const due = performance.now() + 1;
    timer = setTimeout(() => {
      worst = Math.max(worst, performance.now() - due);
      probe();
    }, 1);
  };
  probe();
  const t0 = performance.now();
  const value = await fn();
  const took = performance.now() - t0;
  await new Promise((r) => setTimeout(r, 5)); // the probe due during the last block reports it
  clearTimeout(timer);
  return { value, ms: took, maxBlockMs: worst };
}

/** The old indexer's shape: every matching file walked, read and committed alone, in one synchronous loop. */
function oldStyle(call: Call, files: string[]): number {
  for (const rel of files) {
    const file = join(call.ws.root, rel);
    const st = statSync(file);
    const read = readDocumentFile(file, 'project');
    if (read.ok) call.ws.write(() => indexDocumentText(call, 'project', rel, read.text, { size: read.bytes.length, mtimeMs: st.mtimeMs }));
  }
  return files.length;
}

export async function indexBench(): Promise<void> {
  const rows: (string | number)[][] = [];
  for (const n of SIZES) {
    const files = Array.from({ length: n }, (_, i) => `docs/d${Math.floor(i / 500)}/n${i}.md`);
    // Baseline: old-style per-file commits, synchronous.
    const d0 = project(n);
    const ws0 = Workspace.open(d0);
    const old = await blocked(() => oldStyle({ ws: ws0, session: ws0.session('bench') }, files));
    ws0.close();
    rmSync(d0, { recursive: true, force: true });

    // New, in process: cooperative and batched.
    const d1 = project(n);
    const ws1 = Workspace.open(d1);
    const ctx1 = { ws: ws1, session: ws1.session('bench') };
    const coop = await blocked(() => indexProjectFiles(ctx1, ['docs/**/*.md']));
    const readme = await blocked(() => indexProjectFiles(ctx1, ['README.md']));
    ws1.close();
    rmSync(d1, { recursive: true, force: true });

    // New, over HTTP: a second session pings while the first indexes; without vectors, and with the
    // default offline vectors filled in after the text (the fill must hand the loop on between batches
    // too: before 2026-12-02 it did not, and a ping waited the whole fill).
    const http: { label: string; ms: number; pings: number[] }[] = [];
    for (const [label, env] of [['no vectors', { FLOW_EMBEDDER: 'none' }], ['default vectors', {}]] as const) {
      const d2 = project(n);
      const server = await startHttpServer(d2, [], env);
      const pings: number[] = [];
      let httpMs = 0;
      try {
        const a = await connectHttp(server.url, { name: 'indexer' });
        const b = await connectHttp(server.url, { name: 'pinger' });
        let running = true;
        const t0 = performance.now();
        const index = a.call('document', { action: 'index', paths: ['docs/**/*.md'] }).finally(() => {
          running = false;
          httpMs = performance.now() - t0;
        });
        while (running) {
          const t = performance.now();
          await b.client.ping();
          if (running) pings.push(performance.now() - t);
        }
        await index;
        await a.close();
        await b.close();
      } finally {
        await server.stop('SIGKILL');
        rmSync(d2, { recursive: true, force: true });
      }
      http.push({ label, ms: httpMs, pings });
    }
    rows.push(
      [`${n} files, old: per-file commit, sync (in process)`, ms(old.ms), `${Math.round((n / old.ms) * 1000)}`, ms(old.maxBlockMs), ''],
      [`${n} files, new: batched, cooperative (in process)`, ms(coop.ms), `${Math.round((n / coop.ms) * 1000)}`, ms(coop.maxBlockMs), `${(old.ms / coop.ms).toFixed(1)}× faster`],
      ...http.map(({ label, ms: took, pings }) => [
        `${n} files, new, over HTTP, ${label} (ping from a 2nd session)`,
        ms(took),
        `${Math.round((n / took) * 1000)}`,
        pings.length ? `ping p50 ${ms(percentile(pings, 50))}, max ${ms(Math.max(...pings))} (${pings.length} pings)` : 'no ping completed',
        '',
      ]),
      [`index ["README.md"] next to ${n} + ${n} files`, ms(readme.ms), '', ms(readme.maxBlockMs), ''],
    );
  }
  printTable('document index: many tiny files, and what others wait', ['case', 'time', 'files/s', 'longest block / others wait', 'vs old'], rows);
}
