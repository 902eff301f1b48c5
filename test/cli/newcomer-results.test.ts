// What a newcomer met through the real binary (issue 16): names accepted as the /flow commands accept
// them, a suggestion on every mistyped id, the snapshot record's `reason` labeled and aligned like its
// other fields, a diff summary that covers everything shown, list/next saying what they covered, an
// index report that says what it counted, and a document write that says which links it added.
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, assertBuilt } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';

let dir: string;
beforeAll(() => {
  assertBuilt();
  dir = tempDir();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function cli(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args, '--dir', dir], { encoding: 'utf8', env: { ...process.env, FLOW_AGENT: 'newcomer-test' } });
}
function run(...args: string[]): string {
  const r = cli(...args);
  expect(r.status, `${args.join(' ')}\n${r.stdout}${r.stderr}`).toBe(0);
  return r.stdout;
}
const json = (...args: string[]) => JSON.parse(run(...args, '--json'));
function refused(...args: string[]): string {
  const r = cli(...args);
  expect(r.status, `${args.join(' ')} unexpectedly succeeded\n${r.stdout}`).not.toBe(0);
  return r.stderr + r.stdout;
}

/** The `key: value` lines directly under `head:` (or at the top when head is empty), key → column of value. */
function valueColumns(out: string, head: string): Map<string, number> {
  const lines = out.split('\n');
  const start = head ? lines.indexOf(`${head}:`) + 1 : 0;
  const cols = new Map<string, number>();
  for (const l of lines.slice(start)) {
    if (head && !l.startsWith('  ')) break;
    const m = /^(\s*)([a-z_]+):( +)\S/.exec(l);
    if (m && m[1]!.length === (head ? 2 : 0)) cols.set(m[2]!, m[1]!.length + m[2]!.length + 1 + m[3]!.length);
  }
  return cols;
}

