// What a restore says it does, before (the refusal without confirm) and after (its result): counted
// by kind and summed up in one line, on a real database and real files. Each count is what a person
// would otherwise find out by losing work: a renamed plan, a hand-edited document, a project file
// leaving the search index, an agent's live claim taken away.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { captureState, forgetStates } from '../../../src/core/snapshots/capture.js';
import { restoreState } from '../../../src/core/snapshots/restore.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

type Changes = Record<'tasks' | 'plans' | 'flows' | 'documents' | 'context_entries', { removed: number; changed: number; added: number }> & { summary: string; which?: string };

function project(clock?: ManualClock) {
  const t = workspace(clock ? { clock } : {});
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
  const plan = c.ok('plan', { action: 'create', title: 'Build', objective: 'Ship the checkout' }).plan.id as string;
  return { t, ...c, flow, plan };
}

/** What the refusal without confirm says a restore of `id` would do (its message says the same summary). */
function preview(p: ReturnType<typeof project>, id: string): Changes {
  const e = p.fail('snapshot', { action: 'restore', id });
  expect(e.code).toBe('confirm_required');
  const changes = (e.details as { changes: Changes }).changes;
  expect(e.message).toContain(` ${changes.summary}; a "before restore" snapshot is taken first`);
  return changes;
}

const none = { removed: 0, changed: 0, added: 0 };

async function indexProjectFile(t: TempWorkspace, rel: string, text: string): Promise<void> {
  mkdirSync(join(t.dir, 'docs'), { recursive: true });
  writeFileSync(join(t.dir, rel), text);
  await asyncCaller(t.call).ok('document', { action: 'index', paths: [rel] });
}

describe('what a restore names', () => {
  it('undoing a delete names what it would throw away since: the tasks, entries and changes, by id and title', () => {
    const p = project();
    const [docs, fix] = p.ok('task', { action: 'create', tasks: [{ title: 'Write docs' }, { title: 'Fix bug' }] }).tasks.map((x: { id: string }) => x.id);
    const snap = p.ok('task', { action: 'delete', id: docs, confirm: true }).snapshot as string;
    p.ok('task', { action: 'set_status', id: fix, status: 'done' });
    const added = p.ok('task', { action: 'create', title: 'New work' }).task.id;
    p.ok('context', { action: 'save', decision: 'Use Postgres for the ledger' });
    const e = p.fail('snapshot', { action: 'restore', id: snap });
    const changes = (e.details as { changes: Changes & { which?: string } }).changes;
    expect(changes.which).toBe(`removes ${added} "New work", decision "Use Postgres for the ledger"; changes ${fix} "Fix bug"; adds ${docs} "Write docs"`);
    expect(e.message).toContain(`By name, it ${changes.which}. Nothing was changed.`);
  });

  it('names three of a kind and counts the rest; a restore that changes nothing names nothing', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    expect(preview(p, snap)).not.toHaveProperty('which');
    p.ok('task', { action: 'create', tasks: ['a', 'b', 'c', 'd', 'e'].map((title) => ({ title })) });
    const changes = preview(p, snap) as Changes & { which?: string };
    expect(changes.which).toMatch(/^removes (t-\w+ "[a-e]", ){2}t-\w+ "[a-e]" and 2 more tasks$/);
  });

  it('cuts a long name at whole characters: an emoji at the cut is never split in two', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    const id = p.ok('task', { action: 'create', title: `${'x'.repeat(38)}🎉tail` }).task.id;
    expect(preview(p, snap).which).toBe(`removes ${id} "${'x'.repeat(38)}🎉…"`);
  });
});

