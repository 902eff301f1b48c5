// Object- and array-valued arguments sent as their JSON text (the MCP Inspector CLI does this) are read
// as JSON at the edge, never stored as the literal text; a string that is not JSON is refused clearly
// where the argument cannot be text.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caller } from '../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'F' });
  ok('plan', { action: 'create', title: 'P' });
});
afterEach(() => t.cleanup());

describe('arguments sent as JSON strings', () => {
  it('context save reads a decision sent as JSON text as the object it is', () => {
    const { ok } = caller(t.call);
    ok('context', { action: 'save', decision: JSON.stringify({ what: 'Use JWT', why: 'stateless' }) });
    const d = ok('context', { action: 'get' }).decisions;
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ what: 'Use JWT', why: 'stateless' });
    expect(JSON.stringify(d[0])).not.toContain('{\\"what');
  });

  it('plain words stay a decision text; JSON that does not fit the object is refused with the reason', () => {
    const { ok, fail } = caller(t.call);
    ok('context', { action: 'save', decision: 'Use JWT {for now}' });
    expect(ok('context', { action: 'get' }).decisions[0].what).toBe('Use JWT {for now}');
    const before = dumpDb(t.ws);
    const e = fail('context', { action: 'save', decision: JSON.stringify({ what: 'x', because: 'y' }) });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/decision came as a JSON string/);
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('array arguments sent as JSON text are read; text that is not JSON is refused, changing nothing', () => {
    const { ok, fail } = caller(t.call);
    const r = ok('task', { action: 'create', tasks: JSON.stringify([{ title: 'a' }, { title: 'b', depends_on: ['#1'] }]) });
    expect(r.created).toBe(2);
    expect(ok('task', { action: 'get', id: r.tasks[1].id }).task.depends_on).toEqual([r.tasks[0].id]);
    const before = dumpDb(t.ws);
    const e = fail('task', { action: 'create', tasks: '[{"title": "a"' });
    expect(e.code).toBe('invalid_input');
    expect(e.message).toMatch(/tasks came as a string that is not valid JSON/);
    expect(e.hint).toMatch(/JSON object or array/);
    // JSON text nested past any real argument is refused before it is parsed (a parse of millions of
    // levels held the server for seconds): said as JSON that is not valid here.
    const deep = fail('task', { action: 'create', tasks: `${'['.repeat(1001)}${']'.repeat(1001)}` });
    expect(deep.message).toMatch(/tasks came as a string that is not valid JSON/);
    expect(dumpDb(t.ws)).toEqual(before);
    ok('context', { action: 'save', files: '["src/a.ts", "README.md"]' });
    expect(ok('context', { action: 'get' }).files_touched).toEqual(expect.arrayContaining(['src/a.ts', 'README.md']));
  });
});
