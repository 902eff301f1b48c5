// Snapshots on a real database and real files: a restore brings back exactly the captured state
// (compared as canonical exports), diffs say what changed, a chain of 50 incremental snapshots reads
// back exactly, a restore can be undone, restoring one flow leaves the others alone, retention follows
// its settings on a fake clock, deletes name the snapshot that undoes them.
import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync, writeFileSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { canonicalJson, captureState, forgetStates, loadState } from '../../../src/core/snapshots/capture.js';
import { findSnapshot } from '../../../src/core/snapshots/catalog.js';
import { restoreState } from '../../../src/core/snapshots/restore.js';
import type { Scope } from '../../../src/store/snapshot-state.js';
import { caller } from '../../helpers/call.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;
afterEach(() => forgetStates());

function project(clock?: ManualClock) {
  t = workspace(clock ? { clock } : {});
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
  const plan = c.ok('plan', { action: 'create', title: 'Build' }).plan.id as string;
  const tasks = c.ok('task', { action: 'create', tasks: [{ title: 'API' }, { title: 'Form', priority: 'high' }, { title: 'Tests', depends_on: ['#1', '#2'] }] }).tasks.map(
    (x: { id: string }) => x.id,
  ) as string[];
  c.ok('task', { action: 'claim', agent: 'agent-1', id: tasks[0] });
  c.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.', task_id: tasks[1] });
  c.ok('context', { action: 'save', summary: 'Building checkout.', decision: { what: 'Stripe first', why: 'most users' } });
  return { t, ...c, flow, plan, tasks };
}

const state = (p: { t: TempWorkspace }, scope: Scope = { kind: 'workspace' }) => canonicalJson(captureState(p.t.call, scope));

