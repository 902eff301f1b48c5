// Answers found wanting by a red-team probe: several tasks named at once, an ambiguous name that fits
// many more tasks than are listed, errors quoting a whole command, and a search of punctuation only.
import { describe, expect, it } from 'vitest';
import { dispatchAsync } from '../../src/tools/dispatch.js';
import { findToolSpec } from '../../src/tools/registry.js';
import { caller } from '../helpers/call.js';
import { workspacePerTest, type TempWorkspace } from '../helpers/workspace.js';

const workspace = workspacePerTest();
let t: TempWorkspace | undefined;

function project(titles: string[]) {
  t = workspace();
  const c = caller(t.call);
  c.ok('flow', { action: 'create', name: 'Probe' });
  c.ok('plan', { action: 'create', title: 'Screens' });
  const r = c.ok('task', { action: 'create', tasks: titles.map((title) => ({ title })) });
  const ids = ((r.tasks ?? r.created) as { id: string }[]).map((x) => x.id);
  const run = async (tool: string, args: Record<string, unknown>) => (await dispatchAsync(findToolSpec(tool)!, t!.call, args)).structured as Record<string, any>;
  return { ids, run };
}

describe('command answers', () => {
  it('/flow done with many ids says one task at a time', async () => {
    const p = project(Array.from({ length: 60 }, (_, i) => `Task ${i}`));
    const r = await p.run('command', { text: `/flow done ${p.ids.join(' ')}` });
    expect(r.error.message).toMatch(/names 60 tasks by id.*one task at a time/);
    expect(r.error.message).not.toMatch(/characters of words/);
    expect(r.error.hint).toMatch(/one id per command/);
  });

  it('a name fitting many tasks says how many, not the length of the list shown', async () => {
    const p = project(Array.from({ length: 30 }, () => '로그인 화면 구현'));
    const r = await p.run('command', { text: '로그인 화면 구현 완료' });
    expect(r.candidates.length).toBeLessThanOrEqual(8);
    expect(r.message).toMatch(/fits 30 tasks/);
    expect(r.message).toMatch(/first 8 are listed/);
  });

  it('an error quotes a long command clipped', async () => {
    const p = project(['x']);
    const r = await p.run('command', { text: `/flow add task "${'x'.repeat(3000)}"` });
    expect(r.error).toBeDefined();
    expect(JSON.stringify(r).length).toBeLessThan(1500);
  });

  it.each(['*', ':', '+'])('a search for %j says the query has no searchable words', async (query) => {
    const p = project(['Retry policy']);
    const r = await p.run('search', { query });
    expect(r.results).toEqual([]);
    expect(r.mode).toMatch(/no searchable words/);
    expect(r.mode).not.toMatch(/fts5/);
  });
});
