// The newcomer's two document findings, through the real binary: `doc write --expected-revision` refuses
// a stale write (it used to be an unknown argument, and a second agent's write silently replaced the
// first one's note), and `doc write` over an indexed project file is refused instead of shadowing it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliProject } from '../helpers/cli.js';

const { dir, run } = cliProject('doc-conflicts-test');
function ok(...args: string[]): string {
  const r = run(...args);
  expect(r.code, `${args.join(' ')}\n${r.out}${r.err}`).toBe(0);
  return r.out;
}
const json = (...args: string[]) => JSON.parse(ok(...args, '--json'));
function refused(...args: string[]): string {
  const r = run(...args);
  expect(r.code, `${args.join(' ')} unexpectedly succeeded\n${r.out}`).not.toBe(0);
  return r.err + r.out;
}

describe('doc write and a second writer', () => {
  it('--expected-revision refuses a stale write and says the current revision; a blind write says what it replaced', () => {
    ok('flow', 'create', 'Demo');
    ok('plan', 'create', 'P');
    expect(json('doc', 'write', 'notes/retry.md', '--content', 'Agent A: back off 1 s, 2 s, 4 s').created).toBe(true);
    expect(json('doc', 'write', 'notes/retry.md', '--content', 'Agent B: back off 2 s', '--expected-revision', '1').document.revision).toBe(2);
    const stale = refused('doc', 'write', 'notes/retry.md', '--content', 'Agent A, from revision 1', '--expected-revision', '1');
    expect(stale).toMatch(/conflict/i);
    expect(stale).toMatch(/notes\/retry\.md is at revision 2, not 1/);
    expect(ok('doc', 'read', 'notes/retry.md')).toContain('Agent B: back off 2 s');
    const blind = ok('doc', 'write', 'notes/retry.md', '--content', 'Agent C, not looking');
    expect(blind).toMatch(/^replaced_revision: +2$/m);
    expect(blind).toMatch(/^created: +false$/m);
  });
});

describe('doc write over a project file', () => {
  it('is refused with another path to use, and doc read still returns the real file', () => {
    mkdirSync(join(dir(), 'docs'), { recursive: true });
    writeFileSync(join(dir(), 'docs', 'deploy.md'), '# Deploy\n\nThe real runbook.\n');
    ok('doc', 'index', 'docs/deploy.md');
    const e = refused('doc', 'write', 'docs/deploy.md', '--content', 'hijack');
    expect(e).toMatch(/docs\/deploy\.md is a project file indexed for search/);
    expect(e).toMatch(/notes\/deploy\.md/);
    expect(ok('doc', 'read', 'docs/deploy.md')).toContain('The real runbook.');
    expect(json('doc', 'list').documents.filter((d: { path: string }) => d.path === 'docs/deploy.md')).toHaveLength(1);
  });

  it('where both exist, read and delete name both ids instead of guessing, and delete says which one it removed', () => {
    const note = json('doc', 'write', 'docs/setup.md', '--content', '# My notes on setup').document.id as string;
    writeFileSync(join(dir(), 'docs', 'setup.md'), '# Setup\n\nThe project file.\n');
    ok('doc', 'index', 'docs/setup.md');
    const file = (json('doc', 'list').documents as { id: string; path: string; source: string }[]).find((d) => d.path === 'docs/setup.md' && d.source === 'project')!.id;
    const both = refused('doc', 'read', 'docs/setup.md');
    expect(both).toMatch(/both a flow document .* and a project file/);
    expect(both).toContain(`${note} (the flow document) or ${file} (the project file)`);
    expect(refused('doc', 'delete', 'docs/setup.md', '--confirm')).toContain(`${note} (the flow document) or ${file} (the project file)`);
    expect(ok('doc', 'read', file)).toContain('The project file.');
    const d = ok('doc', 'delete', file, '--confirm');
    expect(d).toContain(`deleted document ${file} ("docs/setup.md"), the project file: out of the search index, the file itself is kept`);
    expect(readFileSync(join(dir(), 'docs', 'setup.md'), 'utf8')).toContain('The project file.');
    expect(ok('doc', 'read', 'docs/setup.md')).toContain('My notes on setup');
  });
});
