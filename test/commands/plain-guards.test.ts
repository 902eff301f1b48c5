// Plain language never changes a thing the request spares or waits for, however it is worded: a change
// said of many things ("cancel the rest, billing is fine", "나머지 다 취소") or for later ("start X after
// the stripe hook", "X 완료하면 Y 시작해") is refused with nothing changed. Cases from a red-team pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
const id = new Map<string, string>();
const TITLES = ['Stripe webhook', 'Refund work', 'Login page', 'Billing', 'Login page redesign', '결제 모듈', '환불 테스트', 'Log all errors'];
beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'Payments' });
  ok('plan', { action: 'create', title: 'Checkout' });
  for (const title of TITLES) id.set(title, ok('task', { action: 'create', title }).task.id);
});
afterAll(() => t.cleanup());

const read = (text: string) => {
  const p = parseCommand(t.call, text);
  return p.kind === 'run' ? p.command.text : p.kind === 'error' ? `error: ${p.message}` : p.kind;
};
/** The ids a reading would change (a look or a refusal changes none). */
const changes = (text: string) => {
  const p = parseCommand(t.call, text);
  if (p.kind !== 'run' || ['get', 'list', 'next'].includes(String(p.command.args.action))) return [];
  return [...id.entries()].filter(([, v]) => p.command.text.includes(v)).map(([k]) => k);
};

/** Each request changes nothing and is answered with an error (a refusal, or a change held back). */
const changesNothing = (cases: string[]) =>
  it.each(cases)('%s', (text) => {
    expect(changes(text)).toEqual([]);
    expect(read(text)).toMatch(/^error: /);
  });
/** Each request changes only its task, by the verb given. */
const runsAsAsked = (cases: [string, string, string][]) =>
  it.each(cases)('%s', (text, verb, title) => {
    expect(changes(text)).toEqual([title]);
    expect(read(text)).toMatch(new RegExp(`^/flow ${verb} `));
  });

describe('a change said of many things is refused, nothing changed', () => {
  it.each([
    'cancel the rest, billing is fine',
    'mark all done but billing',
    'cancel every task but billing',
    'cancel everything, billing aside',
    'cancel everything, billing excluded',
    'cancel everything, minus billing',
    'cancel everything, except of course billing',
    'cancel everything with the exception of billing',
    "cancel all tasks that aren't billing",
    "cancel whatever isn't billing",
    'cancel everything еxcept billing', // a Cyrillic е
    'cancel everything except \u202ebilling\u202c',
    'cancel everything except refnd work',
    'cancel all',
    'cancel all except billing',
    '결제 모듈만 빼고 다 취소해줘',
    '결제 모듈은 건들지 말고 다 취소',
    '결제 모듈 외에 다 취소해줘',
    '결제 모듈 이외 전부 완료',
    '결제 모듈 빼놓고 다 완료해줘',
    '결제 모듈 뺀 나머지 다 취소',
    '결제 모듈만 남기고 다 취소해줘',
    '전부 취소',
  ])('%s', (text) => {
    expect(changes(text)).toEqual([]);
    expect(read(text)).toMatch(/^error: .*nothing was done/);
  });
});

describe('a change said to wait for something is not made now', () => {
  it.each([
    'start the login page after the stripe hook',
    'mark billing done once t-bogus is done',
    'cancel the refund work once the stripe thing is merged',
    '결제 모듈 완료하면 환불 테스트 시작해',
  ])('%s', (text) => {
    expect(changes(text).filter((k) => !['결제 모듈', '환불 테스트'].includes(k) || !/depend/.test(read(text)))).toEqual([]);
  });

  it('the Korean "X 완료하면 Y 시작해" is the dependency it says: Y waits for X', () => {
    expect(read('결제 모듈 완료하면 환불 테스트 시작해')).toBe(`/flow depend task ${id.get('환불 테스트')} ${id.get('결제 모듈')}`);
    expect(read('결제 모듈 끝나면 환불 테스트 시작해줘')).toBe(`/flow depend task ${id.get('환불 테스트')} ${id.get('결제 모듈')}`);
  });
});

describe('what a person says about the state of things is not taken for "many things" or "later"', () => {
  it.each([
    ['marking billing as done, all green on CI', 'done', 'Billing'],
    ['kick off refund work pls, i have an hour before standup', 'start', 'Refund work'],
    ['block the stripe webhook until they publish the new schema', 'block', 'Stripe webhook'],
    ['billing 다 했음', 'done', 'Billing'],
    ["mark billing done, that's all", 'done', 'Billing'],
  ])('%s', (text, verb, title) => {
    expect(read(text)).toBe(`/flow ${verb} task ${id.get(title)}`);
  });

  it('a title holding "all" is that task, not "all"', () => {
    expect(changes('cancel log all errors')).toEqual(['Log all errors']);
  });
});

