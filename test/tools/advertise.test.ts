import { Ajv } from 'ajv';
import { encode } from 'gpt-tokenizer';
import { describe, expect, it } from 'vitest';
import { actionJsonSchema, advertise } from '../../src/tools/advertise.js';
import { TOOLS } from '../../src/tools/registry.js';

const ajv = new Ajv({ strict: false });

describe('what tools/list publishes', () => {
  it('has the contract tools built so far, each with title, annotations, input and output schema', () => {
    const tools = TOOLS.map(advertise);
    expect(tools.map((t) => t.name)).toEqual(['flow', 'plan', 'task', 'snapshot', 'document', 'search', 'context', 'command']);
    for (const t of tools) {
      const spec = TOOLS.find((x) => x.name === t.name)!;
      expect(t.title).toBeTruthy();
      // context never destroys anything (replaced and closed entries stay in its history).
      // command can run anything (deletes included, with --confirm); search only reads.
      const destructive = t.name !== 'context' && t.name !== 'search';
      expect(t.annotations).toMatchObject({ readOnlyHint: t.name === 'search', destructiveHint: destructive, openWorldHint: false });
      expect(t.inputSchema.type).toBe('object');
      expect(t.outputSchema?.type).toBe('object');
      const action = (t.inputSchema.properties as Record<string, { enum?: string[] }>).action;
      if (spec.actionless) expect(action).toBeUndefined();
      else expect(action!.enum).toEqual(Object.keys(spec.actions));
    }
    expect(advertise(TOOLS.find((t) => t.name === 'search')!).inputSchema.required).toEqual(['query']);
  });

  it('matches the contract table: every action and argument name', () => {
    const actions = Object.fromEntries(TOOLS.map((t) => [t.name, Object.keys(t.actions)]));
    expect(actions).toEqual({
      flow: ['create', 'list', 'get', 'update', 'switch', 'archive', 'delete'],
      plan: ['create', 'list', 'get', 'update', 'use', 'reorder', 'delete'],
      task: ['create', 'list', 'get', 'update', 'set_status', 'move', 'depend', 'undepend', 'next', 'claim', 'release', 'delete'],
      snapshot: ['create', 'list', 'show', 'diff', 'restore', 'pin', 'unpin', 'prune'],
      document: ['write', 'read', 'list', 'link', 'unlink', 'delete', 'index', 'reindex'],
      search: ['query'],
      context: ['save', 'get', 'history', 'resume'],
      command: ['run'],
    });
    const args = (tool: string, action: string) => Object.keys(actionJsonSchema(TOOLS.find((t) => t.name === tool)!, action).properties as object);
    expect(args('flow', 'create')).toEqual(['name', 'description']);
    expect(args('flow', 'delete')).toEqual(['id', 'confirm']);
    expect(args('plan', 'reorder')).toEqual(['id', 'position']);
    expect(args('task', 'create')).toEqual(['title', 'description', 'priority', 'depends_on', 'plan_id', 'tasks']);
    expect(args('task', 'list')).toEqual(['plan_id', 'flow_id', 'status', 'query', 'cursor', 'limit']);
    expect(args('task', 'set_status')).toEqual(['id', 'status', 'expected_revision']);
    expect(args('task', 'move')).toEqual(['id', 'plan_id', 'position']);
    expect(args('task', 'claim')).toEqual(expect.arrayContaining(['agent', 'id', 'lease_seconds']));
    expect(args('task', 'release')).toEqual(['id', 'agent']);
    expect(args('document', 'write')).toEqual(['path', 'content', 'flow_id', 'plan_id', 'task_id', 'expected_revision']);
    expect(args('document', 'index')).toEqual(['paths']);
    expect(args('search', 'query')).toEqual(['query', 'k', 'kind', 'flow_id', 'plan_id', 'path']);
    expect(args('context', 'save')).toEqual(expect.arrayContaining(['summary', 'decision', 'question', 'next_step', 'flow_id']));
    expect(args('context', 'get')).toEqual(['flow_id', 'limit']);
    expect(args('snapshot', 'create')).toEqual(['label', 'flow_id', 'pinned']);
    expect(args('snapshot', 'diff')).toEqual(['from', 'to']);
    expect(args('snapshot', 'restore')).toEqual(['id', 'confirm']);
    expect(args('snapshot', 'prune')).toEqual(['dry_run', 'confirm']);
    expect(args('command', 'run')).toEqual(['text', 'dry_run']);
    expect(args('context', 'history')).toEqual(expect.arrayContaining(['flow_id']));
    expect(args('context', 'resume')).toEqual(['flow_id', 'budget_tokens']);
  });

  it('every form an action accepts is also accepted by the published flat schema', () => {
    // A model that follows tools/list must never be led to a call the action then refuses on shape.
    const samples: Record<string, Record<string, unknown>[]> = {
      flow: [{ action: 'create', name: 'x' }, { action: 'list', status: 'active', limit: 5 }, { action: 'delete', id: 'f-1', confirm: true }],
      plan: [{ action: 'reorder', id: 'p-1', position: 2 }, { action: 'update', id: 'p-1', status: 'done', expected_revision: 3 }],
      task: [
        { action: 'set_status', id: 't-1', status: 'done' },
        { action: 'list', status: ['todo', 'review'] },
        { action: 'list', status: 'todo' },
        { action: 'create', tasks: [{ title: 'a' }, { title: 'b', depends_on: ['#1'] }] },
        { action: 'depend', id: 't-1', depends_on: ['t-2'] },
        { action: 'claim', agent: 'me', lease_seconds: 60 },
      ],
      document: [{ action: 'write', path: 'a.md', content: '# A' }, { action: 'index', paths: ['docs/**/*.md'] }, { action: 'reindex' }],
      search: [{ query: 'retry policy', k: 5, kind: 'document', path: 'docs/*' }],
      snapshot: [
        { action: 'create', label: 'before refactor', flow_id: 'f-1', pinned: true },
        { action: 'diff', from: 's-1' },
        { action: 'restore', id: 's-1', confirm: true },
        { action: 'prune', dry_run: true },
      ],
      command: [{ text: '/flow next' }, { text: 'mark the login task done', dry_run: true }],
      context: [
        { action: 'save', decision: { what: 'Use JWT', why: 'stateless' } },
        { action: 'save', summary: 'Where we are', question: 'Revocation?', next_step: 'Rotate refresh tokens', close: ['c-1'], files: ['a.ts'] },
        { action: 'save', decision: 'Use JWT', mode: 'replace' },
        { action: 'resume', budget_tokens: 800 },
        { action: 'history', kind: 'decision', limit: 10 },
      ],
    };
    for (const t of TOOLS) {
      const validate = ajv.compile(advertise(t).inputSchema);
      for (const s of samples[t.name]!) {
        expect(validate(s), `${t.name} ${JSON.stringify(s)}: ${ajv.errorsText(validate.errors)}`).toBe(true);
        const { action, ...rest } = s;
        const schema = t.actionless ? Object.values(t.actions)[0]!.schema : t.actions[action as string]!.schema;
        expect(schema.safeParse(t.actionless ? s : rest).success).toBe(true);
      }
      expect(validate({ action: 'nope' })).toBe(false);
    }
  });

  it('stays small: flow, plan and task cost well under half of the 3,000-token budget; all eight tools within the 3,000-token budget', () => {
    const core = TOOLS.filter((t) => ['flow', 'plan', 'task'].includes(t.name));
    expect(encode(JSON.stringify({ tools: core.map(advertise) })).length).toBeLessThan(1500);
    expect(encode(JSON.stringify({ tools: TOOLS.map(advertise) })).length).toBeLessThan(3000);
  });
});
