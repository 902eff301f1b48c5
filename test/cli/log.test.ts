// `flowmcp log --flow-id/--entity-id` through the real binary: a filter names a flow or a thing as every
// command does (id, exact title, document path), and one that names nothing is refused, exit 1, with
// nothing printed as if the log were empty; `events --flow` refuses the same name with the same words.
import { beforeAll, describe, expect, it } from 'vitest';
import { cliProject } from '../helpers/cli.js';

const project = cliProject('log-test');
const run = project.run;

function ok(...args: string[]): string {
  const r = run(...args);
  expect(r.code, r.err).toBe(0);
  return r.out;
}
const events = (...args: string[]) => (JSON.parse(ok('log', '--json', ...args)) as { events: Record<string, any>[] }).events;

let checkout: { id: string };
let h3: { id: string; flow_id: string };
let doc: { id: string };
beforeAll(() => {
  checkout = JSON.parse(ok('flow', 'create', 'Checkout redesign', '--json')).flow;
  ok('plan', 'create', 'Build');
  h3 = JSON.parse(ok('task', 'create', 'H3', '--json')).task;
  ok('task', 'create', 'Payment form');
  doc = JSON.parse(ok('document', 'write', 'notes/api.md', '--content', '# API', '--task-id', h3.id, '--json')).document;
  ok('flow', 'create', 'Billing');
  ok('plan', 'create', 'Invoices');
  ok('task', 'create', 'Send invoices');
});

describe('flowmcp log filters', () => {
  it('--flow-id takes the flow title: the same events as its id, only that flow', () => {
    const byTitle = events('--flow-id', 'Checkout redesign');
    expect(byTitle.map((e) => e.action)).toEqual(['document.write', 'task.create', 'task.create', 'plan.create', 'flow.create']);
    expect(new Set(byTitle.map((e) => e.flow_id))).toEqual(new Set([checkout.id]));
    expect(events('--flow-id', 'checkout REDESIGN')).toEqual(byTitle);
    expect(events('--flow-id', checkout.id)).toEqual(byTitle);
  });

  it('--entity-id takes a task title or a document path: the changes to that one thing', () => {
    const task = events('--entity-id', 'H3');
    expect(task.map((e) => [e.action, e.entity_id])).toEqual([['task.create', h3.id]]);
    expect(events('--entity-id', h3.id)).toEqual(task);
    expect(events('--entity-id', 'notes/api.md').map((e) => [e.action, e.entity_id])).toEqual([['document.write', doc.id]]);
    expect(events('--entity-id', 'Billing').map((e) => e.action)).toEqual(['flow.create']);
  });

  it('a name that names nothing is refused, exit 1, stdout empty; events --flow refuses it in the same words', () => {
    const flow = run('log', '--flow-id', 'Nope');
    expect(flow).toMatchObject({ code: 1, out: '' });
    expect(flow.err).toMatch(/^error: No flow "Nope"\.\nhint: Use flow list to see flow ids\.\n$/);
    expect(run('events', '--flow', 'Nope')).toEqual(flow);

    const thing = run('log', '--entity-id', 'Nope');
    expect(thing).toMatchObject({ code: 1, out: '' });
    expect(thing.err).toMatch(/^error: No flow, plan, task or document "Nope"\.\n/);

    const typo = run('log', '--entity-id', 'Paymnet form');
    expect(typo).toMatchObject({ code: 1, out: '' });
    expect(typo.err).toMatch(/Did you mean t-\w+ \("Payment form"\)\?/);
    expect(run('log', '--entity-id', 't-zzzz')).toMatchObject({ code: 1, out: '', err: expect.stringMatching(/^error: No task "t-zzzz"\./) });
  });

  it('a deleted task is still asked for by its id: its history, deletion included', () => {
    const gone = JSON.parse(ok('task', 'create', 'Short-lived', '--json')).task;
    ok('task', 'delete', gone.id, '--confirm');
    expect(events('--entity-id', gone.id).map((e) => e.action)).toEqual(['task.delete', 'task.create']);
    expect(run('log', '--entity-id', 'Short-lived')).toMatchObject({ code: 1, out: '' });
  });
});