describe('the order of two things, however it is said', () => {
  it.each([
    'start the refund work after billing',
    'after we finish billing, start the refund work',
    'as soon as we ship billing, start the refund work',
    'before the refund work, billing has to be done',
    "the refund work can't start before billing is done",
    'billing has to be finished before the refund work',
  ])('%s: Refund work waits for Billing', (text) => {
    expect(read(text)).toBe(`/flow depend task ${id.get('Refund work')} ${id.get('Billing')}`);
  });
});

describe('a change with a reason that names other work is not read as a dependency', () => {
  it.each([
    'mark billing done, I finished it right after the refund work',
    'reopen billing, it broke after the refund work',
    '결제 모듈 다시 열어줘, 환불 테스트 끝나고 깨졌어',
  ])('%s', (text) => {
    expect(read(text)).not.toMatch(/depend/);
    expect(changes(text)).toEqual([]);
  });
});

describe('a thing set aside and then pointed back at, or kept in a state', () => {
  it.each([
    ["don't cancel billing, block it instead", 'block', 'Billing'],
    ['keep billing, but make it urgent', 'edit', 'Billing', ' --priority urgent'],
    ["don't start billing yet, just claim it", 'claim', 'Billing'],
    ['keep billing on hold', 'block', 'Billing'],
    ['leave billing in review', 'review', 'Billing'],
    ['keep refund work blocked', 'block', 'Refund work'],
  ])('%s', (text, verb, title, tail = '') => {
    expect(read(text)).toBe(`/flow ${verb} task ${id.get(title)}${tail}`);
  });
});

describe('words spared that are part of the title read, and a second thing after "then"', () => {
  it.each(['finish the login page, keep the redesign', 'close out login page, not the redesign', 'start the refund work, then billing'])('%s', (text) => {
    expect(changes(text)).toEqual([]);
    expect(read(text)).toMatch(/nothing was done/);
  });
});

describe('refusals that offer nothing to undo the request', () => {
  it('"cancel everything except X" where X is in another flow: no hint to change X', () => {
    const w = tempWorkspace();
    try {
      const { ok } = caller(w.call);
      ok('flow', { action: 'create', name: 'Growth' });
      ok('plan', { action: 'create', title: 'Ads' });
      const other = ok('task', { action: 'create', title: 'Landing page copy' }).task.id as string;
      ok('flow', { action: 'create', name: 'Payments' });
      ok('plan', { action: 'create', title: 'Checkout' });
      ok('task', { action: 'create', title: 'Billing' });
      for (const text of ['cancel everything except landing page copy', 'landing page copy 빼고 다 취소']) {
        const p = parseCommand(w.call, text);
        expect(p.kind).toBe('error');
        if (p.kind === 'error') expect(`${p.message} ${p.hint}`).not.toContain(other);
      }
    } finally {
      w.cleanup();
    }
  });

  it('a request of only invisible characters is empty, not a request for help', () => {
    const { fail } = caller(t.call);
    for (const text of ['\u200b', '\u202e\u202c', ' \ufeff ']) expect(fail('command', { text }).message).toMatch(/text: must not be empty/);
  });
});

// A second red-team pass: wordings the first guard missed.
describe('a change asked any way but plainly is held back, and the answer gives the command that makes it', () => {
  changesNothing([
    'delete every thing but billing --confirm',
    'cancel everythin but billing',
    'cancel al but billing',
    'cancel the leftover tasks but billing',
    'make every thing urgent but billing',
    '결제 모듈은 두고 취소',
    '결제 모듈 남기고 취소해',
    'cancel alll except billing',
    '결제 모듈 취소하지 마',
    'nobody cancel billing',
    "I haven't finished billing",
    'someone marked billing done by mistake',
    "refund work shouldn't depend on billing",
    "I'll finish billing before EOD, mark it in progress",
    'billing: wip, done by tomorrow',
    'start billing after the deploy',
    'mark billing done once CI is green',
    'cancel billing if the client says no',
    '배포 끝나면 결제 모듈 시작해',
    '점심 먹고 결제 모듈 시작',
    'mark billing done after the release',
    'start billing tomorrow',
    '결제 모듈 내일 시작할게',
    'maybe cancel billing',
    'cancel billing?',
    'Bob said cancel billing',
    '팀장님이 결제 모듈 취소하래',
    '결제 모듈 취소해야 하나?',
    'mark billing done, everything else is on hold',
  ]);

  it('says why and gives the exact command', () => {
    const p = parseCommand(t.call, 'maybe cancel billing');
    expect(p.kind).toBe('error');
    if (p.kind !== 'error') return;
    expect(p.message).toBe(`This reads as /flow cancel task ${id.get('Billing')}, but "maybe" leaves it undecided, so nothing was done.`);
    expect(p.hint).toBe(`To make that change now, send exactly: /flow cancel task ${id.get('Billing')}`);
    expect(read(`/flow cancel task ${id.get('Billing')}`)).toBe(`/flow cancel task ${id.get('Billing')}`);
  });
});

