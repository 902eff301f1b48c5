// The resume briefing stays inside its token budget (counted by a real tokenizer, not the estimate the
// code uses) on a big flow, and still names the work in progress and what comes next.
import { encode } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
let c: ReturnType<typeof caller>;
let inProgress: string[];
let next: string;
const decisions: string[] = [];

beforeAll(() => {
  t = tempWorkspace();
  c = caller(t.call);
  c.ok('flow', { action: 'create', name: 'Payments platform' });
  c.ok('plan', { action: 'create', title: 'Checkout rewrite' });
  const ids: string[] = [];
  for (let b = 0; b < 2; b++) {
    const tasks = Array.from({ length: 500 }, (_, i) => ({ title: `Task ${b * 500 + i}: migrate handler number ${i} to the new pipeline` }));
    ids.push(...c.ok('task', { action: 'create', tasks }).tasks.map((x: { id: string }) => x.id));
  }
  expect(ids).toHaveLength(1000);
  inProgress = [ids[10]!, ids[500]!, ids[999]!];
  for (const id of inProgress) c.ok('task', { action: 'set_status', id, status: 'in_progress' });
  c.ok('task', { action: 'update', id: ids[42]!, priority: 'urgent' });
  next = ids[42]!;
  c.ok('context', { action: 'save', summary: 'We are moving checkout to the event pipeline. '.repeat(40) });
  for (let i = 0; i < 200; i++) {
    const what = i % 3 === 0 ? `결정 ${i}: 결제 재시도는 지수 백오프로 최대 다섯 번까지 한다` : `Decision ${i}: retries use exponential backoff capped at ${i} seconds`;
    decisions.push(what);
    c.ok('context', { action: 'save', decision: { what, why: `because incident ${i} showed duplicate charges` } });
  }
  c.ok('context', { action: 'save', question: 'Do we keep the legacy webhook?', next_step: 'Load-test the pipeline' });
}, 120_000);
afterAll(() => t.cleanup());

describe('context resume on a flow with 1,000 tasks and 200 decisions', () => {
  for (const budget of [1500, 600]) {
    it(`stays within ${budget} tokens and names the tasks in progress and the next one`, () => {
      const r = c.ok('context', { action: 'resume', ...(budget === 1500 ? {} : { budget_tokens: budget }) });
      expect(r.budget_tokens).toBe(budget);
      expect(encode(r.text).length).toBeLessThanOrEqual(budget);
      for (const id of inProgress) expect(r.text).toContain(id);
      expect(r.text).toContain(next);
      expect(r.text).toContain('Checkout rewrite');
      expect(r.text).toContain('event pipeline');
      // The newest decision is in; the oldest was left out for the budget, and the briefing says so.
      expect(r.text).toContain(decisions[199]);
      expect(r.text).not.toContain(decisions[0]);
      expect(r.omitted.decisions).toBeGreaterThan(0);
      expect(r.text).toMatch(/Left out for the \d+-token budget/);
    });
  }

  it('a tiny budget still fits: titles are shortened before anything essential is dropped', () => {
    const r = c.ok('context', { action: 'resume', budget_tokens: 200 });
    expect(encode(r.text).length).toBeLessThanOrEqual(200);
    expect(r.text).toContain(inProgress[0]);
    expect(r.text).toContain(next);
  });
});

/** A project with a flow "Auth" and a plan "Sessions", for fn to save context in; cleaned up after. */
function inAuthFlow(fn: (k: ReturnType<typeof caller>) => void): void {
  const w = tempWorkspace();
  try {
    const k = caller(w.call);
    k.ok('flow', { action: 'create', name: 'Auth' });
    k.ok('plan', { action: 'create', title: 'Sessions' });
    fn(k);
  } finally {
    w.cleanup();
  }
}

