// Context through real server processes and the SDK's real Client: kill -9 in the middle of a burst
// of saves (the file always parses; every acknowledged save is kept; after a restart the file and the
// database agree), two processes saving at once (nothing lost), and the resume prompt and context
// resource with id completion.
import { readFileSync, rmSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseContextFile } from '../../src/core/memory/context-file.js';
import { connect, type Connected } from '../helpers/server.js';
import { killDuringBurst } from '../helpers/crash.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
let flowId: string;
const file = () => join(dir, '.flow', 'context', `${flowId}.json`);

beforeAll(async () => {
  dir = tempDir();
  const s = await connect({ dir });
  flowId = (await s.call('flow', { action: 'create', name: 'Crash course' })).structuredContent.flow.id;
  await s.call('plan', { action: 'create', title: 'Survive' });
  await s.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function allDecisions(s: Connected): Promise<{ id: string; text: string }[]> {
  const out: { id: string; text: string }[] = [];
  let cursor: string | undefined;
  do {
    const r = (await s.call('context', { action: 'history', kind: 'decision', limit: 200, ...(cursor ? { cursor } : {}) })).structuredContent;
    out.push(...r.entries);
    cursor = r.next_cursor ?? undefined;
  } while (cursor);
  return out;
}

describe('context across processes', () => {
  it('kill -9 during bursts of saves: the file always parses and nothing acknowledged is lost', async () => {
    const acknowledged: string[] = [];
    for (let round = 0; round < 6; round++) {
      await killDuringBurst(
        dir,
        async (s, i) => {
          const r = await s.call('context', { action: 'save', decision: `round ${round} decision ${i}`, ...(i % 5 === 0 ? { summary: `after ${round}.${i}` } : {}) });
          if (!r.isError) acknowledged.push(r.structuredContent.saved.find((x: { kind: string }) => x.kind === 'decision').id);
        },
        { minMs: 150, spreadMs: 400, minSteps: 4 }, // 6 rounds × 4 acknowledged > 20 however busy the machine
      );
      if (existsSync(file())) expect(parseContextFile(readFileSync(file(), 'utf8')).error).toBeUndefined();
    }
    expect(acknowledged.length).toBeGreaterThan(20);

    // A fresh start settles the file (no call needed to trigger it beyond the first).
    const s = await connect({ dir });
    const kept = new Set((await allDecisions(s)).map((d) => d.id));
    for (const id of acknowledged) expect(kept.has(id), `acknowledged decision ${id}`).toBe(true);
    const got = (await s.call('context', { action: 'get' })).structuredContent;
    const doc = parseContextFile(readFileSync(file(), 'utf8')).doc!;
    expect(doc.revision).toBe(got.revision);
    expect(doc.summary).toBe(got.summary.text);
    expect(new Set(doc.decisions.map((d) => d.id))).toEqual(kept);
    expect(got.file_merge).toBeUndefined(); // a crash is not mistaken for a hand edit
    await s.close();
  }, 120_000);

  it('two processes saving decisions at once lose none, and the file ends with all of them', async () => {
    const a = await connect({ dir, name: 'agent-a' });
    const b = await connect({ dir, name: 'agent-b' });
    const before = (await allDecisions(a)).length;
    const run = async (s: Connected, who: string) => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const r = await s.call('context', { action: 'save', decision: { what: `${who} decided ${i}`, why: 'parallel' }, flow_id: flowId });
        expect(r.isError).toBeFalsy();
        ids.push(r.structuredContent.saved[0].id);
      }
      return ids;
    };
    const [ia, ib] = await Promise.all([run(a, 'A'), run(b, 'B')]);
    const all = await allDecisions(b);
    expect(all.length).toBe(before + 80);
    const ids = new Set(all.map((d) => d.id));
    for (const id of [...ia, ...ib]) expect(ids.has(id)).toBe(true);
    const doc = parseContextFile(readFileSync(file(), 'utf8')).doc!;
    expect(doc.decisions.length).toBe(before + 80);
    expect(doc.revision).toBe((await a.call('context', { action: 'get' })).structuredContent.revision);
    await Promise.all([a.close(), b.close()]);
  }, 60_000);

  it('the resume prompt, the context resource and id completion', async () => {
    const s = await connect({ dir });
    await s.call('context', { action: 'save', question: 'Is the crash course over?' });
    const prompts = await s.client.listPrompts();
    expect(prompts.prompts.map((p) => p.name)).toContain('resume');
    const p = await s.client.getPrompt({ name: 'resume', arguments: { flow_id: flowId } });
    const text = (p.messages[0]!.content as { text: string }).text;
    expect(text).toContain(`# Resume: Crash course (${flowId})`);
    expect(text).toContain('Is the crash course over?');
    const done = await s.client.complete({ ref: { type: 'ref/prompt', name: 'resume' }, argument: { name: 'flow_id', value: flowId.slice(0, 3) } });
    expect(done.completion.values).toContain(flowId);

    const templates = await s.client.listResourceTemplates();
    expect(templates.resourceTemplates.map((t) => t.uriTemplate)).toContain('flow://flows/{id}/context');
    const listed = await s.client.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain(`flow://flows/${flowId}/context`);
    const read = await s.client.readResource({ uri: `flow://flows/${flowId}/context` });
    const body = JSON.parse((read.contents[0] as { text: string }).text);
    expect(body.flow.id).toBe(flowId);
    expect(body.questions.map((q: { text: string }) => q.text)).toContain('Is the crash course over?');
    const ids = await s.client.complete({
      ref: { type: 'ref/resource', uri: 'flow://flows/{id}/context' },
      argument: { name: 'id', value: 'f-' },
    });
    expect(ids.completion.values).toContain(flowId);
    await expect(s.client.readResource({ uri: 'flow://flows/f-nope/context' })).rejects.toThrow(/No flow "f-nope"/);
    await s.close();
  });
});
