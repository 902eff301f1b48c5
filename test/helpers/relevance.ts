// Search relevance on a held-out corpus: the Node.js API docs (test/fixtures/nodejs-docs) with
// developer questions and the files that answer them. File-level MRR@10 and recall@5 for full text
// alone, vectors alone, and the hybrid. Used by the test suite and by npm run bench.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { fillEmbeddings } from '../../src/core/docs/embeddings.js';
import { indexProjectFiles } from '../../src/core/docs/project-index.js';
import { search } from '../../src/core/docs/search.js';
import type { Call } from '../../src/core/kernel/workspace.js';
import type { Embedder } from '../../src/search/embedder.js';

export const FIXTURE = fileURLToPath(new URL('../fixtures/nodejs-docs/', import.meta.url));

export interface Query {
  q: string;
  relevant: string[];
}

export function loadQueries(): Query[] {
  return JSON.parse(readFileSync(join(FIXTURE, 'queries.json'), 'utf8')) as Query[];
}

/** Unpacks the corpus into the project as docs/*.md and indexes it the way a user would. */
export async function indexCorpus(call: Call, embedder: Embedder | undefined): Promise<number> {
  const dir = join(call.ws.root, 'docs');
  mkdirSync(dir, { recursive: true });
  const files = readdirSync(FIXTURE).filter((f) => f.endsWith('.md.gz'));
  for (const f of files) writeFileSync(join(dir, f.replace(/\.gz$/, '')), gunzipSync(readFileSync(join(FIXTURE, f))));
  await indexProjectFiles(call, ['docs/*.md']);
  if (embedder) await fillEmbeddings(call, embedder);
  return files.length;
}

export interface Scores {
  mrr10: number;
  recall5: number;
}

export async function evaluate(call: Call, embedder: Embedder | undefined, halves: 'text' | 'vector' | 'both', queries = loadQueries()): Promise<Scores> {
  let mrr = 0;
  let recall = 0;
  for (const { q, relevant } of queries) {
    const r = await search(call, { query: q, k: 50 }, embedder, { halves });
    const files: string[] = [];
    for (const hit of r.results) {
      const name = hit.path?.split('/').pop();
      if (name && !files.includes(name)) files.push(name);
    }
    const first = files.slice(0, 10).findIndex((f) => relevant.includes(f));
    if (first >= 0) mrr += 1 / (first + 1);
    recall += files.slice(0, 5).filter((f) => relevant.includes(f)).length / relevant.length;
  }
  return { mrr10: mrr / queries.length, recall5: recall / queries.length };
}
