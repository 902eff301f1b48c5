// The event log on a real database file: what is appended is read back field for field, the filters a
// follower and the history page use pick exactly their events, and salvaging the log of a set-aside
// database reads what can be read without changing that file.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { appendEvent, eventsAfter, insertEventRows, lastEventSeq, listEvents, salvageEvents, type EventInput, type EventRow } from '../../src/store/events.js';
import { dbsPerTest } from '../helpers/db.js';

const dbs = dbsPerTest();

const ev = (over: Partial<EventInput> = {}): EventInput => ({
  at: '2026-01-01T00:00:00.000Z',
  session_id: 's1',
  agent: 'agent-a',
  action: 'task.create',
  entity: 'task',
  entity_id: 't1',
  flow_id: 'f1',
  summary: 'created t1',
  ...over,
});

describe('event log', () => {
  it('stores an event as given, with its changes as JSON, and numbers events in order', () => {
    const { db } = dbs.open();
    expect(lastEventSeq(db)).toBe(0);
    expect(appendEvent(db, ev({ changes: { status: ['todo', 'done'] } }))).toBe(1);
    expect(appendEvent(db, ev({ entity_id: 't2' }))).toBe(2);
    const [second, first] = listEvents(db, { limit: 10 });
    expect(first).toEqual({ seq: 1, at: '2026-01-01T00:00:00.000Z', session_id: 's1', agent: 'agent-a', action: 'task.create', entity: 'task', entity_id: 't1', flow_id: 'f1', summary: 'created t1', changes: '{"status":["todo","done"]}' });
    expect(second!.changes).toBeNull();
    expect(lastEventSeq(db)).toBe(2);
  });

  it('continues an old log at the seq given (recover), and copies rows as they are', () => {
    const { db } = dbs.open();
    expect(appendEvent(db, ev(), 100)).toBe(100);
    expect(appendEvent(db, ev())).toBe(101);
    const row: EventRow = { ...ev(), seq: 50, changes: '{"a":[1,2]}' };
    insertEventRows(db, [row, { ...row, summary: 'a second copy is ignored' }]);
    expect(eventsAfter(db, { after: 0, limit: 10 }).map((e) => [e.seq, e.summary, e.changes])).toEqual([
      [50, 'created t1', '{"a":[1,2]}'],
      [100, 'created t1', null],
      [101, 'created t1', null],
    ]);
  });

  it('filters by flow, entity id, entity and seq range; an empty filter is no filter', () => {
    const { db } = dbs.open();
    appendEvent(db, ev({ flow_id: 'f1', entity_id: 't1' })); // 1
    appendEvent(db, ev({ flow_id: 'f2', entity_id: 't2' })); // 2
    appendEvent(db, ev({ flow_id: 'f1', entity: 'plan', entity_id: 'p1' })); // 3
    appendEvent(db, ev({ flow_id: null, entity: 'document', entity_id: 'd1' })); // 4
    const seqs = (rows: EventRow[]) => rows.map((r) => r.seq);
    expect(seqs(listEvents(db, { limit: 10 }))).toEqual([4, 3, 2, 1]);
    expect(seqs(listEvents(db, { limit: 2 }))).toEqual([4, 3]);
    expect(seqs(listEvents(db, { flowId: '', entityId: '', limit: 10 }))).toEqual([4, 3, 2, 1]);
    expect(seqs(listEvents(db, { flowId: 'f1', limit: 10 }))).toEqual([3, 1]);
    expect(seqs(listEvents(db, { entityId: 't2', limit: 10 }))).toEqual([2]);
    expect(seqs(listEvents(db, { before: 3, limit: 10 }))).toEqual([2, 1]);
    expect(seqs(listEvents(db, { flowId: 'f1', before: 3, limit: 10 }))).toEqual([1]);
    expect(seqs(eventsAfter(db, { after: 1, limit: 10 }))).toEqual([2, 3, 4]);
    expect(seqs(eventsAfter(db, { after: 1, limit: 2 }))).toEqual([2, 3]);
    expect(seqs(eventsAfter(db, { after: 0, upTo: 3, limit: 10 }))).toEqual([1, 2, 3]);
    expect(seqs(eventsAfter(db, { after: 0, entity: 'task', limit: 10 }))).toEqual([1, 2]);
    expect(seqs(eventsAfter(db, { after: 0, flowId: 'f1', entity: 'plan', limit: 10 }))).toEqual([3]);
    expect(seqs(eventsAfter(db, { after: 0, entity: '', flowId: '', limit: 10 }))).toEqual([1, 2, 3, 4]);
  });
});