describe('snapshots', () => {
  it('round trip: many changes, then restore, gives back exactly the captured state', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create', label: 'before the storm' }).snapshot;
    expect(snap).toMatchObject({ scope: 'workspace', kind: 'full', counts: { flows: 1, plans: 1, tasks: 3, documents: 1, context: 2 } });
    const before = state(p);
    // Many changes of every kind.
    p.ok('task', { action: 'set_status', id: p.tasks[0], status: 'done' });
    p.ok('task', { action: 'update', id: p.tasks[1], title: 'Payment form', description: 'cards + wallets' });
    p.ok('task', { action: 'delete', id: p.tasks[2], confirm: true });
    p.ok('task', { action: 'create', title: 'New thing' });
    const f2 = p.ok('flow', { action: 'create', name: 'Another flow' }).flow.id;
    p.ok('plan', { action: 'create', title: 'Other plan', flow_id: f2 });
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nWallets too.' });
    p.ok('document', { action: 'write', path: 'notes/later.md', content: '# Later' });
    p.ok('context', { action: 'save', summary: 'Changed my mind.', flow_id: p.flow });
    expect(state(p)).not.toBe(before);
    const r = p.ok('snapshot', { action: 'restore', id: snap.id, confirm: true });
    expect(r.undo_snapshot).toMatch(/^s-/);
    expect(state(p)).toBe(before);
    expect(readFileSync(join(p.t.dir, '.flow', 'documents', 'notes', 'design.md'), 'utf8')).toBe('# Design\n\nCards only.');
    expect(readdirSync(join(p.t.dir, '.flow', 'documents', 'notes'))).toEqual(['design.md']);
    // The restored rows are searchable again.
    expect(p.t.ws.db.prepare("SELECT COUNT(*) AS n FROM chunks WHERE owner_id = ?").get(p.tasks[2])).toEqual({ n: 1 });
  });

  it('listing a flow\'s snapshots gives its own and the whole project\'s, never another flow\'s', () => {
    const { ok, flow } = project();
    const c = { ok };
    const own = c.ok('snapshot', { action: 'create', label: 'mine', flow_id: flow }).snapshot.id;
    const whole = c.ok('snapshot', { action: 'create', label: 'everything' }).snapshot.id;
    const other = c.ok('flow', { action: 'create', name: 'Other' }).flow.id;
    const theirs = c.ok('snapshot', { action: 'create', label: 'theirs', flow_id: other }).snapshot.id;
    const listed = c.ok('snapshot', { action: 'list', flow_id: flow }).snapshots as { id: string; scope: string }[];
    expect(listed.map((x) => [x.id, x.scope])).toEqual([
      [whole, 'workspace'],
      [own, 'flow'],
    ]);
    expect(listed.map((x) => x.id)).not.toContain(theirs);
    expect(c.ok('snapshot', { action: 'list' }).snapshots.map((x: { id: string }) => x.id)).toEqual([theirs, whole, own]);
  });

  it('a restore needs confirm and says how to see what it would change; nothing changes without it', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot;
    p.ok('task', { action: 'set_status', id: p.tasks[1], status: 'done' });
    const now = state(p);
    const e = p.fail('snapshot', { action: 'restore', id: snap.id });
    expect(e.code).toBe('confirm_required');
    expect(e.hint).toMatch(/snapshot diff/);
    expect(state(p)).toBe(now);
  });

  it('diff names what was added, removed and changed, field by field, against a snapshot or now', () => {
    const p = project();
    const a = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    p.ok('task', { action: 'update', id: p.tasks[1], title: 'Payment form' });
    p.ok('task', { action: 'set_status', id: p.tasks[1], status: 'review' });
    p.ok('task', { action: 'delete', id: p.tasks[0], confirm: true });
    const added = p.ok('task', { action: 'create', title: 'Receipts' }).task.id;
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nWallets.' });
    const d = p.ok('snapshot', { action: 'diff', from: a });
    expect(d.to).toBe('now');
    expect(d.tasks.added).toEqual([{ id: added, title: 'Receipts' }]);
    expect(d.tasks.removed).toEqual([{ id: p.tasks[0], title: 'API' }]);
    const changed = d.tasks.changed.find((c: { id: string }) => c.id === p.tasks[1]);
    expect(changed.fields).toMatchObject({ title: ['Form', 'Payment form'], status: ['todo', 'review'] });
    // A document's text change reads as sizes; the JSON keeps both hashes, whole.
    const doc = d.documents.changed[0];
    expect(doc).toMatchObject({ title: 'Design', fields: { content: [expect.stringMatching(/^\d+ bytes$/), expect.stringMatching(/^\d+ bytes \(−\d+\)$/)] } });
    expect(doc.fields.blob).toBeUndefined();
    expect(doc.fields.sha256).toBeUndefined();
    expect(doc.sha256).toEqual([expect.stringMatching(/^[0-9a-f]{16,}$/), expect.stringMatching(/^[0-9a-f]{16,}$/)]);
    // The summary covers all three: added, removed and changed, tasks and documents alike.
    expect(d.text.split('\n')[0]).toMatch(/^tasks: 1 added, 1 removed, \d+ changed; documents: 1 changed$/);
    expect(d.text).toMatch(new RegExp(`~ task ${p.tasks[1]} "Payment form": .*status: "todo" → "review", title: "Form" → "Payment form"`));
    expect(d.text).toContain(`- task ${p.tasks[0]} "API"`);
    expect(d.text).toContain(`+ task ${added} "Receipts"`);
    expect(d.text).toMatch(/~ document d-\w+ "Design": content: "\d+ bytes" → "\d+ bytes \(−\d+\)"/);
    const b = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    const ab = p.ok('snapshot', { action: 'diff', from: a, to: b });
    expect(ab.tasks.totals).toEqual(d.tasks.totals);
    expect(p.ok('snapshot', { action: 'diff', from: b }).text).toBe('no changes');
  });

  it('the restore preview and the diff count the same changed tasks: a dependency added and removed again is no change; one kept is (depends_on)', () => {
    const p = project();
    const a = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    p.ok('task', { action: 'depend', id: p.tasks[1], depends_on: [p.tasks[0]] });
    p.ok('task', { action: 'undepend', id: p.tasks[1], depends_on: [p.tasks[0]] });
    p.ok('task', { action: 'depend', id: p.tasks[0], depends_on: [p.tasks[1]] });
    p.ok('task', { action: 'update', id: p.tasks[2], title: 'Tests, all of them' });
    const d = p.ok('snapshot', { action: 'diff', from: a });
    const preview = p.fail('snapshot', { action: 'restore', id: a });
    const changes = (preview.details as { changes: { tasks: { changed: number } } }).changes;
    expect(d.tasks.changed.map((c: { id: string }) => c.id).sort()).toEqual([p.tasks[0], p.tasks[2]].sort());
    expect(d.tasks.changed.find((c: { id: string }) => c.id === p.tasks[0]).fields.depends_on).toEqual([[], [p.tasks[1]]]);
    expect(changes.tasks.changed).toBe(d.tasks.totals.changed);
  });

  it('a decision saved after a snapshot: the restore preview and the diff both say one context entry, thrown away, and nothing else changed', () => {
    const p = project();
    const a = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    p.ok('context', { action: 'save', flow_id: p.flow, decision: { what: 'Queue the emails', why: 'bursts' } });
    const d = p.ok('snapshot', { action: 'diff', from: a });
    const preview = p.fail('snapshot', { action: 'restore', id: a });
    const changes = (preview.details as { changes: { context_entries: unknown; summary: string } }).changes;
    expect(d.context.totals).toMatchObject({ added: 1, changed: 0, removed: 0 });
    // The flow's context state moved on (its revision) but is not an entry: no phantom "changes 1".
    expect(changes.context_entries).toEqual({ removed: 1, changed: 0, added: 0 });
    expect(changes.summary).toBe('removes 1 context entry');
  });

  it('a preview that removes project files says only their search entries go, the files stay', async () => {
    const p = project();
    const a = p.ok('snapshot', { action: 'create' }).snapshot.id;
    mkdirSync(join(p.t.dir, 'docs'));
    writeFileSync(join(p.t.dir, 'docs', 'one.md'), '# One');
    writeFileSync(join(p.t.dir, 'docs', 'two.md'), '# Two');
    await asyncCaller(p.t.call).ok('document', { action: 'index', paths: ['docs/*.md'] });
    const summary = () => (p.fail('snapshot', { action: 'restore', id: a }).details as { changes: { summary: string } }).changes.summary;
    expect(summary()).toBe('removes 2 documents (all project files: out of the search index, the files stay on disk)');
    p.ok('document', { action: 'write', path: 'notes/later.md', content: '# Later' });
    expect(summary()).toBe('removes 3 documents (2 of them project files: out of the search index, the files stay on disk)');
  });

  it('a restore that would take a live claim from an agent says so in its preview; a claim the snapshot has too is not mentioned', () => {
    const p = project();
    const a = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    const claimed = p.ok('task', { action: 'claim', agent: 'agent-long', flow_id: p.flow, lease_seconds: 3600 }).task.id as string;
    const preview = p.fail('snapshot', { action: 'restore', id: a });
    const summary = (preview.details as { changes: { summary: string } }).changes.summary;
    expect(summary).toMatch(/; releases 1 live claim \(agent-long on /);
    expect(summary).toContain(claimed);
    expect(summary).not.toContain('agent-1'); // its claim is in the snapshot too: the restore keeps it
    expect(preview.message).toContain('releases 1 live claim');
  });

  it('an incremental chain of 50 reads back exactly, with a full checkpoint every 10', () => {
    const p = project();
    const expected: { id: string; state: string }[] = [];
    for (let i = 0; i < 50; i++) {
      p.ok('task', { action: 'create', title: `step ${i}`, description: 'x'.repeat(i) });
      if (i % 7 === 0) p.ok('task', { action: 'set_status', id: p.tasks[i % 3], status: i % 2 ? 'todo' : 'in_progress' });
      const s = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot;
      expected.push({ id: s.id, state: state(p, { kind: 'flow', flowId: p.flow }) });
    }
    forgetStates(); // read everything back from the files
    for (const e of expected) expect(canonicalJson(loadState(p.t.call, findSnapshot(p.t.call, e.id)))).toBe(e.state);
    const kinds = p.t.ws.db.prepare('SELECT kind, COUNT(*) AS n, SUM(bytes) AS bytes FROM snapshots GROUP BY kind ORDER BY kind').all() as {
      kind: string;
      n: number;
      bytes: number;
    }[];
    expect(kinds.map((k) => [k.kind, k.n])).toEqual([
      ['full', 5],
      ['patch', 45],
    ]);
    expect(kinds[1]!.bytes / 45).toBeLessThan(kinds[0]!.bytes / 5); // a patch is smaller than a checkpoint
  });

  for (const scope of ['flow', 'workspace'] as const) {
    it(`rows born after a ${scope} snapshot are gone after restoring it: a later dependency does not survive`, () => {
      const p = project();
      const snap = p.ok('snapshot', { action: 'create', ...(scope === 'flow' ? { flow_id: p.flow } : {}) }).snapshot.id;
      const before = state(p, { kind: 'flow', flowId: p.flow });
      // Born later: a dependency between two tasks that both existed, a new task, a dependency onto it, a plan.
      p.ok('task', { action: 'depend', id: p.tasks[1], depends_on: [p.tasks[0]] });
      const late = p.ok('task', { action: 'create', title: 'Late task' }).task.id;
      p.ok('task', { action: 'depend', id: p.tasks[0], depends_on: [late] });
      const latePlan = p.ok('plan', { action: 'create', title: 'Late plan' }).plan.id;
      p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
      expect(state(p, { kind: 'flow', flowId: p.flow })).toBe(before);
      expect(p.ok('task', { action: 'get', id: p.tasks[1] }).task).not.toHaveProperty('depends_on');
      expect(p.fail('task', { action: 'get', id: late }).code).toBe('not_found');
      expect(p.fail('plan', { action: 'get', id: latePlan }).code).toBe('not_found');
      expect(p.t.ws.db.prepare('SELECT task_id, depends_on FROM task_deps ORDER BY 1, 2').all()).toEqual(
        [{ task_id: p.tasks[2], depends_on: p.tasks[0] }, { task_id: p.tasks[2], depends_on: p.tasks[1] }].sort((a, b) => (a.depends_on! < b.depends_on! ? -1 : 1)),
      );
      // What a user sees: Form (high priority) is ready again, as it was when the snapshot was taken.
      expect(p.ok('task', { action: 'next' }).task.id).toBe(p.tasks[1]);
    });
  }

  it('a snapshot payload naming a document outside its folder, or of an unknown source, is refused whole', () => {
    const p = project();
    const good = captureState(p.t.call, { kind: 'workspace' });
    const before = state(p);
    for (const [path, source] of [['../escape.md', 'flow'], ['notes/../../x.md', 'flow'], ['/etc/passwd', 'project'], ['.hidden/a.md', 'flow'], ['notes/design.md', 'elsewhere']]) {
      const bad = structuredClone(good);
      const doc = Object.values(bad.documents)[0]!;
      doc.path = path;
      doc.source = source;
      let err: unknown;
      try {
        restoreState(p.t.call, { kind: 'workspace' }, bad, 'test');
      } catch (e) {
        err = e;
      }
      expect(err, path).toMatchObject({
        code: 'storage',
        message: `The snapshot names a document "${path}" (${source}) outside the folder documents live in, so it was not restored. Nothing was changed.`,
        hint: 'Restore another snapshot (snapshot list); this one may have come from somewhere else.',
      });
      expect(state(p)).toBe(before);
    }
    expect(existsSync(join(p.t.dir, '.flow', 'escape.md'))).toBe(false);
  });

  it('a restore makes the folders a document needs again, and leaves no journal behind', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'delete', path: 'notes/design.md', confirm: true });
    rmSync(join(p.t.dir, '.flow', 'documents', 'notes'), { recursive: true, force: true });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(readFileSync(join(p.t.dir, '.flow', 'documents', 'notes', 'design.md'), 'utf8')).toBe('# Design\n\nCards only.');
    expect(readdirSync(join(p.t.dir, '.flow')).filter((f) => /journal/.test(f))).toEqual([]);
    // A restore that changes no document file writes no journal either.
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(readdirSync(join(p.t.dir, '.flow')).filter((f) => /journal/.test(f))).toEqual([]);
    expect(p.ok('task', { action: 'get', id: p.tasks[0] }).task.title).toBe('API');
    // The restore is in the event log, naming its scope and how to undo it.
    const ev = p.t.ws.db.prepare("SELECT action, entity, entity_id, flow_id, summary FROM events WHERE action = 'snapshot.restore' ORDER BY seq DESC LIMIT 1").get() as Record<string, string | null>;
    expect(ev).toMatchObject({ action: 'snapshot.restore', entity: 'snapshot', entity_id: 'workspace', flow_id: null });
    expect(ev.summary).toMatch(new RegExp(`^restored the workspace to ${snap}; undo: restore s-`));
  });

  it('a project file\'s entry comes back from its own file: nothing of it is copied into .flow/documents', async () => {
    const p = project();
    mkdirSync(join(p.t.dir, 'docs'));
    writeFileSync(join(p.t.dir, 'docs', 'guide.md'), '# Guide\n\nPineapple deployment notes.');
    const { asyncCaller } = await import('../../helpers/call-async.js');
    const a = asyncCaller(p.t.call);
    await a.ok('document', { action: 'index', paths: ['docs/*.md'] });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    await a.ok('document', { action: 'delete', path: 'docs/guide.md', confirm: true });
    const { search } = await import('../../../src/core/docs/search.js');
    const hits = async () => (await search(p.t.call, { query: 'pineapple deployment' }, undefined)).results.map((r) => r.path);
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(await hits()).toEqual(['docs/guide.md']);
    expect(existsSync(join(p.t.dir, '.flow', 'documents', 'docs'))).toBe(false);
    expect(readFileSync(join(p.t.dir, 'docs', 'guide.md'), 'utf8')).toBe('# Guide\n\nPineapple deployment notes.');
  });

  it('a restore that removes the session\'s current plan leaves the session at no plan', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    const late = p.ok('plan', { action: 'create', title: 'Late' }).plan.id;
    expect(p.t.call.session.current().planId).toBe(late);
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(p.t.call.session.current().planId).toBeNull();
    expect(p.t.call.session.current().flowId).toBe(p.flow);
  });

  it('a restore can itself be undone', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'Changed after the snapshot' });
    const changed = state(p);
    const r = p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(state(p)).not.toBe(changed);
    p.ok('snapshot', { action: 'restore', id: r.undo_snapshot, confirm: true });
    expect(state(p)).toBe(changed);
  });

  it('restoring one flow leaves the other flows exactly as they are', () => {
    const p = project();
    const other = p.ok('flow', { action: 'create', name: 'Other' }).flow.id;
    p.ok('plan', { action: 'create', title: 'Their plan', flow_id: other });
    p.ok('task', { action: 'create', title: 'Their task' });
    const snap = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    const mine = state(p, { kind: 'flow', flowId: p.flow });
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'mine, changed' });
    p.ok('task', { action: 'create', title: 'Their second task' });
    const theirs = state(p, { kind: 'flow', flowId: other });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(state(p, { kind: 'flow', flowId: p.flow })).toBe(mine);
    expect(state(p, { kind: 'flow', flowId: other })).toBe(theirs);
  });

  it('deletes take a snapshot first and name it; restoring it brings the deleted work back', () => {
    const p = project();
    const before = state(p, { kind: 'flow', flowId: p.flow });
    const del = p.ok('plan', { action: 'delete', id: p.plan, confirm: true });
    expect(del.snapshot).toMatch(/^s-/);
    expect(p.ok('snapshot', { action: 'show', id: del.snapshot }).snapshot.reason).toBe('before deleting plan "Build"');
    const gone = p.ok('flow', { action: 'delete', id: p.flow, confirm: true });
    p.ok('snapshot', { action: 'restore', id: del.snapshot, confirm: true });
    expect(state(p, { kind: 'flow', flowId: p.flow })).toBe(before);
    expect(gone.snapshot).not.toBe(del.snapshot);
  });

  it('retention keeps the newest, the young and the pinned; kept patches still read back; unused blobs go', () => {
    const clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'));
    const p = project(clock);
    writeFileSync(join(p.t.dir, '.flow', 'config.json'), JSON.stringify({ snapshots: { keep_last: 3, keep_days: 7, checkpoint_every: 4 } }));
    const ids: string[] = [];
    for (let day = 0; day < 12; day++) {
      p.ok('document', { action: 'write', path: 'notes/design.md', content: `# Design\n\nversion ${day}` });
      ids.push(p.ok('snapshot', { action: 'create', flow_id: p.flow, ...(day === 1 ? { pinned: true } : {}) }).snapshot.id);
      clock.advance(86_400_000);
    }
    // Now 2026-03-13: younger than 7 days are days 6..11; the newest 3 are 9..11; day 1 is pinned.
    const states = new Map(ids.map((id) => [id, canonicalJson(loadState(p.t.call, findSnapshot(p.t.call, id)))]));
    // Blob files are only collected once they are older than a few minutes (another process may be writing).
    const blobs = join(p.t.dir, '.flow', 'snapshots', 'blobs');
    for (const f of readdirSync(blobs)) utimesSync(join(blobs, f), new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    const dry = p.ok('snapshot', { action: 'prune', dry_run: true });
    const expectRemoved = [0, 2, 3, 4, 5].map((d) => ids[d]);
    expect(dry.removed.map((r: { id: string }) => r.id)).toEqual(expectRemoved);
    expect(p.t.ws.db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 12 }); // a dry run changes nothing
    const r = p.ok('snapshot', { action: 'prune', confirm: true });
    expect(r.removed.map((x: { id: string }) => x.id)).toEqual(expectRemoved);
    expect(r.kept).toBe(7);
    expect(r.blobs_removed).toBe(5); // the text of days 0, 2, 3, 4, 5 belonged to removed snapshots only
    forgetStates();
    for (const id of ids.filter((x) => !expectRemoved.includes(x))) {
      expect(canonicalJson(loadState(p.t.call, findSnapshot(p.t.call, id)))).toBe(states.get(id));
    }
    expect(p.ok('snapshot', { action: 'list' }).snapshots.map((x: { id: string }) => x.id)).toEqual(ids.filter((x) => !expectRemoved.includes(x)).reverse());
  });
});

