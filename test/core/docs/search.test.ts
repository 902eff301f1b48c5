// Search over documents, tasks and plans. These tests pin the full-text half and the filters (vectors
// off: FLOW_EMBEDDER=none behaviour); the vector half is tested with the shipped vectors elsewhere.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { search } from '../../../src/core/docs/search.js';
import type { Embedder } from '../../../src/search/embedder.js';
import { staticEmbedder } from '../../../src/search/static-embedder-adapter.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => (t = tempWorkspace()));
afterEach(() => t.cleanup());

const legacy = JSON.parse(
  readFileSync(fileURLToPath(new URL('../../fixtures/legacy-samples/workflow.b860d25.json', import.meta.url)), 'utf8'),
) as { plans: Record<string, { title: string; objective: string; tasks: { title: string }[] }> };

describe('search (full text)', () => {
  it('finds Korean task and plan titles by a word without its particle, and by two-syllable words', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: '레거시' });
    for (const p of Object.values(legacy.plans)) {
      await ok('plan', { action: 'create', title: p.title, objective: p.objective ?? '' });
      if (p.tasks.length) await ok('task', { action: 'create', tasks: p.tasks.map((x) => ({ title: x.title })) });
    }
    await ok('document', { action: 'write', path: '회의록.md', content: '# 회의록\n\n스키마를 설계하고 엔드포인트를 정리했다. 배포는 다음 주.' });
    const titles = async (query: string, kind?: string) =>
      (await search(t.call, { query, ...(kind ? { kind: kind as never } : {}) }, undefined)).results.map((r) => r.title);
    expect(await titles('스키마 설계', 'task')).toContain('DB 스키마 설계');
    expect((await titles('스키마'))).toEqual(expect.arrayContaining(['DB 스키마 설계', '회의록']));
    expect(await titles('엔드포인트')).toEqual(expect.arrayContaining(['API 엔드포인트 구현', '회의록']));
    expect(await titles('배포')).toEqual(expect.arrayContaining(['회의록', '테스트 및 배포']));
    expect(await titles('배포')).not.toContain('DB 스키마 설계');
    expect(await titles('REST API', 'plan')).toEqual(['Backend API']);
  });

  it('with room under k, a found document\'s other sections holding a question word are added; every document found keeps its place', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'A' });
    await ok('document', {
      action: 'write',
      path: 'auth.md',
      content: '# Auth\n\n## Sessions\n\nSessions live in Redis. Passwords are hashed with Argon2id before they are stored.\n\n## Password reset\n\nA reset link is emailed and expires after an hour.\n\n## Tokens\n\nAccess tokens expire after 15 minutes.\n',
    });
    await ok('document', { action: 'write', path: 'ops.md', content: '# Ops\n\nRotate the database password every quarter.\n' });
    const hits = async (query: string, k?: number) => (await search(t.call, { query, ...(k ? { k } : {}) }, undefined)).results.map((r) => `${r.path} › ${r.heading ?? ''}`);
    const found = await hits('passwords');
    expect([...found].sort()).toEqual(['auth.md › Auth › Password reset', 'auth.md › Auth › Sessions', 'ops.md › '].sort()); // the other section that says it too
    expect(found).not.toContain('auth.md › Auth › Tokens'); // no question word there
    const scores = (await search(t.call, { query: 'passwords' }, undefined)).results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a)); // listed by score
    expect((await hits('passwords', 2)).map((h) => h.split(' › ')[0]).sort()).toEqual(['auth.md', 'ops.md']); // k is the most there are, each document before more of one
  });

  it('a lone digit is a word searched by ("module 5"); a lone letter is not', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'M' });
    await ok('plan', { action: 'create', title: 'P' });
    for (const i of [1, 4, 5, 9]) await ok('task', { action: 'create', title: `Refactor module ${i} of the billing code` });
    const titles = async (query: string) => (await search(t.call, { query }, undefined)).results.map((r) => r.title);
    expect((await titles('module 5'))[0]).toBe('Refactor module 5 of the billing code');
    expect(await titles('5')).toEqual(['Refactor module 5 of the billing code']);
    expect(await titles('x')).toEqual([]);
  });

  it('applies filters before the top-k cut: k results from the filtered set whenever k exist', async () => {
    const { ok } = asyncCaller(t.call);
    const a = (await ok('flow', { action: 'create', name: 'A' })).flow.id;
    await ok('plan', { action: 'create', title: 'PA' });
    for (let i = 0; i < 40; i++) await ok('document', { action: 'write', path: `a/retry-${i}.md`, content: `# Retry ${i}\n\nretry retry retry backoff retry policy` });
    const b = (await ok('flow', { action: 'create', name: 'B' })).flow.id;
    await ok('plan', { action: 'create', title: 'PB' });
    for (let i = 0; i < 4; i++) await ok('document', { action: 'write', path: `b/notes-${i}.md`, content: `# Notes ${i}\n\nlong notes that mention a retry once among many other words` });
    await ok('task', { action: 'create', title: 'Decide the retry budget' });
    const inB = await search(t.call, { query: 'retry policy', k: 4, flow_id: b, kind: 'document' }, undefined);
    expect(inB.results.map((r) => r.path)).toEqual(expect.arrayContaining(['b/notes-0.md', 'b/notes-1.md', 'b/notes-2.md', 'b/notes-3.md']));
    const inBAll = await search(t.call, { query: 'retry', k: 10, flow_id: b }, undefined);
    expect(inBAll.results).toHaveLength(5);
    expect(inBAll.results.some((r) => r.kind === 'task' && r.title === 'Decide the retry budget')).toBe(true);
    const byPath = await search(t.call, { query: 'retry', k: 3, path: 'b/*' }, undefined);
    expect(byPath.results.map((r) => r.path)).toHaveLength(3);
    expect(byPath.results.every((r) => r.path!.startsWith('b/'))).toBe(true);
    expect((await search(t.call, { query: 'retry', k: 50, flow_id: a }, undefined)).results).toHaveLength(40);
  });

  it('filters apply before the candidate pools are cut: more matches outside the filter than either pool holds', async () => {
    // 250 strong matches in flow A (the text pool holds 200 chunks, the vector pool 100), then three weak
    // ones in flow B and one plan. A filter applied after the cut would find nothing of B, or no plan.
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'A' });
    await ok('plan', { action: 'create', title: 'PA' });
    await ok('task', { action: 'create', tasks: Array.from({ length: 250 }, (_, i) => ({ title: `Retry policy ${i}`, description: 'retry retry retry backoff retry policy' })) });
    const b = (await ok('flow', { action: 'create', name: 'B' })).flow.id;
    const pb = (await ok('plan', { action: 'create', title: 'Quarterly planning', objective: 'many other words and one retry' })).plan.id;
    const weak = (await ok('task', { action: 'create', tasks: [0, 1, 2].map((i) => ({ title: `Notes ${i}`, description: 'long notes that mention a retry once among many other words' })) })).tasks.map((x: { id: string }) => x.id);
    for (const embedder of [undefined, staticEmbedder]) {
      const inB = await search(t.call, { query: 'retry policy', k: 5, flow_id: b, kind: 'task' }, embedder);
      expect(inB.results.map((r) => r.id).sort(), inB.mode).toEqual([...weak].sort());
      const inPlan = await search(t.call, { query: 'retry policy', k: 5, plan_id: pb }, embedder);
      expect(inPlan.results.map((r) => r.id).sort(), inPlan.mode).toEqual([...weak, pb].sort());
      const plans = await search(t.call, { query: 'retry policy', k: 5, kind: 'plan' }, embedder);
      // The vector half ranks by meaning, so the other plan may come too; tasks never do.
      expect(plans.results.map((r) => r.id), plans.mode).toContain(pb);
      expect(plans.results.every((r) => r.kind === 'plan'), plans.mode).toBe(true);
    }
  });

  it('says which mode answered, and says so when there is no vector half', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', title: 'Write the migration' });
    const r = await search(t.call, { query: 'migration' }, undefined);
    expect(r.mode).toBe('fts5 only (no embedder configured)');
    expect(r.results[0]).toMatchObject({ kind: 'task', title: 'Write the migration', matched: ['text'] });
    const broken: Embedder = { id: 'broken', label: 'broken', dim: 3, local: true, embed: async () => Promise.reject(new Error('connection refused')) };
    const b = await search(t.call, { query: 'migration' }, broken);
    expect(b.mode).toBe('fts5 only (vector half failed: connection refused)');
    expect(b.results).toHaveLength(1);
  });

  it('query text with FTS syntax is searched as words, never parsed as a query language', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', title: 'NEAR the OR gate "quoted" (paren) col:umn' });
    for (const q of ['NEAR(', '"unbalanced', 'OR AND NOT', 'col:umn*', '^start']) {
      await expect(search(t.call, { query: q }, undefined)).resolves.toBeDefined();
    }
    expect((await search(t.call, { query: 'col:umn' }, undefined)).results).toHaveLength(1);
  });
});

