// `flowmcp recover` on a database that is fine: without --force it changes nothing (even while another
// process has the project open); with --force it refuses while another process has the project open,
// and otherwise rebuilds from the snapshots taken before it, never from the snapshot of everything the
// database held that it takes first: that one is the undo, and the report says how to restore it.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recover } from '../../../src/core/transfer/recover.js';
import { markerPath } from '../../../src/core/transfer/recover-marker.js';
import { Workspace } from '../../../src/core/kernel/workspace.js';
import { eventsSince } from '../../../src/core/kernel/event-log.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caller } from '../../helpers/call.js';
import { caught } from '../../helpers/caught.js';
import { tempDirPerTest } from '../../helpers/workspace.js';
import { shopProject } from '../../helpers/recover.js';

const scratch = tempDirPerTest();

function project(): string {
  const dir = scratch();
  shopProject(dir, { label: 'early' });
  return dir;
}

const setAside = (dir: string) => readdirSync(join(dir, '.flow')).filter((f) => f.includes('damaged'));

describe('recover on a healthy database', () => {
  it('without --force changes nothing and says so, even while another process has the project open', () => {
    const dir = project();
    const db = join(dir, '.flow', 'flow.db');
    const ws = Workspace.open(dir); // holds the project open, as a server would
    try {
      const before = readFileSync(db);
      expect(recover(dir)).toEqual({
        kept_aside: [],
        snapshots_found: 0,
        unreadable_payloads: [],
        restored_from: [],
        flows: 0,
        tasks: 0,
        documents_indexed: 0,
        events_kept: 0,
        documents_from_disk: [],
        documents_from_snapshot: [],
        context_from_disk: [],
        note: 'flow.db opens and passes its integrity check: nothing was changed (use --force to rebuild anyway).',
      });
      expect(readFileSync(db).equals(before)).toBe(true);
      expect(setAside(dir)).toEqual([]);
      expect(existsSync(markerPath(join(dir, '.flow')))).toBe(false);
    } finally {
      ws.close();
    }
  });

  it('with --force refuses while another process has the project open, and that process goes on', () => {
    const dir = project();
    const ws = Workspace.open(dir);
    try {
      const e = caught<FlowError>(() => recover(dir, { force: true }));
      expect(e.code).toBe('storage');
      expect(e.message).toBe(
        'Another flowmcp process (a server an assistant started, or a CLI command) has this project open, and it would go on writing to the database recover sets aside. Nothing was changed.',
      );
      expect(e.hint).toBe('Stop it first (close the assistant windows or flowmcp serve processes using this project), then run flowmcp recover again.');
      expect(setAside(dir)).toEqual([]);
      expect(existsSync(markerPath(join(dir, '.flow')))).toBe(false);
      caller({ ws, session: ws.session('a') }).ok('task', { action: 'create', title: 'After the refusal' });
    } finally {
      ws.close();
    }
    const again = Workspace.open(dir);
    try {
      expect(again.db.prepare('SELECT title FROM tasks ORDER BY title').pluck().all()).toEqual(['After the refusal', 'Cart']);
    } finally {
      again.close();
    }
  });

  it('with --force rebuilds from the newest snapshot before it; the snapshot it took first brings everything back', () => {
    const dir = scratch();
    let ws = Workspace.open(dir);
    let c = caller({ ws, session: ws.session('a') });
    c.ok('flow', { action: 'create', name: 'Shop' });
    c.ok('plan', { action: 'create', title: 'Build' });
    c.ok('task', { action: 'create', title: 'Cart' });
    const early = c.ok('snapshot', { action: 'create', label: 'early' }).snapshot as { id: string; created_at: string };
    c.ok('task', { action: 'create', tasks: [{ title: 'Checkout' }, { title: 'Refunds' }] });
    c.ok('context', { action: 'save', decision: { what: 'Stripe first', why: 'most users' } });
    ws.close();

    const report = recover(dir, { force: true });
    const kept = /was healthy: snapshot (s-[0-9a-z]+) of everything it held was taken first, and the rebuild comes from the snapshots before it\. To go back to what flow\.db held: flowmcp snapshot restore \1 --confirm\.$/.exec(report.note ?? '')?.[1];
    expect(kept).toBeDefined();
    expect(report.restored_from.map((r) => r.id)).toEqual([early.id]);
    expect(report).toMatchObject({ flows: 1, tasks: 1 });
    // The database it set aside was closed first: one whole file, nothing left in a log beside it.
    expect(report.kept_aside).toEqual([expect.stringMatching(/flow\.db\.damaged-[^/]+Z$/)]);
    expect(report.not_recovered).toMatch(new RegExp(`^Changes made after ${early.created_at} \\(snapshot ${early.id}\\) are not recovered: .* What the old database held is kept in ${report.kept_aside[0]}\\.$`));

    ws = Workspace.open(dir);
    c = caller({ ws, session: ws.session('a') });
    try {
      const flow = c.ok('flow', { action: 'list' }).flows[0].id as string;
      const titles = () => (c.ok('task', { action: 'list', flow_id: flow }).tasks as { title: string }[]).map((t) => t.title).sort();
      expect(titles()).toEqual(['Cart']);
      // The snapshot it took first is listed with the reason, and recorded as recover's doing.
      const snaps = c.ok('snapshot', { action: 'list' }).snapshots as { id: string; reason: string }[];
      expect(snaps.find((s) => s.id === kept)?.reason).toBe('before recover --force');
      const log = eventsSince(ws.db, 0, Number.MAX_SAFE_INTEGER, 1000);
      expect(log.find((e) => e.action === 'snapshot.create' && e.entity_id === kept)?.agent).toBe('recover');
      const rec = log.find((e) => e.action === 'recover');
      expect(rec).toMatchObject({ agent: 'recover', entity: 'snapshot', entity_id: 'workspace', flow_id: null, summary: `rebuilt flow.db from snapshots; kept ${report.events_kept} events of the old log` });
      expect(log.find((e) => e.action === 'snapshot.restore')?.summary).toMatch(new RegExp(`^recovered from snapshot ${early.id} \\(`));
      // Restoring it, as the note says, brings back everything the database held.
      c.ok('snapshot', { action: 'restore', id: kept, confirm: true });
      expect(titles()).toEqual(['Cart', 'Checkout', 'Refunds']);
      expect(JSON.stringify(c.ok('context', { action: 'get', flow_id: flow }).decisions)).toContain('Stripe first');
    } finally {
      ws.close();
    }
  });

  it('with --force and no snapshot holding a flow, refuses: a rebuild from nothing would show an empty project', () => {
    const dir = scratch();
    const ws = Workspace.open(dir);
    try {
      const c = caller({ ws, session: ws.session('a') });
      c.ok('flow', { action: 'create', name: 'Unsnapshotted' });
    } finally {
      ws.close();
    }
    const db = readFileSync(join(dir, '.flow', 'flow.db'));
    const e = caught<FlowError>(() => recover(dir, { force: true }));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(
      'recover --force rebuilds flow.db from the snapshots taken before it, and no snapshot in .flow/snapshots holds a flow: the rebuilt database would hold none of the 1 flow flow.db holds now. Nothing was changed.',
    );
    expect(e.hint).toMatch(/take a snapshot first \(flowmcp snapshot create\)/);
    expect(readFileSync(join(dir, '.flow', 'flow.db')).equals(db)).toBe(true);
    expect(setAside(dir)).toEqual([]);
    expect(existsSync(join(dir, '.flow', 'snapshots')) ? readdirSync(join(dir, '.flow', 'snapshots')).filter((f) => f.endsWith('.gz')) : []).toEqual([]);
    expect(existsSync(markerPath(join(dir, '.flow')))).toBe(false);
  });

  it('with --force on a database that holds nothing, rebuilds (there is nothing to lose): the documents on disk are indexed', () => {
    const dir = scratch();
    Workspace.open(dir).close();
    mkdirSync(join(dir, '.flow', 'documents'), { recursive: true });
    writeFileSync(join(dir, '.flow', 'documents', 'kept.md'), '# Kept');
    const report = recover(dir, { force: true });
    expect(report).toMatchObject({ flows: 0, restored_from: [], documents_from_disk: ['kept.md'], documents_from_snapshot: [] });
    expect(report.not_recovered).toMatch(/^No snapshot could be restored: /);
  });
});