describe('what a restore says it changes', () => {
  it('a restore to the state the work is in says it changes nothing', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    expect(preview(p, snap).summary).toBe('changes nothing');
    expect(p.ok('snapshot', { action: 'restore', id: snap, confirm: true }).changes.summary).toBe('changes nothing');
  });

  it('a renamed plan and flow count as changed; the undo adds back, in the plural, what the restore removed', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('plan', { action: 'update', id: p.plan, title: 'Build it' });
    p.ok('flow', { action: 'update', id: p.flow, name: 'Checkout v2' });
    p.ok('task', { action: 'create', tasks: [{ title: 'One' }, { title: 'Two' }] });
    p.ok('context', { action: 'save', decision: { what: 'Stripe', why: 'most users' } });
    p.ok('context', { action: 'save', decision: { what: 'Queues', why: 'bursts' } });
    const changes = preview(p, snap);
    expect(changes).toMatchObject({ tasks: { ...none, removed: 2 }, plans: { ...none, changed: 1 }, flows: { ...none, changed: 1 }, context_entries: { ...none, removed: 2 } });
    expect(changes.summary).toBe('removes 2 tasks, 2 context entries; changes 1 plan, 1 flow');
    const r = p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(p.ok('plan', { action: 'get', id: p.plan }).plan.title).toBe('Build');
    const undo = p.ok('snapshot', { action: 'restore', id: r.undo_snapshot, confirm: true });
    expect(undo.changes.summary).toBe('changes 1 plan, 1 flow; adds 2 tasks, 2 context entries');
  });

  it('a snapshot whose plan row lacks a field (a payload from before it was kept) changes that plan: the field is emptied', () => {
    const t = workspace();
    importFile(t.call, fileURLToPath(new URL('../../fixtures/legacy-samples/flows.91670e6.json', import.meta.url)), {});
    const target = structuredClone(captureState(t.call, { kind: 'workspace' }));
    const plan = Object.values(target.plans).find((r) => typeof r.legacy_id === 'string')!;
    const legacy = plan.legacy_id as string;
    const c = caller(t.call);
    expect(c.ok('plan', { action: 'get', id: legacy }).plan.id).toBe(plan.id);
    delete plan.legacy_id;
    const { effect } = restoreState(t.call, { kind: 'workspace' }, target, 'test');
    expect(effect.plans).toEqual({ ...none, changed: 1 });
    expect(effect.summary).toBe('changes 1 plan');
    expect(c.fail('plan', { action: 'get', id: legacy }).code).toBe('not_found'); // its legacy id went with the field
  });
});

describe('documents: what a restore says it does to them', () => {
  it('a document deleted and written again with the same text at the same path is the same document: no change', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'delete', path: 'notes/design.md', confirm: true });
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
    expect(preview(p, snap)).toMatchObject({ documents: none, summary: 'changes nothing' });
  });

  it('a document whose file was edited by hand (not yet indexed) is one the restore changes: its file gets the snapshot\'s text', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    writeFileSync(join(p.t.dir, '.flow', 'documents', 'notes', 'design.md'), '# Design\n\nCards and wallets, edited by hand.');
    expect(preview(p, snap)).toMatchObject({ documents: { ...none, changed: 1 }, summary: 'changes 1 document' });
  });

  it('a snapshot taken while a document\'s file was missing keeps no text: the file back as it was is no change', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
    const file = join(p.t.dir, '.flow', 'documents', 'notes', 'design.md');
    rmSync(file);
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    writeFileSync(file, '# Design\n\nCards only.');
    expect(preview(p, snap)).toMatchObject({ documents: none, summary: 'changes nothing' });
  });

  it('a project file edited and reindexed since the snapshot is not changed by the restore: the file is never written, and its entry follows the file', async () => {
    const p = project();
    await indexProjectFile(p.t, 'docs/guide.md', '# Guide\n\nPrime the pump.');
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    const file = join(p.t.dir, 'docs', 'guide.md');
    writeFileSync(file, '# Guide\n\nPrime the pump twice.');
    await asyncCaller(p.t.call).ok('document', { action: 'reindex' });
    expect(preview(p, snap)).toMatchObject({ documents: none, summary: 'changes nothing' });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(readFileSync(file, 'utf8')).toBe('# Guide\n\nPrime the pump twice.');
    const hits = (await asyncCaller(p.t.call).ok('search', { query: 'twice' })).results;
    expect(hits.map((h: { path?: string }) => h.path)).toContain('docs/guide.md');
  });

  it('a snapshot giving a document another path, or another title, changes it', () => {
    for (const field of ['path', 'title'] as const) {
      const p = project();
      p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
      const target = structuredClone(captureState(p.t.call, { kind: 'workspace' }));
      const doc = Object.values(target.documents)[0]!;
      doc[field] = field === 'path' ? 'notes/moved.md' : 'Old title';
      const { effect } = restoreState(p.t.call, { kind: 'workspace' }, target, 'test');
      expect(effect.documents, field).toEqual({ ...none, changed: 1 });
      expect(effect.summary, field).toBe('changes 1 document');
      // What the restore did: the text written where the snapshot says, or the snapshot's title listed.
      if (field === 'path') expect(readFileSync(join(p.t.dir, '.flow', 'documents', 'notes', 'moved.md'), 'utf8')).toBe('# Design\n\nCards only.');
      else expect(p.ok('document', { action: 'list' }).documents.map((d: { title: string }) => d.title)).toEqual(['Old title']);
    }
  });

  it('project files leaving the search index are named as such, apart from the other documents and kinds', async () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    await indexProjectFile(p.t, 'docs/one.md', '# One');
    const note = ': out of the search index, the files stay on disk)';
    expect(preview(p, snap).summary).toBe(`removes 1 document (a project file${note}`);
    // The restore adds back a deleted document and removes a later task: the note stays with the removed documents.
    p.ok('document', { action: 'delete', path: 'notes/design.md', confirm: true });
    p.ok('task', { action: 'create', title: 'Later' });
    expect(preview(p, snap).summary).toBe(`removes 1 task, 1 document (a project file${note}; adds 1 document`);
    p.ok('document', { action: 'write', path: 'notes/later.md', content: '# Later' });
    expect(preview(p, snap).summary).toBe(`removes 1 task, 2 documents (1 of them a project file${note}; adds 1 document`);
  });
});