describe('search hits say where and how well', () => {
  it('carry the heading path of the matched section, and scores relative to the best hit (1)', async () => {
    const { ok } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('document', {
      action: 'write',
      path: 'guide.md',
      content: '# Guide\n\nAn introduction to nothing in particular.\n\n## Install\n\nSome words.\n\n### Linux\n\nRun the zeppelin installer with sudo.\n',
    });
    await ok('document', { action: 'write', path: 'other.md', content: '# Other\n\nzeppelin zeppelin zeppelin mention, and more zeppelin.\n' });
    await ok('task', { action: 'create', title: 'Fly the zeppelin' });
    const r = await search(t.call, { query: 'zeppelin' }, undefined);
    expect(r.results.length).toBe(3);
    const guide = r.results.find((h) => h.path === 'guide.md')!;
    expect(guide.title).toBe('Guide');
    expect(guide.heading).toBe('Guide › Install › Linux');
    const other = r.results.find((h) => h.path === 'other.md')!;
    expect(other).not.toHaveProperty('heading'); // only the title again
    expect(r.results[0]!.score).toBe(1);
    for (const h of r.results) expect(h.score).toBeGreaterThan(0);
    for (const h of r.results) expect(h.score).toBeLessThanOrEqual(1);
    const scores = r.results.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores[2]).toBeLessThan(1);
  });
});

