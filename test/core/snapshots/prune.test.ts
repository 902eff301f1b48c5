// Retention on a real database and real payload files, on a hand-driven clock: which snapshots go,
// which kept patches are rewritten as checkpoints (and only those), what the event log says, orphaned
// documents going after a snapshot that keeps their text, and which stray files are collected: only
// those older than ten minutes, so a snapshot another process is writing right now is never taken.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../../src/core/kernel/clock.js';
import { forgetStates } from '../../../src/core/snapshots/capture.js';
import { getSnapshot } from '../../../src/store/snapshots.js';
import { caller } from '../../helpers/call.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const workspace = workspacePerTest();
afterEach(() => {
  forgetStates();
  vi.useRealTimers();
});
const DAY = 86_400_000;

function project(config: Record<string, number> = {}, clock = new ManualClock(Date.parse('2026-03-01T00:00:00Z'))) {
  const t = workspace({ clock });
  if (Object.keys(config).length) writeFileSync(join(t.dir, '.flow', 'config.json'), JSON.stringify({ snapshots: config }));
  const c = caller(t.call);
  const flow = c.ok('flow', { action: 'create', name: 'Checkout' }).flow.id as string;
  c.ok('plan', { action: 'create', title: 'Build' });
  return { t, clock, ...c, flow, snapsDir: join(t.dir, '.flow', 'snapshots') };
}
type Project = ReturnType<typeof project>;

/** One snapshot a day, each after a change, `n` days running. */
function daily(p: Project, n: number): string[] {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    p.ok('task', { action: 'create', title: `Day ${i}` });
    ids.push(p.ok('snapshot', { action: 'create' }).snapshot.id);
    p.clock.advance(DAY);
  }
  return ids;
}

const lastEvent = (p: Project) =>
  p.t.ws.db.prepare("SELECT action, entity_id, flow_id, summary FROM events WHERE action LIKE 'snapshot.%' ORDER BY seq DESC LIMIT 1").get();

