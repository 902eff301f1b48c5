// `flowmcp recover` through the real binary on real .flow/ folders, as the README tells a user to use
// it: the files on disk are newer than any snapshot and keep their text (a snapshot only fills in what
// is missing), the report says which came from where and what the rebuilt database lacks; a lost
// flow.db is never silently replaced by an empty one (the CLI and a server's tool calls refuse, naming
// recover), and `recover --force` never rebuilds from a snapshot of an empty database.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, connect } from '../helpers/server.js';
import { tempDir } from '../helpers/workspace.js';
import { putAwayAfterEach } from '../helpers/after-each.js';

const { dirs, servers } = putAwayAfterEach();

function project(): string {
  const dir = tempDir();
  dirs.push(dir);
  return dir;
}

/** The real binary, run in `cwd` (the project, or a folder in it) as a user types it: no --dir. */
function flowmcp(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args, '--json'], { cwd, encoding: 'utf8', input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr, json: () => JSON.parse(r.stdout) };
}

function ok(cwd: string, ...args: string[]) {
  const r = flowmcp(cwd, ...args);
  expect(r.code, `${args.join(' ')}: ${r.err}`).toBe(0);
  return r.json();
}

const loseDatabase = (dir: string) => {
  for (const f of ['flow.db', 'flow.db-wal', 'flow.db-shm']) rmSync(join(dir, '.flow', f), { force: true });
};

const doc = (dir: string, path: string) => readFileSync(join(dir, '.flow', 'documents', path), 'utf8');

/** A project whose one task is in a snapshot (labelled `label`), and whose database was then lost. */
function lostProject(label?: string): { dir: string; snap: { id: string } } {
  const dir = project();
  ok(dir, 'flow', 'create', 'Kept');
  ok(dir, 'plan', 'create', 'P');
  ok(dir, 'task', 'create', 'in the snapshot');
  const snap = ok(dir, 'snapshot', 'create', ...(label ? [label] : [])).snapshot as { id: string };
  loseDatabase(dir);
  return { dir, snap };
}

describe('flowmcp recover keeps what is on disk', () => {
  it('a document file on disk keeps its newer text; a missing one is filled in from the snapshot; the report says which and what is not recovered', () => {
    const dir = project();
    ok(dir, 'flow', 'create', 'R');
    ok(dir, 'plan', 'create', 'P');
    ok(dir, 'doc', 'write', 'notes/a.md', '--content', '# A one');
    ok(dir, 'doc', 'write', 'notes/b.md', '--content', '# B one');
    ok(dir, 'context', 'save', '--decision', 'before the snapshot');
    const snap = ok(dir, 'snapshot', 'create', 's1').snapshot;
    ok(dir, 'doc', 'write', 'notes/a.md', '--content', '# A two: important newer text');
    ok(dir, 'task', 'create', 'after the snapshot');
    ok(dir, 'context', 'save', '--decision', 'after the snapshot');
    rmSync(join(dir, '.flow', 'documents', 'notes', 'b.md'));
    loseDatabase(dir);

    const report = ok(dir, 'recover');
    expect(doc(dir, 'notes/a.md')).toBe('# A two: important newer text');
    expect(doc(dir, 'notes/b.md')).toBe('# B one');
    expect(report.documents_from_disk).toEqual(['notes/a.md']);
    expect(report.documents_from_snapshot).toEqual(['notes/b.md']);
    expect(report.restored_from.map((r: { id: string }) => r.id)).toEqual([snap.id]);
    expect(report.not_recovered).toBe(
      `Changes made after ${snap.created_at} (snapshot ${snap.id}) are not recovered: flows, plans and tasks changed since are not in the rebuilt database. ` +
        'Document files on disk kept their own text, and what context.json files on disk add was merged in.',
    );
    // The text the user sees, and what search finds, are the file's.
    expect(ok(dir, 'doc', 'read', 'notes/a.md').content).toBe('# A two: important newer text');
    const hits = ok(dir, 'search', 'important newer text').results as { path?: string }[];
    expect(hits.map((h) => h.path)).toContain('notes/a.md');
    // The task made after the snapshot is not back (as the report says); the context file's newer decision is.
    expect((ok(dir, 'task', 'list').tasks as unknown[]).length).toBe(0);
    const decisions = JSON.stringify(ok(dir, 'context', 'get').decisions);
    expect(decisions).toContain('after the snapshot');
    expect(decisions).toContain('before the snapshot');
    expect(report.context_from_disk).toEqual([{ flow_id: expect.stringMatching(/^f-/), outcome: 'merged' }]);
  }, 60_000);
});