describe('issue 16, what a newcomer sees', () => {
  let api = '';
  let release = '';
  let second = '';

  it('a task by its exact title, a plan by its number or title, as /flow names them', () => {
    json('flow', 'create', 'Demo');
    release = json('plan', 'create', 'Release 1.0').plan.id;
    second = json('plan', 'create', 'Second').plan.id;
    api = json('task', 'create', 'API endpoint').task.id;
    expect(json('task', 'get', 'API endpoint').task.id).toBe(api);
    expect(json('plan', 'use', '1').plan.id).toBe(release);
    expect(json('plan', 'use', 'release 1.0').plan.id).toBe(release);
    expect(json('plan', 'use', '2').plan.id).toBe(second);
    expect(refused('plan', 'use', 'Release')).toContain(`Did you mean ${release} ("Release 1.0")?`);
  });

  it('a mistyped snapshot id gets "Did you mean", as tasks and plans do', () => {
    const snap = json('snapshot', 'create').snapshot.id as string;
    expect(refused('snapshot', 'restore', snap.slice(0, -1), '--confirm')).toContain(`Did you mean ${snap}`);
    // The /flow grammar too, and a mistyped id is never read as words of another snapshot's reason.
    json('snapshot', 'create', '--label', `before restore of ${snap}`);
    expect(refused('run', `/flow snapshot restore ${snap.slice(0, -1)} --confirm`)).toContain(`Did you mean ${snap}`);
  });

  it('snapshot create prints `reason` aligned with its other fields, the name snapshot list heads it with', () => {
    const out = run('snapshot', 'create');
    expect(out).not.toMatch(/^\s*note:/m);
    const cols = valueColumns(out, 'snapshot');
    expect(cols.get('reason'), out).toBe(cols.get('id'));
    expect(cols.get('pinned')).toBe(cols.get('id'));
    expect(run('snapshot', 'list')).toMatch(/REASON/);
  });

  it('snapshot diff: the summary counts added, removed and changed; a document reads as sizes', () => {
    run('doc', 'write', 'notes/a.md', '--content', 'line one\nline two');
    const from = json('snapshot', 'create').snapshot.id as string;
    run('task', 'update', api, '--title', 'API endpoint v2');
    run('doc', 'write', 'notes/a.md', '--content', 'line one\nline 2\nline three\nfour');
    const added = json('task', 'create', 'New one').task.id;
    const out = run('snapshot', 'diff', from);
    const text = out.slice(out.indexOf('\ntext:\n'));
    expect(text).toMatch(/tasks: 1 added, \d+ changed; documents: 1 changed/);
    expect(text).toContain(`+ task ${added} "New one"`);
    expect(text).toContain(`~ task ${api} "API endpoint v2"`);
    expect(text).toMatch(/~ document d-\w+ "a.md": content: "17 bytes" → "31 bytes \(\+14\)"/);
    expect(out).not.toMatch(/changed text|sha256/);
    const j = json('snapshot', 'diff', from);
    expect(j.documents.changed[0].sha256).toHaveLength(2);
  });

  it('task next and task list say they covered the whole flow, not the current plan', () => {
    for (const args of [['task', 'next'], ['task', 'list']]) {
      const out = run(...args);
      expect(out).toMatch(/^scope: +flow f-\w+ "Demo" \(all plans\)$/m);
      expect(out).not.toMatch(/^plan_id:/m);
    }
    expect(run('task', 'list', '--plan-id', '1')).toMatch(new RegExp(`^scope: +plan ${release} "Release 1.0" in flow f-\\w+ "Demo"$`, 'm'));
  });

  it('doc index says what its count counts; doc write says which link it added', () => {
    writeFileSync(join(dir, 'README.md'), '# Demo\n\nA readme.\n');
    const out = run('doc', 'index', 'README.md');
    expect(out).toMatch(/^ {2}indexed_count: +1$/m);
    expect(out).not.toMatch(/^ {2}embedded:/m);
    expect(out).toMatch(/^ {2}embedded_sections: documents=\d+ tasks=\d+ plans=\d+ context=\d+$/m);
    run('plan', 'use', release);
    const w = json('doc', 'write', 'notes/a.md', '--content', 'rewritten');
    expect(w.created).toBe(false);
    expect(w.linked_to).toEqual([expect.stringMatching(new RegExp(`^plan ${release} \\(the current plan`))]);
    // Written again under the same plan: no link added, nothing said.
    expect(json('doc', 'write', 'notes/a.md', '--content', 'again').linked_to).toBeUndefined();
  });

  it('run with a command too long says how to give long text, in run\'s own words, and changes nothing', () => {
    const before = json('task', 'list').tasks.length;
    const out = refused('run', `add a task ${'x'.repeat(6000)}`);
    expect(out).toMatch(/run: the command is 6,011 characters; a \/flow command is at most 5,000\. Nothing was changed\./);
    expect(out).toMatch(/--description "\$\(cat notes\.md\)"/);
    expect(out).not.toMatch(/--text/); // run has no such flag
    expect(json('task', 'list').tasks.length).toBe(before);
    // In JSON with --json, and measured as the command tool measures it (trailing spaces do not count).
    const j = JSON.parse(cli('run', `add a task ${'x'.repeat(6000)}`, '--json').stderr); // errors go to stderr, in JSON with --json
    expect(j.error).toMatchObject({ code: 'invalid_input', message: expect.stringMatching(/^run: the command is 6,011 characters/) });
    expect(refused('run', `add a task ${'x'.repeat(4980)}${' '.repeat(30)}`)).not.toMatch(/run: the command is/);
    // Refused before any project is opened: a fresh folder stays empty.
    const fresh = tempDir();
    const r = spawnSync(process.execPath, [CLI, 'run', `add a task ${'x'.repeat(6000)}`, '--dir', fresh], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(readdirSync(fresh)).toEqual([]);
    rmSync(fresh, { recursive: true, force: true });
  });
});