describe('context resume at a small budget, with the next step older than many decisions', () => {
  it('keeps the newest next steps and open questions before older decisions, and counts what it left out', () => {
    inAuthFlow((k) => {
      k.ok('context', { action: 'save', next_step: 'Rotate the signing keys before Friday', question: 'Do refresh tokens survive a password change?' });
      for (let i = 0; i < 40; i++) k.ok('context', { action: 'save', decision: `Decision ${i}: tokens live ${i + 1} hours` });
      const r = k.ok('context', { action: 'resume', budget_tokens: 250 });
      expect(encode(r.text).length).toBeLessThanOrEqual(250);
      expect(r.text).toContain('Rotate the signing keys before Friday');
      expect(r.text).toContain('Do refresh tokens survive a password change?');
      expect(r.text).toContain('Decision 39'); // the newest decisions still fill what is left
      expect(r.omitted.decisions).toBeGreaterThan(0);
      expect(r.omitted.next_steps).toBeUndefined();
      expect(r.text).toMatch(new RegExp(`Left out for the 250-token budget: ${r.omitted.decisions} decisions`));
    });
  });
});

describe('context resume: a first next step too long for the budget', () => {
  it('is left out alone: the newer decisions after it still fill the budget, and the count of what was left out is true', () => {
    inAuthFlow((k) => {
      k.ok('context', { action: 'save', summary: 'Sessions move to signed tokens. '.repeat(30) });
      k.ok('context', { action: 'save', next_step: `Rewrite the token store ${'with every detail spelled out '.repeat(12)}🎉 end` });
      k.ok('context', { action: 'save', next_step: 'Rotate keys' });
      for (let i = 0; i < 20; i++) k.ok('context', { action: 'save', decision: `Decision ${i}` });
      const r = k.ok('context', { action: 'resume', budget_tokens: 200 });
      expect(encode(r.text).length).toBeLessThanOrEqual(200);
      expect(r.text).toContain('Rotate keys');
      expect(r.text).toContain('Decision 19');
      expect(r.omitted.next_steps).toBe(1);
      expect(r.text).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no emoji cut in half
    });
  });
});

describe('context resume names blocked work and the whole flow', () => {
  it('lists blocked tasks (the first five, then how many more) and the flow\'s totals when the current plan is not all of it', () => {
    const w = tempWorkspace();
    try {
      const k = caller(w.call);
      k.ok('flow', { action: 'create', name: 'Shop' });
      k.ok('plan', { action: 'create', title: 'Build' });
      const ids = k.ok('task', { action: 'create', tasks: Array.from({ length: 8 }, (_, i) => ({ title: `Task ${i}` })) }).tasks.map((x: { id: string }) => x.id);
      for (const id of ids.slice(0, 7)) k.ok('task', { action: 'set_status', id, status: 'blocked' });
      k.ok('task', { action: 'set_status', id: ids[7], status: 'done' });
      k.ok('plan', { action: 'create', title: 'Launch' }); // current now, and empty
      const text: string = k.ok('context', { action: 'resume' }).text;
      expect(text).toContain('Plan: Launch');
      expect(text).toContain('Flow: 1/8 tasks done in all its plans');
      expect(text).toContain(`Blocked:\n- ${ids[0]} Task 0\n`);
      expect(text).toContain(`- ${ids[4]} Task 4\n- … 2 more: task list --status blocked`);
      expect(text).not.toContain('Task 5');
    } finally {
      w.cleanup();
    }
  });

  it('says neither when nothing is blocked and the plan is the whole flow', () => {
    const w = tempWorkspace();
    try {
      const k = caller(w.call);
      k.ok('flow', { action: 'create', name: 'Shop' });
      k.ok('plan', { action: 'create', title: 'Build' });
      k.ok('task', { action: 'create', title: 'Only task' });
      const text: string = k.ok('context', { action: 'resume' }).text;
      expect(text).not.toContain('Blocked:');
      expect(text).not.toContain('Flow:');
    } finally {
      w.cleanup();
    }
  });
});
