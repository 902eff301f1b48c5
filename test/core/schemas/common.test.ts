// Text that is not whole Unicode (half of a surrogate pair, as a client that cut an emoji in two sends
// it) cannot be stored as it was given: SQLite keeps it as bytes that read back as three U+FFFD, a
// file as one. It is refused at the edge, saying so, and nothing changes; a whole emoji is kept exactly.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { asyncCaller, flowWithPlan } from '../../helpers/call-async.js';
import { dumpDb, tempWorkspace, type TempWorkspace } from '../../helpers/workspace.js';

let t: TempWorkspace;
beforeEach(async () => {
  t = tempWorkspace();
  await flowWithPlan(t.call);
});
afterEach(() => t.cleanup());

const HALF = 'launch \ud83d day'; // the first half of 🚀 alone
const HALF_LOW = 'x\ude80'; // the second half alone

describe('text with half a character', () => {
  it('is refused in names, titles, descriptions, documents and context, naming the field; nothing is written', async () => {
    const { fail } = asyncCaller(t.call);
    const before = dumpDb(t.ws);
    const refusals = [
      await fail('flow', { action: 'create', name: HALF }),
      await fail('plan', { action: 'create', title: HALF_LOW }),
      await fail('task', { action: 'create', title: HALF }),
      await fail('task', { action: 'create', title: 'ok', description: HALF }),
      await fail('task', { action: 'create', tasks: [{ title: 'ok' }, { title: HALF_LOW }] }),
      await fail('document', { action: 'write', path: 'notes/a.md', content: `# A\n${HALF}` }),
      await fail('context', { action: 'save', summary: HALF }),
      await fail('context', { action: 'save', decision: { what: 'ok', why: HALF_LOW } }),
    ];
    for (const e of refusals) {
      expect(e.code).toBe('invalid_input');
      expect(e.message).toMatch(/: must be whole characters \(half of an emoji or other character was cut off\)\. Nothing was changed\.$/);
    }
    expect(refusals.map((e) => /^[a-z]+(?: [a-z_]+)?: ([\w.]+):/.exec(e.message)?.[1])).toEqual([
      'name',
      'title',
      'title',
      'description',
      'tasks.1.title',
      'content',
      'summary',
      'decision.why',
    ]);
    expect(dumpDb(t.ws)).toEqual(before);
    expect(existsSync(join(t.dir, '.flow', 'documents', 'notes'))).toBe(false);
  });

  it('a whole emoji (a surrogate pair) is stored and read back exactly', async () => {
    const { ok } = asyncCaller(t.call);
    const title = 'launch 🚀 day 한국어';
    const id = (await ok('task', { action: 'create', title, description: `${title}\nmore` })).task.id;
    const got = (await ok('task', { action: 'get', id })).task;
    expect([got.title, got.description]).toEqual([title, `${title}\nmore`]);
    await ok('document', { action: 'write', path: 'notes/a.md', content: `# ${title}\n` });
    expect((await ok('document', { action: 'read', path: 'notes/a.md' })).content).toBe(`# ${title}\n`);
  });
});
