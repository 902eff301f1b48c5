// A restore confirmed from a preview restores only the state the preview was made from: the work
// changed in between (an assistant kept working, a second click's restore ran first) is refused and
// nothing changes; a snapshot taken meanwhile (no change to the work) is not a change.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { restoreTargetFingerprint } from '../../../src/core/snapshots/state-fingerprint.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

function project() {
  t = workspace();
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
  c.ok('plan', { action: 'create', title: 'Build' });
  const task = c.ok('task', { action: 'create', title: 'API' }).task.id as string;
  c.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nCards only.' });
  const snap = c.ok('snapshot', { action: 'create', flow_id: flow }).snapshot.id as string;
  c.ok('task', { action: 'create', title: 'Work after the snapshot' });
  return { t, flow, task, snap };
}

const restoreAsPreviewed = (tw: TempWorkspace, snap: string, previewed: string) => caller({ ...tw.call, previewed }).raw('snapshot', { action: 'restore', id: snap, confirm: true });

it('restores when the work is as previewed; a snapshot taken meanwhile is no change', () => {
  const p = project();
  const previewed = restoreTargetFingerprint(p.t.call, p.snap);
  caller(p.t.call).ok('snapshot', { action: 'create', flow_id: p.flow, label: 'taken meanwhile' });
  const r = restoreAsPreviewed(p.t, p.snap, previewed);
  expect(r.isError, JSON.stringify(r.structured)).toBe(false);
  expect(caller(p.t.call).ok('task', { action: 'list' }).tasks.map((x: { title: string }) => x.title)).toEqual(['API']);
});

it('refuses, changing nothing, when the work changed after the preview: a task, a document on disk, a claim', () => {
  for (const change of [
    (c: ReturnType<typeof caller>, p: ReturnType<typeof project>) => c.ok('task', { action: 'update', id: p.task, title: 'API v2' }),
    (c: ReturnType<typeof caller>) => c.ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nWallets too.' }),
    (c: ReturnType<typeof caller>, p: ReturnType<typeof project>) => c.ok('task', { action: 'claim', agent: 'agent-1', id: p.task }),
  ]) {
    const p = project();
    const c = caller(p.t.call);
    const previewed = restoreTargetFingerprint(p.t.call, p.snap);
    change(c, p);
    const before = dumpDb(p.t.ws);
    const r = restoreAsPreviewed(p.t, p.snap, previewed);
    expect(r.isError).toBe(true);
    expect(r.structured.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/^Not restored: flow \S+ changed since the preview was shown .* Nothing was changed\.$/), hint: expect.stringMatching(/preview again/) });
    expect(dumpDb(p.t.ws)).toEqual(before);
    t!.cleanup();
    t = undefined;
  }
});

it("a preview of one snapshot does not confirm the restore of another", () => {
  const p = project();
  const other = caller(p.t.call).ok('snapshot', { action: 'create', flow_id: p.flow, label: 'later' }).snapshot.id as string;
  const previewed = restoreTargetFingerprint(p.t.call, other);
  const before = dumpDb(p.t.ws);
  expect(restoreAsPreviewed(p.t, p.snap, previewed).structured.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/or the preview was of another snapshot/) });
  expect(dumpDb(p.t.ws)).toEqual(before);
  expect(restoreAsPreviewed(p.t, other, previewed).isError).toBe(false);
});

it('a second restore from the same preview (a double-click) is refused: the first already changed the work', () => {
  const p = project();
  const previewed = restoreTargetFingerprint(p.t.call, p.snap);
  expect(restoreAsPreviewed(p.t, p.snap, previewed).isError).toBe(false);
  const snapshots = () => (p.t.ws.db.prepare("SELECT COUNT(*) AS n FROM snapshots WHERE reason LIKE 'before restore%'").get() as { n: number }).n;
  expect(snapshots()).toBe(1);
  const again = restoreAsPreviewed(p.t, p.snap, previewed);
  expect(again.structured.error).toMatchObject({ code: 'conflict' });
  // Only one "before restore" snapshot: the undo point still holds the work the first restore threw away.
  expect(snapshots()).toBe(1);
});

it('taking the fingerprint (showing a preview) stores nothing: no copy of a document\'s text as it is now', () => {
  const p = project();
  caller(p.t.call).ok('document', { action: 'write', path: 'notes/design.md', content: '# Design\n\nWritten after the snapshot.' });
  const blobs = () => readdirSync(join(p.t.dir, '.flow', 'snapshots', 'blobs')).sort();
  const before = blobs();
  restoreTargetFingerprint(p.t.call, p.snap);
  expect(blobs()).toEqual(before);
});
