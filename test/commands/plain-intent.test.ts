// Plain language read by the things it names: titles found whatever words surround them, what is asked
// read from the words left over, and no reading when the words and the things named do not make one.
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { readByNames } from '../../src/commands/plain-intent.js';
import type { Call } from '../../src/core/kernel/workspace.js';
import { caller } from '../helpers/call.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
const id = new Map<string, string>();
beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  id.set('Mobile', ok('flow', { action: 'create', name: 'Mobile' }).flow.id);
  id.set('Web shop', ok('flow', { action: 'create', name: 'Web shop' }).flow.id);
  id.set('Billing', ok('plan', { action: 'create', title: 'Billing' }).plan.id);
  for (const title of ['Refund flow', 'Stripe webhook', 'Switch theme', '배포 스크립트 작성']) id.set(title, ok('task', { action: 'create', title }).task.id);
  id.set('Ops', ok('plan', { action: 'create', title: 'Ops' }).plan.id);
  id.set('before launch', ok('snapshot', { action: 'create', label: 'before launch' }).snapshot.id);
});
afterAll(() => t.cleanup());

const read = (text: string) => {
  const p = parseCommand(t.call, text);
  return p.kind === 'run' ? p.command.text : p.kind;
};


/** The command a request is read as when that changes something (not a look); undefined otherwise. */
function changeRead(call: Call, text: string): string | undefined {
  const p = parseCommand(call, text);
  return p.kind === 'run' && !['get', 'list'].includes(String(p.command.args.action)) ? p.command.text : undefined;
}
describe('reading by the things named', () => {
  it('finds a title whatever surrounds it: reasons, asides and fillers around the name', () => {
    expect(read('reopen the refund flow task, the bug came back')).toBe(`/flow reopen task ${id.get('Refund flow')}`);
    expect(read("release the stripe webhook, I won't get to it this week")).toBe(`/flow release task ${id.get('Stripe webhook')}`);
    expect(read('stripe webhook is blocked, waiting on their support team')).toBe(`/flow block task ${id.get('Stripe webhook')}`);
    expect(read('we are not doing the refund flow anymore, cancel it')).toBe(`/flow cancel task ${id.get('Refund flow')}`);
  });

  it("a title's own words ask nothing: 'Refund flow' is a task, not a flow; 'Switch theme' is not a switch", () => {
    expect(read('refund flow is done ✅')).toBe(`/flow done task ${id.get('Refund flow')}`);
    expect(readByNames(t.call, 'switch theme is stuck')).toEqual({ noun: 'task', verb: 'block', positionals: [id.get('Switch theme')] });
  });

  it('two tasks: the first waits for the rest; "before" reads the other way; "no longer" drops it', () => {
    expect(read("Refund flow can't start until stripe webhook is done")).toBe(`/flow depend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
    expect(read('stripe webhook has to be finished before the refund flow')).toBe(`/flow depend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
    expect(read('refund flow no longer needs to wait for stripe webhook')).toBe(`/flow undepend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
  });

  it('a task and a plan, a flow, a snapshot: each by what the words ask of it', () => {
    expect(read('the refund flow belongs in Ops, move it there')).toBe(`/flow move task ${id.get('Refund flow')} ${id.get('Ops')}`);
    expect(read("let's work on Web shop now")).toBe(`/flow use flow ${id.get('Web shop')}`);
    expect(read('shelve Web shop for now, don\'t delete it')).toBe(`/flow archive flow ${id.get('Web shop')}`);
    expect(read('pin before launch so it never gets pruned')).toBe(`/flow pin snapshot ${id.get('before launch')}`);
    expect(read('show me blocked tasks in Billing')).toBe(`/flow list task --status blocked --plan ${id.get('Billing')}`);
  });

  it('Korean: a title with a particle glued on, and the request in the words around it', () => {
    expect(read('배포 스크립트 작성을 stripe webhook 끝나고 해야 돼')).toBe(`/flow depend task ${id.get('배포 스크립트 작성')} ${id.get('Stripe webhook')}`);
    expect(read('배포 스크립트 작성은 아직 막혀 있어')).toBe(`/flow block task ${id.get('배포 스크립트 작성')}`);
    expect(read('Web shop으로 넘어가자')).toBe(`/flow use flow ${id.get('Web shop')}`);
  });

  it('no reading when the words fit no request, or the things named do not fit it; nothing changes', () => {
    const before = dumpDb(t.ws);
    expect(readByNames(t.call, 'the refund flow and the stripe webhook')).toBeUndefined(); // nothing asked
    expect(readByNames(t.call, 'move the refund flow')).toBeUndefined(); // to where?
    expect(readByNames(t.call, 'refund flow and stripe webhook are done')).toBeUndefined(); // two tasks, one status each: not guessed
    expect(read('thanks, that was helpful')).toBe('error');
    expect(dumpDb(t.ws)).toEqual(before);
  });
});

describe('what a sentence does not ask', () => {
  // Each of these, before, set a status (or offered a delete) on a task the sentence only talked about.
  const changes = (text: string) => changeRead(t.call, text);

  it('a question about a task (yes/no, who, why, when, should I) changes nothing', () => {
    expect(changes('is refund flow done?')).toBeUndefined();
    expect(changes('is the stripe webhook blocked?')).toBeUndefined();
    expect(changes('can you check whether refund flow is done?')).toBeUndefined();
    expect(changes('who is working on refund flow?')).toBeUndefined();
    expect(changes('why is the stripe webhook blocked?')).toBeUndefined();
    expect(changes('when will refund flow be done?')).toBeUndefined();
    expect(changes('should I start refund flow?')).toBeUndefined();
    expect(changes('what happens if I delete refund flow')).toBeUndefined();
    expect(changes('누가 refund flow 시작했어?')).toBeUndefined();
  });

  it('a request said in the negative is not done, and "no longer blocked" does not block', () => {
    expect(changes("don't mark refund flow done")).toBeUndefined();
    expect(changes('stripe webhook is no longer blocked')).toBeUndefined();
    expect(changes("stripe webhook isn't blocked anymore")).toBeUndefined();
  });

  it('a verb word naming another thing (the done button, a delete button) asks nothing of the task', () => {
    expect(changes("the refund flow's done button is broken")).toBeUndefined();
    expect(changes('stripe webhook shows a blocked error')).toBeUndefined();
    expect(changes('refund flow needs a delete button')).toBeUndefined();
    expect(changes('stripe webhook: the cancel button does nothing')).toBeUndefined();
    // …while the same words as a request still read
    expect(changes('the refund flow is done, the button works now')).toBe(`/flow done task ${id.get('Refund flow')}`);
    // a plan named beside a task is not where it moves, unless the words put it there
    expect(changes('stripe webhook goes live with the billing changes')).toBeUndefined();
    expect(changes('stripe webhook: file upload is broken in billing')).toBeUndefined();
    expect(changes('put a spinner on refund flow for billing')).toBeUndefined();
    expect(changes('stripe webhook goes live in billing next week')).toBeUndefined();
    expect(changes('stripe webhook should live under Billing, can u move it')).toBe(`/flow move task ${id.get('Stripe webhook')} ${id.get('Billing')}`);
  });
});

describe('a thing named only to be left alone, or as what other work waits for', () => {
  // Each of these, before, changed the one task the sentence named whole: the one it said to keep.
  const changes = (text: string) => changeRead(t.call, text);
  const refusal = (text: string) => {
    const p = parseCommand(t.call, text);
    return p.kind === 'error' ? p.message : p.kind === 'run' ? p.command.text : p.kind;
  };

  it('"keep X", "except X", "not X", "don\'t touch X", "X alone": no change acts on X', () => {
    const before = dumpDb(t.ws);
    for (const text of [
      'cancel the payout work, keep the stripe webhook',
      'cancel the payout work but not the stripe webhook',
      "cancel the payout work, don't touch the stripe webhook",
      'mark the payout work done, leave stripe webhook alone',
      'finish the payout work without the stripe webhook',
      '정산 작업 취소해줘, stripe webhook은 빼고',
    ]) expect(changes(text), text).toBeUndefined();
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a change the words read as acting on the thing left alone is refused, naming it', () => {
    for (const text of ['cancel everything except stripe webhook', 'cancel all but the stripe webhook', 'delete everything except stripe webhook']) {
      expect(refusal(text), text).toBe(`The request names ${id.get('Stripe webhook')} ("Stripe webhook") as something to leave alone, and reads as changing it; nothing was done.`);
    }
  });

  it('"after X" names what is waited for: a change of one thing never acts on X; a dependency of two still reads', () => {
    expect(changes('start the payout work after the stripe webhook')).toBeUndefined();
    expect(changes('start the payout work once stripe webhook is done')).toBeUndefined();
    expect(changes('stripe webhook 끝나면 정산 작업 시작해줘')).toBeUndefined();
    expect(read('start refund flow after stripe webhook')).toBe(`/flow depend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
    expect(read('refund flow is blocked by the stripe webhook')).toBe(`/flow depend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
  });

  it('the same words around the thing to change still act on it', () => {
    const status = (text: string) => {
      const p = parseCommand(t.call, text);
      return p.kind === 'run' ? `${String(p.command.args.action)} ${String(p.command.args.id)} ${String(p.command.args.status)}` : p.kind;
    };
    expect(status('keep working on the stripe webhook')).toBe(`set_status ${id.get('Stripe webhook')} in_progress`);
    expect(status('cancel the refund flow, keep the stripe webhook')).toBe(`set_status ${id.get('Refund flow')} cancelled`);
    expect(status('keep the stripe webhook and switch theme, cancel the refund flow')).toBe(`set_status ${id.get('Refund flow')} cancelled`);
    expect(status('stripe webhook은 빼고 refund flow 취소해줘')).toBe(`set_status ${id.get('Refund flow')} cancelled`);
    expect(status('switch theme이랑 stripe webhook은 빼고 refund flow 취소해줘')).toBe(`set_status ${id.get('Refund flow')} cancelled`);
  });

  it('"start X once Y is done" is X waiting for Y, never Y marked done', () => {
    expect(read('start refund flow once stripe webhook is done')).toBe(`/flow depend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
    expect(read('stripe webhook 끝나면 refund flow 시작해줘')).toBe(`/flow depend task ${id.get('Refund flow')} ${id.get('Stripe webhook')}`);
    // A status said of the thing waited for is not asked of the thing named beside it ("billing" is a plan).
    expect(changes('start the billing work once stripe webhook is done')).toBeUndefined();
  });
});

describe('a title that reads like a request', () => {
  let w: TempWorkspace;
  const ids = new Map<string, string>();
  beforeAll(() => {
    w = tempWorkspace();
    const { ok } = caller(w.call);
    ok('flow', { action: 'create', name: 'App' });
    ok('plan', { action: 'create', title: 'Web' });
    for (const title of ['Delete account', 'Block list UI', 'Login page']) ids.set(title, ok('task', { action: 'create', title }).task.id);
  });
  afterAll(() => w.cleanup());
  const changes = (text: string) => changeRead(w.call, text);

  it("a task's own title said alone, or with a note after it, is not its verb done to it", () => {
    expect(changes('delete account')).toBeUndefined();
    expect(changes('Delete account: waiting on legal')).toBeUndefined();
    expect(changes('block list ui')).toBeUndefined();
    // the verb said besides the title still reads
    expect(changes('block the block list ui task')).toBe(`/flow block task ${ids.get('Block list UI')}`);
  });

  it('a Korean title is found with a particle after it, never inside a longer word', () => {
    const { ok } = caller(w.call);
    const deploy = ok('task', { action: 'create', title: '배포' }).task.id as string;
    expect(changes('배포자동화는 막혔어')).toBeUndefined(); // "deploy automation", another thing
    expect(changes('배포자동화 시작할게')).toBeUndefined();
    expect(changes('배포는 아직 막혀 있어')).toBe(`/flow block task ${deploy}`);
    expect(changes('배포를 시작했어')).toBe(`/flow start task ${deploy}`);
  });

  it('two changes in one line are refused, not half done: the part left out is not dropped silently', () => {
    const before = dumpDb(w.ws);
    for (const text of ['mark login page done, then block delete account', 'login page done, delete account blocked']) {
      const p = parseCommand(w.call, text);
      expect(p.kind, text).toBe('error');
      expect(p.kind === 'error' && p.message, text).toMatch(/two requests/i);
    }
    // context around one request is still only context
    expect(changes('ok so the review is over, mark login page done')).toMatch(new RegExp(`^/flow done (?:task )?${ids.get('Login page')}$`));
    expect(dumpDb(w.ws)).toEqual(before);
  });

  it('Korean: "not finished yet" and "is it finished?" do not finish it', () => {
    expect(changes('login page는 아직 안 끝났어')).toBeUndefined();
    expect(changes('Login page 완료했어?')).toBeUndefined();
    expect(changes('Login page 끝났어?')).toBeUndefined();
    expect(changes('Login page 끝났어')).toBe(`/flow done ${ids.get('Login page')}`);
  });
});

describe('who claims', () => {
  it("a claim or release said without --agent is the session's own agent, so another session cannot release it", async () => {
    const { runParsed } = await import('../../src/commands/bus.js');
    const { toolPort } = await import('../../src/tools/registry.js');
    const alice = { ws: t.ws, session: t.ws.session('alice') };
    const bob = { ws: t.ws, session: t.ws.session('bob') };
    const task = id.get('Stripe webhook')!;
    const claim = parseCommand(alice, `/flow claim task ${task}`);
    expect(claim.kind === 'run' && claim.command.args.agent).toBe('alice');
    expect((await runParsed(alice, claim, toolPort)).isError).toBeFalsy();
    const release = await runParsed(bob, parseCommand(bob, `/flow release task ${task}`), toolPort);
    expect(release.isError).toBe(true);
    expect(JSON.stringify(release.structured)).toContain('claimed by alice, not bob');
    expect((await runParsed(alice, parseCommand(alice, `release ${task}`), toolPort)).isError).toBeFalsy();
  });
});

describe('titles kept between requests', () => {
  it('a title renamed or added since the last request is read as it is now, whether this process or another changed it', async () => {
    const w = tempWorkspace();
    try {
      const { ok } = caller(w.call);
      ok('flow', { action: 'create', name: 'Shop' });
      ok('plan', { action: 'create', title: 'Launch' });
      const a = ok('task', { action: 'create', title: 'Pricing page' }).task.id as string;
      const blocked = (text: string) => readByNames(w.call, text)?.positionals;
      expect(blocked('pricing page is stuck')).toEqual([a]);
      ok('task', { action: 'update', id: a, title: 'Checkout page' }); // this process
      expect(blocked('checkout page is stuck')).toEqual([a]);
      expect(blocked('pricing page is stuck')).toBeUndefined();
      // Another process: its commit is seen through data_version.
      const { default: Database } = await import('better-sqlite3');
      const other = new Database(w.ws.db.name);
      other.prepare('UPDATE tasks SET title = ? WHERE id = ?').run('Invoice page', a);
      other.close();
      expect(blocked('invoice page is stuck')).toEqual([a]);
      const b = ok('task', { action: 'create', title: 'Tax rules' }).task.id as string;
      expect(blocked('tax rules are stuck')).toEqual([b]);
    } finally {
      w.cleanup();
    }
  });
});