describe('a lost flow.db', () => {
  it('is not replaced by an empty project: commands refuse naming recover (from a folder inside too), nothing is created; recover rebuilds', () => {
    const { dir } = lostProject();
    const inside = join(dir, 'src');
    mkdirSync(inside);

    for (const [cwd, args] of [[dir, ['task', 'list']], [dir, ['flow', 'create', 'Fresh']], [inside, ['task', 'list']], [dir, ['snapshot', 'list']]] as const) {
      const r = flowmcp(cwd, ...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.err).toMatch(/flow\.db is missing, but \.flow\/ still holds 1 snapshot in \.flow\/snapshots/);
      expect(r.err).toMatch(/Run flowmcp recover/);
    }
    expect(existsSync(join(dir, '.flow', 'flow.db'))).toBe(false);
    expect(existsSync(join(inside, '.flow'))).toBe(false);

    const report = ok(inside, 'recover'); // from the folder inside, as from the project
    expect(report).toMatchObject({ flows: 1, tasks: 1 });
    expect((ok(dir, 'task', 'list').tasks as { title: string }[]).map((t) => t.title)).toEqual(['in the snapshot']);
  }, 60_000);

  it('a server answers every tool call with the refusal (it does not crash), and after recover answers from the rebuilt database', async () => {
    const { dir } = lostProject();

    const s = await connect({ dir });
    servers.push(s);
    for (const [tool, args] of [['task', { action: 'list' }], ['flow', { action: 'create', name: 'Fresh' }]] as const) {
      const r = await s.call(tool, args);
      expect(r.isError).toBe(true);
      expect(JSON.stringify(r.content)).toMatch(/flow\.db is missing, .*Run flowmcp recover/);
    }
    expect(existsSync(join(dir, '.flow', 'flow.db'))).toBe(false);
    // The refusing server does not hold the project: recover runs beside it.
    ok(dir, 'recover');
    const after = await s.call('task', { action: 'list' });
    expect(after.isError).toBeFalsy();
    expect((after.structuredContent.tasks as { title: string }[]).map((t) => t.title)).toEqual(['in the snapshot']);
  }, 60_000);
});

describe('recover --force over an empty database made in place of a lost one', () => {
  it('rebuilds from the snapshots holding the work, never from its own snapshot of the empty database, run after run', () => {
    const { dir, snap } = lostProject('s1');
    // An empty database as an earlier flowmcp made one in place of the lost one.
    const elsewhere = project();
    mkdirSync(join(elsewhere, '.flow')); // an empty project: a list in a folder without one makes none
    ok(elsewhere, 'flow', 'list');
    copyFileSync(join(elsewhere, '.flow', 'flow.db'), join(dir, '.flow', 'flow.db'));

    const plain = ok(dir, 'recover');
    expect(plain.note).toMatch(/nothing was changed .* But it holds no flows, while snapshot (s-\w+) \(.*\) holds 1 flow: .* run flowmcp recover --force/);
    expect(plain.note).toContain(snap.id);

    for (let run = 1; run <= 2; run++) {
      const forced = ok(dir, 'recover', '--force');
      const own = /snapshot (s-\w+) of everything it held was taken first/.exec(forced.note)?.[1];
      expect(own).toBeDefined();
      expect(forced.restored_from.map((r: { id: string }) => r.id)).toEqual([snap.id]);
      expect(forced).toMatchObject({ flows: 1, tasks: 1 });
      expect(forced.note).toContain(`flowmcp snapshot restore ${own} --confirm`);
      expect((ok(dir, 'task', 'list').tasks as { title: string }[]).map((t) => t.title)).toEqual(['in the snapshot']);
    }
  }, 60_000);
});

describe('recover writes nothing over a file it did not restore', () => {
  it('a document written after the snapshot, and one the snapshot never had, are both kept and listed as from disk', () => {
    const dir = project();
    ok(dir, 'flow', 'create', 'R');
    ok(dir, 'plan', 'create', 'P');
    ok(dir, 'doc', 'write', 'a.md', '--content', '# A one');
    ok(dir, 'snapshot', 'create');
    ok(dir, 'doc', 'write', 'a.md', '--content', '# A two');
    writeFileSync(join(dir, '.flow', 'documents', 'by-hand.md'), '# By hand');
    loseDatabase(dir);
    const report = ok(dir, 'recover');
    expect(report.documents_from_disk).toEqual(['a.md', 'by-hand.md']);
    expect(report.documents_from_snapshot).toEqual([]);
    expect(doc(dir, 'a.md')).toBe('# A two');
    expect(doc(dir, 'by-hand.md')).toBe('# By hand');
  }, 60_000);
});
