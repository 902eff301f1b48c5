// How a refused import says what is wrong (core/transfer/import-check.ts): the count of problems (all of
// them), the first five spelled out with their place and field, a mark when there are more, and a hint
// naming the limits. The details keep the first 50 problems for a program to list.
import { describe, expect, it } from 'vitest';
import { exportState } from '../../../src/core/transfer/export.js';
import { importFile } from '../../../src/core/transfer/import-file.js';
import { caller } from '../../helpers/call.js';
import { dumpDb, jsonFilePerTest, workspacePerTest } from '../../helpers/workspace.js';

const ws = workspacePerTest();
const file = jsonFilePerTest();
interface Refusal {
  code: string;
  message: string;
  hint: string;
  details: { problems: { at: string; field?: string; problem: string }[]; problem_count: number };
}
function refusal(fn: () => unknown): Refusal {
  try {
    fn();
  } catch (e) {
    return e as Refusal;
  }
  throw new Error('the import was not refused');
}
/** A flows.json whose first `bad` flows have an empty name (one problem each), then one good flow. */
const withBadNames = (bad: number) =>
  file('flows.json', { flows: [...Array.from({ length: bad }, (_, i) => ({ id: `f${i}`, name: ' ', plans: [] })), { id: 'ok', name: 'Fine', plans: [] }] });
const HINT =
  'Fix these rows in the file (the same limits as the tools: names up to 200 characters, titles 500, text 50,000, one-line names and titles, no dependency cycles) and import again.';

describe('a refused import', () => {
  it('with one problem says "1 problem", where and which field, and how to fix it', () => {
    const t = ws();
    const f = withBadNames(1);
    const before = dumpDb(t.ws);
    const e = refusal(() => importFile(t.call, f, {}));
    expect(e.code).toBe('invalid_input');
    expect(e.message).toBe(`${f}: 1 problem with rows the tools would refuse (flows[0].name: must not be empty). Nothing was imported.`);
    expect(e.hint).toBe(HINT);
    expect(e.details).toEqual({ problems: [{ at: 'flows[0]', field: 'name', problem: 'must not be empty' }], problem_count: 1 });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('lists up to five problems in the message, separated; more are marked "…" and all are counted', () => {
    const t = ws();
    const listed = (n: number) => Array.from({ length: n }, (_, i) => `flows[${i}].name: must not be empty`).join('; ');
    const two = withBadNames(2);
    expect(refusal(() => importFile(t.call, two, {})).message).toBe(`${two}: 2 problems with rows the tools would refuse (${listed(2)}). Nothing was imported.`);
    const five = withBadNames(5);
    expect(refusal(() => importFile(t.call, five, {})).message).toBe(`${five}: 5 problems with rows the tools would refuse (${listed(5)}). Nothing was imported.`);
    const six = withBadNames(6);
    const e = refusal(() => importFile(t.call, six, {}));
    expect(e.message).toBe(`${six}: 6 problems with rows the tools would refuse (${listed(5)}; …). Nothing was imported.`);
    expect(e.details.problem_count).toBe(6);
    expect(e.details.problems).toHaveLength(6);
  });

  it('keeps the first 50 problems in its details and counts every one', () => {
    const t = ws();
    const e = refusal(() => importFile(t.call, withBadNames(60), {}));
    expect(e.details.problem_count).toBe(60);
    expect(e.details.problems.map((p) => p.at)).toEqual(Array.from({ length: 50 }, (_, i) => `flows[${i}]`));
    expect(e.message).toMatch(/: 60 problems with rows/);
  });

  it('names a field inside a list by its path (a dependency with an empty id in an export)', () => {
    const a = ws();
    const c = caller(a.call);
    c.ok('flow', { action: 'create', name: 'F' });
    c.ok('plan', { action: 'create', title: 'P' });
    c.ok('task', { action: 'create', tasks: [{ title: 'one' }, { title: 'two', depends_on: ['#1'] }] });
    const doc = JSON.parse(exportState(a.call));
    const task = (Object.values(doc.flows)[0] as { plans: { tasks: { depends_on: { id: string }[] }[] }[] }).plans[0]!.tasks[1]!;
    task.depends_on[0]!.id = ' ';
    const b = ws();
    const e = refusal(() => importFile(b.call, file('export.json', doc), {}));
    expect(e.details.problems).toEqual([{ at: 'flows[0].plans[0].tasks[1]', field: 'depends_on.0.id', problem: 'must not be empty' }]);
    expect(e.message).toContain('(flows[0].plans[0].tasks[1].depends_on.0.id: must not be empty)');
  });
});