describe('the order of two things, said with "it" or "prerequisite"', () => {
  it.each([
    'billing must be done first, refund work depends on it',
    'billing first; refund work needs it',
    'billing — refund work is waiting on it',
    'billing is a prerequisite for refund work',
    'start billing before refund work',
  ])('%s: Refund work waits for Billing', (text) => {
    expect(read(text)).toBe(`/flow depend task ${id.get('Refund work')} ${id.get('Billing')}`);
  });
});

describe('a plain request with words about the other things still runs', () => {
  runsAsAsked([
    ["billing is done but the rest isn't", 'done', 'Billing'],
    ['finish billing, the rest can wait', 'done', 'Billing'],
    ["billing is done, everything's merged", 'done', 'Billing'],
    ['결제 모듈 완료, 나머지는 내일', 'done', '결제 모듈'],
    ['start billing before lunch', 'start', 'Billing'],
    ['mark billing done, all tests pass', 'done', 'Billing'],
    ["I'll take billing", 'claim', 'Billing'],
    ['can you send billing to review? PR is up', 'review', 'Billing'],
  ]);
});

// A third red-team pass.
describe('corrections, "no need", "almost", jokes, holds of another change and quoted lines are held back', () => {
  changesNothing([
    'cancel billing, I mean refund work',
    'cancel billing, no — refund work',
    '결제 모듈 취소, 아 아니 환불 테스트',
    'cancel billing — oh wait, refund work',
    'no need to cancel billing',
    "there's no reason to cancel billing",
    'billing: cancel forbidden',
    '결제 모듈 취소할 필요 없어',
    '결제 모듈 취소 안 해도 돼',
    '결제 모듈 취소 금지',
    '결제 모듈 취소 ㄴㄴ',
    'billing almost done',
    'billing 90% done',
    'billing done-ish',
    '결제 모듈 완료 아님',
    'un-cancel billing',
    'un-block billing',
    'cancel billing lol jk',
    'cancel billing (not really)',
    '결제 모듈 취소 ㅋㅋ 농담',
    '결제 모듈 취소 취소',
    'hold off on cancelling billing',
    'billing cancellation is on hold',
    '결제 모듈 취소는 보류',
    'Jane: billing done',
    'billing was finished by Bob',
    '> cancel billing',
    'cancel billing EOD',
    'billing is done NOT',
    'cancel login page and its redesign',
    'billing done, refund work too',
  ]);

  runsAsAsked([
    ['Billing: done', 'done', 'Billing'],
    ['billing ✅', 'done', 'Billing'],
    ['marking billing as done', 'done', 'Billing'],
    ['Login page: done', 'done', 'Login page'],
    ["don't cancel billing, block it instead", 'block', 'Billing'],
  ]);
});

// A fresh-eyes review of the guard.
describe('what the review found', () => {
  it('a request too long to read is refused as such, before any title is looked for in it', () => {
    const text = `cancel everything but ${'billing '.repeat(140)}`;
    expect(read(text)).toMatch(/^error: Plain-language requests are read up to 600 characters/);
  });

  changesNothing([
    'don’t cancel billing',
    'please don’t mark billing done',
    'billing isn’t done',
    'I’ll finish billing',
    'cancel billing, wait no refund work',
    'cancel billing... or not',
    'Cancel billing. Not.',
    'cancel billing friday',
  ]);

  runsAsAsked([
    ['mark billing done as well', 'done', 'Billing'],
    ['billing done, notifications done too', 'done', 'Billing'],
    ['결제 모듈 초안 완료', 'done', '결제 모듈'],
    ['결제 모듈 다 완료했어', 'done', '결제 모듈'],
    ['billing is done, f-strings fixed', 'done', 'Billing'],
    ['billing done: everything else looks fine', 'done', 'Billing'],
    ['billing done, no-op for refunds', 'done', 'Billing'],
    ['billing done, had to remove all the old code', 'done', 'Billing'],
    ['Urgent: cancel billing', 'cancel', 'Billing'],
    ['billing is finally done after two weeks', 'done', 'Billing'],
    ['before I forget, billing is done', 'done', 'Billing'],
    ['mark billing done when you get a chance', 'done', 'Billing'],
    ['billing done, 95% coverage', 'done', 'Billing'],
    ['결제 모듈 취소해 주실래요?', 'cancel', '결제 모듈'],
  ]);
});