describe('claims: what a restore says it takes from agents', () => {
  const MIN = 60_000;
  const claim = (p: ReturnType<typeof project>, agent: string, id: string, lease_seconds = 600) => p.ok('task', { action: 'claim', agent, id, lease_seconds });
  const tasks = (p: ReturnType<typeof project>, n: number) =>
    p.ok('task', { action: 'create', tasks: Array.from({ length: n }, (_, i) => ({ title: `Task ${i + 1}` })) }).tasks.map((x: { id: string }) => x.id) as string[];

  it('a claim whose lease runs out this very moment, or ran out, is not live: nothing is said of it', () => {
    const clock = new ManualClock();
    const p = project(clock);
    const [a, b] = tasks(p, 2);
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    claim(p, 'agent-early', a!, 60);
    clock.advance(MIN / 2);
    claim(p, 'agent-late', b!, 60);
    clock.advance(MIN / 2); // agent-early's lease ends exactly now: claim sees the task as free too
    expect(preview(p, snap).summary).toBe(`changes 2 tasks; releases 1 live claim (agent-late on ${b})`);
    clock.advance(MIN / 2); // agent-late's ends now, agent-early's is past
    expect(preview(p, snap).summary).toBe('changes 2 tasks');
  });

  it('a task another agent claimed since, for the same lease end, is taken from that agent', () => {
    const clock = new ManualClock();
    const p = project(clock);
    const [a] = tasks(p, 1);
    claim(p, 'agent-1', a!);
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('task', { action: 'release', id: a, agent: 'agent-1' });
    claim(p, 'agent-2', a!); // the clock has not moved: the same lease end as agent-1's
    expect(preview(p, snap).summary).toBe(`changes 1 task; releases 1 live claim (agent-2 on ${a})`);
  });

  it('the same agent\'s claim renewed after the snapshot\'s ran out is taken from it', () => {
    const clock = new ManualClock();
    const p = project(clock);
    const [a] = tasks(p, 1);
    claim(p, 'agent-1', a!, 60);
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    clock.advance(2 * MIN);
    claim(p, 'agent-1', a!, 60);
    expect(preview(p, snap).summary).toBe(`changes 1 task; releases 1 live claim (agent-1 on ${a})`);
  });

  it('up to five claims are named; past five, five and how many more', () => {
    const p = project(new ManualClock());
    const ids = tasks(p, 6);
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    // Named in the order of the tasks' ids.
    const shown = (n: number) => ids.slice(0, n).map((id, i) => ({ id, said: `agent-${i + 1} on ${id}` })).sort((x, y) => (x.id < y.id ? -1 : 1)).map((x) => x.said);
    for (const [i, id] of ids.slice(0, 5).entries()) claim(p, `agent-${i + 1}`, id);
    expect(preview(p, snap).summary).toBe(`changes 5 tasks; releases 5 live claims (${shown(5).join(', ')})`);
    claim(p, 'agent-6', ids[5]!);
    expect(preview(p, snap).summary).toBe(`changes 6 tasks; releases 6 live claims (${shown(6).slice(0, 5).join(', ')} and 1 more)`);
  });
});
