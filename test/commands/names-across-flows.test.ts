// /flow commands that name something the current flow does not hold, through the command tool as MCP
// and the CLI call it: a status change by a task's exact title acts on it in its flow and says so (as
// `task set_status "<title>"` does); a delete never acts outside the current flow by title words, and
// says where the task is with the exact command to delete it there; near misses elsewhere say where
// they are too. Mistyped verbs and nouns suggest the command they were probably meant to be, without
// running anything; a name that names nothing is not_found, not invalid_input.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asyncCaller } from '../helpers/call-async.js';
import { caller } from '../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
const ids: Record<string, string> = {};
beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ids.auth = ok('flow', { action: 'create', name: 'Auth rewrite' }).flow.id;
  ok('plan', { action: 'create', title: 'Backend' });
  ids.payment = ok('task', { action: 'create', title: 'Payment form' }).task.id;
  ids.renamed = ok('task', { action: 'create', title: 'renamed' }).task.id;
  ids.other = ok('flow', { action: 'create', name: 'Other' }).flow.id;
  ids.front = ok('plan', { action: 'create', title: 'Front' }).plan.id;
});
afterAll(() => t.cleanup());

const command = (text: string) => asyncCaller(t.call).raw('command', { text });
const error = async (text: string) => {
  const o = await command(text);
  expect(o.isError, `${text}: ${JSON.stringify(o.structured)}`).toBe(true);
  return o.structured.error as { code: string; message: string; hint: string };
};
const task = (id: string) => caller(t.call).ok('task', { action: 'get', id }).task;

describe('a name found in another flow', async () => {
  it('a status change by exact title acts there, says so, and leaves the current flow', async () => {
    const o = await command('mark the payment form done');
    expect(o.isError, JSON.stringify(o.structured)).toBe(false);
    expect(o.structured.command).toBe(`/flow done ${ids.payment}`);
    expect((o.structured.result as { notes?: string[] }).notes).toEqual([
      `task ${ids.payment} ("Payment form") is in flow ${ids.auth} ("Auth rewrite"), not in the current flow ${ids.other} ("Other"); the current flow is unchanged.`,
    ]);
    expect(task(ids.payment!).status).toBe('done');
    expect(t.call.session.current().flowId).toBe(ids.other);
    // A dry run says it too, beside what it would do.
    const preview = await asyncCaller(t.call).ok('command', { text: 'start the payment form', dry_run: true });
    expect(preview.would).toContain(`(task ${ids.payment} ("Payment form") is in flow ${ids.auth} ("Auth rewrite")`);
    expect(task(ids.payment!).status).toBe('done');
  });

  it('use plan by an exact title in another flow switches there and says so', async () => {
    const o = await command('/flow use plan Backend');
    expect(o.isError, JSON.stringify(o.structured)).toBe(false);
    expect((o.structured.result as { notes?: string[] }).notes?.[0]).toMatch(new RegExp(`is in flow ${ids.auth} \\("Auth rewrite"\\), not in the current flow ${ids.other} \\("Other"\\); using it makes flow ${ids.auth} current\\.$`));
    expect(t.call.session.current().flowId).toBe(ids.auth);
    caller(t.call).ok('flow', { action: 'switch', id: ids.other });
  });

  it('a delete by title is refused with where the task is and the exact command, even with --confirm', async () => {
    const before = dumpDb(t.ws);
    for (const text of ['delete task renamed', '/flow delete task renamed --confirm', '/flow task rm renamed --confirm']) {
      const e = await error(text);
      expect(e.code, text).toBe('not_found');
      expect(e.message, text).toBe(
        `No task matches "renamed" in the current flow ${ids.other} ("Other"). It fits task ${ids.renamed} ("renamed") in flow ${ids.auth} ("Auth rewrite"). A delete acts on a task outside the current flow only by its id.`,
      );
      // --confirm only where it was given: a confirmation nobody gave is never handed on.
      expect(e.hint, text).toBe(`To act on it there, by id: /flow delete task ${ids.renamed}${text.includes('--confirm') ? ' --confirm' : ''}`);
    }
    expect(dumpDb(t.ws).tasks).toEqual(before.tasks);
    // The command it gives is the one that works.
    expect((await command(`/flow delete task ${ids.renamed} --confirm`)).isError).toBe(false);
  });

  it('a near miss in another flow is not acted on; it says where and how', async () => {
    const e = await error('start paymnt form');
    expect(e.code).toBe('not_found');
    expect(e.message).toContain(`It fits task ${ids.payment} ("Payment form") in flow ${ids.auth} ("Auth rewrite")`);
    expect(e.hint).toBe(`To act on it there, by id: /flow start ${ids.payment}`);
    expect(task(ids.payment!).status).toBe('done');
  });
});

describe('misses', async () => {
  it('a name that names nothing is not_found, an id of another kind is said to be one', async () => {
    expect((await error('/flow done t-nope')).code).toBe('not_found');
    expect((await error('/flow done nothing like this')).code).toBe('not_found');
    const plan = await error(`/flow show task ${ids.front}`);
    expect(plan.code).toBe('not_found');
    expect(plan.message).toBe(`"${ids.front}" is a plan id, not a task id (plan ${ids.front} is "Front").`);
    expect(plan.hint).toContain(`/flow show plan ${ids.front}`);
    const number = await error('/flow use plan 3');
    expect(number.message).toBe(`No plan number 3 in flow ${ids.other} ("Other"): it has one plan (number 1).`);
  });

  it('in plain language, a verb one slip away is read as that verb, and the answer says so', async () => {
    const r = await command('serch retry');
    expect(r.isError).toBe(false);
    expect(r.structured.command).toBe("/flow search retry");
    expect((r.structured.result as { notes: string[] }).notes).toContain('Read "serch" as "search".');
  });

  it('a mistyped verb or noun after /flow suggests the command, and nothing runs', async () => {
    const before = dumpDb(t.ws);
    const cases: [string, string][] = [
      ['/flow serch retry', '/flow search retry'],
      ['/flow add tsk "foo"', '/flow add task "foo"'],
      ['/flow tasks lsit', '/flow tasks list'],
      ['/flow snapshto list', '/flow snapshot list'],
      ['/flow nxet', '/flow next'],
      ['/task lsit', '/flow task list'],
      ['/serch retry', '/flow search retry'],
    ];
    for (const [text, meant] of cases) {
      const e = await error(text);
      expect(e.code, text).toBe('invalid_input');
      expect(e.message, text).toContain(`Did you mean ${meant}?`);
      expect(e.hint, text).toContain('Nothing was run.');
    }
    expect(dumpDb(t.ws)).toEqual(before);
    // Words far from any command word get the general hint, not a guess.
    expect((await error('/flow frobnicate widgets')).message).not.toContain('Did you mean');
  });
});