describe('salvageEvents', () => {
  it('reads the whole log of another database a page at a time, with its newest seq', () => {
    const { db, file } = dbs.open('old.db');
    for (let i = 0; i < 5; i++) appendEvent(db, ev({ summary: `e${i}` }));
    db.close();
    const pages: number[][] = [];
    expect(salvageEvents(file, (rows) => pages.push(rows.map((r) => r.seq)), 2)).toEqual({ copied: 5, newest: 5 });
    expect(pages).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('reads the part of the log still in the WAL, and leaves the set-aside file and its WAL as they were', () => {
    const { db, file } = dbs.open('live.db');
    db.pragma('wal_autocheckpoint = 0');
    for (let i = 0; i < 3; i++) appendEvent(db, ev());
    // what a crash leaves: the main file and a WAL holding the newest commits
    const aside = join(dbs.dir(), 'aside.db');
    copyFileSync(file, aside);
    copyFileSync(`${file}-wal`, `${aside}-wal`);
    const main = readFileSync(aside);
    const wal = readFileSync(`${aside}-wal`);
    let seen = 0;
    const fds = readdirSync('/proc/self/fd').length;
    expect(salvageEvents(aside, (rows) => (seen += rows.length))).toEqual({ copied: 3, newest: 3 });
    expect(seen).toBe(3);
    expect(readdirSync('/proc/self/fd').length).toBe(fds); // closed again
    expect(readFileSync(aside).equals(main)).toBe(true);
    expect(existsSync(`${aside}-wal`)).toBe(true);
    expect(readFileSync(`${aside}-wal`).equals(wal)).toBe(true);
  });

  it('never reads a view standing in for the log (a cloned flow.db that recover set aside): no made-up events', () => {
    // A view recursing without end held recover at 100% CPU forever; this one makes events up instead.
    const { db, file } = dbs.open('planted.db');
    db.exec(`DROP TABLE events; CREATE VIEW events AS SELECT 1 AS seq, 'flow.created' AS kind, 'made up' AS summary`);
    db.close();
    let seen = 0;
    expect(salvageEvents(file, (rows) => (seen += rows.length))).toEqual({ copied: 0, error: 'its event log is not a table flowmcp wrote' });
    expect(seen).toBe(0);
  });

  it('says so when there is no database to read, and creates none', () => {
    const dir = dbs.dir();
    const file = join(dir, 'missing.db');
    expect(salvageEvents(file, () => {})).toEqual({ copied: 0, error: 'the old database could not be opened' });
    expect(existsSync(file)).toBe(false);
    writeFileSync(join(dir, 'junk.db'), 'not a database at all, just some text long enough to be read');
    expect(salvageEvents(join(dir, 'junk.db'), () => {})).toEqual({ copied: 0, newest: undefined, error: 'file is not a database' });
  });

  it('a database without an event log: no newest seq, and the reason', () => {
    const dir = dbs.dir();
    const file = join(dir, 'other.db');
    const other = new Database(file);
    other.exec('CREATE TABLE t (x)');
    other.close();
    expect(salvageEvents(file, () => {})).toEqual({ copied: 0, newest: undefined, error: 'no such table: events' });
  });

  it('keeps what it copied when a page fails, and says why', () => {
    const { db, file } = dbs.open('old.db');
    for (let i = 0; i < 3; i++) appendEvent(db, ev());
    db.close();
    let calls = 0;
    const got = salvageEvents(file, () => {
      if (++calls === 2) throw new Error('disk went away');
    }, 1);
    expect(got).toEqual({ copied: 1, newest: 3, error: 'disk went away' });
  });
});
