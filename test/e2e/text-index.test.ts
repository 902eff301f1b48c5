// A big project (past the size where a server keeps its own text index) through real processes: a
// server builds the index beside its calls and writes its file, the next server starts from that file,
// and every answer, before and after a document is added, is the one a one-shot CLI search gives (which
// never keeps the index: FTS5 answers it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEXT_INDEX_MIN_ROWS } from '../../src/search/text-index.js';
import { waitFor } from '../helpers/hooks.js';
import { CLI, connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

const WORDS = `request response header cookie session token upload download retry timeout cache proxy server client
  socket stream buffer encoding charset locale module package import export config option flag default error
  warning log rotate archive compress backup restore schema migration index query transaction lock deadlock`.split(/\s+/);
const QUESTIONS = ['retry a failed upload', 'session cookie timeout', 'rotate compressed log archives', 'deadlock in a transaction lock', 'proxy_server header', 'stream buffer encoding'];

let dir: string;
const servers: Connected[] = [];

/** Sections of a few words each, varied enough that the questions rank them differently. */
function page(n: number, seed: number): string {
  const out: string[] = [`# Page ${seed}`];
  for (let i = 0; i < n; i++) {
    const w = (k: number) => WORDS[(i * 31 + k * 17 + seed * 7 + ((i * k) % 11)) % WORDS.length]!;
    out.push(`## ${w(1)} ${w(2)}\n\n${w(3)} ${w(4)} ${w(5)} ${i % 9 === 0 ? 'proxy_server' : w(6)} ${w(7)} ${w(1)}.`);
  }
  return out.join('\n\n') + '\n';
}

function cli(...args: string[]): string {
  const r = spawnSync(process.execPath, [CLI, '--json', ...args, '--dir', dir], { encoding: 'utf8', input: '' });
  if (r.status !== 0) throw new Error(`flowmcp ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** What a person compares: which sections come back, in which order, with which relative score. */
const ranking = (r: { results: { path?: string; heading?: string; score: number }[] }) => r.results.map((h) => `${h.path} | ${h.heading ?? ''} | ${h.score}`);

async function serve(): Promise<Connected> {
  const s = await connect({ dir, env: { FLOW_LOG: 'debug' } });
  servers.push(s);
  return s;
}

beforeAll(() => {
  dir = tempDir();
  mkdirSync(join(dir, 'docs'));
  // Search answers by file: many files, so the answers have files to rank.
  const files = 60;
  const per = Math.ceil((TEXT_INDEX_MIN_ROWS + 1000) / files);
  for (let f = 0; f < files; f++) writeFileSync(join(dir, 'docs', `page-${f}.md`), page(per, f));
  cli('document', 'index', 'docs/*.md');
}, 300_000);
afterAll(async () => {
  for (const s of servers) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the text index of a big project, through real processes', () => {
  it('a server builds it beside its calls, answers as FTS5 does, and writes its file; the next server starts from the file', async () => {
    const one = await serve();
    await waitFor('the first server to build the text index', () => /text index ready: \d+ chunks, read from the database/.test(one.stderr()), 240_000);
    for (const q of QUESTIONS) {
      const r = await one.call('search', { query: q, k: 8 });
      expect(r.isError).toBeFalsy();
      expect(r.structuredContent.results.length).toBeGreaterThan(0);
      expect(ranking(r.structuredContent as never)).toEqual(ranking(JSON.parse(cli('search', q, '--k', '8'))));
    }
    await waitFor('the index file', () => existsSync(join(dir, '.flow', 'cache', 'text-index.bin')), 120_000);
    await one.close();

    const two = await serve();
    await waitFor('the second server to read the index file', () => /text index ready: \d+ chunks, from its file and 0 chunks read/.test(two.stderr()), 240_000);
    const w = await two.call('document', { action: 'write', path: 'notes/uploads.md', content: '# Upload retries\n\nA failed upload is retried with backoff; the session cookie keeps the retry token.' });
    expect(w.isError).toBeFalsy();
    for (const q of [...QUESTIONS, 'upload retries backoff']) {
      const r = await two.call('search', { query: q, k: 8 });
      expect(ranking(r.structuredContent as never)).toEqual(ranking(JSON.parse(cli('search', q, '--k', '8'))));
    }
    expect(ranking((await two.call('search', { query: 'upload retries backoff', k: 3 })).structuredContent as never)[0]).toContain('notes/uploads.md');
  }, 600_000);
});
