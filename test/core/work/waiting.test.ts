// "What's blocked?": a list of blocked tasks asked through a command also says which open tasks wait on
// unfinished dependencies without being marked blocked, in the list's scope, and nothing when none do.
import { describe, expect, it } from 'vitest';
import { asyncCaller } from '../../helpers/call-async.js';
import { caller } from '../../helpers/call.js';
import { tempWorkspace } from '../../helpers/workspace.js';

describe('waiting tasks beside a blocked list', () => {
  it('names the tasks that wait, counts them past three, keeps to the plan asked for, and says nothing once they are free', async () => {
    const t = tempWorkspace();
    try {
      const { ok } = caller(t.call);
      ok('flow', { action: 'create', name: 'Shop' });
      const api = ok('plan', { action: 'create', title: 'API' }).plan.id as string;
      const base = ok('task', { action: 'create', title: 'Schema' }).task.id as string;
      const waiting = ['Deploy', 'Docs', 'Release', 'Announce'].map((title) => ok('task', { action: 'create', title, depends_on: [base] }).task.id as string);
      ok('task', { action: 'create', title: 'Marked', depends_on: [] });
      ok('plan', { action: 'create', title: 'Web' });
      const command = async (text: string) => (await asyncCaller(t.call).ok('command', { text })).result as { tasks: unknown[]; notes?: string[] };

      const all = await command('show me blocked tasks');
      expect(all.tasks).toEqual([]);
      expect(all.notes).toEqual([
        `Not marked blocked, but waiting on unfinished dependencies: 4 tasks (${waiting[0]} "Deploy", ${waiting[1]} "Docs", ${waiting[2]} "Release", …). /flow next passes over them until those are done; /flow show task <id> says what each waits on.`,
      ]);
      // The grammar form says it too; another plan with none waiting says nothing.
      expect((await command('/flow list task --status blocked')).notes).toHaveLength(1);
      expect((await command('/flow list task --status blocked --plan Web')).notes).toBeUndefined();
      expect((await command(`/flow list task --status blocked --plan ${api}`)).notes?.[0]).toMatch(/: 4 tasks \(/);
      // A list of other statuses says nothing of them.
      expect((await command('/flow list task --status todo')).notes).toBeUndefined();
      // Three of the four freed by hand (no longer open), then the one they waited on done: none wait.
      for (const id of waiting.slice(1)) ok('task', { action: 'set_status', id, status: 'cancelled' });
      expect((await command('what is blocked?')).notes).toEqual([
        `Not marked blocked, but waiting on unfinished dependencies: ${waiting[0]} "Deploy". /flow next passes over them until those are done; /flow show task <id> says what each waits on.`,
      ]);
      ok('task', { action: 'set_status', id: base, status: 'done' });
      expect((await command('what is blocked?')).notes).toBeUndefined();
    } finally {
      t.cleanup();
    }
  });
});