describe('Korean questions over English documents', () => {
  const docs: Record<string, string> = {
    'sessions.md': '# Sessions\n\nA session keeps data for a user between requests. The session cookie is signed with the secret key.\n',
    'uploads.md': '# Uploads\n\nLimit the size of uploaded files; a request body larger than the limit is refused with 413.\n',
    'logging.md': '# Logging\n\nWrite log records to a file, rotate the log every day, and choose the log level.\n',
    'templates.md': '# Templates\n\nRender HTML with Jinja templates; variables are escaped automatically.\n',
  };
  const ask = async (query: string, halves: 'text' | 'vector' | 'both', embedder?: Embedder) =>
    (await search(t.call, { query }, embedder, { halves })).results.map((r) => r.path);

  it('finds the English answer by the question words the lexicon translates, in each half and fused', async () => {
    const { ok } = asyncCaller(t.call);
    for (const [path, content] of Object.entries(docs)) await ok('document', { action: 'write', path, content });
    const { staticEmbedder } = await import('../../../src/search/static-embedder-adapter.js');
    const questions: [string, string][] = [
      ['사용자 세션을 쿠키에 저장하려면', 'sessions.md'],
      ['업로드 파일 크기 제한', 'uploads.md'],
      ['로그 파일을 매일 새로 만들고 싶어요', 'logging.md'],
      ['Jinja 템플릿에서 변수 출력', 'templates.md'],
    ];
    for (const [q, want] of questions) {
      expect((await ask(q, 'text'))[0], `text: ${q}`).toBe(want);
      expect((await ask(q, 'vector', staticEmbedder))[0], `vector: ${q}`).toBe(want);
      expect((await ask(q, 'both', staticEmbedder))[0], `both: ${q}`).toBe(want);
    }
  });
});

describe('what a small project gets back', () => {
  it('leaves out what only the vectors found far behind the best, and keeps every word match', async () => {
    const { ok } = asyncCaller(t.call);
    const { staticEmbedder } = await import('../../../src/search/static-embedder-adapter.js');
    await ok('flow', { action: 'create', name: 'Shop' });
    await ok('plan', { action: 'create', title: 'Build' });
    await ok('task', { action: 'create', tasks: [{ title: 'End-to-end tests' }, { title: 'API endpoint' }, { title: 'Tag the release' }] });
    await ok('document', { action: 'write', path: 'notes/retry.md', content: '# Retry\n\nFailed uploads are retried three times with exponential backoff.\n' });
    await ok('document', { action: 'write', path: 'notes/deploy.md', content: '# Deploy\n\nUploads of the build go to the registry first.\n' });
    const r = await search(t.call, { query: 'how do we back off failed uploads' }, staticEmbedder);
    expect(r.results[0]?.path).toBe('notes/retry.md');
    expect(r.results.map((h) => h.path)).toContain('notes/deploy.md'); // a weak word match stays
    for (const h of r.results) if (!h.matched.includes('text')) expect(h.score, JSON.stringify(h)).toBeGreaterThanOrEqual(0.15);
    expect(r.results.filter((h) => h.kind === 'task')).toEqual([]);
  });
});
