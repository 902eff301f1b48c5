// What a legacy flows.json import makes of ids, names, statuses, positions and dependencies
// (core/transfer/legacy-flows.ts): items without an id get one derived from their content (a stored
// format: a later import must find them again), repeated ids are renamed ~2, ~3 and reported, statuses
// the tools do not know are mapped and counted, names are trimmed, a later version of a file adds only
// what is new, at the end, and dependencies are created or counted as unknown.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/transfer/import-file.js';
import type { FlowImportReport } from '../../../src/core/transfer/legacy-flows.js';
import { defaultFlow } from '../../../src/core/kernel/session.js';
import { findTask } from '../../../src/core/kernel/names.js';
import { readLog } from '../../../src/core/kernel/event-log.js';
import { caller } from '../../helpers/call.js';
import { caught } from '../../helpers/caught.js';
import { dumpDb, jsonFilePerTest, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

const ws = workspacePerTest();
const file = jsonFilePerTest();
const flowsFile = (flows: unknown[], extra: Record<string, unknown> = {}) => file('flows.json', { flows, ...extra });
const imported = (t: TempWorkspace, f: string) => importFile(t.call, f, {}) as FlowImportReport;
/** The stored key of an item the file gave no id: its kind and the first 16 hex digits of a SHA-256 of its content parts, NUL-separated. */
const derived = (kind: string, ...parts: (string | undefined)[]) =>
  `noid:${kind}:${createHash('sha256').update(parts.map((p) => p ?? '').join('\u0000')).digest('hex').slice(0, 16)}`;
const rows = (t: TempWorkspace, sql: string) => t.ws.db.prepare(sql).all() as Record<string, unknown>[];

describe('items without an id', () => {
  it('get a key from their content and place, reported as generated; a second import finds them again', () => {
    const t = ws();
    const f = flowsFile([
      { name: 'Alpha', created_at: '2025-07-01T10:00:00Z', plans: [{ name: 'Plan', tasks: [{ name: 'One' }, { name: 'Two', created_at: '2025-07-02T10:00:00Z' }] }] },
      { name: 'Alpha', plans: [] },
    ]);
    const r = imported(t, f);
    expect(r.ids_generated).toBe(5);
    const flow = derived('flow', 'Alpha', '2025-07-01T10:00:00Z', '0');
    const plan = derived('plan', flow, 'Plan', undefined, '0');
    expect(rows(t, 'SELECT legacy_id FROM flows ORDER BY created_at DESC').map((x) => x.legacy_id)).toEqual([derived('flow', 'Alpha', undefined, '1'), flow]);
    expect(rows(t, 'SELECT legacy_id FROM plans').map((x) => x.legacy_id)).toEqual([plan]);
    expect(rows(t, 'SELECT legacy_id FROM tasks ORDER BY position').map((x) => x.legacy_id)).toEqual([
      derived('task', plan, 'One', undefined, '0'),
      derived('task', plan, 'Two', '2025-07-02T10:00:00Z', '1'),
    ]);
    const before = dumpDb(t.ws);
    const again = imported(t, f);
    expect(again.created).toEqual({ flows: 0, plans: 0, tasks: 0, dependencies: 0 });
    expect(again.already_imported).toEqual({ flows: 2, plans: 1, tasks: 2 });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('whose derived key the file already uses as an id get the next free ~n', () => {
    const t = ws();
    const key = derived('flow', 'Third', undefined, '2');
    imported(t, flowsFile([{ id: key, name: 'First' }, { id: `${key}~2`, name: 'Second' }, { name: 'Third' }]));
    expect(rows(t, 'SELECT name, legacy_id FROM flows ORDER BY name')).toEqual([
      { name: 'First', legacy_id: key },
      { name: 'Second', legacy_id: `${key}~2` },
      { name: 'Third', legacy_id: `${key}~3` },
    ]);
  });
});

describe('repeated ids', () => {
  it('in one file: the first keeps it, the later ones become ~2, ~3, each reported', () => {
    const t = ws();
    const r = imported(t, flowsFile([{ id: 'dup', name: 'A' }, { id: 'dup', name: 'B' }, { id: 'dup', name: 'C' }]));
    expect(r.renamed).toEqual([
      { kind: 'flow', from: 'dup', to: 'dup~2' },
      { kind: 'flow', from: 'dup', to: 'dup~3' },
    ]);
    expect(rows(t, 'SELECT name, legacy_id FROM flows ORDER BY name')).toEqual([
      { name: 'A', legacy_id: 'dup' },
      { name: 'B', legacy_id: 'dup~2' },
      { name: 'C', legacy_id: 'dup~3' },
    ]);
  });

  it('held by two other projects already: the third project\'s task becomes ~3', () => {
    const t = ws();
    const project = (name: string) => file(`${name}.json`, { version: '3.0', project_name: name, tasks: [{ id: 'task_001', name: `first of ${name}` }] });
    imported(t, project('one'));
    expect(imported(t, project('two')).renamed).toEqual([{ kind: 'task', from: 'task_001', to: 'task_001~2' }]);
    expect(imported(t, project('three')).renamed).toEqual([
      { kind: 'task', from: 'task_001', to: 'task_001~2' },
      { kind: 'task', from: 'task_001~2', to: 'task_001~3' },
    ]);
    expect(['task_001', 'task_001~2', 'task_001~3'].map((id) => findTask(t.call, id).title)).toEqual(['first of one', 'first of two', 'first of three']);
  });

  it('repeated in one project and again in another: every task gets its own old id, and a second import finds them', () => {
    const t = ws();
    const project = (name: string) =>
      file(`${name}.json`, { version: '3.0', project_name: name, tasks: [{ id: 'task_001', name: `${name}: first` }, { id: 'task_001', name: `${name}: second` }] });
    imported(t, project('one'));
    const two = project('two');
    const r = imported(t, two);
    expect(r.created.tasks).toBe(2);
    expect(r.renamed).toEqual([
      { kind: 'task', from: 'task_001', to: 'task_001~2' },
      { kind: 'task', from: 'task_001~2', to: 'task_001~3' },
      { kind: 'task', from: 'task_001', to: 'task_001~2' },
      { kind: 'task', from: 'task_001~2', to: 'task_001~4' },
    ]);
    expect(['task_001', 'task_001~2', 'task_001~3', 'task_001~4'].map((id) => findTask(t.call, id).title)).toEqual(['one: first', 'one: second', 'two: first', 'two: second']);
    const before = dumpDb(t.ws);
    expect(imported(t, two).already_imported.tasks).toBe(2);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});

describe('names, statuses and the current flow', () => {
  it('a status or priority named like what every object has ("constructor", "__proto__") is an unknown word, mapped like any other', () => {
    const t = ws();
    const r = imported(
      t,
      flowsFile([{ id: 'f', name: 'F', plans: [{ id: 'p', name: 'P', status: 'constructor', tasks: [{ id: 'a', name: 'A', status: '__proto__', priority: 'constructor' }, { id: 'b', name: 'B', status: 'Constructor' }] }] }]),
    );
    expect(r.statuses_mapped).toEqual({ 'constructor → active': 1, '__proto__ → todo': 1, 'Constructor → todo': 1 });
    expect(rows(t, 'SELECT title, status, priority FROM tasks ORDER BY title')).toEqual([
      { title: 'A', status: 'todo', priority: 'medium' },
      { title: 'B', status: 'todo', priority: 'medium' },
    ]);
  });

  it('names and titles are trimmed; unknown statuses are mapped and counted, missing ones are the defaults; an archived flow stays archived', () => {
    const t = ws();
    const r = imported(
      t,
      flowsFile([
        {
          id: 'f',
          name: '  Spaced flow  ',
          plans: [
            { id: 'p1', name: '  Spaced plan ', status: 'someday', tasks: [{ id: 'a', name: ' Spaced task  ', status: 'weird', priority: 'urgent-ish' }, { id: 'b', name: 'B', status: 'completed' }, { id: 'c', name: 'C', status: 'completed' }, { id: 'd', name: 'D' }] },
            { id: 'p2', name: 'No status', tasks: [] },
          ],
        },
        { id: 'g', name: 'Old', archived: true },
      ]),
    );
    expect(r.statuses_mapped).toEqual({ 'someday → active': 1, 'weird → todo': 1, 'completed → done': 2 });
    expect(rows(t, 'SELECT name, status FROM flows ORDER BY name')).toEqual([
      { name: 'Old', status: 'archived' },
      { name: 'Spaced flow', status: 'active' },
    ]);
    expect(rows(t, 'SELECT title, status FROM plans ORDER BY position')).toEqual([
      { title: 'Spaced plan', status: 'active' },
      { title: 'No status', status: 'active' },
    ]);
    expect(rows(t, 'SELECT title, status, priority FROM tasks ORDER BY position')).toEqual([
      { title: 'Spaced task', status: 'todo', priority: 'medium' },
      { title: 'B', status: 'done', priority: 'medium' },
      { title: 'C', status: 'done', priority: 'medium' },
      { title: 'D', status: 'todo', priority: 'medium' },
    ]);
  });

  it('the file\'s current flow becomes the one new sessions start in; a file naming none changes nothing', () => {
    const t = ws();
    imported(t, flowsFile([{ name: 'No id' }, { id: 'f1', name: 'One' }]));
    expect(defaultFlow(t.ws.db)).toBeUndefined();
    imported(t, flowsFile([{ id: 'f2', name: 'Two' }, { id: 'f3', name: 'Three' }], { current_flow_id: 'f3' }));
    expect(defaultFlow(t.ws.db)).toBe(caller(t.call).ok('flow', { action: 'list' }).flows.find((f: { name: string }) => f.name === 'Three').id);
  });
});

describe('a later version of a file', () => {
  const v1 = [{ id: 'f', name: 'F', plans: [{ id: 'p1', name: 'P1', tasks: [{ id: 'a', name: 'A' }, { id: 'b', name: 'B' }] }, { id: 'p2', name: 'P2', tasks: [{ id: 'c', name: 'C' }] }] }];

  it('adds only the new task, or only the new empty plan, at the end; each part says how many rows are new', () => {
    const t = ws();
    const c = caller(t.call);
    const first = flowsFile(v1);
    imported(t, first);
    const v2 = structuredClone(v1);
    v2[0]!.plans[0]!.tasks.push({ id: 'd', name: 'D' });
    const second = flowsFile(v2);
    expect(imported(t, second).created).toEqual({ flows: 0, plans: 0, tasks: 1, dependencies: 0 });
    const v3 = structuredClone(v2);
    v3[0]!.plans.push({ id: 'p3', name: 'P3', tasks: [] });
    const third = flowsFile(v3);
    expect(imported(t, third).created).toEqual({ flows: 0, plans: 1, tasks: 0, dependencies: 0 });
    const flow = c.ok('flow', { action: 'list' }).flows[0].id as string;
    expect(c.ok('plan', { action: 'list', flow_id: flow }).plans.map((p: { title: string; position: number }) => [p.title, p.position])).toEqual([
      ['P1', 1],
      ['P2', 2],
      ['P3', 3],
    ]);
    const p1 = findTask(t.call, 'a').plan_id;
    expect(['a', 'b', 'd'].map((id) => c.ok('task', { action: 'get', id: findTask(t.call, id).id }).task).map((x: { title: string; position: number; plan_id: string }) => [x.title, x.position, x.plan_id === p1])).toEqual([
      ['A', 1, true],
      ['B', 2, true],
      ['D', 3, true],
    ]);
    const parts = readParts(t);
    expect(parts).toEqual([
      `importing ${first}, part 1: 1 new flows, 2 new plans, 3 new tasks`,
      `importing ${second}, part 1: 0 new flows, 0 new plans, 1 new tasks`,
      `importing ${third}, part 1: 0 new flows, 1 new plans, 0 new tasks`,
    ]);
  });
});

describe('dependencies', () => {
  it('on tasks of the flow are created, on others counted as unknown; a second import adds and counts nothing', () => {
    const t = ws();
    const f = flowsFile([
      { id: 'f', name: 'F', plans: [{ id: 'p', name: 'P', tasks: [{ id: 'a', name: 'A', dependencies: ['b', 'elsewhere'] }, { id: 'b', name: 'B' }, { id: 'c', name: 'C', dependencies: ['a', 'b'] }] }] },
    ]);
    const r = imported(t, f);
    expect(r.created.dependencies).toBe(3);
    expect(r.dependencies_unknown).toBe(1);
    const again = imported(t, f);
    expect([again.created.dependencies, again.dependencies_unknown]).toEqual([0, 0]);
    // A later version: the new task's dependency is created; tasks already imported are left as they are.
    const later = flowsFile([
      {
        id: 'f',
        name: 'F',
        plans: [{ id: 'p', name: 'P', tasks: [{ id: 'a', name: 'A', dependencies: ['b', 'elsewhere'] }, { id: 'b', name: 'B', dependencies: ['e'] }, { id: 'c', name: 'C', dependencies: ['a', 'b'] }, { id: 'd', name: 'D', dependencies: ['a'] }, { id: 'e', name: 'E' }] }],
      },
    ]);
    const r3 = imported(t, later);
    expect([r3.created.tasks, r3.created.dependencies, r3.dependencies_unknown]).toEqual([2, 1, 0]);
    expect(caller(t.call).ok('task', { action: 'get', id: findTask(t.call, 'b').id }).task.depends_on).toBeUndefined();
  });

  it('of a repeated id are its own: the first keeps its list, the renamed one gets its own', () => {
    const t = ws();
    imported(t, flowsFile([{ id: 'f', name: 'F', plans: [{ id: 'p', name: 'P', tasks: [{ id: 'a', name: 'A1', dependencies: ['b'] }, { id: 'b', name: 'B' }, { id: 'a', name: 'A2', dependencies: ['c'] }, { id: 'c', name: 'C' }] }] }]));
    const deps = (legacy: string) => (caller(t.call).ok('task', { action: 'get', id: findTask(t.call, legacy).id }).task.depends_on ?? []).map((id: string) => caller(t.call).ok('task', { action: 'get', id }).task.title);
    expect(deps('a')).toEqual(['B']);
    expect(deps('a~2')).toEqual(['C']);
  });

  it('a cycle through either task of a repeated id is refused, as the file reads; a cycle is named by its places, in any plan', () => {
    const t = ws();
    const before = dumpDb(t.ws);
    const dup = caught<{ details: { problems: unknown[] } }>(() =>
      imported(t, flowsFile([{ id: 'f', name: 'F', plans: [{ id: 'p', name: 'P', tasks: [{ id: 'a', name: 'A1', dependencies: ['b'] }, { id: 'b', name: 'B', dependencies: ['a'] }, { id: 'a', name: 'A2', dependencies: ['c'] }, { id: 'c', name: 'C' }] }] }])),
    );
    expect(dup.details.problems).toEqual([{ at: 'flows[0]', field: 'depends_on', problem: 'dependency cycle (2 tasks): flows[0].plans[0].tasks[0] → flows[0].plans[0].tasks[1] → flows[0].plans[0].tasks[0]' }]);
    const later = caught<{ details: { problems: unknown[] } }>(() =>
      imported(
        t,
        flowsFile([
          { id: 'e', name: 'E', plans: [] },
          {
            id: 'f',
            name: 'F',
            plans: [
              { id: 'p0', name: 'P0', tasks: [{ id: 'x', name: 'X' }] },
              { id: 'p1', name: ' ', tasks: [{ id: 'a', name: 'A', dependencies: ['b'] }, { id: 'b', name: 'B', dependencies: ['a'] }] },
            ],
          },
        ]),
      ),
    );
    expect(later.details.problems).toEqual([
      { at: 'flows[1].plans[1]', field: 'title', problem: 'must not be empty' },
      { at: 'flows[1]', field: 'depends_on', problem: 'dependency cycle (2 tasks): flows[1].plans[1].tasks[0] → flows[1].plans[1].tasks[1] → flows[1].plans[1].tasks[0]' },
    ]);
    expect(dumpDb(t.ws)).toEqual(before);
  });
});

/** The summaries of the import's per-part events, oldest first. */
function readParts(t: TempWorkspace): string[] {
  return readLog(t.call, { limit: 100 })
    .events.filter((e) => e.action === 'import' && e.summary.startsWith('importing '))
    .map((e) => e.summary)
    .reverse();
}
