// Page cursors come back from callers, so anything may come back: whatever a list did not issue is
// refused with what to do, never a crash; and a cursor of the same kind of list with other filters (an
// assistant paging flow B with flow A's cursor) is refused too, where it answered a page of B starting
// from A's place: often an empty one, read as "B has no tasks".
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../../../src/core/kernel/cursor.js';
import { readLog } from '../../../src/core/kernel/event-log.js';
import type { FlowError } from '../../../src/model/errors.js';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { caught } from '../../helpers/caught.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

const isNumber = (v: unknown): v is number => typeof v === 'number';

describe('page cursors', () => {
  it('a cursor a list issued gives its key back', () => {
    expect(decodeCursor('task', encodeCursor('task', 42), isNumber)).toBe(42);
  });

  it('not base64 JSON, JSON null, another list, or another key: refused with what to do', () => {
    const forged = [
      '%%% not a cursor',
      Buffer.from('null').toString('base64url'),
      Buffer.from('"text"').toString('base64url'),
      encodeCursor('plan', 42),
      encodeCursor('task', 'x'),
    ];
    for (const cursor of forged) {
      const e = caught<FlowError>(() => decodeCursor('task', cursor, isNumber));
      expect({ code: e.code, message: e.message, hint: e.hint }, cursor).toEqual({
        code: 'invalid_input',
        message: 'cursor is not one this task list issued.',
        hint: 'Pass the next_cursor from the previous task list result unchanged, or leave cursor out to start from the first page.',
      });
    }
  });
});

describe('a cursor from the same kind of list with other filters', () => {
  it('is refused, saying so; with the filters it was issued for it pages on', () => {
    const scope = { f: 'f-aaaa', s: 'todo' };
    expect(decodeCursor('task', encodeCursor('task', 42, scope), isNumber, { f: 'f-aaaa', s: 'todo' })).toBe(42);
    for (const other of [{ f: 'f-bbbb', s: 'todo' }, { f: 'f-aaaa', s: 'done' }, undefined]) {
      const e = caught<FlowError>(() => decodeCursor('task', encodeCursor('task', 42, scope), isNumber, other));
      expect({ code: e.code, message: e.message, hint: e.hint }).toEqual({
        code: 'invalid_input',
        message: 'cursor is from a task list with other filters (flow, plan, status, kind or query) than this one.',
        hint: 'Page with the same filters the cursor came from, or leave cursor out to start this list from its first page.',
      });
    }
  });
});

describe('every paged list refuses a cursor issued for other filters, rather than answering a wrong page', () => {
  let t: TempWorkspace;
  beforeEach(() => (t = tempWorkspace()));
  afterEach(() => t.cleanup());

  it('task, plan, flow, snapshot, document lists, context history and the log', () => {
    const { ok, fail } = caller(t.call);
    const flows = ['A', 'B'].map((name) => {
      const id = ok('flow', { action: 'create', name }).flow.id as string;
      for (const p of ['P1', 'P2', 'P3']) {
        ok('plan', { action: 'create', title: `${name} ${p}`, flow_id: id });
        ok('task', { action: 'create', tasks: [{ title: `${name} ${p} one` }, { title: `${name} ${p} two` }] });
        ok('snapshot', { action: 'create', flow_id: id });
      }
      for (const n of [1, 2, 3]) ok('context', { action: 'save', decision: `${name} decision ${n}`, flow_id: id });
      return id;
    });
    const [a, b] = flows as [string, string];
    ok('flow', { action: 'archive', id: flows[1] });
    const refused = (tool: string, args: Record<string, unknown>) => expect(fail(tool, args).message, `${tool} ${JSON.stringify(args)}`).toMatch(/^cursor is from a [a-z ]+ list with other filters/);
    const next = (tool: string, args: Record<string, unknown>) => {
      const c = ok(tool, { ...args, limit: 1 }).next_cursor as string;
      expect(c, tool).toEqual(expect.any(String));
      return c;
    };

    const tasksOfA = next('task', { action: 'list', flow_id: a });
    expect(ok('task', { action: 'list', flow_id: a, cursor: tasksOfA }).tasks[0].title).toBe('A P1 two');
    refused('task', { action: 'list', flow_id: b, cursor: tasksOfA });
    refused('task', { action: 'list', flow_id: a, status: 'todo', cursor: tasksOfA });
    refused('task', { action: 'list', flow_id: a, query: 'two', cursor: tasksOfA });
    refused('plan', { action: 'list', flow_id: b, cursor: next('plan', { action: 'list', flow_id: a }) });
    refused('flow', { action: 'list', status: 'active', cursor: next('flow', { action: 'list' }) });
    refused('snapshot', { action: 'list', flow_id: b, cursor: next('snapshot', { action: 'list', flow_id: a }) });
    refused('context', { action: 'history', flow_id: b, cursor: next('context', { action: 'history', flow_id: a }) });
    const log = readLog(t.call, { flow_id: a, limit: 1 }).next_cursor!;
    expect(caught<FlowError>(() => readLog(t.call, { flow_id: b, cursor: log })).message).toMatch(/^cursor is from a log list with other filters/);
  });

  it('document list: a cursor for one flow\'s documents is refused for another\'s', async () => {
    const { ok, fail } = asyncCaller(t.call);
    const ids: string[] = [];
    for (const name of ['A', 'B']) {
      ids.push((await ok('flow', { action: 'create', name })).flow.id);
      for (const n of [1, 2]) await ok('document', { action: 'write', path: `${name}/${n}.md`, content: `# ${name} ${n}\n` });
    }
    const first = await ok('document', { action: 'list', flow_id: ids[0], limit: 1 });
    expect((await ok('document', { action: 'list', flow_id: ids[0], cursor: first.next_cursor })).documents.map((d: { path: string }) => d.path)).toEqual(['A/2.md']);
    expect((await fail('document', { action: 'list', flow_id: ids[1], cursor: first.next_cursor })).message).toMatch(/^cursor is from a document list with other filters/);
  });
});
