// context get and context history answer a bounded amount of text however much a flow holds: a busy
// flow's memory must not flood the assistant's context window, and what is left out is said, counted
// and reachable page by page.
import { describe, expect, it } from 'vitest';
import { addEntry, CONTEXT_ANSWER_CHARS } from '../../../src/core/memory/context.js';
import { bumpRevision } from '../../../src/store/context.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const freshWorkspace = workspacePerTest();

function busyFlow(perKind: number, size: number) {
  const t = freshWorkspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Busy' }).flow.id as string;
  t.ws.write(() => {
    for (let i = 0; i < perKind; i++) {
      for (const kind of ['next_step', 'decision', 'question'] as const) {
        addEntry(t.call, flow, { kind, text: `${kind} ${i} ${'x'.repeat(size)}` });
      }
    }
    bumpRevision(t.ws.db, flow, t.ws.now());
  });
  return { t, ...c, flow };
}

const textOf = (r: any) => [...r.next_steps.map((e: any) => e.text), ...r.questions.map((e: any) => e.text), ...r.decisions.map((e: any) => e.what)];

describe('context get', () => {
  it('with 120 long entries of each kind answers within its room, newest first, and says what it left out', () => {
    const p = busyFlow(120, 3_900);
    const r = p.ok('context', { action: 'get' });
    expect(JSON.stringify(r).length).toBeLessThan(CONTEXT_ANSWER_CHARS + 8_000);
    // Next steps come first (what a resuming session acts on); the newest of them is there.
    expect(r.next_steps.at(-1).text).toMatch(/^next_step 119 /);
    const shown = { next_step: r.next_steps.length, question: r.questions.length, decision: r.decisions.length };
    for (const [kind, n] of Object.entries(shown)) expect(n + (r.omitted[kind] ?? 0)).toBe(120);
    expect(r.omitted.note).toMatch(/context history/);
    expect(r.decisions_total).toBe(120);
  });

  it('short entries: the newest 20 of each kind by default, `limit` for more or fewer', () => {
    const p = busyFlow(30, 10);
    const r = p.ok('context', { action: 'get' });
    expect([r.next_steps.length, r.questions.length, r.decisions.length]).toEqual([20, 20, 20]);
    expect(r.omitted).toMatchObject({ next_step: 10, question: 10, decision: 10 });
    expect(r.decisions[0].what).toMatch(/^decision 29 /);
    const all = p.ok('context', { action: 'get', limit: 30 });
    expect(all.omitted).toBeUndefined();
    expect(textOf(all)).toHaveLength(90);
    expect(p.ok('context', { action: 'get', limit: 2 }).next_steps.map((e: any) => e.text.split(' ')[1])).toEqual(['28', '29']);
    expect(p.fail('context', { action: 'get', limit: 0 }).message).toMatch(/limit/);
  });
});

describe('context history', () => {
  it('pages of long entries stay within the room and together hold every entry once', () => {
    const p = busyFlow(40, 3_900);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = p.ok('context', { action: 'history', ...(cursor ? { cursor } : {}) });
      expect(r.entries.length).toBeGreaterThan(0);
      expect(r.entries.reduce((n: number, e: any) => n + e.text.length, 0)).toBeLessThanOrEqual(CONTEXT_ANSWER_CHARS);
      seen.push(...r.entries.map((e: any) => e.id));
      cursor = r.next_cursor ?? undefined;
      pages++;
    } while (cursor && pages < 100);
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
  });
});
