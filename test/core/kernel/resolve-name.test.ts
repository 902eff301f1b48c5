// Naming things in commands by words: several ids in one place refused, a name's length bounded, a task
// never taken for a plan's number, a mistyped id (any case) never read as title words, half the words
// enough, equal fits listed shortest first, and the other flows searched within the same budget.
import { describe, expect, it } from 'vitest';
import { MAX_NAME_CHARS, resolveName } from '../../../src/core/kernel/resolve-name.js';
import { caller } from '../../helpers/call.js';
import { workspacePerTest } from '../../helpers/workspace.js';

const fresh = workspacePerTest();

/** A workspace with a flow and plan current, and `titles` as its tasks (ids in order). */
function withTasks(titles: string[]) {
  const w = fresh();
  const { ok } = caller(w.call);
  ok('flow', { action: 'create', name: 'Here' });
  ok('plan', { action: 'create', title: 'One' });
  const ids = titles.map((title) => ok('task', { action: 'create', title }).task.id as string);
  return { w, ok, ids };
}

describe('what a name may be', () => {
  it('several ids in one place are refused, three shown', () => {
    const { w } = withTasks([]);
    expect(resolveName(w.call, 'task', ',t-aaaa, t-bbbb')).toEqual({
      ok: false,
      candidates: [],
      refused: 'This names 2 tasks by id (t-aaaa, t-bbbb); a command acts on one task at a time.',
      hint: 'Give one id per command (e.g. t-aaaa), one command after another.',
    });
    expect(resolveName(w.call, 'plan', 'p-aaaa p-bbbb p-cccc p-dddd')).toMatchObject({
      refused: 'This names 4 plans by id (p-aaaa, p-bbbb, p-cccc, …); a command acts on one plan at a time.',
    });
    expect(resolveName(w.call, 'task', 'p-aaaa p-bbbb p-cccc')).toMatchObject({ refused: expect.stringContaining('names 3 tasks by id (p-aaaa, p-bbbb, p-cccc);') });
    // An id among words is not several ids.
    expect(resolveName(w.call, 'task', 't-aaaa login')).not.toHaveProperty('refused');
  });

  it('an id with spaces around resolves; a name up to a title long is looked up, a longer one refused', () => {
    const long = 'x'.repeat(MAX_NAME_CHARS);
    const { w, ids } = withTasks(['Fix login', long]);
    expect(resolveName(w.call, 'task', `  ${ids[0]}  `)).toEqual({ ok: true, id: ids[0], name: 'Fix login' });
    expect(resolveName(w.call, 'task', long)).toEqual({ ok: true, id: ids[1], name: long });
    expect(resolveName(w.call, 'task', `${long}x`)).toEqual({ ok: false, candidates: [], refused: `A task named by ${MAX_NAME_CHARS + 1} characters of words; names are at most ${MAX_NAME_CHARS}.` });
  });

  it('a number names a plan, never a task', () => {
    const { w, ok } = withTasks(['Fix login']);
    ok('plan', { action: 'create', title: 'Two' });
    expect(resolveName(w.call, 'task', '2')).toEqual({ ok: false, candidates: [] });
    expect(resolveName(w.call, 'plan', '2')).toMatchObject({ ok: true, name: 'Two' });
  });

  it('an id shape of the kind asked for, in any case, is a mistyped id, not title words', () => {
    const { w } = withTasks(['before restore of t-9srd']);
    expect(resolveName(w.call, 'task', 'T-9SR')).toEqual({ ok: false, candidates: [] });
    expect(resolveName(w.call, 'task', 'restore')).toMatchObject({ ok: true });
  });
});

describe('the newest snapshot by a word', () => {
  it('"last", "the latest snapshot", "마지막" name the newest snapshot; a snapshot labelled "last" is that one; none taken is not found', () => {
    const { w, ok } = withTasks(['Fix login']);
    expect(resolveName(w.call, 'snapshot', 'last')).toEqual({ ok: false, candidates: [] });
    const first = ok('snapshot', { action: 'create', label: 'first' }).snapshot.id as string;
    const second = ok('snapshot', { action: 'create', label: 'second' }).snapshot.id as string;
    for (const words of ['last', 'the latest snapshot', 'most recent', 'Newest', '마지막', '최근 스냅샷']) {
      expect(resolveName(w.call, 'snapshot', words), words).toEqual({ ok: true, id: second, name: 'second' });
    }
    expect(resolveName(w.call, 'snapshot', 'first')).toMatchObject({ ok: true, id: first });
    const labelled = ok('snapshot', { action: 'create', label: 'last' }).snapshot.id as string;
    ok('snapshot', { action: 'create', label: 'after it' });
    expect(resolveName(w.call, 'snapshot', 'last')).toMatchObject({ ok: true, id: labelled });
    // The word means nothing for other kinds.
    expect(resolveName(w.call, 'task', 'latest')).toEqual({ ok: false, candidates: [] });
  });

  it('"the last snapshot" is the newest one someone took, not the one a delete took after it; with none taken, the newest of all', () => {
    const { w, ok, ids } = withTasks(['Fix login', 'Temp']);
    ok('task', { action: 'delete', id: ids[1], confirm: true }); // its flow's snapshot, taken by flowmcp
    const auto = resolveName(w.call, 'snapshot', 'last');
    expect(auto).toMatchObject({ ok: true, name: expect.stringMatching(/^before deleting task/) });
    const mine = ok('snapshot', { action: 'create', label: 'before cleanup' }).snapshot.id as string;
    ok('task', { action: 'delete', id: ids[0], confirm: true });
    for (const words of ['last', 'the latest snapshot', '마지막 스냅샷']) {
      expect(resolveName(w.call, 'snapshot', words), words).toEqual({ ok: true, id: mine, name: 'before cleanup' });
    }
  });
});

