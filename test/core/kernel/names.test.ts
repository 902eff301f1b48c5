// The names service: one lookup by id, legacy id or title words for every face, and completion and
// "did you mean" that read a bounded number of names however many a project holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeFlowIds, completeIds, someFlowNames } from '../../../src/core/kernel/name-completion.js';
import { findTask, lookupName, nearestNames, planNumbered, snapshotTakenFor, SUGGEST_ROWS } from '../../../src/core/kernel/names.js';
import { resolveName } from '../../../src/core/kernel/resolve-name.js';
import { namesOf, namesWithIdPrefix, snapshotIdsWithPrefix } from '../../../src/store/names.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

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
