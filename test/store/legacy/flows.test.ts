// What an import of the earlier Flow system's flows.json / workflow.json reads: which layout a file is
// taken for (from its content alone), and the flows, plans and tasks with every name, status, time and
// dependency as the file has them, whichever of the field spellings that system used over the years.
import { describe, expect, it } from 'vitest';
import { detectLayout, listFlow, readLegacy } from '../../../src/store/legacy/flows.js';

const read = (v: unknown, source = 'flows') => {
  const layout = detectLayout(v);
  if (!layout) throw new Error('no layout');
  return readLegacy(v, layout, source);
};

describe('telling the layout from the content', () => {
  it.each([
    [{ memory: {} }, 'context'],
    [{ conversation: {} }, 'context'],
    [{ flows: [] }, 'flows-list'],
    [{ version: '2.0', flows: [{ name: 'A' }] }, 'flows-list'],
    [{ version: '3.0', flows: { f1: { name: 'A' } } }, 'flows-3.0'],
    [{ tasks: [] }, 'workflow-tasks'],
    [{ plans: { p1: { name: 'P' } } }, 'workflow-plans'],
    [{ version: '1', plans: [] }, 'workflow-plans'],
    [{ f1: { plans: [] } }, 'flows-keyed'],
    [{ f1: { name: 'A' } }, 'flows-keyed'],
    [{ f1: { plans: {} }, f2: { name: 'B' } }, 'flows-keyed'],
  ])('%j is %s', (v, layout) => expect(detectLayout(v)).toBe(layout));

  it.each([
    [null],
    [[{ name: 'A' }]],
    ['flows'],
    [{}],
    // A list of plans with no version, or with a name, is one flow's content, not a workflow.json.
    [{ plans: [] }],
    [{ version: '1', name: 'P', plans: [] }],
    // Keyed flows only when every member looks like a flow.
    [{ f1: { plans: [] }, f2: { other: 1 } }],
    [{ f1: { other: 1 } }],
    [{ f1: { plans: [] }, count: 3 }],
    [{ tasks: [], flows: 'x' }],
  ])('%j is no layout', (v) => expect(detectLayout(v)).toBeUndefined());
});

