// What context save / get / history / resume answer and store, detail by detail, on a real database:
// modes, closing across flows, the active plan and task, the event log's words, history pages, and
// what the resume briefing shows, counts and leaves out.
import { describe, expect, it } from 'vitest';
import { addEntry } from '../../../src/core/memory/context.js';
import { encodeCursor } from '../../../src/core/kernel/cursor.js';
import { bumpRevision } from '../../../src/store/context.js';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const freshWorkspace = workspacePerTest();

function project() {
  const t = freshWorkspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Auth rewrite' }).flow.id as string;
  const plan = c.ok('plan', { action: 'create', title: 'Tokens' }).plan.id as string;
  const events = () => t.ws.db.prepare("SELECT summary FROM events WHERE action = ? ORDER BY seq").pluck().all('context.save') as string[];
  return { t, ...c, flow, plan, events };
}

const texts = (xs: { text: string }[]) => xs.map((x) => x.text);

describe('context save', () => {
  it('a list where one item goes (several next steps at once) is refused saying to save one a call; nothing is saved', () => {
    const p = project();
    for (const kind of ['question', 'next_step', 'insight', 'preference']) {
      const e = p.fail('context', { action: 'save', summary: 'S', [kind]: ['a', 'b'] });
      expect(e.message).toBe(`context save: ${kind}: must be one text, not a list: save one of each kind a call (context save again for the others). Nothing was changed.`);
    }
    // Other wrong values keep their own words.
    expect(p.fail('context', { action: 'save', next_step: 7 }).message).toBe('context save: next_step: must be text. Nothing was changed.');
    expect(p.ok('context', { action: 'get' }).summary).toBeNull();
  });

  it('append (the default) keeps the open items; replace supersedes only the kinds it is given', () => {
    const p = project();
    p.ok('context', { action: 'save', question: 'Q1', next_step: 'N1', insight: 'I1', preference: 'P1' });
    p.ok('context', { action: 'save', question: 'Q2', next_step: 'N2' });
    let got = p.ok('context', { action: 'get' });
    expect(texts(got.questions)).toEqual(['Q1', 'Q2']);
    expect(texts(got.next_steps)).toEqual(['N1', 'N2']);
    p.ok('context', { action: 'save', next_step: 'N3', mode: 'replace' });
    got = p.ok('context', { action: 'get' });
    expect(texts(got.next_steps)).toEqual(['N3']);
    expect(texts(got.questions)).toEqual(['Q1', 'Q2']);
    expect(texts(got.insights)).toEqual(['I1']);
    expect(texts(got.preferences)).toEqual(['P1']);
    const h = p.ok('context', { action: 'history' }).entries as { text: string; state: string }[];
    expect(h.filter((e) => e.state === 'superseded').map((e) => e.text).sort()).toEqual(['N1', 'N2']);
  });

  it('append extends the summary, not the newest entry of another kind', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'Base.' });
    p.ok('context', { action: 'save', decision: 'A later decision' });
    p.ok('context', { action: 'save', summary: 'More.', mode: 'append' });
    expect(p.ok('context', { action: 'get' }).summary.text).toBe('Base.\n\nMore.');
  });

  it('an entry without a reason has none: no why in get or history', () => {
    const p = project();
    p.ok('context', { action: 'save', decision: 'No reason given', question: 'Q?' });
    expect(p.ok('context', { action: 'get' }).decisions[0]).not.toHaveProperty('why');
    for (const e of p.ok('context', { action: 'history' }).entries) expect(e).not.toHaveProperty('why');
  });

  it('closing an entry of another flow is refused and names it; nothing changes', () => {
    const p = project();
    const q = p.ok('context', { action: 'save', question: 'Belongs to the first flow' }).saved[0].id;
    const other = p.ok('flow', { action: 'create', name: 'Billing' }).flow.id as string;
    p.ok('context', { action: 'save', flow_id: other, summary: 'Billing work.' });
    const e = p.fail('context', { action: 'save', flow_id: other, summary: 'Changed', close: [q] });
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(`No context entry "${q}"`);
    expect(e.hint).toContain(`Flow ${other} has no entry by that id`);
    expect(p.ok('context', { action: 'get', flow_id: p.flow }).questions.map((x: { id: string }) => x.id)).toEqual([q]);
    expect(p.ok('context', { action: 'get', flow_id: other }).summary.text).toBe('Billing work.');
  });

  it('says what it closed, and the event log says what was saved and closed', () => {
    const p = project();
    const q = p.ok('context', { action: 'save', question: 'Q?' }).saved[0].id;
    const r = p.ok('context', { action: 'save', summary: 'S', decision: 'D', files: ['a.ts'], close: [q] });
    expect(r.closed).toEqual([q]);
    const onlyClose = p.ok('context', { action: 'save', close: [r.saved[1].id] });
    expect(onlyClose.saved).toEqual([]);
    expect(onlyClose).not.toHaveProperty('files_saved');
    expect(p.ok('context', { action: 'save', summary: 'T' })).not.toHaveProperty('closed');
    expect(p.events()).toEqual(['saved question', `saved summary, decision, files, closed ${q}`, `saved changes, closed ${r.saved[1].id}`, 'saved summary']);
  });

  it('files: the newest first, at most 100 kept', () => {
    const p = project();
    const batch = (tag: string) => Array.from({ length: 50 }, (_, i) => `${tag}/${i}.ts`);
    p.ok('context', { action: 'save', files: batch('a') });
    p.ok('context', { action: 'save', files: batch('b') });
    p.ok('context', { action: 'save', files: batch('c') });
    const kept = p.ok('context', { action: 'get' }).files_touched as string[];
    expect(kept).toEqual([...batch('c'), ...batch('b')]);
  });

  it('the active plan is the session\'s only when it is this flow\'s; otherwise the flow keeps its own', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'S' });
    expect(p.ok('context', { action: 'get' }).active.plan_id).toBe(p.plan);
    // The session moves to another flow and plan; saving to the first flow leaves its plan alone.
    const other = p.ok('flow', { action: 'create', name: 'Billing' }).flow.id as string;
    const otherPlan = p.ok('plan', { action: 'create', title: 'Invoices' }).plan.id as string;
    p.ok('context', { action: 'save', flow_id: p.flow, decision: 'D' });
    expect(p.ok('context', { action: 'get', flow_id: p.flow }).active.plan_id).toBe(p.plan);
    const r = p.ok('context', { action: 'resume', flow_id: p.flow });
    expect(r.plan_id).toBe(p.plan);
    expect(p.ok('context', { action: 'resume', flow_id: other }).plan_id).toBe(otherPlan);
  });

  it('resume follows the plan the session moved to in this flow, before any save records it', () => {
    const p = project();
    p.ok('context', { action: 'save', summary: 'S' });
    const second = p.ok('plan', { action: 'create', title: 'Sessions' }).plan.id as string;
    expect(p.ok('context', { action: 'get' }).active.plan_id).toBe(p.plan);
    expect(p.ok('context', { action: 'resume' }).plan_id).toBe(second);
  });

  it('the active task is the one a decision names, else the task in progress', () => {
    const p = project();
    const [t1, t2] = p.ok('task', { action: 'create', tasks: [{ title: 'One' }, { title: 'Two' }] }).tasks.map((x: { id: string }) => x.id);
    p.ok('task', { action: 'set_status', id: t1, status: 'in_progress' });
    p.ok('context', { action: 'save', summary: 'S' });
    expect(p.ok('context', { action: 'get' }).active.task_id).toBe(t1);
    p.ok('context', { action: 'save', decision: { what: 'About two', why: 'W', task_id: t2, plan_id: p.plan } });
    expect(p.ok('context', { action: 'get' }).active.task_id).toBe(t2);
    const h = p.ok('context', { action: 'history', kind: 'decision' }).entries[0];
    expect(h).toMatchObject({ text: 'About two', why: 'W', task_id: t2, plan_id: p.plan, state: 'open' });
  });
});

