// Reading the event log: `log` pages newest first with a cursor only it accepts, and a follower gets
// a damaged row's changes as unreadable instead of stopping at it for ever.
import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/core/kernel/cursor.js';
import { eventsSince, newestSeq, pageEnd, readLog } from '../../../src/core/kernel/event-log.js';
import { appendEvent } from '../../../src/store/events.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caller } from '../../helpers/call.js';
import { caught } from '../../helpers/caught.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const fresh = workspacePerTest();

/** A workspace whose log holds a flow, a plan and `tasks` task creations (seq 1 up). */
function logged(tasks: number) {
  const w = fresh();
  const { ok } = caller(w.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
  for (let i = 0; i < tasks; i++) ok('task', { action: 'create', title: `Task ${i}` });
  return w;
}

describe('log pages', () => {
  it('newest first, `limit` a page, a cursor to the next page until the last', () => {
    const w = logged(3);
    const all = newestSeq(w.ws.db);
    const seqs = (events: { seq: number }[]) => events.map((e) => e.seq);
    const first = readLog(w.call, { limit: 2 });
    expect(seqs(first.events)).toEqual([all, all - 1]);
    expect(first.next_cursor).toBe(encodeCursor('log', all - 1, { f: null, e: null }));
    const second = readLog(w.call, { limit: 2, cursor: first.next_cursor! });
    expect(seqs(second.events)).toEqual([all - 2, all - 3]);
    const rest = readLog(w.call, { limit: all - 4, cursor: second.next_cursor! });
    expect(seqs(rest.events)).toEqual(Array.from({ length: all - 4 }, (_, i) => all - 4 - i));
    expect(rest.next_cursor).toBeNull();
    expect(readLog(w.call, { limit: all }).next_cursor).toBeNull();
  });

  it('a cursor another list issued, or with a key that is not a seq, is refused with what to do', () => {
    const w = logged(1);
    for (const cursor of [encodeCursor('task', 3), encodeCursor('log', '3'), encodeCursor('', 3)]) {
      const e = caught<FlowError>(() => readLog(w.call, { cursor }));
      expect({ code: e.code, message: e.message }).toEqual({ code: 'invalid_input', message: 'cursor is not one this log list issued.' });
    }
  });
});

describe('followers', () => {
  it('a row whose changes cannot be read comes with changes null and says so; the next rows as usual', () => {
    const w = logged(1);
    const { ok } = caller(w.call);
    const id = ok('task', { action: 'create', title: 'Fix login' }).task.id;
    ok('task', { action: 'update', id, priority: 'high' });
    const damaged = newestSeq(w.ws.db);
    ok('task', { action: 'update', id, priority: 'low' });
    w.ws.db.prepare('UPDATE events SET changes = ? WHERE seq = ?').run('{not json', damaged);
    const [bad, good] = eventsSince(w.ws.db, damaged - 1, damaged + 1, 10);
    expect(bad).toMatchObject({ seq: damaged, changes: null, changes_unreadable: true });
    expect(good).toMatchObject({ seq: damaged + 1, changes: { priority: ['high', 'low'] } });
    expect(good).not.toHaveProperty('changes_unreadable');
  });
});

describe('pageEnd: how far one page of the log may read', () => {
  it('stops before the event that takes the page past its bytes, takes one event alone whatever its size, and reaches upTo when all fit', () => {
    const w = fresh();
    const db = w.ws.db;
    const at = '2026-01-01T00:00:00.000Z';
    const add = (bytes: number) =>
      appendEvent(db, { at, session_id: 's', agent: 'a', action: 'task.update', entity: 'task', entity_id: 't-x', flow_id: null, summary: 's', changes: { description: ['', 'x'.repeat(bytes)] } });
    const first = newestSeq(db);
    const seqs = [add(100), add(100), add(1000), add(100)];
    const size = (n: number) => 1 + JSON.stringify({ description: ['', 'x'.repeat(n)] }).length;
    // Room for the first two and not the third.
    expect(pageEnd(db, first, seqs[3]!, 200, size(100) * 2 + 10)).toBe(seqs[1]);
    // One event past the budget alone still makes a page (a follower never stalls on it).
    expect(pageEnd(db, seqs[1]!, seqs[3]!, 200, 50)).toBe(seqs[2]);
    // All fit: the page may read to upTo; at most `limit` events: to the limit's last.
    expect(pageEnd(db, first, seqs[3]!, 200, 1 << 20)).toBe(seqs[3]);
    expect(pageEnd(db, first, seqs[3]!, 2, 1 << 20)).toBe(seqs[1]);
    expect(pageEnd(db, seqs[3]!, seqs[3]!, 200, 50)).toBe(seqs[3]);
  });
});
