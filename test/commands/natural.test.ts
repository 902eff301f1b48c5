// How a long plain-language line is cut into the parts read on their own (the request without its
// leading context or its trailing reason): a few clauses each way, however many the line has, because
// every part is one more pass over every pattern and every title in the project. And a dry run asked
// for in words is a dry run.
import { describe, expect, it } from 'vitest';
import { parts, MAX_PARTS } from '../../src/commands/natural.js';
import { parseCommand } from '../../src/commands/parse.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace } from '../helpers/workspace.js';

describe('parts of a request', () => {
  it('a sentence of a few clauses is read without each leading clause, then without each trailing one', () => {
    expect(parts('ok so the webhook is merged, mark stripe webhook done, thanks')).toEqual([
      'mark stripe webhook done, thanks',
      'thanks',
      'ok so the webhook is merged, mark stripe webhook done',
      'ok so the webhook is merged',
    ]);
  });

  it('a 600-character line of 150 clauses is tried in a bounded number of parts, the first and last clauses kept', () => {
    const line = `mark x done, ${'a, '.repeat(146)}b`;
    const got = parts(line);
    expect(got.length).toBeLessThanOrEqual(MAX_PARTS);
    expect(got).toContain('mark x done'); // the request before its trailing asides
    expect(got).toContain('a, b'); // and the last clauses without what led up to them
  });
});

describe('a dry run asked for in words', () => {
  it('"가져오기 해줘, 먼저 dry run으로" reads the import as a dry run; without those words it is the import itself', () => {
    const t = tempWorkspace();
    try {
      const first = parseCommand(t.call, '예전 workflow.json 가져오기 해줘, 먼저 dry run으로');
      expect(first).toMatchObject({ kind: 'run', dry_run: true, command: { tool: 'import', args: { file: 'workflow.json' } } });
      expect(parseCommand(t.call, 'workflow.json 가져와줘')).toMatchObject({ kind: 'run', dry_run: false, command: { tool: 'import' } });
    } finally {
      t.cleanup();
    }
  });
});

/** A project with one flow and plan, and these tasks (title → id); cleaned up after fn. */
function withTasks(titles: string[], fn: (t: ReturnType<typeof tempWorkspace>, ids: [string, string]) => void): void {
  const t = tempWorkspace();
  try {
    const { ok } = caller(t.call);
    ok('flow', { action: 'create', name: 'F' });
    ok('plan', { action: 'create', title: 'P' });
    fn(t, titles.map((title) => ok('task', { action: 'create', title }).task.id as string) as [string, string]);
  } finally {
    t.cleanup();
  }
}

describe('a request taken back in the same breath', () => {
  it('does nothing when it ends taken back after a break in the sentence, and says so', () => {
    withTasks(['Refund tests', '로그인 작업'], (t) => {
      for (const [text, words] of [
        ['cancel the refund tests? no wait, keep it', 'no wait, keep it'],
        ['delete the refund tests task. never mind', 'never mind'],
        ['mark refund tests done - scratch that', 'scratch that'],
        ['로그인 작업 삭제해 아니 잠깐', '아니 잠깐'],
        ['로그인 작업 삭제해 아니 잠깐 그대로 둬', '아니 잠깐 그대로 둬'],
      ] as [string, string][]) {
        expect(parseCommand(t.call, text), text).toEqual({
          kind: 'error',
          message: `That was taken back ("${words}"), so nothing was done.`,
          hint: 'Say only what you want done, on its own; /flow help lists the forms.',
        });
      }
    });
  });

  it('reads as before what only holds those words: a kept text, a title, words after them, a Korean "don\'t" or "quit"', () => {
    withTasks(['Refund tests', '로그인 작업'], (t, [refund, login]) => {
      const run = (text: string) => parseCommand(t.call, text);
      // Text being kept: saved as said, nothing else done.
      for (const text of ['decision: never mind the legacy API, use v2', 'next step: refund tests done, no wait, keep it', '결정: 금요일에는 배포하지 마']) {
        expect(run(text), text).toMatchObject({ kind: 'run', command: { tool: 'context' } });
      }
      // A title or words that only hold the phrase, with no break before it.
      expect(run('add a task retry with no wait')).toMatchObject({ kind: 'run', command: { args: { action: 'create', title: 'retry with no wait' } } });
      expect(run('add a task "never mind the gap"')).toMatchObject({ kind: 'run', command: { args: { action: 'create', title: 'never mind the gap' } } });
      expect(run("never mind, what's next?")).toMatchObject({ kind: 'run', command: { args: { action: 'next' } } });
      // Asked after the phrase: not taken back (nothing is run in its place either).
      expect(run('refund tests done, never mind the docs')).not.toMatchObject({ message: expect.stringMatching(/taken back/) });
      // Korean words that mean something of their own.
      expect(run('로그인 작업 그만둬')).toMatchObject({ kind: 'run', command: { args: { id: login } } });
      expect(run('refund tests done')).toMatchObject({ kind: 'run', command: { args: { action: 'set_status', id: refund, status: 'done' } } });
    });
  });
});