describe('context get and history', () => {
  it('a damaged list of files in flow.db is named in the error', () => {
    const p = project();
    p.ok('context', { action: 'save', files: ['a.ts'] });
    p.t.ws.db.prepare("UPDATE context_state SET files = 'not json'").run();
    expect(JSON.stringify(p.fail('context', { action: 'get' }))).toContain('context_state.files');
  });

  it('get lists items oldest first', () => {
    const p = project();
    for (const q of ['first', 'second', 'third']) p.ok('context', { action: 'save', question: q });
    expect(texts(p.ok('context', { action: 'get' }).questions)).toEqual(['first', 'second', 'third']);
  });

  it('a page holds exactly the limit; a full last page has no next cursor', () => {
    const p = project();
    for (const q of ['a', 'b', 'c']) p.ok('context', { action: 'save', question: q });
    const page = p.ok('context', { action: 'history', limit: 2 });
    expect(texts(page.entries)).toEqual(['c', 'b']);
    expect(texts(p.ok('context', { action: 'history', limit: 2, cursor: page.next_cursor }).entries)).toEqual(['a']);
    const whole = p.ok('context', { action: 'history', limit: 3 });
    expect(whole.entries).toHaveLength(3);
    expect(whole.next_cursor).toBeNull();
  });

  it('a cursor this list did not issue is refused', () => {
    const p = project();
    p.ok('context', { action: 'save', question: 'a' });
    for (const v of [0, -3, 1.5]) {
      expect(p.fail('context', { action: 'history', cursor: encodeCursor('context history', v) }).message).toMatch(/cursor is not one this context history list issued/);
    }
  });
});

