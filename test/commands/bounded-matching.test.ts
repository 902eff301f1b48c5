// Naming tasks in /flow commands stays bounded with many tasks and long input: over-long commands,
// names and plain-language lines are refused at once with a clear error, and one command can only
// compare so many titles in all. (The 100 KB line below took minutes against 20,000 tasks before.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/commands/parse.js';
import { asyncCaller } from '../helpers/call-async.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../helpers/workspace.js';

const TASKS = 20_000;
let t: TempWorkspace;
beforeAll(async () => {
  t = tempWorkspace();
  const { ok } = asyncCaller(t.call);
  await ok('flow', { action: 'create', name: 'F' });
  await ok('plan', { action: 'create', title: 'P' });
  for (let i = 0; i < TASKS; i += 500) {
    await ok('task', { action: 'create', tasks: Array.from({ length: 500 }, (_, j) => ({ title: `w${i + j}x` })) });
  }
});
afterAll(() => t.cleanup());

describe('bounded name matching', () => {
  it('a 100 KB command is refused before any pattern or name lookup, on every face', () => {
    const before = dumpDb(t.ws);
    const r = parseCommand(t.call, `/flow done ${'paymnet login cache '.repeat(5_000)}`);
    expect(r).toMatchObject({ kind: 'error', message: expect.stringMatching(/commands are at most 5,000/) });
    const plain = parseCommand(t.call, `mark ${'the login payment '.repeat(6_000)} as done`);
    expect(plain).toMatchObject({ kind: 'error', message: expect.stringMatching(/commands are at most 5,000/) });
    expect(dumpDb(t.ws)).toEqual(before);
  });

  it('a name longer than any title, or a plain-language line past 600 characters, gets a clear error', async () => {
    const { fail } = asyncCaller(t.call);
    const name = await fail('command', { text: `/flow done ${'paymnet login cache '.repeat(249)}` });
    expect(name.message).toMatch(/names are at most 500/);
    expect(name.hint).toMatch(/by its id/);
    const plain = await fail('command', { text: `mark ${'login payment '.repeat(350)} as done` });
    expect(plain.message).toMatch(/Plain-language requests are read up to 600 characters/);
    expect(plain.hint).toMatch(/\/flow grammar/);
  });

  it('one command compares a bounded number of titles: naming many tasks by words is refused, by ids it is fine', async () => {
    const { ok, fail } = asyncCaller(t.call);
    const before = dumpDb(t.ws);
    const many = await fail('command', { text: `/flow task depend w0x ${Array.from({ length: 9 }, (_, i) => `w${i + 1}x`).join(' ')}` });
    expect(many.message).toMatch(/names too many tasks by title words/);
    expect(many.hint).toMatch(/by its id/);
    expect(dumpDb(t.ws)).toEqual(before);
    // A few names by words still resolve among 20,000 tasks, typo included.
    const r = await ok('command', { text: 'mark w12345x as done', dry_run: true });
    expect(r.command).toMatch(/^\/flow done t-/);
    const typo = await ok('command', { text: '/flow done w1234y5x', dry_run: true });
    expect(typo.command).toMatch(/^\/flow done t-/);
  });
});
