// document index / reindex as their callers see them: progress said per phase, vectors counted by what
// they belong to, and long lists cut to 50 while the counts say how many there were.
import { mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fillEmbeddings } from '../../../src/core/docs/embeddings.js';
import { indexDocuments, reindexDocuments } from '../../../src/core/docs/indexing.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { staticEmbedder } from '../../../src/search/static-embedder-adapter.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const workspace = workspacePerTest();

function files(t: TempWorkspace, n: number, ext = 'md'): string[] {
  mkdirSync(join(t.dir, 'docs'), { recursive: true });
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const rel = `docs/f${String(i).padStart(3, '0')}.${ext}`;
    writeFileSync(join(t.dir, rel), `# File ${i}\n\nwords of file ${i}\n`);
    out.push(rel);
  }
  return out;
}

describe('document index and reindex', () => {
  it('say progress per phase (indexing, embedding, checking files) and count the vectors made', async () => {
    const t = workspace();
    files(t, 3);
    const said = new Set<string | undefined>();
    const call = { ...t.call, progress: (_d: number, _n: number, m?: string) => said.add(m) };
    const r = await indexDocuments(call, { paths: ['docs/*.md'] });
    expect([...said].sort()).toEqual(['embedding', 'indexing']);
    expect(r.report.embedded_sections.documents).toBeGreaterThanOrEqual(3);
    said.clear();
    writeFileSync(join(t.dir, 'docs', 'f000.md'), '# File 0\n\nedited words\n');
    const re = await reindexDocuments(call, {});
    expect(said.has('checking files')).toBe(true);
    expect(re.report).toMatchObject({ indexed: ['docs/f000.md'], indexed_count: 1, unchanged: 2 });
  });

  it('list at most 50 files indexed, skipped and removed, and count them all', async () => {
    const t = workspace();
    const md = files(t, 51);
    files(t, 51, 'bin');
    const r = await indexDocuments(t.call, { paths: ['docs/*'] });
    expect(r.report.indexed).toEqual(md.slice(0, 50));
    expect(r.report.indexed_count).toBe(51);
    expect(r.report.skipped).toHaveLength(50);
    expect(r.report.skipped_count).toBe(51);
    rmSync(join(t.dir, 'docs'), { recursive: true });
    const re = await reindexDocuments(t.call, {});
    expect(re.report.removed).toEqual(md.slice(0, 50));
  });
});

describe('after an upgrade of the shipped vectors', () => {
  it('document index, run as a one-shot command, removes the earlier release\'s vectors before it returns', async () => {
    const t = workspace();
    files(t, 3);
    await indexDocuments(t.call, { paths: ['docs/*.md'] });
    // The vectors an earlier release (v2) left in the project.
    const v2 = { ...staticEmbedder, id: 'static-vectors:flowmcp-100d-v2', supersedes: undefined };
    await fillEmbeddings(t.call, v2);
    const count = (id: string) => (t.ws.db.prepare('SELECT count(*) AS n FROM embeddings WHERE embedder = ?').get(id) as { n: number }).n;
    expect(count(v2.id)).toBe(3);
    const ws = Workspace.open(t.dir); // the next command: a new process opens the project
    try {
      await indexDocuments({ ...t.call, ws }, { paths: ['docs/*.md'] });
    } finally {
      ws.close();
    }
    expect(count(v2.id)).toBe(0);
    expect(count(staticEmbedder.id)).toBe(3);
  });
});

describe('a file touched but not changed', () => {
  it('is unchanged on reindex and none of its sections is embedded again', async () => {
    const t = workspace();
    files(t, 1);
    await indexDocuments(t.call, { paths: ['docs/*.md'] });
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(t.dir, 'docs', 'f000.md'), later, later);
    const re = await reindexDocuments(t.call, {});
    expect(re.report).toMatchObject({ indexed: [], unchanged: 1, embedded_sections: { documents: 0, tasks: 0, plans: 0, context: 0 } });
  });
});
