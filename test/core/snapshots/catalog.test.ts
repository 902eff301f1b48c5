// The snapshot catalog on a real database: finding a snapshot by an id typed in capitals, a full
// checkpoint every N, list pages and their cursors, show's lists capped at 50 (and when it says so),
// and what create, pin and unpin write to the event log.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/core/kernel/cursor.js';
import { forgetStates } from '../../../src/core/snapshots/capture.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => forgetStates());

function project(config?: Record<string, number>) {
  const t = workspace();
  if (config) writeFileSync(join(t.dir, '.flow', 'config.json'), JSON.stringify({ snapshots: config }));
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
  c.ok('plan', { action: 'create', title: 'Build' });
  return { t, ...c, flow };
}
type Project = ReturnType<typeof project>;

const snapshots = (p: Project, n: number) => Array.from({ length: n }, (_, i) => p.ok('snapshot', { action: 'create', label: `snap ${i}` }).snapshot.id as string);
const events = (p: Project, action: string) =>
  p.t.ws.db.prepare('SELECT entity_id, summary FROM events WHERE action = ? ORDER BY seq').all(action) as { entity_id: string; summary: string }[];

describe('the snapshot catalog', () => {
  it('finds a snapshot by its id typed in capitals; an unknown one is refused as a snapshot that does not exist', () => {
    const p = project();
    const [id] = snapshots(p, 1);
    expect(p.ok('snapshot', { action: 'show', id: id!.toUpperCase() }).snapshot.id).toBe(id);
    const e = p.fail('snapshot', { action: 'show', id: 's-nothere' });
    expect(e.code).toBe('not_found');
    expect(e.message).toMatch(/^No snapshot "s-nothere"\./);
  });

  it('takes a full checkpoint every checkpoint_every snapshots of a scope, patches in between', () => {
    const p = project({ checkpoint_every: 3 });
    const kinds = snapshots(p, 7).map((id) => p.ok('snapshot', { action: 'show', id }).snapshot.kind);
    expect(kinds).toEqual(['full', 'patch', 'patch', 'full', 'patch', 'patch', 'full']);
  });

  it('lists in pages: each page at most limit long, its cursor leading to the next, the last page without one', () => {
    const p = project();
    const ids = snapshots(p, 7).reverse(); // newest first, as listed
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const r = p.ok('snapshot', { action: 'list', limit: 3, ...(cursor ? { cursor } : {}) });
      pages.push(r.snapshots.map((s: { id: string }) => s.id));
      cursor = r.next_cursor ?? undefined;
    } while (cursor && pages.length < 10);
    expect(pages).toEqual([ids.slice(0, 3), ids.slice(3, 6), ids.slice(6)]);
    // A page that ends exactly at the last snapshot has no cursor.
    expect(p.ok('snapshot', { action: 'list', limit: 7 }).next_cursor).toBeNull();
  });

  it('refuses a cursor it did not issue: another list\'s, or one whose position is not a whole number above 0', () => {
    const p = project();
    snapshots(p, 2);
    for (const cursor of [encodeCursor('task', 1), encodeCursor('snapshot', 0), encodeCursor('snapshot', -1), encodeCursor('snapshot', 1.5), encodeCursor('snapshot', '1')]) {
      const e = p.fail('snapshot', { action: 'list', cursor });
      expect(e, cursor).toMatchObject({ code: 'invalid_input', message: 'cursor is not one this snapshot list issued.' });
    }
  });

  it('show lists at most 50 of each, and says it is cut when any kind has more than 50', () => {
    const p = project();
    for (let i = 0; i < 49; i++) p.ok('plan', { action: 'create', title: `Plan ${i}` }); // 50 plans in all
    const fifty = p.ok('snapshot', { action: 'show', id: snapshots(p, 1)[0] });
    expect(fifty.plans).toHaveLength(50);
    expect(fifty.truncated).toBe(false);
    p.ok('plan', { action: 'create', title: 'Plan 51' });
    const more = p.ok('snapshot', { action: 'show', id: snapshots(p, 1)[0] });
    expect(more.snapshot.counts.plans).toBe(51);
    expect(more.plans).toHaveLength(50);
    expect(more.truncated).toBe(true);
  });

  it('show says it is cut when only a kind it does not list (tasks) has more than 50', () => {
    const p = project();
    p.ok('task', { action: 'create', tasks: Array.from({ length: 51 }, (_, i) => ({ title: `Task ${i}` })) });
    expect(p.ok('snapshot', { action: 'show', id: snapshots(p, 1)[0] }).truncated).toBe(true);
  });

  it('create, pin and unpin are in the event log, with the label and what was done', () => {
    const p = project();
    const id = p.ok('snapshot', { action: 'create', label: 'before the storm' }).snapshot.id;
    expect(events(p, 'snapshot.create').at(-1)).toEqual({ entity_id: id, summary: `snapshot ${id} of the workspace (manual: before the storm)` });
    p.ok('snapshot', { action: 'pin', id });
    p.ok('snapshot', { action: 'unpin', id });
    expect(events(p, 'snapshot.pin')).toEqual([{ entity_id: id, summary: `pinned ${id}` }]);
    expect(events(p, 'snapshot.unpin')).toEqual([{ entity_id: id, summary: `unpinned ${id}` }]);
  });
});
