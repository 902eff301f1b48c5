// Bad input to every action of every tool: wrong types, unknown ids, empty and huge strings, unknown
// actions. Each must come back as an error that says what to do, and leave the database untouched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionJsonSchema } from '../../src/tools/advertise.js';
import { TOOLS } from '../../src/tools/registry.js';
import { dispatchAsync } from '../../src/tools/dispatch.js';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { caller } from '../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
let ids: { flow: string; plan: string; task: string; task2: string; snapshot: string };

beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  const flow = ok('flow', { action: 'create', name: 'F' }).flow.id;
  const plan = ok('plan', { action: 'create', title: 'P' }).plan.id;
  const [task, task2] = ok('task', { action: 'create', tasks: [{ title: 'a' }, { title: 'b' }] }).tasks.map((x: { id: string }) => x.id);
  const snapshot = ok('snapshot', { action: 'create', label: 'base' }).snapshot.id;
  ids = { flow, plan, task, task2, snapshot };
  ok('document', { action: 'write', path: 'notes/a.md', content: '# A\nsome text' });
  writeFileSync(join(t.dir, 'README.md'), '# Readme\n');
});

/** Every file under the project (name and size), for "no file was written" assertions. */
function dumpFiles(dir: string, rel = ''): string[] {
  return readdirSync(join(dir, rel)).flatMap((name) => {
    const p = join(rel, name);
    const st = statSync(join(dir, p));
    if (st.isDirectory()) return dumpFiles(dir, p);
    return name.endsWith('-wal') || name.endsWith('-shm') || name === 'flow.db' ? [] : [`${p}:${st.size}`];
  });
}
afterAll(() => t.cleanup());

/** A valid call of each action, so that each variation below is wrong in exactly one field. */
function baseline(tool: string, action: string): Record<string, unknown> {
  const id = tool === 'flow' ? ids.flow : tool === 'plan' ? ids.plan : ids.task;
  const table: Record<string, Record<string, unknown>> = {
    'flow.create': { name: 'n' },
    'flow.update': { id, name: 'n2' },
    'plan.create': { title: 'p2' },
    'plan.update': { id, title: 'p3' },
    'plan.reorder': { id, position: 1 },
    'task.create': { title: 't' },
    'task.update': { id, title: 'u' },
    'task.set_status': { id, status: 'done' },
    'task.move': { id, plan_id: ids.plan, position: 1 },
    'task.depend': { id, depends_on: [ids.task2] },
    'task.undepend': { id, depends_on: [ids.task2] },
    'task.claim': { agent: 'me', id },
    'task.release': { id, agent: 'me' },
    'document.write': { path: 'notes/b.md', content: 'x' },
    'document.read': { path: 'notes/a.md' },
    'document.link': { path: 'notes/a.md', flow_id: ids.flow },
    'document.unlink': { path: 'notes/a.md', flow_id: ids.flow },
    'document.delete': { path: 'notes/a.md' },
    'document.index': { paths: ['README.md'] },
    'search.query': { query: 'text' },
    'context.save': { summary: 'where we are' },
    'context.get': {},
    'snapshot.show': { id: ids.snapshot },
    'snapshot.diff': { from: ids.snapshot },
    'snapshot.restore': { id: ids.snapshot },
    'snapshot.pin': { id: ids.snapshot },
    'snapshot.unpin': { id: ids.snapshot },
    'snapshot.create': {},
    'command.run': { text: '/flow help' },
  };
  const key = `${tool}.${action}`;
  if (table[key]) return { ...table[key] };
  if (['get', 'switch', 'archive', 'use', 'delete'].includes(action)) return { id };
  return {};
}

const HUGE = 'x'.repeat(2_000_001); // past every text limit, documents' included
const WRONG_TYPE: Record<string, unknown> = { string: 12345, integer: 'seven', boolean: 'yes', array: { not: 'a list' }, object: 'text' };
const OPTIONAL_TEXT = new Set(['description', 'objective', 'content']); // empty is a valid value for these
const ID_FIELDS = new Set(['id', 'plan_id', 'flow_id', 'depends_on']);

