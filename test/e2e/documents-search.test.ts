// Documents and search through the real server over stdio: progress notifications while indexing,
// results that satisfy the published schema, and the mode that answered.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type Connected } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
let s: Connected;
beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir, 'docs'));
  for (let i = 0; i < 12; i++) writeFileSync(join(dir, 'docs', `page-${i}.md`), `# Page ${i}\n\nThis page explains topic number ${i}.`);
  writeFileSync(join(dir, 'docs', 'uploads.md'), '# Uploads\n\nFailed uploads are retried three times with exponential backoff.');
  s = await connect({ dir });
});
afterAll(async () => {
  await s?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('documents and search over stdio', () => {
  it('index reports progress to a client that asks for it', async () => {
    const seen: { progress: number; total?: number }[] = [];
    const r = await s.client.callTool({ name: 'document', arguments: { action: 'index', paths: ['docs/*.md'] } }, undefined, {
      onprogress: (p) => seen.push(p),
    });
    expect(r.isError).toBeFalsy();
    expect((r.structuredContent as { report: { indexed_count: number } }).report.indexed_count).toBe(13);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.some((p) => p.total === 13 && p.progress === 13)).toBe(true);
  });

  it('search answers with the mode that produced the results', async () => {
    await s.call('flow', { action: 'create', name: 'F' });
    await s.call('plan', { action: 'create', title: 'P' });
    await s.call('document', { action: 'write', path: 'decisions/auth.md', content: '# Auth\n\nWe chose short-lived tokens with refresh rotation.' });
    const r = await s.call('search', { query: 'retry failed uploads', k: 3 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.results[0]).toMatchObject({ kind: 'document', path: 'docs/uploads.md' });
    expect(r.structuredContent.mode).toMatch(/^hybrid fts5\+static-vectors$|^fts5 only/);
    const scoped = await s.call('search', { query: 'tokens', kind: 'document', path: 'decisions/*' });
    expect(scoped.structuredContent.results.map((x: { path: string }) => x.path)).toEqual(['decisions/auth.md']);
    const bad = await s.call('search', { query: '' });
    expect(bad.isError).toBe(true);
    expect(bad.structuredContent.error.message).toMatch(/query: must not be empty/);
  });

  it('a Korean question finds the English page, from the installed bundle and its shipped lexicon', async () => {
    const r = await s.call('search', { query: '업로드가 실패하면 다시 시도하나요?', k: 3 });
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent.results[0]).toMatchObject({ path: 'docs/uploads.md' });
    expect(r.structuredContent.mode).toBe('hybrid fts5+static-vectors');
  });
});