// What a restore keeps, discards and reports, case by case (issue 20: each case is one a mutation of
// restore.ts got past the tests above).
describe('restore, case by case', () => {
  const docs = (p: { t: TempWorkspace }) => join(p.t.dir, '.flow', 'documents');
  const found = async (p: { t: TempWorkspace }, word: string): Promise<string[]> => {
    const { asyncCaller } = await import('../../helpers/call-async.js');
    const r = await asyncCaller(p.t.call).ok('search', { query: word, kind: 'document' });
    return (r.results as { path: string }[]).map((x) => x.path).sort();
  };
  const docRows = (p: { t: TempWorkspace }) =>
    p.t.ws.db.prepare('SELECT id, source, path, title, orphaned_at FROM documents ORDER BY source, path').all() as { id: string; source: string; path: string; title: string; orphaned_at: string | null }[];
  const leftovers = (p: { t: TempWorkspace }) => [
    ...readdirSync(join(p.t.dir, '.flow')).filter((f) => /journal/.test(f)),
    ...(readdirSync(docs(p), { recursive: true }) as string[]).filter((f) => /\.restore-/.test(f)),
  ];

  it('the refusal without confirm names the flow or the workspace, and the hint says how to see the changes', () => {
    const p = project();
    const flowSnap = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot;
    const wsSnap = p.ok('snapshot', { action: 'create' }).snapshot;
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    const f = p.fail('snapshot', { action: 'restore', id: flowSnap.id });
    expect(f.message).toBe(
      `Restoring flow ${p.flow} to snapshot ${flowSnap.id} (${flowSnap.created_at}) changes 1 task; a "before restore" snapshot is taken first, so it can be undone. By name, it changes ${p.tasks[0]} "changed". Nothing was changed.`,
    );
    expect(f.hint).toBe(`Call again with confirm: true; snapshot diff with from: ${flowSnap.id} shows what would change, field by field.`);
    expect(p.fail('snapshot', { action: 'restore', id: wsSnap.id }).message).toMatch(new RegExp(`^Restoring the whole workspace to snapshot ${wsSnap.id} \\(`));
  });

  it('a flow restore says how to undo it, in its result and in the event log', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    const r = p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(r.undo).toBe(`snapshot restore ${r.undo_snapshot} (confirm: true)`);
    const ev = p.t.ws.db.prepare("SELECT entity_id, flow_id, summary FROM events WHERE action = 'snapshot.restore'").get() as Record<string, string>;
    expect(ev).toEqual({ entity_id: p.flow, flow_id: p.flow, summary: `restored ${p.flow} to ${snap}; undo: restore ${r.undo_snapshot} (changes 1 task)` });
  });

  it('a restore without a "before restore" snapshot (recover) logs its note and what it changed, nothing more', () => {
    const p = project();
    const target = captureState(p.t.call, { kind: 'workspace' });
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    const out = restoreState(p.t.call, { kind: 'workspace' }, target, 'recovered from snapshot s-x');
    expect(out.before).toBeUndefined();
    const ev = p.t.ws.db.prepare("SELECT summary FROM events WHERE action = 'snapshot.restore'").get() as { summary: string };
    expect(ev.summary).toBe('recovered from snapshot s-x (changes 1 task)');
    expect(p.ok('task', { action: 'get', id: p.tasks[0] }).task.title).toBe('API');
  });

  it('the preview changes nothing: not even a blob of the text a restore would replace is stored', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nA text no snapshot has seen.' });
    const blobs = join(p.t.dir, '.flow', 'snapshots', 'blobs');
    const before = readdirSync(blobs).sort();
    expect(p.fail('snapshot', { action: 'restore', id: snap }).code).toBe('confirm_required');
    expect(readdirSync(blobs).sort()).toEqual(before);
  });

  it('search finds the restored text of a document, not the discarded one', async () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nWallets and tangerines.' });
    expect(await found(p, 'tangerines')).toEqual(['notes/design.md']);
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(await found(p, 'tangerines')).toEqual([]);
    expect(await found(p, 'cards')).toEqual(['notes/design.md']);
  });

  it('a document whose search entries went missing is searchable again after a restore, though its text did not change', async () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    const entries = () => p.t.ws.db.prepare("SELECT COUNT(*) FROM chunks WHERE kind = 'document'").pluck().get() as number;
    const n = entries();
    expect(n).toBeGreaterThan(0);
    // The state an older restore could leave: the row is there, its search entries are not.
    p.t.ws.db.prepare("DELETE FROM chunks_fts WHERE rowid IN (SELECT id FROM chunks WHERE kind = 'document')").run();
    p.t.ws.db.prepare("DELETE FROM chunks WHERE kind = 'document'").run();
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(entries()).toBe(n);
    expect(await found(p, 'cards')).toEqual(['notes/design.md']);
  });

  it('a document deleted and written again at the same path comes back as one document, with its text, links and search entries', async () => {
    const p = project();
    const before = docRows(p);
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'delete', path: 'notes/design.md', confirm: true });
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nStarting over with kumquats.' });
    expect(docRows(p)[0]!.id).not.toBe(before[0]!.id);
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(docRows(p).map((d) => [d.path, d.title, d.orphaned_at])).toEqual([['notes/design.md', 'Design', null]]);
    const doc = p.ok('document', { action: 'read', path: 'notes/design.md' });
    expect(doc.content).toBe('# Design\n\nCards only.');
    expect(doc.document.links).toEqual([{ target_kind: 'task', target_id: p.tasks[1] }]);
    expect(await found(p, 'kumquats')).toEqual([]);
    expect(await found(p, 'cards')).toEqual(['notes/design.md']);
  });

  it('a document whose file was missing when the snapshot was taken is indexed from the file that is there at restore', async () => {
    const p = project();
    rmSync(join(docs(p), 'notes', 'design.md'));
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'delete', path: 'notes/design.md', confirm: true });
    // The user puts the file back by hand (the same text): the restore indexes it from .flow/documents/.
    writeFileSync(join(docs(p), 'notes', 'design.md'), '# Design\n\nCards only.');
    // A project file of the same name holds other text: it is not the one read.
    mkdirSync(join(p.t.dir, 'notes'));
    writeFileSync(join(p.t.dir, 'notes', 'design.md'), '# Elsewhere\n\nPersimmons.');
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    // Its entry says what its file says: listed by its own title, indexed from its own text.
    expect(p.ok('document', { action: 'list' }).documents.map((d: { path: string; title: string }) => [d.path, d.title])).toEqual([['notes/design.md', 'Design']]);
    expect(p.t.ws.db.prepare("SELECT body FROM chunks WHERE kind = 'document'").pluck().all()).toEqual([expect.stringContaining('Cards only.')]);
    expect(await found(p, 'cards')).toEqual(['notes/design.md']);
    expect(await found(p, 'persimmons')).toEqual([]);
  });

  it('a project file edited and reindexed since the snapshot: its entry says what is indexed now, and reindex has nothing to do', async () => {
    const p = project();
    const { asyncCaller } = await import('../../helpers/call-async.js');
    const a = asyncCaller(p.t.call);
    mkdirSync(join(p.t.dir, 'docs'));
    writeFileSync(join(p.t.dir, 'docs', 'guide.md'), '# Guide\n\nPineapple deployment notes.');
    await a.ok('document', { action: 'index', paths: ['docs/*.md'] });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    writeFileSync(join(p.t.dir, 'docs', 'guide.md'), '# Handbook\n\nMango deployment notes.');
    expect((await a.ok('document', { action: 'reindex' })).report.indexed).toEqual(['docs/guide.md']);
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    // Restore never writes the user's files: the file keeps its new text, and the index says so.
    expect(readFileSync(join(p.t.dir, 'docs', 'guide.md'), 'utf8')).toBe('# Handbook\n\nMango deployment notes.');
    expect(docRows(p).find((d) => d.path === 'docs/guide.md')?.title).toBe('Handbook');
    expect(await found(p, 'mango')).toEqual(['docs/guide.md']);
    expect((await a.ok('document', { action: 'reindex' })).report.indexed).toEqual([]);
  });

  it('a flow restore leaves documents outside that flow where they are', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create', flow_id: p.flow }).snapshot.id;
    const other = p.ok('flow', { action: 'create', name: 'Other' }).flow.id;
    p.ok('plan', { action: 'create', title: 'Their plan' });
    const theirTask = p.ok('task', { action: 'create', title: 'Their task' }).task.id;
    p.ok('document', { action: 'write', path: 'theirs.md', content: '# Theirs', task_id: theirTask });
    p.ok('document', { action: 'write', path: 'loose.md', content: '# Loose' });
    const theirs = state(p, { kind: 'flow', flowId: other });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(docRows(p).map((d) => d.path)).toEqual(['loose.md', 'notes/design.md', 'theirs.md']);
    expect(readFileSync(join(docs(p), 'theirs.md'), 'utf8')).toBe('# Theirs');
    expect(readFileSync(join(docs(p), 'loose.md'), 'utf8')).toBe('# Loose');
    expect(state(p, { kind: 'flow', flowId: other })).toBe(theirs);
  });

  it('a workspace restore removes a later document even when its file is already gone', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'write', path: 'later.md', content: '# Later' });
    rmSync(join(docs(p), 'later.md'));
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(docRows(p).map((d) => d.path)).toEqual(['notes/design.md']);
  });

  it('a later project file leaving the index takes no file with it, not even one of the same name in .flow/documents', async () => {
    const p = project();
    const { asyncCaller } = await import('../../helpers/call-async.js');
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    mkdirSync(join(p.t.dir, 'docs'));
    writeFileSync(join(p.t.dir, 'docs', 'guide.md'), '# Guide');
    await asyncCaller(p.t.call).ok('document', { action: 'index', paths: ['docs/*.md'] });
    // A file the user put in .flow/documents/ by hand, not (yet) a document.
    mkdirSync(join(docs(p), 'docs'));
    writeFileSync(join(docs(p), 'docs', 'guide.md'), '# Mine, by hand');
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(docRows(p).map((d) => d.path)).toEqual(['notes/design.md']);
    expect(readFileSync(join(p.t.dir, 'docs', 'guide.md'), 'utf8')).toBe('# Guide');
    expect(readFileSync(join(docs(p), 'docs', 'guide.md'), 'utf8')).toBe('# Mine, by hand');
  });

  it('a later document that another restore brings back between the commit and the file removal keeps its file', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'write', path: 'later.md', content: '# Later' });
    const row = p.t.ws.db.prepare("SELECT * FROM documents WHERE path = 'later.md'").get() as Record<string, unknown>;
    // Stage the race in process: right before the restore's second hold of the write lock, another
    // process's restore commits the document again (its row is back; its file never went).
    const ws = p.t.ws;
    const write = ws.write.bind(ws);
    let brought = false;
    const has = () => p.t.ws.db.prepare('SELECT 1 FROM documents WHERE id = ?').get(row.id) !== undefined;
    ws.write = ((fn: () => unknown) => {
      if (!brought && !has()) {
        brought = true;
        p.t.ws.db.prepare('INSERT INTO documents (id, source, path, title, size, mtime_ms, sha256, orphaned_at, created_at, updated_at, revision) VALUES (@id, @source, @path, @title, @size, @mtime_ms, @sha256, @orphaned_at, @created_at, @updated_at, @revision)').run(row);
      }
      return write(fn);
    }) as typeof ws.write;
    try {
      p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    } finally {
      ws.write = write;
    }
    expect(brought).toBe(true);
    expect(readFileSync(join(docs(p), 'later.md'), 'utf8')).toBe('# Later');
  });

  it('the flow\'s context file shows the restored context', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('context', { action: 'save', summary: 'Changed my mind about everything.' });
    const file = join(p.t.dir, '.flow', 'context', `${p.flow}.json`);
    expect(readFileSync(file, 'utf8')).toContain('Changed my mind about everything.');
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(readFileSync(file, 'utf8')).toContain('Building checkout.');
    expect(readFileSync(file, 'utf8')).not.toContain('Changed my mind');
  });

  it('the snapshot\'s own orphan marks count, even for a document whose link is written back', () => {
    const p = project();
    const target = structuredClone(captureState(p.t.call, { kind: 'workspace' }));
    const doc = Object.values(target.documents)[0]!;
    doc.orphaned_at = '2026-01-02T03:04:05.000Z';
    p.ok('document', { action: 'unlink', path: 'notes/design.md', task_id: p.tasks[1] });
    restoreState(p.t.call, { kind: 'workspace' }, target, 'test');
    expect(docRows(p)[0]!.orphaned_at).toBe('2026-01-02T03:04:05.000Z');
    expect(p.ok('document', { action: 'read', path: 'notes/design.md' }).document.links).toHaveLength(1);
  });

  it('a payload giving a project file a stored text is not written into .flow/documents', () => {
    const p = project();
    const target = structuredClone(captureState(p.t.call, { kind: 'workspace' }));
    const doc = Object.values(target.documents)[0]!;
    target.documents['d-planted'] = { ...doc, id: 'd-planted', source: 'project', path: 'docs/planted.md' };
    restoreState(p.t.call, { kind: 'workspace' }, target, 'test');
    expect(existsSync(join(docs(p), 'docs'))).toBe(false);
    expect(existsSync(join(p.t.dir, 'docs'))).toBe(false);
  });

  it('a folder where a snapshot\'s document goes is refused by name: the "before restore" snapshot could not keep it', () => {
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'delete', path: 'notes/design.md', confirm: true });
    mkdirSync(join(docs(p), 'notes', 'design.md', 'inside'), { recursive: true });
    const before = state(p);
    const e = p.fail('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(e).toMatchObject({
      code: 'storage',
      message: '.flow/documents/notes/design.md is not a regular file, so the "before restore" snapshot could not keep it and restoring over it would lose it. Nothing was changed.',
      hint: 'Move that file somewhere else (or shrink it), then restore again.',
    });
    expect(state(p)).toBe(before);
    expect(readdirSync(join(docs(p), 'notes', 'design.md'))).toEqual(['inside']);
    expect(leftovers(p)).toEqual([]);
  });

  it('a restore that fails inside its transaction leaves no temporary file or journal, and changes nothing', () => {
    const p = project();
    const target = structuredClone(captureState(p.t.call, { kind: 'workspace' }));
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nChanged.' });
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    (target.tasks[p.tasks[0]!] as Record<string, unknown>).title = null; // NOT NULL: the database refuses it
    const before = state(p);
    expect(() => restoreState(p.t.call, { kind: 'workspace' }, target, 'test')).toThrow();
    expect(state(p)).toBe(before);
    expect(readFileSync(join(docs(p), 'notes', 'design.md'), 'utf8')).toBe('# Design\n\nChanged.');
    expect(leftovers(p)).toEqual([]);
  });

  it('a restore touches only what differs: an unchanged document keeps its search entries and its file stamp', () => {
    const p = project();
    p.ok('document', { action: 'write', path: 'notes/other.md', content: '# Other\n\nUnchanged all along.' });
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nChanged.' });
    const other = () =>
      p.t.ws.db
        .prepare("SELECT d.mtime_ms, (SELECT group_concat(c.id) FROM chunks c WHERE c.owner_id = d.id) AS chunks FROM documents d WHERE d.path = 'notes/other.md'")
        .get() as { mtime_ms: number; chunks: string };
    const before = other();
    expect(before.mtime_ms).toBeGreaterThan(0);
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(other()).toEqual(before);
    expect(readFileSync(join(docs(p), 'notes', 'design.md'), 'utf8')).toBe('# Design\n\nCards only.');
  });

  it('a failed restore without files to rename leaves another live process\'s restore journal alone', () => {
    const p = project();
    const target = structuredClone(captureState(p.t.call, { kind: 'workspace' }));
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    (target.tasks[p.tasks[0]!] as Record<string, unknown>).title = null;
    // A restore in another process (alive: our parent) that has written its journal and not committed.
    const journal = join(p.t.dir, '.flow', 'restore-journal.json');
    const theirs = JSON.stringify({ token: 'theirs', renames: [], pid: process.ppid, host: hostname() });
    writeFileSync(journal, theirs);
    expect(() => restoreState(p.t.call, { kind: 'workspace' }, target, 'test')).toThrow();
    expect(readFileSync(journal, 'utf8')).toBe(theirs);
  });

  it('a restore leaves no pending-restore mark behind, with or without files to rename', async () => {
    const { getSetting } = await import('../../../src/store/settings.js');
    const p = project();
    const snap = p.ok('snapshot', { action: 'create' }).snapshot.id;
    p.ok('task', { action: 'update', id: p.tasks[0], title: 'changed' });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(getSetting(p.t.ws.db, 'pending_restore') ?? null).toBeNull();
    p.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nChanged.' });
    p.ok('snapshot', { action: 'restore', id: snap, confirm: true });
    expect(getSetting(p.t.ws.db, 'pending_restore') ?? null).toBeNull();
    expect(leftovers(p)).toEqual([]);
  });
});
