// A command the tools refused comes back as one error with the command it was read as; the tool's own
// refusal is not repeated inside it (a model pays for every word of an answer).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller } from '../helpers/call-async.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(() => {
  t = tempWorkspace();
});
afterEach(() => t.cleanup());

describe('a refused command', () => {
  it('says the refusal once, with the command and how it was read', async () => {
    const { raw } = asyncCaller(t.call);
    const o = await raw('command', { text: "what's next?" });
    expect(o.isError).toBe(true);
    expect(o.structured).toEqual({
      error: {
        code: 'no_current',
        message: 'There are no flows in this project yet.',
        hint: 'Start one with flow create (name); it becomes the current flow.',
        details: { command: '/flow next', from: 'plain language' },
      },
    });
  });

  it('a refusal to delete without --confirm: said once, its hint the /flow line that confirms it', async () => {
    const { ok, raw } = asyncCaller(t.call);
    await ok('flow', { action: 'create', name: 'F' });
    await ok('plan', { action: 'create', title: 'P' });
    await ok('task', { action: 'create', title: 'Login page' });
    const o = await raw('command', { text: '/flow delete task "Login page"' });
    const error = o.structured.error as { code: string; hint: string; details: Record<string, unknown> };
    expect(error.code).toBe('confirm_required');
    expect(error.hint).toMatch(/^Run it again with --confirm: \/flow delete task \S+ --confirm$/);
    expect(error.details).not.toHaveProperty('result');
    expect(JSON.stringify(o.structured).split('needs confirm').length - 1).toBe(1);
  });
});
