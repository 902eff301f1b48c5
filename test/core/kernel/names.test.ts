// The names service: one lookup by id, legacy id or title words for every face, and completion and
// "did you mean" that read a bounded number of names however many a project holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeFlowIds, completeIds, completeIdsOf, someFlowNames } from '../../../src/core/kernel/name-completion.js';
import { findPlan, findTask, flowOrCurrent, lookupName, namesToMatch, nearestNames, otherKindId, planNumberMiss, planNumbered, planOrCurrent, snapshotLabelled, SNAPSHOTS_NAMED, snapshotSuggestionPool, snapshotTakenFor, SUGGEST_ROWS } from '../../../src/core/kernel/names.js';
import { LIMITS } from '../../../src/core/schemas/common.js';
import type { FlowError } from '../../../src/model/errors.js';
import { caught } from '../../helpers/caught.js';
import { resolveName } from '../../../src/core/kernel/resolve-name.js';
import { namesOf, namesWithIdPrefix, snapshotIdsWithPrefix } from '../../../src/store/names.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, workspacePerTest, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
const ids: Record<string, string> = {};
beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ids.other = ok('flow', { action: 'create', name: 'Other work' }).flow.id;
  ok('plan', { action: 'create', title: 'Elsewhere' });
  ok('task', { action: 'create', title: 'Not in the payments flow' });
  ids.flow = ok('flow', { action: 'create', name: 'Payments' }).flow.id;
  ids.plan1 = ok('plan', { action: 'create', title: 'Backend' }).plan.id;
  ids.plan2 = ok('plan', { action: 'create', title: 'Frontend' }).plan.id;
  ok('plan', { action: 'use', id: ids.plan1 });
  ids.login = ok('task', { action: 'create', title: 'Fix the login page' }).task.id;
  ids.logout = ok('task', { action: 'create', title: 'Fix the logout page' }).task.id;
  ids.snap = ok('snapshot', { action: 'create', label: 'before refactor' }).snapshot.id;
});
afterAll(() => t.cleanup());

describe('lookup', () => {
  it('a Korean name finds an English title through the lexicon, only when the Korean words match nothing', () => {
    expect(resolveName(t.call, 'plan', '프론트엔드')).toMatchObject({ ok: true, id: ids.plan2 });
    expect(resolveName(t.call, 'task', '로그인 페이지')).toMatchObject({ ok: true, id: ids.login });
    expect(resolveName(t.call, 'plan', '결제')).toMatchObject({ ok: false, candidates: [] }); // no plan is about payments here
  });

  it('by id in any case, by title words, by a plan number; several equal fits are candidates', () => {
    expect(lookupName(t.call, 'task', ids.login!.toUpperCase())).toEqual({ id: ids.login, name: 'Fix the login page' });
    expect(lookupName(t.call, 'snapshot', ids.snap!)).toEqual({ id: ids.snap, name: 'before refactor' });
    expect(lookupName(t.call, 'flow', 'f-nothing')).toBeUndefined();
    expect(planNumbered(t.call, ids.flow!, 2)).toEqual({ id: ids.plan2, name: 'Frontend' });
    expect(planNumbered(t.call, ids.flow!, 0)).toBeUndefined();
    expect(resolveName(t.call, 'task', 'logni page')).toEqual({ ok: true, id: ids.login, name: 'Fix the login page' });
    expect(resolveName(t.call, 'plan', '#2')).toMatchObject({ ok: true, id: ids.plan2 });
    expect(resolveName(t.call, 'snapshot', 'refactor')).toMatchObject({ ok: true, id: ids.snap });
    const both = resolveName(t.call, 'task', 'fix page');
    expect(both.ok).toBe(false);
    expect(!both.ok && both.candidates.map((c) => c.id).sort()).toEqual([ids.login, ids.logout].sort());
  });

  it('title words are compared within a budget, reading one name past it at most', () => {
    // Two tasks in the current flow, a budget of one: refused without comparing; the budget is not spent.
    const budget = { left: 1 };
    expect(resolveName(t.call, 'task', 'login', budget)).toMatchObject({ ok: false, refused: expect.stringMatching(/too many tasks/) });
    expect(budget.left).toBe(1);
    const enough = { left: 2 };
    expect(resolveName(t.call, 'task', 'login', enough)).toMatchObject({ ok: true, id: ids.login });
    expect(enough.left).toBe(0);
  });

  it('an undo finds the newest snapshot taken for its reason', () => {
    expect(snapshotTakenFor(t.call, 'before restore')).toBeUndefined();
    expect(snapshotTakenFor(t.call, 'manual')?.id).toBe(ids.snap);
  });
});