describe('a new title said after its noun', () => {
  it('keeps its last word even when that is "one", "item", "task" or 작업; a name said before its noun still drops it', () => {
    withTasks(['Cron job'], (t) => {
      const title = (text: string) => {
        const r = parseCommand(t.call, text);
        return r.kind === 'run' ? (r.command.args as { title?: string; name?: string }) : r;
      };
      expect(title('add task Pick the right one')).toMatchObject({ title: 'Pick the right one' });
      expect(title('add a task to review each item')).toMatchObject({ title: 'review each item' });
      expect(title('todo: remove the legacy cron task')).toMatchObject({ title: 'remove the legacy cron task' });
      expect(title('new plan Release one')).toMatchObject({ title: 'Release one' });
      expect(title('새 작업: 결제 작업')).toMatchObject({ title: '결제 작업' });
      // The noun after the name is the sentence's, not the title's.
      expect(title('로그인 작업 추가해줘')).toMatchObject({ title: '로그인' });
    });
  });

  it('"new flow X" and "new plan X" make them, as "new task X" does', () => {
    withTasks([], (t) => {
      expect(parseCommand(t.call, 'new flow Billing')).toMatchObject({ kind: 'run', command: { tool: 'flow', args: { action: 'create', name: 'Billing' } } });
      expect(parseCommand(t.call, 'new flow: Billing')).toMatchObject({ kind: 'run', command: { tool: 'flow', args: { action: 'create', name: 'Billing' } } });
      expect(parseCommand(t.call, 'new plan Sprint 2')).toMatchObject({ kind: 'run', command: { tool: 'plan', args: { action: 'create', title: 'Sprint 2' } } });
    });
  });
});