function variations(tool: string, action: string): { label: string; args: Record<string, unknown> }[] {
  const schema = actionJsonSchema(TOOLS.find((x) => x.name === tool)!, action) as { properties: Record<string, { type?: string; anyOf?: { type: string }[] }> };
  const base = baseline(tool, action);
  const out: { label: string; args: Record<string, unknown> }[] = [];
  for (const [field, prop] of Object.entries(schema.properties)) {
    const type = prop.type ?? prop.anyOf?.[0]?.type ?? 'string';
    const types = prop.anyOf ? prop.anyOf.map((p) => p.type) : [type];
    const wrong = types.includes('array') && types.includes('string') ? 42 : WRONG_TYPE[type];
    out.push({ label: `${field} of the wrong type`, args: { ...base, [field]: wrong } });
    if (types.includes('string')) {
      out.push({ label: `${field} huge`, args: { ...base, [field]: HUGE } });
      if (!OPTIONAL_TEXT.has(field)) out.push({ label: `${field} empty`, args: { ...base, [field]: '' } });
    }
    if (ID_FIELDS.has(field)) {
      out.push({ label: `${field} unknown`, args: { ...base, [field]: types.includes('array') ? ['t-zzzz9'] : 'x-zzzz9' } });
    }
  }
  out.push({ label: 'unknown argument', args: { ...base, colour: 'red' } });
  out.push({ label: '__proto__ key', args: JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(base).slice(1, -1) || '"x": 1'}}`) });
  return out;
}

describe('bad input to every action changes nothing and says what to do', () => {
  for (const spec of TOOLS) {
    for (const action of Object.keys(spec.actions)) {
      it(`${spec.name} ${action}`, async () => {
        const before = dumpDb(t.ws);
        const files = dumpFiles(t.dir);
        const cases = variations(spec.name, action);
        expect(spec.actions[action]!.schema.safeParse(baseline(spec.name, action)).success).toBe(true);
        for (const c of cases) {
          const o = await dispatchAsync(spec, t.call, spec.actionless ? c.args : { action, ...c.args });
          expect(o.isError, `${spec.name} ${action} with ${c.label} should fail`).toBe(true);
          const err = o.structured.error as { message: string; hint?: string };
          expect(err.message.length, c.label).toBeGreaterThan(10);
          expect(err.hint ?? '', `${c.label}: a hint says what to do`).not.toBe('');
          expect(dumpDb(t.ws), `${spec.name} ${action} with ${c.label} changed the database`).toEqual(before);
          expect(dumpFiles(t.dir), `${spec.name} ${action} with ${c.label} changed files`).toEqual(files);
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    }
  }

  it('unknown actions, missing actions and non-object arguments', () => {
    const { raw } = caller(t.call);
    const before = dumpDb(t.ws);
    const typo = raw('task', { action: 'set_statu', id: ids.task, status: 'done' });
    expect(typo.isError).toBe(true);
    expect((typo.structured.error as { message: string }).message).toMatch(/Did you mean set_status/);
    expect((raw('task', {}).structured.error as { hint: string }).hint).toMatch(/Valid actions: create, list/);
    // A status or its verb said as the action points to set_status (and its /flow line), not to the nearest spelling ("move").
    const said = (action: string) => (raw('task', { action, id: ids.task }).structured.error as { message: string }).message;
    expect(said('done')).toBe('task: unknown action "done". A task\'s status is set by set_status: status "done" (or /flow done <task>).');
    expect(said('start')).toContain('set_status: status "in_progress" (or /flow task start <task>)');
    expect(said('finished')).toContain('set_status: status "done"');
    expect(said('Blocked')).toContain('status "blocked" (or /flow task block <task>)');
    expect(said('mvoe')).toContain('Did you mean move?');
    // Names every object has (its prototype's) are no status words: answered as any unknown action.
    expect(said('constructor')).toBe('task: unknown action "constructor".');
    expect(said('__proto__')).toBe('task: unknown action "__proto__".');
    const status = (value: string) => (raw('task', { action: 'set_status', id: ids.task, status: value }).structured.error as { message: string }).message;
    expect(status('constructor')).toBe(status('zzz').replace('"zzz"', '"constructor"'));
    // A required value left out is said as missing, with what it may be.
    const missing = raw('task', { action: 'set_status', id: ids.task }).structured.error as { message: string };
    expect(missing.message).toContain('status: is required (one of "todo", "in_progress", "blocked", "review", "done", "cancelled")');
    expect((raw('task', { action: 'get' }).structured.error as { message: string }).message).toBe('task get: id is required. Nothing was changed.');
    for (const bad of [null, 'create', [1, 2], 42]) {
      expect(raw('flow', bad as never).isError).toBe(true);
    }
    expect(dumpDb(t.ws)).toEqual(before);
  });
});