describe('context resume', () => {
  it('shows the plan\'s progress, ten tasks in progress (says there are more) and five ready ones', () => {
    const p = project();
    const ids = p.ok('task', { action: 'create', tasks: Array.from({ length: 20 }, (_, i) => ({ title: `Task ${i}` })) }).tasks.map((x: { id: string }) => x.id) as string[];
    for (const id of ids.slice(0, 11)) p.ok('task', { action: 'set_status', id, status: 'in_progress' });
    for (const id of ids.slice(11, 13)) p.ok('task', { action: 'set_status', id, status: 'done' });
    const r = p.ok('context', { action: 'resume' });
    expect(r.text).toContain('2/20 tasks done');
    expect(r.text).toContain('- … more: task list --status in_progress');
    const ready = ids.slice(13).filter((id) => r.text.includes(id));
    expect(ready).toHaveLength(5);
  });

  it('a task whose claim ran out is listed once, under In progress, without its old holder', () => {
    const clock = new ManualClock();
    const t = freshWorkspace({ clock });
    const c = caller(t.call);
    c.ok('flow', { action: 'create', name: 'Auth' });
    c.ok('plan', { action: 'create', title: 'Tokens' });
    const [a, b] = c.ok('task', { action: 'create', tasks: [{ title: 'Rotate keys' }, { title: 'Write docs' }] }).tasks.map((x: { id: string }) => x.id);
    c.ok('task', { action: 'claim', agent: 'agent-zed', id: a, lease_seconds: 60 });
    let r = c.ok('context', { action: 'resume' });
    expect(r.text).toContain('agent-zed');
    clock.advance(10 * 60_000);
    r = c.ok('context', { action: 'resume' });
    expect(r.text.split(a).length - 1).toBe(1);
    expect(r.text).not.toContain('agent-zed');
    expect(r.text).toContain(b);
  });

  it('counts every kind it did not read among what it left out', () => {
    const p = project();
    const n = 120; // more than a 200-token budget can read of any kind
    p.t.ws.write(() => {
      for (const kind of ['decision', 'question', 'next_step', 'insight', 'preference'] as const) {
        for (let i = 0; i < n; i++) addEntry(p.t.call, p.flow, { kind, text: `${kind} ${i}` });
      }
      bumpRevision(p.t.ws.db, p.flow, p.t.ws.now());
    });
    const r = p.ok('context', { action: 'resume', budget_tokens: 200 });
    const sections = { decisions: 'decision', questions: 'question', next_steps: 'next_step', insights: 'insight', preferences: 'preference' };
    for (const [section, kind] of Object.entries(sections)) {
      const shown = (r.text.match(new RegExp(`^- .*\\b${kind} \\d+`, 'gm')) ?? []).length;
      expect(shown + (r.omitted[section] ?? 0), section).toBe(n);
    }
  });
});
