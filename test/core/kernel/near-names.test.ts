// A name that misses says what the person most likely meant, on every face that names things through
// the names service (MCP tools, the CLI): a typo in a title, the same words in another case or order, a
// generic word added ("backend plan"), an id of another kind, a plan number past the last plan; a
// snapshot named by its exact label resolves; hints ask for arguments the action really takes; and a
// schema's refusal is said in the house's words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { editDistance } from '../../../src/core/kernel/suggest.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
const ids: Record<string, string> = {};
beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ids.auth = ok('flow', { action: 'create', name: 'Auth rewrite' }).flow.id;
  ids.backend = ok('plan', { action: 'create', title: 'Backend' }).plan.id;
  ids.task = ok('task', { action: 'create', title: 'Payment form' }).task.id;
  ids.snap = ok('snapshot', { action: 'create', label: 'before refactor' }).snapshot.id;
  ids.other = ok('flow', { action: 'create', name: 'Other' }).flow.id;
  ids.front = ok('plan', { action: 'create', title: 'Front' }).plan.id;
});
afterAll(() => t.cleanup());

describe('did you mean, for names', () => {
  const miss = (tool: string, args: Record<string, unknown>) => caller(t.call).fail(tool, args);

  it('a typo in a flow name, the same words in another order or case', () => {
    for (const id of ['Auth rewirte', 'rewrite auth', 'AUTH-REWRITE', 'auth rewrite flow']) {
      const e = miss('flow', { action: 'switch', id });
      expect(e.code, id).toBe('not_found');
      expect(e.details?.candidates, id).toEqual([ids.auth]);
      expect(e.message, id).toContain(`Did you mean ${ids.auth} ("Auth rewrite")?`);
    }
  });

  it('a typo in a plan title, a trailing generic word, in plan use and in task create', () => {
    t.call.session.setCurrent(ids.auth!, ids.backend!);
    expect(miss('plan', { action: 'use', id: 'backnd' }).details?.candidates).toEqual([ids.backend]);
    expect(miss('plan', { action: 'use', id: 'backend plan' }).details?.candidates).toEqual([ids.backend]);
    expect(miss('task', { action: 'create', title: 'x', plan_id: 'backend plan' }).details?.candidates).toEqual([ids.backend]);
    expect(miss('task', { action: 'get', id: 'paymnet form' }).details?.candidates).toEqual([ids.task]);
  });

  it('the edit distance computed in a band around the diagonal is the full one, capped at max + 1', () => {
    const full = (a: string, b: string): number => {
      const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
      for (let i = 1; i <= a.length; i++) for (let j = 1; j <= b.length; j++) d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      return d[a.length]![b.length]!;
    };
    // Every pair of words over a two-letter alphabet up to five letters: all the band's edge cases.
    const words = [''];
    for (let n = 1; n <= 5; n++) for (let k = 0; k < 2 ** n; k++) words.push(k.toString(2).padStart(n, '0').replace(/0/g, 'a').replace(/1/g, 'b'));
    for (const a of words) for (const b of words) for (const max of [0, 1, 2, 3]) expect(editDistance(a, b, max), `${a} ${b} ${max}`).toBe(Math.min(full(a, b), max + 1));
  });

  it('unrelated words suggest nothing', () => {
    expect(miss('flow', { action: 'switch', id: 'database migration' }).details?.candidates).toEqual([]);
  });
});

describe('misses said plainly', () => {
  it('an id of another kind is named as such, with the command that shows it', () => {
    const e = caller(t.call).fail('task', { action: 'get', id: ids.front });
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(`"${ids.front}" is a plan id, not a task id (plan ${ids.front} is "Front").`);
    expect(e.hint).toContain(`plan get ${ids.front}`);
    expect(caller(t.call).fail('flow', { action: 'get', id: 't-zzzz' }).message).toBe('"t-zzzz" is a task id, not a flow id.');
  });

  it('a plan number past the last plan says how many plans the flow has', () => {
    t.call.session.setCurrent(ids.other!, null);
    const e = caller(t.call).fail('plan', { action: 'use', id: '3' });
    expect(e.code).toBe('not_found');
    expect(e.message).toBe(`No plan number 3 in flow ${ids.other} ("Other"): it has one plan (number 1).`);
    const none = caller(t.newCtx('no-flow-agent'));
    none.ok('flow', { action: 'list' });
    const s = t.newCtx('fresh');
    s.session.setCurrent(null, null);
    expect(caller(s).fail('plan', { action: 'use', id: '2' }).message).toContain('plans are numbered within the current flow, and this session has none');
  });

  it('a snapshot named by its exact label resolves (restore still asks to confirm); two with one label are listed', () => {
    const { fail, ok } = caller(t.call);
    expect(ok('snapshot', { action: 'show', id: 'Before Refactor' }).snapshot.id).toBe(ids.snap);
    const restore = fail('snapshot', { action: 'restore', id: 'before refactor' });
    expect(restore.code).toBe('confirm_required');
    expect(restore.message).toContain(ids.snap);
    const again = ok('snapshot', { action: 'create', label: 'before refactor' }).snapshot.id;
    const both = fail('snapshot', { action: 'show', id: 'before refactor' });
    expect(both.code).toBe('invalid_input');
    expect((both.details?.candidates as string[]).sort()).toEqual([ids.snap, again].sort());
  });

  it("hints ask for the argument the action takes: task create a plan, flow get and plan get an id", () => {
    const s = t.newCtx('hint-agent');
    s.session.setCurrent(null, null);
    const create = caller(s).fail('task', { action: 'create', title: 'first thing' });
    expect(create.code).toBe('no_current');
    expect(create.hint).toMatch(/^Pass plan_id, or pick a flow with flow switch/);
    expect(caller(s).fail('flow', { action: 'get' }).hint).toMatch(/^Name the flow by its id/);
    expect(caller(s).fail('plan', { action: 'get' }).hint).toMatch(/^Name the plan by its id/);
    expect(caller(s).fail('task', { action: 'list' }).hint).toMatch(/^Pass flow_id/);
  });

  it("a schema's stock refusal is said in the house's words", () => {
    const e = caller(t.call).fail('task', { action: 'list', limit: 0 });
    expect(e.message).toContain('limit: must be 1 or more');
    expect(e.message).not.toMatch(/Too small|expected number/);
    expect(caller(t.call).fail('task', { action: 'create', title: '' }).message).not.toMatch(/Too small/);
  });
});
