// Context entries are searchable: a decision is found by its words with the offline embedder, and by a
// paraphrase that shares none of its words with the openai embedder (the local test server places the
// paraphrase next to the decision), which proves the vector path carries context end to end.
import { afterEach, describe, expect, it } from 'vitest';
import { fillEmbeddings } from '../../../src/core/docs/embeddings.js';
import { search } from '../../../src/core/docs/search.js';
import { openaiEmbedder } from '../../../src/search/openai-embedder.js';
import { staticEmbedder } from '../../../src/search/static-embedder-adapter.js';
import { caller } from '../../helpers/call.js';
import { hashedVector, startFakeOpenAI, type FakeOpenAI } from '../../helpers/fake-openai.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace | undefined;
let server: FakeOpenAI | undefined;
afterEach(async () => {
  await server?.close();
  t?.cleanup();
  t = undefined;
  server = undefined;
});

const DECISION = 'Sign access tokens as JWT and expire them after fifteen minutes';
const PARAPHRASE = 'how long does a login credential stay valid?';

function project() {
  t = tempWorkspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Auth' }).flow.id as string;
  c.ok('plan', { action: 'create', title: 'Sessions' });
  c.ok('task', { action: 'create', title: 'Add a billing page' });
  c.ok('document', { action: 'write', path: 'notes/ops.md', content: '# Deploys\n\nWe deploy on Tuesdays with a canary.' });
  const id = c.ok('context', { action: 'save', decision: { what: DECISION, why: 'stateless API servers' }, summary: 'Billing is next after auth.' }).saved[1].id;
  const other = caller(t.newCtx());
  const flow2 = other.ok('flow', { action: 'create', name: 'Unrelated' }).flow.id as string;
  other.ok('context', { action: 'save', decision: 'Tokens for the JWT demo live in the sandbox', flow_id: flow2 });
  return { t, c, flow, flow2, id };
}

describe('search over context', () => {
  it('finds a decision by its words with the offline embedder, with kind and flow filters', async () => {
    const p = project();
    const r = await search(p.t.call, { query: 'what did we decide about JWT tokens?', k: 5 }, staticEmbedder);
    expect(r.mode).toBe('hybrid fts5+static-vectors');
    const hit = r.results.find((h) => h.id === p.id)!;
    expect(hit).toMatchObject({ kind: 'context', status: 'open' });
    expect(hit.title).toBe(`Decision (${p.flow})`);
    expect(hit.snippet).toContain('fifteen minutes');
    const only = await search(p.t.call, { query: 'JWT tokens', k: 5, kind: 'context', flow_id: p.flow }, staticEmbedder);
    expect(only.results[0]!.id).toBe(p.id);
    expect(only.results.every((h) => h.kind === 'context' && h.title.endsWith(`(${p.flow})`))).toBe(true);
    const theOther = await search(p.t.call, { query: 'JWT tokens', k: 5, kind: 'context', flow_id: p.flow2 }, staticEmbedder);
    expect(theOther.results.map((h) => h.title)).toEqual([`Decision (${p.flow2})`]);
  });

  it('finds it by a paraphrase with the openai embedder, through the vector half', async () => {
    const p = project();
    const near = hashedVector('token lifetime expiry', 64);
    server = await startFakeOpenAI({
      dim: 64,
      // The decision and the paraphrase get (almost) the same vector; everything else its own words'.
      vector: (text) => (text.includes('JWT and expire') || text.includes('login credential') ? near.map((x, i) => x + (text.includes('login') ? 0.01 * (i % 3) : 0)) : hashedVector(text, 64)),
    });
    const embedder = openaiEmbedder({ model: 'test-embed', dimensions: 64, baseURL: server.baseURL, apiKey: 'k' });
    await fillEmbeddings(p.t.call, embedder);
    const textOnly = await search(p.t.call, { query: PARAPHRASE, k: 5 }, embedder, { halves: 'text' });
    expect(textOnly.results.map((h) => h.id)).not.toContain(p.id); // no shared words: full text cannot find it
    const r = await search(p.t.call, { query: PARAPHRASE, k: 5 }, embedder);
    expect(r.mode).toBe('hybrid fts5+openai:test-embed');
    expect(r.results[0]).toMatchObject({ id: p.id, kind: 'context', matched: ['vector'] });
    expect(server.inputs()).toContain(PARAPHRASE);
  });
});

describe('a context entry no longer open, in search', () => {
  it('says so: a closed question is no "Open question", a replaced summary no "Summary"', async () => {
    t = tempWorkspace();
    const c = caller(t.call);
    const flow = c.ok('flow', { action: 'create', name: 'Keys' }).flow.id as string;
    const q = c.ok('context', { action: 'save', question: 'Who rotates the signing keys?', summary: 'Keys are rotated by hand today.' }).saved;
    const question = q.find((e: { kind: string }) => e.kind === 'question').id as string;
    const find = async (id: string) => (await search(t!.call, { query: 'who rotates the signing keys by hand', k: 10, kind: 'context' }, staticEmbedder)).results.find((h) => h.id === id)!;
    expect(await find(question)).toMatchObject({ title: `Open question (${flow})`, status: 'open' });
    const summary = q.find((e: { kind: string }) => e.kind === 'summary').id as string;
    c.ok('context', { action: 'save', close: [question], summary: 'A cron job rotates the signing keys now.' });
    expect(await find(question)).toMatchObject({ title: `Question (closed) (${flow})`, status: 'closed' });
    expect(await find(summary)).toMatchObject({ title: `Summary (replaced) (${flow})`, status: 'superseded' });
  });
});