describe('completion', () => {
  it('ids starting with what was typed, of every kind, the tasks of the current flow only, capped per kind', () => {
    const all = completeIds(t.call, '', 100);
    expect(all).toEqual(expect.arrayContaining([ids.flow, ids.other, ids.plan1, ids.plan2, ids.login, ids.logout, ids.snap]));
    expect(all.filter((id) => id.startsWith('t-'))).toHaveLength(2);
    expect(completeIds(t.call, ids.login!.slice(0, -1), 100)).toEqual([ids.login]);
    expect(completeIds(t.call, '', 1).filter((id) => id.startsWith('p-'))).toHaveLength(1);
    expect(completeIdsOf(t.call, 'task', ids.login!.toUpperCase())).toEqual([ids.login]);
  });

  it('flow ids by id or name, case-insensitively, and a bounded listing', () => {
    expect(completeFlowIds(t.call, 'PAY')).toEqual([ids.flow]);
    expect(completeFlowIds(t.call, ids.other!.slice(0, 4))).toContain(ids.other);
    expect(completeFlowIds(t.call, '', 1)).toHaveLength(1);
    expect(someFlowNames(t.call, 1)).toEqual([{ id: ids.other, name: 'Other work' }]);
  });
});

describe('store reads are capped', () => {
  it('names and id prefixes read at most the limit asked for', () => {
    expect(namesOf(t.ws.db, 'task', 2)).toHaveLength(2);
    expect(namesOf(t.ws.db, 'task', 10, ids.flow)).toHaveLength(2);
    expect(namesWithIdPrefix(t.ws.db, 'task', 't-', 1)).toHaveLength(1);
    expect(namesWithIdPrefix(t.ws.db, 'plan', 'p-', 10, ids.flow).map((p) => p.id).sort()).toEqual([ids.plan1, ids.plan2].sort());
    expect(namesWithIdPrefix(t.ws.db, 'flow', 'zz', 10)).toEqual([]);
    expect(snapshotIdsWithPrefix(t.ws.db, ids.snap!, 10)).toEqual([ids.snap]);
  });
});