describe('a status taken back', () => {
  it('puts the task back to todo when it has that status, never does the status its words hold', () => {
    withTasks(['Deploy to staging', '결제 연동'], (t, [deploy, pay]) => {
      const { ok } = caller(t.call);
      const run = (text: string) => parseCommand(t.call, text);
      ok('task', { action: 'set_status', id: deploy, status: 'done' });
      ok('task', { action: 'set_status', id: pay, status: 'done' });
      for (const text of ['undo marking deploy to staging done', 'unmark deploy to staging as done', 'undo marking deploy to staging done, thanks', '결제 연동 완료 처리 취소해줘']) {
        expect(run(text), text).toMatchObject({ kind: 'run', command: { tool: 'task', args: { action: 'set_status', status: 'todo' } } });
      }
      ok('task', { action: 'set_status', id: deploy, status: 'in_progress' });
      expect(run("I'm no longer working on deploy to staging")).toMatchObject({ kind: 'run', command: { args: { id: deploy, status: 'todo' } } });
      ok('task', { action: 'set_status', id: deploy, status: 'blocked' });
      expect(run('unblock deploy to staging')).toMatchObject({ kind: 'run', command: { args: { id: deploy, status: 'todo' } } });
      // Not in that status: nothing to take back, and nothing done.
      expect(run('stop working on deploy to staging')).toMatchObject({ kind: 'error', message: `Task ${deploy} ("Deploy to staging") is blocked, not in progress: there is nothing of that to take back. Nothing was done.` });
      expect(run('stop working on 결제 연동')).toMatchObject({ kind: 'error', message: expect.stringContaining('is done, not in progress') });
      // Naming no task by its whole title: refused, with how to say it.
      expect(run('stop working on it')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^That takes back a task's status, but does not name one task/), hint: expect.stringContaining('/flow reopen task <task>') });
    });
  });

  it('only as the whole request: other requests read as before, and a status set against the words is refused', () => {
    withTasks(['Deploy to staging', '결제 연동'], (t, [deploy, pay]) => {
      const run = (text: string) => parseCommand(t.call, text);
      expect(run('결제 연동 취소해줘')).toMatchObject({ kind: 'run', command: { args: { id: pay, status: 'cancelled' } } });
      expect(run('cancel deploy to staging, we stopped working on it')).toMatchObject({ kind: 'run', command: { args: { id: deploy, status: 'cancelled' } } });
      expect(run('rename task 결제 연동 to Undo completed payments')).toMatchObject({ kind: 'run', command: { args: { action: 'update', id: pay, title: 'Undo completed payments' } } });
      expect(run('decision: stop working on deploy to staging')).toMatchObject({ kind: 'run', command: { tool: 'context' } });
      expect(run('add a task to stop working on weekends')).toMatchObject({ kind: 'run', command: { args: { action: 'create', title: 'stop working on weekends' } } });
      expect(run('mark deploy to staging done')).toMatchObject({ kind: 'run', command: { args: { id: deploy, status: 'done' } } });
      expect(run('did I stop working on deploy to staging?')).not.toMatchObject({ kind: 'run', command: { args: { action: 'set_status' } } });
      // Read some other way, a status the words take back is not set.
      expect(run("undo deploy to staging done, it's in review again")).toMatchObject({ kind: 'error', message: expect.stringContaining('takes a status back, and reads as setting one') });
    });
  });

  it('said with an aside, sorry or please, or in Korean with particles and endings, it reads the same', () => {
    withTasks(['Deploy to staging', 'Billing'], (t, [deploy, billing]) => {
      const { ok } = caller(t.call);
      const run = (text: string) => parseCommand(t.call, text);
      ok('task', { action: 'set_status', id: billing, status: 'blocked' });
      for (const text of ['unblock billing, the API key arrived', 'unblock the billing task', 'unblock billing now']) {
        expect(run(text), text).toMatchObject({ kind: 'run', command: { args: { id: billing, status: 'todo' } } });
      }
      ok('task', { action: 'set_status', id: deploy, status: 'done' });
      for (const text of ['sorry, please unmark deploy to staging as done', 'undo marking deploy to staging done, I clicked it by accident', 'deploy to staging 완료한 것 취소해 주세요', 'deploy to staging를 완료한 거 취소해줘', 'deploy to staging 완료 취소 좀 해줘', 'deploy to staging 완료 처리 취소 부탁해']) {
        expect(run(text), text).toMatchObject({ kind: 'run', command: { args: { id: deploy, status: 'todo' } } });
      }
    });
  });

  it('where words take a status back but the request is read another way, no status is set: also when the words are in another part', () => {
    withTasks(['Login page', 'Undo button'], (t, [login, undo]) => {
      const run = (text: string) => parseCommand(t.call, text);
      for (const text of ['I accidentally marked login page done, undo that', 'rollback marking login page done, oops', 'reverse marking login page as done, that was wrong', 'started login page by accident, undo', 'login page 진행 취소해줘']) {
        expect(run(text), text).toMatchObject({ kind: 'error', message: expect.stringContaining('takes a status back, and reads as setting one') });
      }
      // A title holding such words is a title.
      expect(run('mark undo button done')).toMatchObject({ kind: 'run', command: { args: { id: undo, status: 'done' } } });
      expect(run('start login page')).toMatchObject({ kind: 'run', command: { args: { id: login, status: 'in_progress' } } });
    });
  });

  it('asked, hesitated, made conditional or reported, or under a label, it changes nothing', () => {
    withTasks(['Payment API', 'Login page'], (t, [api, login]) => {
      const { ok } = caller(t.call);
      const run = (text: string) => parseCommand(t.call, text);
      ok('task', { action: 'set_status', id: api, status: 'blocked' });
      ok('task', { action: 'set_status', id: login, status: 'done' });
      for (const text of [
        'unblock payment api? not yet',
        'unblock payment api, not yet',
        'undo marking login page done? hmm, not sure',
        'if the key arrives, unblock payment api',
        'unblock payment api, if the key arrives',
        'Bob said, unblock payment api',
        '키 오면, login page 완료 처리 취소해줘',
        'note: undo marking login page done',
        '참고: login page 완료 처리 취소해줘',
        'undo claim payment api',
      ]) {
        const r = run(text);
        expect(r.kind === 'run' && r.command.tool === 'task' && ['set_status', 'claim'].includes(String(r.command.args.action)), `${text}: ${JSON.stringify(r)}`).toBe(false);
      }
    });
  });

  it('negations are no status: "isn\'t working on", "haven\'t started", "완료 안 됐어", "아직 시작 안 했어"', () => {
    withTasks(['Search index', '로그인 화면'], (t) => {
      for (const text of ["Bob isn't working on search index", 'nobody is working on search index', "haven't started search index yet", '로그인 화면 완료 안 됐어', '로그인 화면 아직 완료 아니야', '로그인 화면 아직 시작 안 했어']) {
        const r = parseCommand(t.call, text);
        expect(r.kind === 'run' && r.command.args.action === 'set_status', `${text}: ${JSON.stringify(r)}`).toBe(false);
      }
    });
  });

  it('"undo starting X", "undo the block on X" take that status back', () => {
    withTasks(['Refund flow', 'Payment API'], (t, [refund, api]) => {
      const { ok } = caller(t.call);
      ok('task', { action: 'set_status', id: refund, status: 'in_progress' });
      ok('task', { action: 'set_status', id: api, status: 'blocked' });
      expect(parseCommand(t.call, 'undo starting refund flow')).toMatchObject({ kind: 'run', command: { args: { id: refund, status: 'todo' } } });
      expect(parseCommand(t.call, 'undo the block on payment api')).toMatchObject({ kind: 'run', command: { args: { id: api, status: 'todo' } } });
    });
  });

  it('"X? no" and "X, no wait, undo that" take the request back', () => {
    withTasks(['Deploy to staging'], (t) => {
      expect(parseCommand(t.call, 'delete deploy to staging? no')).toMatchObject({ kind: 'error', message: 'That was taken back ("no"), so nothing was done.' });
      expect(parseCommand(t.call, '배포 삭제할까? 아니')).toMatchObject({ kind: 'error', message: 'That was taken back ("아니"), so nothing was done.' });
      expect(parseCommand(t.call, 'deploy to staging done, no wait, undo that')).toMatchObject({ kind: 'error', message: 'That was taken back ("no wait, undo that"), so nothing was done.' });
    });
  });
});

describe('a change said of a task that is not there', () => {
  it('"I finished the refund task" says no task matches; it never lists the done tasks instead', () => {
    withTasks(['Deploy to staging'], (t) => {
      for (const text of ['I finished the refund task', 'I completed the refund task']) {
        expect(parseCommand(t.call, text), text).toMatchObject({ kind: 'error', message: 'No task matches "refund".' });
      }
      expect(parseCommand(t.call, "we've finished the refund task")).toMatchObject({ kind: 'error' });
      expect(parseCommand(t.call, 'which tasks have we finished?')).toMatchObject({ kind: 'run', command: { args: { action: 'list', status: 'done' } } });
    });
  });
});

describe('everyday wordings a newcomer used', () => {
  it('are read as the commands they ask for', () => {
    withTasks(['Deploy to staging', '결제 연동'], (t, [deploy]) => {
      const run = (text: string) => parseCommand(t.call, text);
      for (const text of ['whats next?', 'what next?']) expect(run(text), text).toMatchObject({ kind: 'run', command: { args: { action: 'next' } } });
      expect(run('hows it going')).toMatchObject({ kind: 'status' });
      caller(t.call).ok('task', { action: 'set_status', id: deploy, status: 'blocked' });
      expect(run('unblock deploy to staging')).toMatchObject({ kind: 'run', command: { args: { action: 'set_status', id: deploy, status: 'todo' } } });
      expect(run('who is working on what?')).toMatchObject({ kind: 'run', command: { args: { action: 'list', status: 'in_progress' } } });
      for (const text of ['새 플로우 결제', '새 플로우: 결제']) expect(run(text), text).toMatchObject({ kind: 'run', command: { tool: 'flow', args: { action: 'create', name: '결제' } } });
      // Sentences that only start like a new flow or plan are none.
      for (const text of ['새 플랜은 뭐야?', '새 플로우로 전환해줘', '새 플랜 삭제해줘', '새 계획이 필요해', 'new plan looks good', 'new flow is ready, switch to it']) {
        expect(run(text), text).not.toMatchObject({ kind: 'run', command: { args: { action: 'create' } } });
      }
    });
  });

  it('a read that passed over a slipped status word reads it mended, and says so', () => {
    withTasks(['Deploy to staging'], (t) => {
      expect(parseCommand(t.call, 'show blokced tasks')).toMatchObject({
        kind: 'run',
        command: { args: { action: 'list', status: 'blocked' }, notes: expect.arrayContaining(['Read "blokced" as "blocked".']) },
      });
    });
  });
});
