// The openai embedder, through the real `openai` client, against an OpenAI-compatible server on loopback.
import { afterEach, describe, expect, it } from 'vitest';
import { fillEmbeddings } from '../../src/core/docs/embeddings.js';
import { search } from '../../src/core/docs/search.js';
import { openaiEmbedder } from '../../src/search/openai-embedder.js';
import { asyncCaller } from '../helpers/call-async.js';
import { hashedVector, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai.js';
import { waitFor } from '../helpers/hooks.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let server: FakeOpenAI | undefined;
let t: TempWorkspace | undefined;
afterEach(async () => {
  await server?.close();
  t?.cleanup();
  server = undefined;
  t = undefined;
});

async function project() {
  t = tempWorkspace();
  const { ok } = asyncCaller(t.call);
  await ok('flow', { action: 'create', name: 'F' });
  await ok('plan', { action: 'create', title: 'P' });
  return { t, ok };
}

describe('openai embedder', () => {
  it('asks for floats and returns unit vectors of the configured length', async () => {
    server = await startFakeOpenAI({ dim: 16 });
    const e = openaiEmbedder({ model: 'test-embed', dimensions: 16, baseURL: server.baseURL, apiKey: 'k' });
    const [v] = await e.embed(['hello world']);
    expect(v).toHaveLength(16);
    expect(Math.hypot(...v!)).toBeCloseTo(1, 5);
    expect(server.requests[0]).toMatchObject({ model: 'test-embed', encoding_format: 'float', input: ['hello world'] });
    expect(e.id).toBe('openai:test-embed@16');
  });

  it("a search's question is tried twice at most against a failing server; indexing keeps its patient retries", async () => {
    server = await startFakeOpenAI({ dim: 16, answer: 'unavailable' });
    const e = openaiEmbedder({ model: 'm', dimensions: 16, baseURL: server.baseURL, maxRetries: 2 });
    await expect(e.embed(['a question'], { quick: true })).rejects.toThrow(/HTTP 503/);
    expect(server.requests).toHaveLength(2);
    server.requests.length = 0;
    await expect(e.embed(['a section'])).rejects.toThrow(/HTTP 503/);
    expect(server.requests).toHaveLength(3);
  });

  it('refuses a server that answers base64, with a message that says so', async () => {
    server = await startFakeOpenAI({ dim: 16, answer: 'base64' });
    const e = openaiEmbedder({ model: 'm', dimensions: 16, baseURL: server.baseURL });
    await expect(e.embed(['x'])).rejects.toThrow(/base64 text instead of a list of floats/);
  });

  it('a wrong dimension is a clear error and writes no vector at all', async () => {
    const { t } = await project();
    const { ok } = asyncCaller(t.call);
    await ok('document', { action: 'write', path: 'a.md', content: '# A\n\nalpha beta' });
    server = await startFakeOpenAI({ dim: 16, answer: 'wrong-dimension' });
    const e = openaiEmbedder({ model: 'm', dimensions: 16, baseURL: server.baseURL });
    const before = dumpDb(t.ws).embeddings!.filter((r) => (r as { embedder: string }).embedder === e.id);
    await expect(fillEmbeddings(t.call, e)).rejects.toThrow(/returned 8-dimension vectors, but the index expects 16; set FLOW_EMBED_DIMENSIONS=8/);
    expect(dumpDb(t.ws).embeddings!.filter((r) => (r as { embedder: string }).embedder === e.id)).toEqual(before);
    const r = await search(t.call, { query: 'alpha' }, e);
    expect(r.mode).toMatch(/^fts5 only \(vector half failed: .*8-dimension/);
    expect(r.results).toHaveLength(1);
  });

  it('re-embeds only the chunks whose text changed', async () => {
    const { t, ok } = await project();
    server = await startFakeOpenAI({ dim: 32 });
    const e = openaiEmbedder({ model: 'm', dimensions: 32, baseURL: server.baseURL });
    const doc = (n: number, extra = '') => `# Doc ${n}\n\nFirst section of doc ${n}.\n\n## Part two\n\nSecond section of doc ${n}.${extra}`;
    for (let i = 0; i < 3; i++) await ok('document', { action: 'write', path: `d${i}.md`, content: doc(i) });
    await fillEmbeddings(t.call, e);
    const first = server.inputs().length;
    expect(first).toBe(3 * 2 + 1); // two chunks per document and plan P's own chunk, each once
    await ok('document', { action: 'write', path: 'd1.md', content: doc(1, ' Now edited.') });
    await fillEmbeddings(t.call, e);
    const later = server.inputs().slice(first);
    expect(later).toEqual(['Doc 1 › Part two\nSecond section of doc 1. Now edited.']);
  });

  it('a search never waits for a remote embedder to catch up: it answers with full text and says vectors are incomplete', async () => {
    const { t, ok } = await project();
    for (let i = 0; i < 5; i++) await ok('document', { action: 'write', path: `n${i}.md`, content: `# Note ${i}\n\nabout deployment ${i}` });
    // The fill's batches go unanswered until the test lets them go: a search that waited for them would never answer.
    server = await startFakeOpenAI({ dim: 16, holdBatches: true });
    const e = openaiEmbedder({ model: 'slow', dimensions: 16, baseURL: server.baseURL });
    const r = await search(t.call, { query: 'deployment', k: 10 }, e);
    expect(r.results.filter((x) => x.kind === 'document')).toHaveLength(5);
    expect(r.vectors).toMatchObject({ embedder: 'openai:slow@16', complete: false });
    await waitFor('the fill asking for a batch', () => server!.requests.some((q) => q.input.length > 1));
    // Still held: a search meanwhile answers, still without every vector.
    expect((await search(t.call, { query: 'deployment' }, e)).vectors).toMatchObject({ complete: false });
    // The background fill finishes on its own once its batch is answered; a later search has every vector.
    server.release();
    await waitFor('a search with every vector', async () => (await search(t.call, { query: 'deployment' }, e)).vectors?.complete === true);
  });

  it('the search tool says how much of the index the vector half knows while it catches up, and how to finish', async () => {
    const { ok } = await project();
    for (let i = 0; i < 5; i++) await ok('document', { action: 'write', path: `n${i}.md`, content: `# Note ${i}\n\nabout deployment ${i}` });
    server = await startFakeOpenAI({ dim: 16, batchDelayMs: 3000 });
    // The embedder is the user's choice, from the environment, as the tool reads it.
    const env = { FLOW_EMBEDDER: 'openai', FLOW_EMBED_MODEL: 'notes', FLOW_EMBED_DIMENSIONS: '16', FLOW_OPENAI_BASE_URL: server.baseURL };
    const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
    Object.assign(process.env, env);
    try {
      const r = await ok('search', { query: 'deployment' });
      expect(r.vectors.complete).toBe(false);
      expect(r.notes).toContainEqual(
        `meaning-based matches cover ${r.vectors.embedded} of ${r.vectors.chunks} indexed sections so far (the rest are found by their words only); a running server fills in the rest in the background, document reindex finishes it now`,
      );
      await ok('document', { action: 'reindex' });
      const after = await ok('search', { query: 'deployment' });
      expect(after.vectors.complete).toBe(true);
      expect((after.notes ?? []).some((n: string) => n.startsWith('meaning-based matches cover'))).toBe(false);
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('search finds a paraphrase through the vector half when no word is shared', async () => {
    const { t, ok } = await project();
    // The server knows these two mean the same thing; no word of the query is in the document.
    const meaning = (text: string) => (/expire|lifetime|live/i.test(text) ? [1, 0, 0, 0, ...new Array(12).fill(0)] : hashedVector(text, 16).map((x) => x * 0.1 + 0.01));
    server = await startFakeOpenAI({ dim: 16, vector: meaning });
    const e = openaiEmbedder({ model: 'para', dimensions: 16, baseURL: server.baseURL });
    await ok('document', { action: 'write', path: 'auth.md', content: '# Auth\n\nAccess tokens expire after one hour.' });
    await ok('document', { action: 'write', path: 'other.md', content: '# Other\n\nThe build uses esbuild.' });
    await fillEmbeddings(t.call, e);
    const r = await search(t.call, { query: 'how long do sessions live', kind: 'document' }, e);
    expect(r.mode).toBe('hybrid fts5+openai:para');
    expect(r.results[0]).toMatchObject({ path: 'auth.md', matched: ['vector'] });
    expect(r.vectors).toMatchObject({ embedder: 'openai:para@16', complete: true });
  });
});
