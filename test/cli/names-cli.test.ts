// The newcomer's CLI session on names and errors, through the real binary (dist/cli.js) on a project
// on disk: near names suggest, hints name flags the command takes, a snapshot's exact label resolves,
// other-kind ids and plan numbers are said plainly, value lists in hints stay values, schema refusals
// are in the house's words, and plain-language /flow commands find a task in another flow as the task
// command does (saying so), but a delete by title words does not.
import { describe, expect, it } from 'vitest';
import { cliProject } from '../helpers/cli.js';

const { run } = cliProject('names-cli-test');
const ok = (...args: string[]) => {
  const r = run(...args);
  expect(r.code, `${args.join(' ')}\n${r.out}${r.err}`).toBe(0);
  return r.out;
};
const json = (...args: string[]) => JSON.parse(ok(...args, '--json'));
const refused = (...args: string[]) => {
  const r = run(...args);
  expect(r.code, `${args.join(' ')} unexpectedly succeeded\n${r.out}`).not.toBe(0);
  return r.err;
};

describe('names and errors on the command line', () => {
  it('every answer a newcomer met', () => {
    // No flow yet: the one thing to do is said (making one), in CLI words.
    const first = refused('task', 'create', 'first thing');
    expect(first).toContain('error: There are no flows in this project yet.');
    expect(first).toContain('hint: Start one with flowmcp flow create "<name>"');

    const auth = json('flow', 'create', 'Auth rewrite').flow.id;
    const backend = json('plan', 'create', 'Backend').plan.id;
    const payment = json('task', 'create', 'Payment form').task.id;
    const snap = json('snapshot', 'create', '--label', 'before refactor').snapshot.id;
    const other = json('flow', 'create', 'Other').flow.id;
    json('plan', 'create', 'Front');

    expect(refused('flow', 'switch', 'Auth rewirte')).toContain(`Did you mean ${auth} ("Auth rewrite")?`);
    expect(refused('plan', 'use', 'backnd')).toContain(`Did you mean ${backend} ("Backend")?`);
    expect(refused('task', 'create', 'x', '--plan-id', 'backend plan')).toContain(`Did you mean ${backend} ("Backend")?`);

    // An exact label: restore previews and asks to confirm, as it does by id.
    const restore = refused('snapshot', 'restore', 'before refactor');
    expect(restore).toContain(`to snapshot ${snap}`);
    expect(restore).toContain('--confirm');
    expect(restore).not.toContain('No snapshot');

    expect(refused('task', 'get', backend)).toContain(`error: "${backend}" is a plan id, not a task id (plan ${backend} is "Backend").`);
    expect(refused('plan', 'use', '3')).toContain(`error: No plan number 3 in flow ${other} ("Other"): it has one plan (number 1).`);

    const kinds = refused('context', 'history', '--kind', 'decisions');
    expect(kinds).toContain('[--kind summary|decision|question|next_step|insight|preference]');
    expect(kinds).not.toContain('|--next-step');

    const limit = refused('task', 'list', '--limit', '0');
    expect(limit).toContain('error: flowmcp task list --limit: must be 1 or more.');
    expect(limit).not.toContain('Too small');

    // Plain language finds the task in its flow as `task set_status "payment form" done` would, and says so.
    const done = ok('run', 'mark the payment form done');
    expect(done).toContain(`note: task ${payment} ("Payment form") is in flow ${auth} ("Auth rewrite"), not in the current flow ${other} ("Other")`);
    expect(json('task', 'get', payment).task.status).toBe('done');
    const del = refused('run', '/flow delete task payment form --confirm');
    expect(del).toContain(`It fits task ${payment} ("Payment form") in flow ${auth} ("Auth rewrite")`);
    expect(del).toContain(`hint: To act on it there, by id: /flow delete task ${payment} --confirm`);
    expect(json('task', 'get', payment).task.id).toBe(payment);

    expect(refused('run', '/flow serch retry')).toContain('Did you mean /flow search retry?');
    expect(JSON.parse(refused('run', '/flow done t-nope', '--json')).error.code).toBe('not_found');
  }, 120_000);
});
