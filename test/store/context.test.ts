// A flow's context in the store: the revision moves on every change and keeps what is active unless told
// otherwise (null clears), entries are listed in every state unless asked for some, and the fingerprint
// that says whether context.json is current moves when an entry does.
import { describe, expect, it } from 'vitest';
import { bumpRevision, contextMark, entriesOf, getState, insertEntry, setEntryState, type EntryRow } from '../../src/store/context.js';
import { caller } from '../helpers/call.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;
function flow(): string {
  t = workspace();
  caller(t.call).ok('flow', { action: 'create', name: 'Auth' });
  return (t.ws.db.prepare('SELECT id FROM flows').pluck().get() as string);
}
const entry = (flowId: string, id: string, over: Partial<EntryRow> = {}): EntryRow => ({
  id, flow_id: flowId, kind: 'decision', text: `text ${id}`, why: '', plan_id: null, task_id: null, state: 'open', legacy_key: null,
  agent: 'a', created_at: '2026-01-01T00:00:00.000Z', updated_at: '2026-01-01T00:00:00.000Z', ...over,
});

describe('context state', () => {
  it('moves the revision on each bump and keeps the active plan, task and files unless given; null clears', () => {
    const f = flow();
    const db = t!.ws.db;
    const base = getState(db, f)?.revision ?? 0;
    expect(bumpRevision(db, f, 't1', { active_plan_id: 'p1', active_task_id: 'k1', files: ['a.ts', 'b.ts'] })).toBe(base + 1);
    expect(getState(db, f)).toMatchObject({ revision: base + 1, updated_at: 't1', active_plan_id: 'p1', active_task_id: 'k1', files: '["a.ts","b.ts"]' });
    expect(bumpRevision(db, f, 't2')).toBe(base + 2);
    expect(getState(db, f)).toMatchObject({ revision: base + 2, updated_at: 't2', active_plan_id: 'p1', active_task_id: 'k1', files: '["a.ts","b.ts"]' });
    bumpRevision(db, f, 't3', { active_task_id: null });
    expect(getState(db, f)).toMatchObject({ active_plan_id: 'p1', active_task_id: null, files: '["a.ts","b.ts"]' });
    bumpRevision(db, f, 't4', { active_plan_id: null, files: [] });
    expect(getState(db, f)).toMatchObject({ active_plan_id: null, active_task_id: null, files: '[]' });
    bumpRevision(db, f, 't5', { active_task_id: 'k2' });
    expect(getState(db, f)).toMatchObject({ active_plan_id: null, active_task_id: 'k2' });
  });
});

describe('context entries', () => {
  it('lists entries in every state, oldest first, unless asked for some states or kinds', () => {
    const f = flow();
    const db = t!.ws.db;
    insertEntry(db, entry(f, 'e1'));
    insertEntry(db, entry(f, 'e2', { kind: 'question' }));
    insertEntry(db, entry(f, 'e3'));
    setEntryState(db, 'e1', 'closed', 'later');
    setEntryState(db, 'e3', 'superseded', 'later');
    expect(entriesOf(db, f).map((e) => e.id)).toEqual(['e1', 'e2', 'e3']);
    expect(entriesOf(db, f, { states: ['open'] }).map((e) => e.id)).toEqual(['e2']);
    expect(entriesOf(db, f, { states: ['closed', 'superseded'] }).map((e) => e.id)).toEqual(['e1', 'e3']);
    expect(entriesOf(db, f, { kinds: ['decision'] }).map((e) => e.id)).toEqual(['e1', 'e3']);
  });

  it('the fingerprint is "0:0:" for no entries and moves when an entry is added or changed', () => {
    const f = flow();
    const db = t!.ws.db;
    expect(contextMark(db, f)).toBe('0:0:');
    insertEntry(db, entry(f, 'e1'));
    const rowid = db.prepare("SELECT rowid FROM context_entries WHERE id = 'e1'").pluck().get() as number;
    expect(contextMark(db, f)).toBe(`1:${rowid}:2026-01-01T00:00:00.000Z`);
    setEntryState(db, 'e1', 'closed', '2026-02-02T00:00:00.000Z');
    expect(contextMark(db, f)).toBe(`1:${rowid}:2026-02-02T00:00:00.000Z`);
  });
});