describe('which titles fit', () => {
  it('half the words found is enough; the words the title lacks are said when the title has others the name left out', () => {
    const { w, ids } = withTasks(['Fix login', 'Refund API', 'Login page']);
    expect(resolveName(w.call, 'task', 'fix zzzz')).toEqual({ ok: true, id: ids[0], name: 'Fix login', partial: ['zzzz'] });
    expect(resolveName(w.call, 'task', 'the partial refunds task')).toEqual({ ok: true, id: ids[1], name: 'Refund API', partial: ['partial'] });
    // Every word of the title named, with words around it, is how people talk: a fit, not a fit in part.
    expect(resolveName(w.call, 'task', 'teh login page')).toEqual({ ok: true, id: ids[2], name: 'Login page' });
    expect(resolveName(w.call, 'task', 'refund api for me')).toEqual({ ok: true, id: ids[1], name: 'Refund API' });
    // Words for a piece of work qualify nothing: "the refund stuff" is Refund API.
    expect(resolveName(w.call, 'task', 'the refund stuff')).toEqual({ ok: true, id: ids[1], name: 'Refund API' });
    expect(resolveName(w.call, 'task', 'refund ticket')).toEqual({ ok: true, id: ids[1], name: 'Refund API' });
  });

  it('a title given whole wins, also one made only of words the loose match skips', () => {
    const { w, ids } = withTasks(['A', 'The plan', 'Write tests', 'Write the tests']);
    expect(resolveName(w.call, 'task', 'a')).toEqual({ ok: true, id: ids[0], name: 'A' });
    expect(resolveName(w.call, 'task', 'the plan')).toEqual({ ok: true, id: ids[1], name: 'The plan' });
    // Loosely both are "write tests"; written out whole, one is the name.
    expect(resolveName(w.call, 'task', 'Write tests')).toEqual({ ok: true, id: ids[2], name: 'Write tests' });
  });

  it('Korean words fit by their translation when that fits better than the words as said, never on a tie', () => {
    const { w, ids } = withTasks(['Login page', '로그인 작업', '배포 스크립트 작성', 'Write migration tests']);
    // "로그인" half-fits "로그인 작업" as said; translated, both words are "Login page": the page was meant.
    expect(resolveName(w.call, 'task', '로그인 페이지')).toEqual({ ok: true, id: ids[0], name: 'Login page' });
    expect(resolveName(w.call, 'task', '로그인 작업')).toEqual({ ok: true, id: ids[1], name: '로그인 작업' });
    // "작성" (write) half-fits "Write migration tests" translated, as "배포스크립트 작성" half-fits the Korean
    // title as said: the words as said win the tie.
    expect(resolveName(w.call, 'task', '배포스크립트 작성')).toEqual({ ok: true, id: ids[2], name: '배포 스크립트 작성' });
  });

  it('equal fits are candidates, the shortest title first', () => {
    const { w, ids } = withTasks(['Fix the login page now', 'Fix login', 'Login form of the shop']);
    expect(resolveName(w.call, 'task', 'login')).toEqual({
      ok: false,
      candidates: [
        { id: ids[1], name: 'Fix login' },
        { id: ids[0], name: 'Fix the login page now' },
        { id: ids[2], name: 'Login form of the shop' },
      ],
      total: 3,
    });
  });
});

describe('the other flows', () => {
  /** "Here" current with one task that fits nothing; "Away" with `away` tasks. */
  function twoFlows(away: string[]) {
    const w = fresh();
    const { ok } = caller(w.call);
    const awayFlow = ok('flow', { action: 'create', name: 'Away' }).flow.id as string;
    ok('plan', { action: 'create', title: 'P' });
    const ids = away.map((title) => ok('task', { action: 'create', title }).task.id as string);
    ok('flow', { action: 'create', name: 'Here' });
    ok('plan', { action: 'create', title: 'One' });
    ok('task', { action: 'create', title: 'Unrelated' });
    return { w, ids, awayFlow };
  }

  it('the best fits there, each with its flow, eight at most', () => {
    const { w, ids, awayFlow } = twoFlows(['Fix the login page', 'Fix login', ...Array.from({ length: 9 }, () => 'Ship it')]);
    expect(resolveName(w.call, 'task', 'fix login')).toEqual({
      ok: false,
      candidates: [],
      elsewhere: [{ id: ids[1], name: 'Fix login', flowId: awayFlow, flowName: 'Away', exact: true }],
    });
    const ships = resolveName(w.call, 'task', 'ship it');
    expect(ships).toMatchObject({ ok: false, candidates: [] });
    expect(!ships.ok && ships.elsewhere).toEqual(ids.slice(2, 10).map((id) => ({ id, name: 'Ship it', flowId: awayFlow, flowName: 'Away', exact: true })));
  });

  it('within the one budget: every title read when it just suffices, none matched when it does not', () => {
    const { w, ids } = twoFlows(['Something else', 'Fix login']);
    // One title in the current flow and two in the other: a budget of three reads them all.
    const enough = { left: 3 };
    expect(resolveName(w.call, 'task', 'fix login', enough)).toMatchObject({ ok: false, elsewhere: [{ id: ids[1] }] });
    expect(enough.left).toBe(0);
    const short = { left: 2 };
    expect(resolveName(w.call, 'task', 'fix login', short)).toEqual({ ok: false, candidates: [] });
    expect(short.left).toBe(1);
  });
});