describe('did you mean, with more tasks than one suggestion reads', () => {
  it('a mistyped id still finds its task among the rows sharing its first characters', () => {
    const w = tempWorkspace();
    try {
      const { ok } = caller(w.call);
      ok('flow', { action: 'create', name: 'Big' });
      ok('plan', { action: 'create', title: 'P' });
      let last = '';
      for (let i = 0; i <= SUGGEST_ROWS; i += 500) {
        const made = ok('task', { action: 'create', tasks: Array.from({ length: 500 }, (_, j) => ({ title: `task ${i + j}` })) });
        last = made.tasks[made.tasks.length - 1].id;
      }
      // One extra letter: edit distance 1 from `last`, and (ids being random) almost surely from nothing
      // else, so the suggestion does not depend on which other ids happened to be drawn.
      const typo = `${last}x`;
      let thrown: unknown;
      try {
        findTask(w.call, typo);
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toMatchObject({ code: 'not_found' });
      expect((thrown as { details: { candidates: string[] } }).details.candidates).toContain(last);
      expect((thrown as Error).message).toContain(`Did you mean`);
      // Typed in capitals, the rows sharing its first characters are still the ones compared.
      const loud = caught<{ details: { candidates: string[] } }>(() => findTask(w.call, typo.toUpperCase()));
      expect(loud.details.candidates).toContain(last);
      expect(findTask(w.call, last.toUpperCase()).id).toBe(last);
      const spaced = caught<{ details: { candidates: string[] } }>(() => findTask(w.call, `  ${typo}`));
      expect(spaced.details.candidates).toContain(last);
    } finally {
      w.cleanup();
    }
  });
});

describe('every face names a thing the same way: id, exact title, plan number (issue 16)', () => {
  it('tools take an exact title (any letter case) or a plan number where they take an id', () => {
    const w = tempWorkspace();
    try {
      const { ok, fail } = caller(w.call);
      ok('flow', { action: 'create', name: 'Demo' });
      const release = ok('plan', { action: 'create', title: 'Release 1.0' }).plan.id;
      const second = ok('plan', { action: 'create', title: 'Second' }).plan.id;
      const api = ok('task', { action: 'create', title: 'API endpoint' }).task.id;
      expect(ok('task', { action: 'get', id: 'API endpoint' }).task.id).toBe(api);
      expect(ok('task', { action: 'get', id: 'api ENDPOINT' }).task.id).toBe(api);
      expect(ok('plan', { action: 'use', id: '1' }).plan.id).toBe(release);
      expect(ok('plan', { action: 'use', id: '#2' }).plan.id).toBe(second);
      expect(ok('plan', { action: 'use', id: 'release 1.0' }).plan.id).toBe(release);
      // Words of a title are not a title: refused, with the suggestion.
      const partial = fail('plan', { action: 'use', id: 'Release' });
      expect(partial).toMatchObject({ code: 'not_found', details: { candidates: [release] } });
      expect(partial.message).toContain(`Did you mean ${release} ("Release 1.0")?`);
      expect(fail('plan', { action: 'use', id: '9' }).code).toBe('not_found');
      // Two with one title: never guessed between.
      const twin = ok('task', { action: 'create', title: 'API endpoint', plan_id: second }).task.id;
      const both = fail('task', { action: 'get', id: 'API endpoint' });
      expect(both.code).toBe('invalid_input');
      expect(both.message).toMatch(/title of 2 tasks/);
      expect((both.details!.candidates as string[]).sort()).toEqual([api, twin].sort());
    } finally {
      w.cleanup();
    }
  });

  it('every not_found for an id suggests the closest: snapshots, documents, context entries', () => {
    const w = tempWorkspace();
    try {
      const { ok, fail } = caller(w.call);
      ok('flow', { action: 'create', name: 'Demo' });
      ok('plan', { action: 'create', title: 'P' });
      const snap = ok('snapshot', { action: 'create', label: 'before refactor' }).snapshot.id as string;
      const s = fail('snapshot', { action: 'restore', id: snap.slice(0, -1), confirm: true });
      expect(s).toMatchObject({ code: 'not_found', details: { candidates: [snap] } });
      expect(s.message).toContain(`Did you mean ${snap} ("before refactor")?`);
      ok('document', { action: 'write', path: 'notes/retry.md', content: '# Retry' });
      expect(fail('document', { action: 'read', path: 'notes/retyr.md' }).message).toContain('Did you mean notes/retry.md?');
      expect(fail('document', { action: 'read', path: 'docs/retry.md' }).message).toContain('Did you mean notes/retry.md?');
      const saved = ok('context', { action: 'save', next_step: 'write the tests' });
      const entry = JSON.stringify(saved).match(/"(c-[0-9a-z]+)"/)?.[1];
      expect(entry).toBeTruthy();
      const c = fail('context', { action: 'save', close: [`${entry}x`] });
      expect(c).toMatchObject({ code: 'not_found', details: { candidates: [entry] } });
    } finally {
      w.cleanup();
    }
  });
});

describe('a mistyped id is never read as title words', () => {
  it('"s-9sr" does not pick the snapshot whose reason mentions s-9srd; the miss suggests the closest ids', () => {
    const w = tempWorkspace();
    try {
      const { ok } = caller(w.call);
      ok('flow', { action: 'create', name: 'Demo' });
      ok('plan', { action: 'create', title: 'P' });
      const snap = ok('snapshot', { action: 'create' }).snapshot.id as string;
      ok('snapshot', { action: 'create', label: `before restore of ${snap}` });
      const typo = snap.slice(0, -1);
      expect(resolveName(w.call, 'snapshot', typo)).toEqual({ ok: false, candidates: [] });
      expect(nearestNames(w.call, 'snapshot', typo).map((c) => c.id)).toContain(snap);
    } finally {
      w.cleanup();
    }
  });
});

// What each refusal of a name says, word for word: the first mutation run of kernel/ showed the
// wording, the other-kind lookups and the bounds of the candidate lists could each change unnoticed.
describe('what a miss says', () => {
  const fresh = workspacePerTest();
  const err = (fn: () => unknown) => {
    const e = caught<FlowError>(fn);
    return { code: e.code, message: e.message, hint: e.hint, details: e.details };
  };

  it('an id of another kind is named as such, with the command that shows the one it names, trimmed and in any case', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    const flow = ok('flow', { action: 'create', name: 'Payments' }).flow.id as string;
    const plan = ok('plan', { action: 'create', title: 'Backend' }).plan.id as string;
    const snap = ok('snapshot', { action: 'create', label: 'before refactor' }).snapshot.id as string;
    expect(otherKindId(w.call, 'task', ` ${plan.toUpperCase()} `)).toEqual({
      message: `"${plan.toUpperCase()}" is a plan id, not a task id (plan ${plan} is "Backend").`,
      hint: `plan get ${plan} shows that plan.`,
      kind: 'plan',
      known: { id: plan, name: 'Backend' },
    });
    expect(otherKindId(w.call, 'task', flow)).toMatchObject({ message: `"${flow}" is a flow id, not a task id (flow ${flow} is "Payments").`, hint: `flow get ${flow} shows that flow.` });
    expect(otherKindId(w.call, 'plan', snap)).toMatchObject({
      message: `"${snap}" is a snapshot id, not a plan id (snapshot ${snap} is "before refactor").`,
      hint: `snapshot show ${snap} shows that snapshot.`,
    });
    const task = ok('task', { action: 'create', title: 'Fix login' }).task.id as string;
    expect(otherKindId(w.call, 'plan', task)).toMatchObject({ message: `"${task}" is a task id, not a plan id (task ${task} is "Fix login").`, hint: `task get ${task} shows that task.` });
    // Documents and context entries that exist are named too, with the command that shows them.
    const doc = ok('document', { action: 'write', path: 'notes/retry.md', content: '# Retry' }).document.id as string;
    expect(otherKindId(w.call, 'task', doc.toUpperCase())).toEqual({
      message: `"${doc.toUpperCase()}" is a document id, not a task id (document ${doc} is "notes/retry.md").`,
      hint: `document read ${doc} shows that document.`,
      kind: 'document',
      known: { id: doc, name: 'notes/retry.md' },
    });
    const entry = JSON.stringify(ok('context', { action: 'save', next_step: 'write the tests' })).match(/"(c-[0-9a-z]+)"/)![1]!;
    expect(otherKindId(w.call, 'task', entry)).toMatchObject({
      message: `"${entry}" is a context id, not a task id (context ${entry} is "write the tests").`,
      hint: `context history with flow_id ${flow} shows that context.`,
    });
    expect(otherKindId(w.call, 'task', 'd-zzzz')).toEqual({ message: '"d-zzzz" is a document id, not a task id.', hint: 'No document has that id either.', kind: 'document', known: undefined });
    expect(otherKindId(w.call, 'task', 'c-zzzz')).toMatchObject({ message: '"c-zzzz" is a context id, not a task id.', hint: 'No context has that id either.' });
    expect(otherKindId(w.call, 'task', 't-zzzz')).toBeUndefined();
    expect(otherKindId(w.call, 'task', 'login')).toBeUndefined();
    // The finders say it with their list hint, and offer no candidates of the wrong kind.
    expect(err(() => findTask(w.call, plan))).toEqual({
      code: 'not_found',
      message: `"${plan}" is a plan id, not a task id (plan ${plan} is "Backend").`,
      hint: `plan get ${plan} shows that plan. Use task list (with query) to find task ids.`,
      details: { candidates: [] },
    });
  });

  it('a plan number past the last says how many plans the current flow has, or that no flow is current', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    expect(planNumberMiss(w.call, 'backend')).toBeUndefined();
    expect(err(() => { throw planNumberMiss(w.call, ' #3 '); })).toEqual({
      code: 'not_found',
      message: 'No plan "#3": plans are numbered within the current flow, and this session has none.',
      hint: 'Name the plan by its id or title (plan list with flow_id shows them), or pick a flow with flow switch first.',
      details: undefined,
    });
    const flow = ok('flow', { action: 'create', name: 'Payments' }).flow.id as string;
    expect(err(() => findPlan(w.call, '3'))).toMatchObject({
      message: `No plan number 3 in flow ${flow} ("Payments"): it has no plans.`,
      hint: 'Create one with plan create (title).',
    });
    ok('plan', { action: 'create', title: 'Backend' });
    expect(err(() => findPlan(w.call, 'no. 3'))).toMatchObject({
      message: `No plan number 3 in flow ${flow} ("Payments"): it has one plan (number 1).`,
      hint: 'Name a plan by its number, id or title; plan list shows them.',
    });
    ok('plan', { action: 'create', title: 'Frontend' });
    expect(err(() => findPlan(w.call, '3'))).toMatchObject({ message: `No plan number 3 in flow ${flow} ("Payments"): it has 2 plans (numbers 1 to 2).` });
    // A task is never "plan number 3".
    expect(err(() => findTask(w.call, '3'))).toEqual({ code: 'not_found', message: 'No task "3".', hint: 'Use task list (with query) to find task ids.', details: { candidates: [] } });
  });

  it('an exact title: trimmed, up to the longest a title may be, the current flow first, a number-like title of a task', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'Elsewhere' });
    ok('plan', { action: 'create', title: 'P' });
    const away = ok('task', { action: 'create', title: 'Ship it' }).task.id;
    const onlyAway = ok('task', { action: 'create', title: 'Only there' }).task.id;
    ok('flow', { action: 'create', name: 'Here' });
    ok('plan', { action: 'create', title: 'One' });
    ok('plan', { action: 'create', title: 'Two' });
    const here = ok('task', { action: 'create', title: 'Ship it' }).task.id;
    const two = ok('task', { action: 'create', title: '2' }).task.id;
    const long = 'x'.repeat(LIMITS.title);
    const longId = ok('task', { action: 'create', title: long }).task.id;
    expect(findTask(w.call, '  ship IT  ').id).toBe(here);
    expect(findTask(w.call, 'Only there').id).toBe(onlyAway);
    expect(findTask(w.call, '2').id).toBe(two);
    expect(findTask(w.call, long).id).toBe(longId);
    // From a session with no current flow, the two are never guessed between.
    const other = w.newCtx();
    other.session.setCurrent(null, null);
    expect(err(() => findTask(other, 'Ship it'))).toEqual({
      code: 'invalid_input',
      message: `"Ship it" is the title of 2 tasks: ${[away, here].sort().join(', ')}. Nothing was done.`,
      hint: 'Name the task by its id.',
      details: { candidates: [away, here].sort() },
    });
  });

  it('eight tasks of one title are all listed; past eight, the first eight and "more than"', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'F' });
    ok('plan', { action: 'create', title: 'P' });
    const eight = (ok('task', { action: 'create', tasks: Array.from({ length: 8 }, () => ({ title: 'Same' })) }).tasks as { id: string }[]).map((x) => x.id).sort();
    expect(err(() => findTask(w.call, 'same'))).toEqual({
      code: 'invalid_input',
      message: `"same" is the title of 8 tasks: ${eight.join(', ')}. Nothing was done.`,
      hint: 'Name the task by its id.',
      details: { candidates: eight },
    });
    const ninth = ok('task', { action: 'create', title: 'Same' }).task.id as string;
    const first = [...eight, ninth].sort().slice(0, 8);
    expect(err(() => findTask(w.call, 'Same'))).toEqual({
      code: 'invalid_input',
      message: `"Same" is the title of more than 8 tasks: ${first.join(', ')}, …. Nothing was done.`,
      hint: 'Name the task by its id.',
      details: { candidates: first },
    });
    // The same from a session with no current flow, where every flow is looked in.
    const bare = w.newCtx();
    bare.session.setCurrent(null, null);
    expect(err(() => findTask(bare, 'Same')).message).toBe(`"Same" is the title of more than 8 tasks: ${first.join(', ')}, …. Nothing was done.`);
  });

  it('no current flow or plan: what to pass, and the plans to choose from, ten at most', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    const bare = w.newCtx();
    // With no flow at all there is nothing to switch to: only making one is said.
    expect(err(() => flowOrCurrent(bare, undefined))).toEqual({
      code: 'no_current',
      message: 'There are no flows in this project yet.',
      hint: 'Start one with flow create (name); it becomes the current flow.',
      details: undefined,
    });
    const flow = ok('flow', { action: 'create', name: 'Payments' }).flow.id as string;
    expect(err(() => flowOrCurrent(bare, undefined))).toEqual({
      code: 'no_current',
      message: 'No current flow in this session.',
      hint: 'Pass flow_id, or pick a flow with flow switch (flow list shows them), or start one with flow create.',
      details: undefined,
    });
    expect(err(() => planOrCurrent(bare, undefined, flow))).toEqual({
      code: 'no_current',
      message: `Flow ${flow} ("Payments") has no plans yet.`,
      hint: 'Create one with plan create (title), then add tasks to it.',
      details: undefined,
    });
    const first = ok('plan', { action: 'create', title: 'First' }).plan.id as string;
    expect(planOrCurrent(bare, undefined, flow).id).toBe(first);
    const archived = ok('plan', { action: 'create', title: 'Old' }).plan.id as string;
    ok('plan', { action: 'update', id: archived, status: 'archived' });
    expect(planOrCurrent(bare, undefined, flow).id).toBe(first); // an archived plan is not a choice
    const plans = [first];
    for (let i = 2; i <= 10; i++) plans.push(ok('plan', { action: 'create', title: `Plan ${i}` }).plan.id);
    const listed = (ids: string[]) => ids.map((id, i) => `${id} ("${i === 0 ? 'First' : `Plan ${i + 1}`}")`).join(', ');
    expect(err(() => planOrCurrent(bare, undefined, flow))).toEqual({
      code: 'no_current',
      message: `No current plan in this session, and flow ${flow} has 10 plans.`,
      hint: `Pass plan_id, or choose one with plan use: ${listed(plans)}.`,
      details: { candidates: plans },
    });
    plans.push(ok('plan', { action: 'create', title: 'Plan 11' }).plan.id);
    expect(err(() => planOrCurrent(bare, undefined, flow, 'id'))).toEqual({
      code: 'no_current',
      message: `No current plan in this session, and flow ${flow} has 11 plans.`,
      hint: `Name the plan by its id, or choose one with plan use: ${listed(plans.slice(0, 10))}, ….`,
      details: { candidates: plans.slice(0, 10) },
    });
  });

  it('a snapshot label: trimmed, one resolves, several are listed (eight at most), an empty one names nothing', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'F' });
    ok('plan', { action: 'create', title: 'P' });
    const unlabelled = ok('snapshot', { action: 'create' }).snapshot.id as string;
    expect(snapshotLabelled(w.call, '  ')).toBeUndefined();
    expect(lookupName(w.call, 'snapshot', unlabelled)).toBeDefined();
    const one = ok('snapshot', { action: 'create', label: 'Release' }).snapshot.id as string;
    expect(snapshotLabelled(w.call, ' release ')?.id).toBe(one);
    expect(snapshotLabelled(w.call, 'nothing')).toBeUndefined();
    const two = ok('snapshot', { action: 'create', label: 'release' }).snapshot.id as string;
    expect(err(() => snapshotLabelled(w.call, 'Release'))).toEqual({
      code: 'invalid_input',
      message: `"Release" is the label of 2 snapshots: ${two}, ${one}. Nothing was done.`,
      hint: 'Name the snapshot by its id (snapshot list shows them, newest first).',
      details: { candidates: [two, one] },
    });
    const newest = [two, one];
    for (let i = 0; i < 6; i++) newest.unshift(ok('snapshot', { action: 'create', label: 'Release' }).snapshot.id);
    expect(err(() => snapshotLabelled(w.call, 'Release')).message).toBe(`"Release" is the label of 8 snapshots: ${newest.join(', ')}. Nothing was done.`);
    newest.unshift(ok('snapshot', { action: 'create', label: 'Release' }).snapshot.id);
    expect(err(() => snapshotLabelled(w.call, 'Release'))).toMatchObject({
      message: `"Release" is the label of more than 8 snapshots: ${newest.slice(0, 8).join(', ')}, …. Nothing was done.`,
      details: { candidates: newest.slice(0, 8) },
    });
    expect(namesToMatch(w.call, 'snapshot', 1)).toHaveLength(1);
  });

  it('a mistyped id of a snapshot older than the newest 200 is still suggested, typed in any case', () => {
    const w = fresh();
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'F' });
    ok('plan', { action: 'create', title: 'P' });
    const oldest = ok('snapshot', { action: 'create', label: 'the oldest' }).snapshot.id as string;
    for (let i = 0; i < SNAPSHOTS_NAMED; i++) ok('snapshot', { action: 'create' });
    expect(snapshotSuggestionPool(w.call, '').map((c) => c.id)).not.toContain(oldest);
    const typo = `${oldest}x`.toUpperCase();
    expect(nearestNames(w.call, 'snapshot', typo).map((c) => c.id)).toContain(oldest);
    expect(nearestNames(w.call, 'snapshot', `  ${oldest}x`).map((c) => c.id)).toContain(oldest);
  });
});