describe('snapshot prune', () => {
  it('removes nothing without confirm: it names what retention would remove and how to go on; with nothing to remove it needs none', async () => {
    const p = project({ keep_last: 1, keep_days: 0 });
    const ids = daily(p, 3);
    const e = p.fail('snapshot', { action: 'prune' });
    expect(e.code).toBe('confirm_required');
    expect(e.message).toContain(`Pruning removes 2 snapshots for good (${ids[0]}, ${ids[1]})`);
    expect(e.message).toContain('keep the last 1, and any from the last 0 days');
    expect(e.hint).toMatch(/confirm: true.*dry_run: true/);
    expect(p.ok('snapshot', { action: 'list' }).snapshots).toHaveLength(3);
    // The same through /flow: refused, and the hint is the line that confirms it.
    const command = asyncCaller(p.t.call);
    const viaCommand = await command.raw('command', { text: '/flow prune snapshot' });
    expect(viaCommand.isError).toBe(true);
    expect((viaCommand.structured.error as { hint: string }).hint).toContain('--confirm');
    expect(p.ok('snapshot', { action: 'list' }).snapshots).toHaveLength(3);
    expect((await command.ok('command', { text: '/flow prune snapshot --confirm' })).result.removed).toHaveLength(2);
    // Only the newest is left, and retention keeps it: nothing to confirm.
    expect(p.ok('snapshot', { action: 'prune' })).toMatchObject({ removed: [], kept: 1 });
  });

  it('rewrites as a checkpoint only a kept patch whose base goes, and says what it did in its result and the event log', () => {
    const p = project({ keep_last: 2, keep_days: 1 });
    const ids = daily(p, 4); // one checkpoint and three patches, each on the one before
    const dry = p.ok('snapshot', { action: 'prune', dry_run: true });
    expect(dry).toMatchObject({ dry_run: true, kept: 2, rewritten_as_full: [ids[2]] });
    expect(dry.removed.map((r: { id: string }) => r.id)).toEqual([ids[0], ids[1]]);
    const r = p.ok('snapshot', { action: 'prune', confirm: true });
    expect(r).toMatchObject({ dry_run: false, kept: 2, rewritten_as_full: [ids[2]], orphan_documents_removed: [] });
    expect(lastEvent(p)).toEqual({ action: 'snapshot.prune', entity_id: 'workspace', flow_id: null, summary: 'pruned 2 snapshots (kept 2)' });
    // The patch's own file went with it; the checkpoint reads back, and so does the patch on it.
    expect(readdirSync(p.snapsDir).filter((f) => f.startsWith(ids[2]!))).toEqual([`${ids[2]}.full.json.gz`]);
    forgetStates();
    expect(p.ok('snapshot', { action: 'diff', from: ids[2], to: ids[3] }).tasks.totals).toEqual({ added: 1, removed: 0, changed: 0 });
  });

  it('a checkpoint is never rewritten, even one whose catalog row names a base', () => {
    const p = project({ keep_last: 1, keep_days: 1, checkpoint_every: 1 });
    const ids = daily(p, 2);
    p.t.ws.db.prepare('UPDATE snapshots SET base_id = ? WHERE id = ?').run(ids[0], ids[1]);
    expect(p.ok('snapshot', { action: 'prune', dry_run: true }).rewritten_as_full).toEqual([]);
  });

  it('a patch whose payload file already has the checkpoint\'s name keeps that file once rewritten', () => {
    const p = project({ keep_last: 2, keep_days: 1 });
    const ids = daily(p, 3);
    const row = getSnapshot(p.t.ws.db, ids[1]!)!;
    renameSync(join(p.snapsDir, row.file), join(p.snapsDir, `${ids[1]}.full.json.gz`));
    p.t.ws.db.prepare('UPDATE snapshots SET file = ? WHERE id = ?').run(`${ids[1]}.full.json.gz`, ids[1]);
    expect(p.ok('snapshot', { action: 'prune', confirm: true }).rewritten_as_full).toEqual([ids[1]]);
    forgetStates();
    expect(p.ok('snapshot', { action: 'diff', from: ids[1], to: ids[2] }).tasks.totals).toEqual({ added: 1, removed: 0, changed: 0 });
  });

  it('orphaned documents older than the retention period go, after a workspace snapshot that keeps their text; one whose file is gone too', () => {
    // The database marks a document orphaned at its own (real) time: the clock starts there.
    const p = project({}, new ManualClock(Date.now()));
    const [a, b] = p.ok('task', { action: 'create', tasks: [{ title: 'A' }, { title: 'B' }] }).tasks.map((x: { id: string }) => x.id);
    p.ok('document', { action: 'write', path: 'notes/a.md', content: '# A\n\nKeep my text.', task_id: a });
    p.ok('document', { action: 'write', path: 'notes/b.md', content: '# B', task_id: b });
    p.ok('task', { action: 'delete', id: a, confirm: true });
    p.ok('task', { action: 'delete', id: b, confirm: true });
    rmSync(join(p.t.dir, '.flow', 'documents', 'notes', 'b.md')); // gone by hand already
    p.clock.advance(31 * DAY);
    const r = p.ok('snapshot', { action: 'prune', confirm: true });
    expect(r.orphan_documents_removed.sort()).toEqual(['notes/a.md', 'notes/b.md']);
    expect(existsSync(join(p.t.dir, '.flow', 'documents', 'notes', 'a.md'))).toBe(false);
    expect(lastEvent(p)).toMatchObject({ action: 'snapshot.prune', summary: `pruned ${r.removed.length} snapshots (kept ${r.kept}), removed 2 orphaned documents` });
    const kept = p.ok('snapshot', { action: 'list' }).snapshots.find((s: { reason: string }) => s.reason === 'before prune of orphaned documents');
    expect(kept).toBeDefined();
    p.ok('snapshot', { action: 'restore', id: kept.id, confirm: true });
    expect(p.ok('document', { action: 'read', path: 'notes/a.md' }).content).toBe('# A\n\nKeep my text.');
  });

  it('stray payloads and unused blobs are collected once older than ten minutes; newer ones, and named ones, stay', () => {
    const t0 = Date.parse('2026-06-01T12:00:00Z');
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(t0);
    const p = project({}, new ManualClock(t0));
    const [id] = daily(p, 1);
    const blobs = join(p.snapsDir, 'blobs');
    mkdirSync(blobs, { recursive: true });
    const file = getSnapshot(p.t.ws.db, id!)!.file;
    const age = (f: string, ms: number) => utimesSync(f, new Date(t0 - ms), new Date(t0 - ms));
    // Strays: copies of a payload no catalog row names, and blobs no snapshot uses.
    const stray = (name: string, ms: number) => (copyFileSync(join(p.snapsDir, file), join(p.snapsDir, name)), age(join(p.snapsDir, name), ms));
    const blob = (hash: string, ms: number) => (writeFileSync(join(blobs, `${hash}.gz`), gzipSync(hash)), age(join(blobs, `${hash}.gz`), ms));
    stray('s-old.full.json.gz', 10 * 60_000 + 1);
    stray('s-exactly.full.json.gz', 10 * 60_000); // ten minutes to the millisecond: not older than ten minutes
    stray('s-new.full.json.gz', 0);
    blob('a'.repeat(64), 10 * 60_000 + 1);
    blob('b'.repeat(64), 10 * 60_000);
    blob('c'.repeat(64), 0);
    age(join(p.snapsDir, file), DAY); // a named payload, however old, stays
    const r = p.ok('snapshot', { action: 'prune', confirm: true });
    expect(r).toMatchObject({ stray_payloads_removed: 1, blobs_removed: 1 });
    expect(readdirSync(p.snapsDir).filter((f) => f.endsWith('.gz')).sort()).toEqual([file, 's-exactly.full.json.gz', 's-new.full.json.gz'].sort());
    expect(readdirSync(blobs).sort()).toEqual([`${'b'.repeat(64)}.gz`, `${'c'.repeat(64)}.gz`]);
  });

  it('a catalog row whose list of blobs is damaged is refused by name', () => {
    const p = project();
    const [id] = daily(p, 1);
    p.t.ws.db.prepare('UPDATE snapshots SET blobs = ? WHERE id = ?').run('not json', id);
    const e = p.fail('snapshot', { action: 'prune', confirm: true });
    expect(e.code).toBe('damaged');
    expect(e.message).toContain(`snapshots.blobs of ${id} is not JSON`);
  });
});
