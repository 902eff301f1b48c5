// Names given as bare words in a list ("/flow task depend <task> write api docs"): the words of one
// title are that one task, and each candidate offered for an ambiguous word is a command that names it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { caller } from '../helpers/call.js';
import { tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

let t: TempWorkspace;
const id = new Map<string, string>();
beforeAll(() => {
  t = tempWorkspace();
  const { ok } = caller(t.call);
  ok('flow', { action: 'create', name: 'Docs' });
  ok('plan', { action: 'create', title: 'Site' });
  for (const title of ['Login page', 'Write api docs', 'Publish docs']) id.set(title, ok('task', { action: 'create', title }).task.id);
});
afterAll(() => t.cleanup());

describe('a list of names said as bare words', () => {
  it('each candidate for an ambiguous word is offered with a command that depends on that candidate', () => {
    const login = id.get('Login page')!;
    const p = parseCommand(t.call, `/flow task depend ${login} write api docs`);
    expect(p.kind).toBe('choose');
    if (p.kind !== 'choose') return;
    for (const c of p.candidates) {
      const again = parseCommand(t.call, c.command);
      expect(again.kind === 'run' && again.command.args.depends_on, c.title).toContain(c.id);
    }
  });

  it('a word given as an id is that task, not a word of a title', () => {
    const [login, write, publish] = ['Login page', 'Write api docs', 'Publish docs'].map((k) => id.get(k)!);
    const p = parseCommand(t.call, `/flow task depend ${login} write api ${publish}`);
    expect(p.kind === 'run' && p.command.args.depends_on).toEqual([write, publish]);
  });
});