describe('reading flows, plans and tasks', () => {
  it('a list-layout flows.json: every field as the file has it, the older spellings too', () => {
    const r = read({
      version: '2.0',
      current_flow_id: 'f1',
      flows: [
        {
          id: 'f1',
          name: 'Main',
          description: 'the main one',
          created_at: '2025-01-01T00:00:00Z',
          updated_at: '2025-01-02T00:00:00Z',
          plans: [
            {
              id: 'p1',
              name: 'Plan',
              objective: 'do it',
              status: 'active',
              created_at: '2025-01-03T00:00:00Z',
              updated_at: '2025-01-04T00:00:00Z',
              tasks: [
                {
                  id: 't1',
                  name: 'Task',
                  description: 'desc',
                  status: 'todo',
                  priority: 'high',
                  created_at: '2025-01-05T00:00:00Z',
                  updated_at: '2025-01-06T00:00:00Z',
                  started_at: '2025-01-07T00:00:00Z',
                  completed_at: '2025-01-08T00:00:00Z',
                  dependencies: ['t0', 7, '', null],
                },
              ],
            },
          ],
        },
        // The older spellings: title, created, updated, depends_on, numeric ids, a completed flag.
        {
          id: 12,
          title: 'Old',
          status: 'archived',
          created: '2024-01-01',
          updated: '2024-01-02',
          plans: [
            {
              id: 3,
              title: 'Old plan',
              description: 'old objective',
              completed: true,
              created: '2024-02-01',
              completed_at: '2024-02-03',
              tasks: [{ id: 4, title: 'Old task', created: '2024-03-01', updated: '2024-03-02', depends_on: ['1'] }],
            },
            { name: 'Updated wins', updated_at: '2024-04-02', updated: '2024-04-01', completed_at: '2024-04-03', completed: 'yes', status: 'todo' },
          ],
        },
      ],
    });
    expect(r).toEqual({
      layout: 'flows-list',
      current_flow_id: 'f1',
      flows: [
        {
          id: 'f1',
          name: 'Main',
          description: 'the main one',
          archived: false,
          created_at: '2025-01-01T00:00:00Z',
          updated_at: '2025-01-02T00:00:00Z',
          plans: [
            {
              id: 'p1',
              title: 'Plan',
              objective: 'do it',
              status: 'active',
              created_at: '2025-01-03T00:00:00Z',
              updated_at: '2025-01-04T00:00:00Z',
              tasks: [
                {
                  id: 't1',
                  title: 'Task',
                  description: 'desc',
                  status: 'todo',
                  priority: 'high',
                  created_at: '2025-01-05T00:00:00Z',
                  updated_at: '2025-01-06T00:00:00Z',
                  started_at: '2025-01-07T00:00:00Z',
                  completed_at: '2025-01-08T00:00:00Z',
                  depends_on: ['t0', '7'],
                },
              ],
            },
          ],
        },
        {
          id: '12',
          name: 'Old',
          description: '',
          archived: true,
          created_at: '2024-01-01',
          updated_at: '2024-01-02',
          plans: [
            {
              id: '3',
              title: 'Old plan',
              objective: 'old objective',
              status: 'done',
              created_at: '2024-02-01',
              updated_at: '2024-02-03',
              tasks: [
                {
                  id: '4',
                  title: 'Old task',
                  description: '',
                  status: undefined,
                  priority: undefined,
                  created_at: '2024-03-01',
                  updated_at: '2024-03-02',
                  started_at: undefined,
                  completed_at: undefined,
                  depends_on: ['1'],
                },
              ],
            },
            { id: undefined, title: 'Updated wins', objective: '', status: 'todo', created_at: undefined, updated_at: '2024-04-02', tasks: [] },
          ],
        },
      ],
    });
  });

  it('the newer spelling wins where both are there; empty text counts as missing', () => {
    const [f] = read({
      flows: [
        {
          id: '',
          name: '',
          title: 'Title',
          created_at: 'new',
          created: 'old',
          updated_at: 'new',
          updated: 'old',
          plans: [{ name: '', title: 'PT', objective: '', description: 'D', created_at: 'new', created: 'old', updated: 'u', completed_at: 'c', tasks: [{ name: '', title: 'TT', updated_at: 'new', updated: 'old', dependencies: ['a'], depends_on: ['b'] }] }],
        },
      ],
    }).flows;
    expect(f).toMatchObject({ id: undefined, name: 'Title', created_at: 'new', updated_at: 'new' });
    expect(f!.plans[0]).toMatchObject({ title: 'PT', objective: 'D', created_at: 'new', updated_at: 'u' });
    expect(f!.plans[0]!.tasks[0]).toMatchObject({ title: 'TT', updated_at: 'new', depends_on: ['a'] });
  });

  it('what has no name gets a placeholder; no dependency list is no dependencies', () => {
    const [f] = read({ flows: [{ plans: [{ tasks: [{ depends_on: 'x' }, {}] }] }] }).flows;
    expect(f).toMatchObject({ id: undefined, name: '(unnamed flow)', description: '', archived: false });
    expect(f!.plans[0]).toMatchObject({ title: '(untitled plan)', objective: '', status: undefined });
    expect(f!.plans[0]!.tasks.map((t) => [t.title, t.description, t.depends_on])).toEqual([
      ['(untitled task)', '', []],
      ['(untitled task)', '', []],
    ]);
    expect(listFlow('not an object')).toBeUndefined();
    expect(listFlow([{ name: 'A' }])).toBeUndefined();
    expect(listFlow({ name: 'A', archived: 'yes', status: 'active' })).toMatchObject({ name: 'A', archived: false });
    expect(listFlow({ archived: true })).toMatchObject({ archived: true });
    expect(listFlow({ status: 'archived' })).toMatchObject({ archived: true });
  });

  it("a task's summary, notes and errors are kept in its description, after the description", () => {
    const [f] = read({
      flows: [
        {
          plans: [
            {
              tasks: [
                { description: 'Do it', summary: 'done well', context: { notes: ['n1', { k: 1 }], errors: ['e1'] } },
                { summary: 'only a summary', context: { notes: [], errors: 'not a list' } },
                { context: { errors: [2] } },
                { context: ['not', 'an', 'object'] },
              ],
            },
          ],
        },
      ],
    }).flows;
    expect(f!.plans[0]!.tasks.map((t) => t.description)).toEqual(['Do it\n\nSummary: done well\n\nNotes: n1; {"k":1}\n\nErrors: e1', 'Summary: only a summary', 'Errors: 2', '']);
  });

  it('anything in a list that is not an object is skipped, in flows, plans and tasks', () => {
    const r = read({ flows: [null, 'x', 3, [], { name: 'A', plans: [null, { name: 'P', tasks: [null, 'x', { name: 'T' }] }, 7] }] });
    expect(r.flows.map((f) => f.name)).toEqual(['A']);
    expect(r.flows[0]!.plans.map((p) => p.title)).toEqual(['P']);
    expect(r.flows[0]!.plans[0]!.tasks.map((t) => t.title)).toEqual(['T']);
  });

  it('a "3.0" flows.json is keyed by id: the key is the id (and the name when there is none); non-objects skipped', () => {
    const r = read({ version: '3.0', current_flow_id: 7, flows: { f1: { name: 'A', plans: { p1: { name: 'P', tasks: { t1: { name: 'T' }, n: 5 } } } }, f2: {}, f3: { id: 'own' }, count: 3 } });
    expect(r.layout).toBe('flows-3.0');
    expect(r.current_flow_id).toBe('7');
    expect(r.flows.map((f) => [f.id, f.name])).toEqual([
      ['f1', 'A'],
      ['f2', 'f2'],
      ['own', 'f3'],
    ]);
    expect(r.flows[0]!.plans[0]!.tasks.map((t) => t.title)).toEqual(['T']);
  });

  it('a flows.json keyed by id at the top level', () => {
    const r = read({ f1: { name: 'A' }, f2: { plans: [{ name: 'P' }] } });
    expect(r).toEqual({
      layout: 'flows-keyed',
      flows: [
        { id: 'f1', name: 'A', description: '', archived: false, created_at: undefined, updated_at: undefined, plans: [] },
        { id: 'f2', name: 'f2', description: '', archived: false, created_at: undefined, updated_at: undefined, plans: [expect.objectContaining({ title: 'P' })] },
      ],
    });
  });

  it('a workflow.json with a flat task list is one flow (named for the project) with one plan named "Legacy"', () => {
    const r = read({ project_name: 'shop', created_at: 'c', updated_at: 'u', tasks: [{ id: 't1', title: 'T', status: 'done' }, 'x'] }, 'workflow');
    expect(r).toEqual({
      layout: 'workflow-tasks',
      flows: [
        {
          id: 'workflow:shop',
          name: 'shop',
          description: '',
          archived: false,
          created_at: 'c',
          updated_at: 'u',
          plans: [{ id: 'workflow:shop:legacy', title: 'Legacy', objective: '', created_at: 'c', updated_at: 'u', tasks: [expect.objectContaining({ id: 't1', title: 'T', status: 'done' })] }],
        },
      ],
    });
    // No project name: the file's name is the project's.
    expect(read({ tasks: [] }, 'workflow').flows[0]).toMatchObject({ id: 'workflow:workflow', name: 'workflow', plans: [{ id: 'workflow:workflow:legacy' }] });
  });

  it("a workflow.json with plans: the project's name and times from its metadata first", () => {
    const r = read({ version: '1', metadata: { project_name: 'meta-name', name: 'other', created_at: 'mc', updated_at: 'mu' }, project_name: 'top', created_at: 'c', updated_at: 'u', plans: [{ name: 'P1' }, { name: 'P2' }] }, 'workflow');
    expect(r.layout).toBe('workflow-plans');
    expect(r.flows).toHaveLength(1);
    expect(r.flows[0]).toMatchObject({ id: 'workflow:meta-name', name: 'meta-name', created_at: 'mc', updated_at: 'mu', archived: false, description: '' });
    expect(r.flows[0]!.plans.map((p) => p.title)).toEqual(['P1', 'P2']);
    expect(read({ version: '1', metadata: { name: 'n' }, project_name: 'top', created_at: 'c', updated_at: 'u', plans: [] }, 'w').flows[0]).toMatchObject({ name: 'n', created_at: 'c', updated_at: 'u' });
    expect(read({ version: '1', metadata: 'x', project_name: 'top', plans: [] }, 'w').flows[0]).toMatchObject({ name: 'top' });
    expect(read({ plans: { p: { name: 'P' } } }, 'w').flows[0]).toMatchObject({ id: 'workflow:w', name: 'w' });
  });

  it('a context.json read as flows has none', () => {
    expect(read({ memory: {} })).toEqual({ layout: 'context', flows: [] });
  });
});
