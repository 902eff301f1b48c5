// A command the tools refused comes back as one error with the command it was read as; the tool's own
// refusal is not repeated inside it (a model pays for every word of an answer).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller } from '../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

describe('a refused command', () => {
  it('says the refusal once, with the command and how it was read', async () => {
    const { raw } = asyncCaller(t.call);
    const o = await raw('command', { text: "what's next?" });
    expect(o.isError).toBe(true);
    expect(o.structured).toEqual({
      error: {
        code: 'no_current',
        message: 'There are no flows in this project yet.',
        hint: 'Start one with flow create (name); it becomes the current flow.',
        details: { command: '/flow next', from: 'plain language' },
      },
    });
  });

  it('a refusal to delete without --confirm: said once, its hint the /flow line that confirms it', async () => {
    const { ok, raw } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', title: 'Login page' });
    const o = await raw('command', { text: '/flow delete task "Login page"' });
    const error = o.structured.error as { code: string; hint: string; details: Record<string, unknown> };
    expect(error.code).toBe('confirm_required');
    expect(error.hint).toMatch(/^Run it again with --confirm: \/flow delete task \S+ --confirm$/);
    expect(error.details).not.toHaveProperty('result');
    expect(JSON.stringify(o.structured).split('needs confirm').length - 1).toBe(1);
  });
});

describe('plain language with flags at its end, as typed on a command line', () => {
  /** A flow with one plan holding tasks of these titles (their ids in order). */
  async function withTasks(...titles: string[]) {
    const c = asyncCaller(t.call);
    await c.ok('flow', { action: 'create', name: 'F' });
    await c.ok('plan', { action: 'create', title: 'P' });
    const ids: string[] = [];
    for (const title of titles) ids.push((await c.ok('task', { action: 'create', title })).task.id as string);
    return { ...c, ids };
  }

  it('--confirm confirms a delete or an undo read from plain language, and is no word of the title', async () => {
    const { ok, raw, ids } = await withTasks('write tests', 'write docs');
    const tests = ids[0]!;
    const unconfirmed = await raw('command', { text: 'delete the write tests task' });
    expect((unconfirmed.structured.error as { code: string }).code).toBe('confirm_required');
    const confirmed = await ok('command', { text: 'delete the write tests task --confirm' });
    expect(confirmed.command).toBe(`/flow delete task ${tests} --confirm`);
    expect((await ok('task', { action: 'list' })).tasks.map((x: { title: string }) => x.title)).toEqual(['write docs']);
    // The undo, confirmed the same way, runs (it had said "needs confirmation" with --confirm in its own command).
    const undo = await ok('command', { text: 'undo the last delete --confirm' });
    expect(undo.needs_confirmation).toBeUndefined();
    expect((await ok('task', { action: 'list' })).tasks.map((x: { title: string }) => x.title).sort()).toEqual(['write docs', 'write tests']);
  });

  it('when several things fit, each candidate command carries the --confirm that was given, and nothing runs', async () => {
    const { ok } = await withTasks('write tests', 'write docs');
    const r = await ok('command', { text: 'delete the write task --confirm' });
    expect(r.ambiguous).toBe(true);
    expect(r.candidates.map((c: { command: string }) => c.command)).toEqual([expect.stringMatching(/^\/flow delete task t-\S+ --confirm$/), expect.stringMatching(/^\/flow delete task t-\S+ --confirm$/)]);
    expect((await ok('task', { action: 'list' })).tasks).toHaveLength(2);
  });

  it('a --confirm inside quotes, or after a quote never closed, is words of the title and confirms nothing', async () => {
    const { ok, raw } = await withTasks('old', 'old --confirm');
    for (const text of ['delete the task "old --confirm"', 'delete the task "old --confirm']) {
      const r = await raw('command', { text });
      expect(r.structured.changed ?? (r.structured.error as { code: string }).code, text).not.toBe(true);
      expect(r.structured.deleted, text).toBeUndefined();
      expect((await ok('task', { action: 'list' })).tasks.map((x: { title: string }) => x.title).sort(), text).toEqual(['old', 'old --confirm']);
    }
  });

  it('--dry-run with --confirm on an ambiguous delete hands out no command that deletes', async () => {
    const { ok } = await withTasks('write tests', 'write docs');
    const r = await ok('command', { text: 'delete the write task --dry-run --confirm' });
    expect(r.ambiguous).toBe(true);
    expect(r.candidates.every((c: { command: string }) => !c.command.includes('--confirm'))).toBe(true);
  });

  it('a change to a task its words fit only in part is shown, not made; a look at it is made, with a note', async () => {
    const { ok, ids } = await withTasks('Refund API', 'rotate the keys');
    const r = await ok('command', { text: 'cancel the partial refunds task' });
    expect(r.ambiguous).toBe(true);
    expect(r.message).toContain('fits task');
    expect(r.message).toContain('"partial"');
    expect(r.candidates).toEqual([{ id: ids[0], title: 'Refund API', command: `/flow skip ${ids[0]}` }]);
    const done = await ok('command', { text: 'mark the rotate secrets task done' });
    expect(done.candidates.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    expect((await ok('task', { action: 'list' })).tasks.map((x: { status: string }) => x.status)).toEqual(['todo', 'todo']);
    const look = await ok('command', { text: 'show the partial refunds task' });
    expect(look.result.task.id).toBe(ids[0]);
    expect(look.result.notes.join(' ')).toContain('only in part');
    // Words around a whole title still act.
    await ok('command', { text: 'i finished the refund api, finally' });
    expect((await ok('task', { action: 'get', id: ids[0] })).task.status).toBe('done');
  });

  it('a dry run names the task it would change by its title as well as its id', async () => {
    const { ok, ids } = await withTasks('Refund API');
    const r = await ok('command', { text: 'cancel the refund task --dry-run' });
    expect(r.would).toContain(`id="${ids[0]}" ("Refund API")`);
  });

  it('--dry-run previews a plain-language change and changes nothing', async () => {
    const { ok } = await withTasks('write tests');
    const r = await ok('command', { text: 'mark write tests done --dry-run' });
    expect(r).toMatchObject({ dry_run: true, changed: false });
    expect((await ok('task', { action: 'list' })).tasks[0].status).toBe('todo');
  });
});
